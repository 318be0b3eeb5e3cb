//! Emits `src/lib.rs`: crate docs (the spec's description, then the guide of
//! `emit::guide`), module declarations, re-exports, the crate's
//! `Error` alias (the runtime error instantiated with the spec's error schema) and
//! the default base URL from `servers`.
//!
//! Module declarations carry `#[rustfmt::skip]` so `cargo fmt` leaves the
//! prettyplease output of the other files alone.

use quote::quote;

use super::guide;
use super::{format_items, EmitError};
use crate::emit::docs::{sanitize, sanitize_inline};
use crate::ir::Api;

/// The text of `src/lib.rs`.
pub fn emit_lib(api: &Api) -> Result<String, EmitError> {
    let mut doc_lines = vec![format!(
        "Rust client for the {} (API version {}).",
        sanitize_inline(&api.title),
        sanitize_inline(&api.api_version)
    )];
    if let Some(description) = &api.description {
        doc_lines.push(String::new());
        doc_lines.extend(sanitize(description));
    }
    doc_lines.extend(guide::lines(&guide::sections(api)));
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
    let error_body = super::default_error_body(api);
    let base_url = api
        .default_base_url
        .clone()
        .unwrap_or_else(|| "http://localhost".to_owned());
    let base_url_env = &api.base_url_env;
    // Every crate item but the `Error` alias, which is written below.
    let reexports = crate::naming::CRATE_ITEMS
        .iter()
        .filter(|name| **name != "Error")
        .map(|name| super::type_ident(name));
    let mut items = vec![quote! {
        #[rustfmt::skip]
        mod auth;
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        pub mod resources;
        #[rustfmt::skip]
        pub mod types;
    }];
    if api.events.is_some() {
        items.push(quote! {
            #[cfg(feature = "events")]
            #[rustfmt::skip]
            pub mod events;
        });
    }
    items.push(quote! {
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        pub mod mock;
    });
    items.extend([
        // One `use` per item: rustfmt and prettyplease print a long list differently,
        // and `cargo fmt` must leave this file as generated.
        quote! {
            #(pub use crate::runtime::#reexports;)*
        },
        quote! {
            /// The error requests return. API errors decode their body into the spec's
            /// common error schema; an operation whose error responses differ has an
            /// enum of its own as `B` (`types::…ErrorBody`, chosen by status).
            pub type Error<B = #error_body> = crate::runtime::Error<B>;
        },
        quote! {
            /// The base URL of the first server the spec lists.
            pub const DEFAULT_BASE_URL: &str = #base_url;
        },
        quote! {
            /// The environment variable [`Client::from_env`] reads the base URL from (empty means unset).
            pub const BASE_URL_ENV: &str = #base_url_env;
        },
    ]);
    // The variable of the token scheme, under the name it has always had.
    if let Some(scheme) = api.token_scheme.map(|index| &api.security_schemes[index]) {
        let variable = &scheme.variable;
        items.push(quote! {
            /// The environment variable [`Client::from_env`] reads the access token from.
            pub const TOKEN_ENV: &str = #variable;
        });
    }
    format_items("src/lib.rs", inner, items)
}
