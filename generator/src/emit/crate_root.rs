//! Emits `src/lib.rs`: crate docs, module declarations, re-exports, the crate's
//! `Error` alias (the runtime error instantiated with the spec's error schema) and
//! the default base URL from `servers`.
//!
//! Module declarations carry `#[rustfmt::skip]` so `cargo fmt` leaves the
//! prettyplease output of the other files alone.

use quote::quote;

use super::{format_items, type_tokens, EmitError};
use crate::emit::docs::sanitize;
use crate::ir::Api;

/// The text of `src/lib.rs`.
pub fn emit_lib(api: &Api) -> Result<String, EmitError> {
    let mut doc_lines = vec![format!(
        "Rust client for the {} (API version {}).",
        api.title, api.api_version
    )];
    if let Some(description) = &api.description {
        doc_lines.push(String::new());
        doc_lines.extend(sanitize(description));
    }
    doc_lines.push(String::new());
    doc_lines.push(
        "Start with [`Client::new`]; every operation is a method on the client or on one of"
            .to_owned(),
    );
    doc_lines.push(
        "its resource handles, and returns a request builder that is sent with `.send().await`."
            .to_owned(),
    );
    let doc_attrs = doc_lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    let inner = quote! {
        #(#doc_attrs)*
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]
    };
    let error_body = match &api.error_body {
        Some(ty) => type_tokens(api, ty),
        None => quote!(::serde_json::Value),
    };
    let base_url = api
        .default_base_url
        .clone()
        .unwrap_or_else(|| "http://localhost".to_owned());
    let items = vec![
        quote! {
            #[rustfmt::skip]
            mod runtime;
            #[rustfmt::skip]
            pub mod resources;
            #[rustfmt::skip]
            pub mod types;
        },
        quote! {
            pub use crate::runtime::{ApiError, BuildError, Client, DecodeError};
        },
        quote! {
            /// The error every request returns: API errors decode their body into the spec's error schema.
            pub type Error = crate::runtime::Error<#error_body>;
        },
        quote! {
            /// The base URL of the first server the spec lists.
            pub const DEFAULT_BASE_URL: &str = #base_url;
        },
    ];
    format_items("src/lib.rs", inner, items)
}
