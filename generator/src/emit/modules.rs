//! How `src/types/` and `src/resources/` are split: one private module per Cargo
//! feature, compiled only with its feature and re-exported whole, so every item
//! keeps its path (`crate::types::Chat`, `crate::resources::ListChatsRequest`)
//! whatever module holds it. What several features need lives in `shared`, each
//! item there with its own `#[cfg]`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{format_items, EmitError};
use crate::ir::{Api, Feature, Gate};

/// The module of items needed by several features (or by all, or always).
pub(super) const SHARED: &str = crate::naming::SHARED_MODULE;

/// The feature whose module holds an item with this gate, when exactly one
/// resource-group feature needs it; `None` for the shared module.
pub(super) fn home<'a>(api: &'a Api, gate: &Gate) -> Option<&'a Feature> {
    match gate {
        Gate::Any(features) if features.len() == 1 => {
            api.features.iter().find(|f| f.name == features[0])
        }
        _ => None,
    }
}

/// A module of the index: its name and the feature it needs (`None`: always).
pub(super) struct Submodule<'a> {
    pub name: &'a str,
    pub feature: Option<&'a str>,
}

/// The text of a `mod.rs`: its docs, each submodule declared and re-exported
/// under its feature, then `more` items.
pub(super) fn emit_index(
    file: &str,
    inner: TokenStream,
    submodules: &[Submodule<'_>],
    more: Vec<TokenStream>,
) -> Result<String, EmitError> {
    let mut items: Vec<TokenStream> = submodules
        .iter()
        .map(|module| {
            let name = format_ident!("{}", module.name);
            let cfg = module
                .feature
                .map(|feature| quote!(#[cfg(feature = #feature)]));
            // The shared module's items each have their own `cfg`; with few
            // features on, all of them may be off, and the re-export then has
            // nothing to bring in.
            let allow = module
                .feature
                .is_none()
                .then(|| quote!(#[allow(unused_imports)]));
            quote! {
                #cfg
                mod #name;
                #cfg
                #allow
                pub use self::#name::*;
            }
        })
        .collect();
    items.extend(more);
    format_items(file, inner, items)
}
