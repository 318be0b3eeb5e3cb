//! Untagged unions (`oneOf`/`anyOf` without a discriminator), for the `types`
//! module: an enum with an accessor per variant, `From` for each unique payload
//! and, for scalar unions, `Display`. Its `Deserialize` hands the runtime's
//! `decode_untagged` each variant's shape (`shapes`), so the value goes to the
//! variant it fits and that keeps all of it, not merely the first that decodes.
//! The accessors and `From`s serve tagged unions too (`tagged`).
//!
//! The object form of an "ID or object" union may be typed only under some
//! features (`lower::features`): it then has a raw JSON twin under the others,
//! with its accessor, and its `From` is gated.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::tables::{string_literal, Table};
use super::{boxed_type, boxed_value, type_ident, type_tokens};
use crate::ir::{Api, Gate, TypeKind, TypeRef, UnionVariant};
use crate::naming::snake_ident;

/// The enum of an untagged union, its accessors, `From`s and `Display`.
pub(super) fn emit_union(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
) -> (TokenStream, Vec<Table>) {
    let many = variants.len() > 1;
    let (mut arms, mut accessors) = (Vec::new(), Vec::new());
    for variant in variants {
        let Gate::Any(features) = &variant.typed_when else {
            arms.push(emit_arm(api, variant, TokenStream::new()));
            accessors.push(emit_accessor(api, variant, many, TokenStream::new()));
            continue;
        };
        let raw = raw_twin(api, variant, features);
        let (when, unless) = super::twin_cfgs(&variant.typed_when);
        arms.push(emit_arm(api, variant, when.clone()));
        arms.push(emit_arm(api, &raw, unless.clone()));
        accessors.push(emit_accessor(api, variant, many, when));
        accessors.push(emit_accessor(api, &raw, many, unless));
    }
    let froms = emit_union_froms(api, name, variants);
    let display = emit_union_display(name, variants);
    let deserialize = emit_deserialize(api, name, variants);
    let items = quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#arms)*
        }

        impl #name {
            #(#accessors)*
        }

        #froms
        #display
    };
    (items, vec![deserialize])
}

/// `Deserialize`: the value read once, then given to the variant it fits, as
/// a table of the runtime's `untagged_decoder!` (one row per variant: how its
/// payload is wrapped, its name, its shape).
fn emit_deserialize(api: &Api, name: &proc_macro2::Ident, variants: &[UnionVariant]) -> Table {
    let mut table = Table::new(quote!(crate::runtime::untagged_decoder), name);
    for variant in variants {
        let Gate::Any(features) = &variant.typed_when else {
            table.row(variant_row(api, variant, ""));
            continue;
        };
        let raw = raw_twin(api, variant, features);
        let condition = cfg_text(features);
        table.row(variant_row(api, variant, &format!("#[cfg({condition})] ")));
        table.row(variant_row(
            api,
            &raw,
            &format!("#[cfg(not({condition}))] "),
        ));
    }
    table
}

/// A row of `untagged_decoder!`: `[cfg] whole|partial|boxed Variant: shape`.
fn variant_row(api: &Api, variant: &UnionVariant, cfg: &str) -> String {
    let mode = if variant.boxed {
        "boxed"
    } else if super::shapes::decodes_whole(api, &variant.ty) {
        "whole"
    } else {
        "partial"
    };
    let shape = super::shapes::shape_row(api, &variant.ty);
    format!("{cfg}{mode} {}: {shape}", type_ident(&variant.rust))
}

/// The predicate of `cfg(…)` for any of `features`.
fn cfg_text(features: &[String]) -> String {
    let each: Vec<String> = features
        .iter()
        .map(|f| format!("feature = {}", string_literal(f)))
        .collect();
    match each.as_slice() {
        [one] => one.clone(),
        _ => format!("any({})", each.join(", ")),
    }
}

/// One variant, with `cfg` (or nothing) after its doc comment.
fn emit_arm(api: &Api, variant: &UnionVariant, cfg: TokenStream) -> TokenStream {
    let vdoc = doc_attrs(
        variant.doc.as_deref(),
        &format!("The `{}` form of the value.", variant.rust),
    );
    let ident = type_ident(&variant.rust);
    let ty = boxed_type(type_tokens(api, &variant.ty), variant.boxed);
    quote!(#vdoc #cfg #ident(#ty),)
}

/// The variant as raw JSON, for builds without the features of its type.
fn raw_twin(api: &Api, variant: &UnionVariant, features: &[String]) -> UnionVariant {
    let fallback = format!("The `{}` form of the value.", variant.rust);
    let doc = variant.doc.as_deref().unwrap_or(&fallback);
    UnionVariant {
        ty: TypeRef::Any,
        boxed: false,
        doc: Some(super::raw_json_doc(api, Some(doc), features)),
        typed_when: Gate::Always,
        ..variant.clone()
    }
}

/// `as_<variant>()`: scalars by value, strings as `&str`, everything else by
/// reference; with `cfg` (or nothing) after its doc comment.
pub(super) fn emit_accessor(
    api: &Api,
    variant: &UnionVariant,
    many: bool,
    cfg: TokenStream,
) -> TokenStream {
    let ident = type_ident(&variant.rust);
    let method = format_ident!("as_{}", snake_ident(&variant.rust).text);
    let doc = format!(" The value if it is the `{}` form.", variant.rust);
    let (ty, body) = match &variant.ty {
        TypeRef::Integer(_) | TypeRef::Float32 | TypeRef::Float64 | TypeRef::Boolean => (
            type_tokens(api, &variant.ty),
            quote!(::std::option::Option::Some(*value)),
        ),
        TypeRef::String => (
            quote!(&str),
            quote!(::std::option::Option::Some(value.as_str())),
        ),
        other => {
            let ty = type_tokens(api, other);
            let value = if variant.boxed {
                quote!(&**value)
            } else {
                quote!(value)
            };
            (quote!(&#ty), quote!(::std::option::Option::Some(#value)))
        }
    };
    let others = many.then(|| quote!(_ => ::std::option::Option::None,));
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #method(&self) -> ::std::option::Option<#ty> {
            match self {
                Self::#ident(value) => #body,
                #others
            }
        }
    }
}

/// `From` for every variant whose payload type is unique in the union.
pub(super) fn emit_union_froms(
    api: &Api,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
) -> TokenStream {
    // Aliases are the same Rust type as their target: `type Name = String` and
    // `String` in one union would give two `From<String>` impls.
    let unique = |variant: &UnionVariant| {
        let ty = without_aliases(api, &variant.ty);
        variants
            .iter()
            .filter(|v| without_aliases(api, &v.ty) == ty)
            .count()
            == 1
    };
    let froms = variants.iter().filter(|v| unique(v)).map(|variant| {
        let ident = type_ident(&variant.rust);
        let ty = type_tokens(api, &variant.ty);
        let payload = boxed_value(quote!(value), variant.boxed);
        let from_str = (variant.ty == TypeRef::String).then(|| {
            quote! {
                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self::#ident(::std::borrow::ToOwned::to_owned(value))
                    }
                }
            }
        });
        let cfg = super::cfg_attr(&variant.typed_when);
        quote! {
            #cfg
            impl ::std::convert::From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#ident(#payload)
                }
            }
            #from_str
        }
    });
    quote!(#(#froms)*)
}

/// `ty` with every alias replaced by its target, as the compiler sees it.
fn without_aliases(api: &Api, ty: &TypeRef) -> TypeRef {
    // Lowering rejects alias cycles; the fuel only keeps a bug from recursing forever.
    resolve_aliases(api, ty, api.types.len())
}

fn resolve_aliases(api: &Api, ty: &TypeRef, fuel: usize) -> TypeRef {
    let again = |inner: &TypeRef| Box::new(resolve_aliases(api, inner, fuel));
    match ty {
        TypeRef::Named(id) if fuel > 0 => match &api.type_def(*id).kind {
            TypeKind::Alias(target) => resolve_aliases(api, target, fuel - 1),
            _ => ty.clone(),
        },
        TypeRef::Array(item) => TypeRef::Array(again(item)),
        TypeRef::Map(value) => TypeRef::Map(again(value)),
        TypeRef::Nullable(inner) => TypeRef::Nullable(again(inner)),
        other => other.clone(),
    }
}

/// `Display` when every variant is a scalar that prints as itself.
fn emit_union_display(name: &proc_macro2::Ident, variants: &[UnionVariant]) -> Option<TokenStream> {
    let scalar = |ty: &TypeRef| {
        matches!(
            ty,
            TypeRef::String
                | TypeRef::Integer(_)
                | TypeRef::Float32
                | TypeRef::Float64
                | TypeRef::Boolean
        )
    };
    if !variants.iter().all(|v| scalar(&v.ty)) {
        return None;
    }
    let idents = variants.iter().map(|v| type_ident(&v.rust));
    Some(quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(Self::#idents(value) => ::std::fmt::Display::fmt(value, f),)*
                }
            }
        }
    })
}
