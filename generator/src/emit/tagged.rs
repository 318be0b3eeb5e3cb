//! Unions with a discriminator, for the `types` module: an enum with one variant
//! per schema and `Other` for values it does not know, with `Deserialize` and
//! `Serialize` written out (through the runtime's `tagged` helpers) so the
//! discriminator picks the variant instead of trying each in turn.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs};
use super::unions::{emit_accessor, emit_union_froms};
use super::{boxed_type, boxed_value, type_ident, type_tokens};
use crate::ir::{Api, UnionVariant};

/// The enum, its accessors and `From`s, and its serde impls.
pub(super) fn emit_tagged(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    property: &str,
    variants: &[UnionVariant],
) -> TokenStream {
    let arms = variants.iter().map(|variant| {
        let tags: Vec<String> = variant
            .tags
            .iter()
            .map(|t| code(&format!("{t:?}")))
            .collect();
        let selected = selected_by(property, &tags, variant.default);
        let text = match &variant.doc {
            Some(doc) => format!("{doc}\n\n{selected}"),
            None => selected,
        };
        let vdoc = doc_attrs(Some(&text), "");
        let ident = type_ident(&variant.rust);
        let ty = boxed_type(type_tokens(api, &variant.ty), variant.boxed);
        quote!(#vdoc #ident(#ty),)
    });
    let default = variants.iter().find(|v| v.default);
    let other_doc = match default {
        None => format!(
            " A value whose {} this client does not know (or that has none), kept as it came.",
            code(property)
        ),
        Some(variant) => format!(
            " A value whose {} this client does not know (or that has none) and that does not read as {} either, kept as it came.",
            code(property),
            code(&variant.rust)
        ),
    };
    let accessors = variants
        .iter()
        .map(|v| emit_accessor(api, v, true, TokenStream::new()));
    let froms = emit_union_froms(api, name, variants);
    let decodes = variants
        .iter()
        .filter(|v| !v.tags.is_empty())
        .map(|variant| {
            let ident = type_ident(&variant.rust);
            let tags = &variant.tags;
            let value = boxed_value(
                quote!(crate::runtime::from_tagged::<_, D::Error>(value)?),
                variant.boxed,
            );
            quote!(::std::option::Option::Some(#(#tags)|*) => Self::#ident(#value),)
        });
    let fallback = default.map_or_else(
        || quote!(_ => Self::Other(value),),
        |variant| default_arm(api, variant),
    );
    let encodes = variants.iter().map(|variant| {
        let ident = type_ident(&variant.rust);
        if variant.default {
            // As it came: no tag is added to a value that may have had none.
            return quote!(Self::#ident(value) => ::serde::Serialize::serialize(value, serializer),);
        }
        let tag = variant.tags.first().cloned().unwrap_or_default();
        quote!(Self::#ident(value) => crate::runtime::serialize_tagged(value, #property, #tag, serializer),)
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #name {
            #(#arms)*
            #[doc = #other_doc]
            Other(::serde_json::Value),
        }

        impl #name {
            #(#accessors)*
        }

        #froms

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(match crate::runtime::tag_of(&value, #property).as_deref() {
                    #(#decodes)*
                    #fallback
                })
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#encodes)*
                    Self::Other(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
    }
}

/// The doc line that says which values of `property` select a variant.
fn selected_by(property: &str, tags: &[String], default: bool) -> String {
    let property = code(property);
    match (tags, default) {
        (_, false) => format!("Selected by {property} = {}.", tags.join(" or ")),
        ([], true) => format!("Selected by a missing or unknown {property}."),
        (_, true) => format!(
            "Selected by {property} = {}, and by a missing or unknown {property}.",
            tags.join(" or ")
        ),
    }
}

/// The arm for values without a known tag when the discriminator has a
/// `defaultMapping`: that variant, else (the value does not read as it) `Other`.
fn default_arm(api: &Api, variant: &UnionVariant) -> TokenStream {
    let ident = type_ident(&variant.rust);
    let ty = type_tokens(api, &variant.ty);
    let value = boxed_value(quote!(read), variant.boxed);
    quote! {
        _ => match <#ty as ::serde::Deserialize>::deserialize(&value) {
            ::std::result::Result::Ok(read) => Self::#ident(#value),
            ::std::result::Result::Err(_) => Self::Other(value),
        },
    }
}
