//! Doc comments for generated items, made from spec descriptions.
//!
//! One `#[doc]` attribute per line, so prettyplease prints `///` lines rather than
//! a block comment. Spec text goes through [`sanitize`] first (see
//! `emit::doc_text`): rustdoc must neither warn about it nor test it.

use proc_macro2::TokenStream;
use quote::quote;

pub use super::doc_text::{code, sanitize, sanitize_inline};

/// `#[doc]` attributes for `text`, or for `fallback` when the spec has none.
pub fn doc_attrs(text: Option<&str>, fallback: &str) -> TokenStream {
    let text = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(fallback);
    lines_to_attrs(&sanitize(text))
}

/// `#![doc]` attributes (a module's own docs) for text that is already rustdoc-safe.
pub fn lines_to_inner_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| match line.is_empty() {
        true => quote!(#![doc = ""]),
        false => {
            let line = format!(" {line}");
            quote!(#![doc = #line])
        }
    });
    quote!(#(#attrs)*)
}

/// `#[doc]` attributes for text that is already rustdoc-safe.
pub fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}
