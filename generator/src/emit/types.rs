//! Emits `src/types/`: one item per named type of the IR, sorted by name, in the
//! module of the feature that needs it (see `modules`).
//!
//! Structs derive `Serialize` (with `rename` to the wire names) and decode
//! through `decode`. String and integer enums keep unknown values in an `Other`
//! variant (hand-written serde impls, since serde's `#[serde(other)]` cannot
//! carry the value), so a newer server cannot break decoding. Unions are in `unions` (untagged) and `tagged`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs};
use super::modules::{emit_index, home, Submodule, SHARED};
use super::tables::{string_literal, Table};
use super::{boxed_type, ident, type_ident, type_tokens, EmitError};
use super::{format_batches_parallel, format_head, Batch};
use super::{statuses, tagged, unions};
use crate::ir::{
    Api, Field, FieldRole, Gate, IntegerVariant, StringVariant, TypeDef, TypeKind, TypeRef,
};

/// The files of `src/types/`: `mod.rs`, a module per feature for the types only
/// it needs, and `shared.rs` for the rest, each item there under its own `cfg`.
pub fn emit_types(api: &Api) -> Result<Vec<(String, String)>, EmitError> {
    let mut defs: Vec<&TypeDef> = api.types.iter().collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    let mut heads = Vec::new();
    let mut batches = Vec::new();
    let mut submodules = Vec::new();
    for feature in &api.features {
        let here: Vec<&TypeDef> = defs
            .iter()
            .copied()
            .filter(|d| home(api, &d.gate).is_some_and(|f| f.name == feature.name))
            .collect();
        if here.is_empty() {
            continue;
        }
        let file = format!("src/types/{}.rs", feature.module);
        let doc = format!(
            " Types that only the `{}` feature's operations need.",
            feature.name
        );
        heads.push(format_head(&file, quote!(#![doc = #doc]))?);
        batches.push(Batch {
            file,
            sources: here,
        });
        submodules.push(Submodule {
            name: &feature.module,
            feature: Some(&feature.name),
        });
    }
    let shared: Vec<&TypeDef> = defs
        .into_iter()
        .filter(|d| home(api, &d.gate).is_none())
        .collect();
    if !shared.is_empty() {
        let file = format!("src/types/{SHARED}.rs");
        let inner = quote! {
            //! Types that several features need (each compiles when any of them is on), or all of them.
        };
        heads.push(format_head(&file, inner)?);
        batches.push(Batch {
            file,
            sources: shared,
        });
        submodules.push(Submodule {
            name: SHARED,
            feature: None,
        });
    }
    // A type in a feature's module compiles with its module; one in `shared`
    // carries its own `cfg`.
    let bodies = format_batches_parallel(&batches, |def| {
        let (tokens, tables) = emit_type(api, def);
        Ok(super::Emitted {
            tokens,
            tables,
            cfg: match home(api, &def.gate) {
                Some(_) => TokenStream::new(),
                None => super::cfg_attr(&def.gate),
            },
        })
    })?;
    let mut files: Vec<(String, String)> = batches
        .into_iter()
        .zip(heads.into_iter().zip(bodies))
        .map(|(batch, (head, body))| (batch.file, head + &body))
        .collect();
    let inner = quote! {
        //! Data types of the API: one item per schema of the spec and per inline object, enum or union.
        //!
        //! The types live in one module per Cargo feature and are all re-exported here, so
        //! each has the same path whichever features are on.
    };
    let index = emit_index("src/types/mod.rs", inner, &submodules, Vec::new())?;
    files.push(("src/types/mod.rs".to_owned(), index));
    Ok(files)
}

/// A type's items, and the tables of the runtime's macros that follow them.
fn emit_type(api: &Api, def: &TypeDef) -> (TokenStream, Vec<Table>) {
    let fallback = format!(
        "The `{}` schema of the spec ({}).",
        def.name,
        code(&def.pointer)
    );
    let doc = doc_attrs(def.doc.as_deref(), &fallback);
    let extra = extra_derives(def);
    let doc = quote!(#doc #extra);
    let name = type_ident(&def.name);
    let items = match &def.kind {
        TypeKind::Struct(s) => return emit_struct(api, doc, &name, &s.fields),
        TypeKind::StringEnum(variants) => return emit_string_enum(doc, &name, variants),
        TypeKind::IntegerEnum(variants) => emit_integer_enum(doc, &name, variants),
        TypeKind::Union(variants) => return unions::emit_union(api, doc, &name, variants),
        TypeKind::Tagged(property, variants) => {
            tagged::emit_tagged(api, doc, &name, property, variants)
        }
        TypeKind::Alias(ty) => {
            let ty = type_tokens(api, ty);
            quote!(#doc pub type #name = #ty;)
        }
        TypeKind::Responses(variants) => statuses::emit_responses(api, doc, &name, variants),
        TypeKind::ErrorBodies(variants) => statuses::emit_error_bodies(api, doc, &name, variants),
        TypeKind::Events(variants) => super::sequences::emit_events(api, doc, &name, variants),
    };
    (items, Vec::new())
}

/// `#[derive(…)]` of the derives the user added to `def` (`lower` left out
/// those its kind has already).
fn extra_derives(def: &TypeDef) -> TokenStream {
    let paths: Vec<TokenStream> = def
        .derives
        .iter()
        .map(|path| super::path_tokens(path))
        .collect();
    if paths.is_empty() {
        return TokenStream::new();
    }
    quote!(#[derive(#(#paths),*)])
}

fn emit_struct(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
) -> (TokenStream, Vec<Table>) {
    let all_optional = fields.iter().all(|f| f.is_optional());
    let default = all_optional.then(|| quote!(::std::default::Default,));
    let derived = api.derive_decoders || !super::decode::writes_decode(fields);
    let (derive_decode, decode) = match derived {
        false => (None, vec![super::decode::emit_decode(name, fields)]),
        true => (Some(quote!(, ::serde::Deserialize)), Vec::new()),
    };
    let fields = fields
        .iter()
        .map(|field| emit_gated_field(api, field, derived));
    let item = quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #default ::serde::Serialize #derive_decode)]
        pub struct #name {
            #(#fields)*
        }
    };
    (item, decode)
}

/// A field, or for one typed only under some features, the typed field under
/// them and the same field as raw JSON otherwise. `derived`: the struct's
/// `Deserialize` is serde's derive, which needs to be told about defaults.
fn emit_gated_field(api: &Api, field: &Field, derived: bool) -> TokenStream {
    let Gate::Any(features) = &field.typed_when else {
        return emit_field(api, field, TokenStream::new(), derived);
    };
    let raw = Field {
        ty: TypeRef::Any,
        boxed: false,
        doc: Some(super::raw_json_doc(api, field.doc.as_deref(), features)),
        typed_when: Gate::Always,
        ..field.clone()
    };
    let (when, unless) = super::twin_cfgs(&field.typed_when);
    let typed = emit_field(api, field, when, derived);
    let raw = emit_field(api, &raw, unless, derived);
    quote!(#typed #raw)
}

/// A field, with `cfg` (or nothing) after its doc comment.
fn emit_field(api: &Api, field: &Field, cfg: TokenStream, derived: bool) -> TokenStream {
    match field.role {
        FieldRole::Property => {}
        FieldRole::Composed => return emit_flattened_field(api, field),
        FieldRole::Additional => return emit_additional_field(api, field),
    }
    let doc = doc_attrs(
        field.doc.as_deref(),
        &format!("The {} field.", code(&field.wire)),
    );
    let name = ident(&field.rust);
    let inner = boxed_type(type_tokens(api, &field.ty), field.boxed);
    let ty = if field.tri_state {
        quote!(crate::Nullable<#inner>)
    } else if field.is_optional() {
        quote!(::std::option::Option<#inner>)
    } else {
        inner
    };
    let mut serde_args = Vec::new();
    if field.rust.text != field.wire {
        let wire = &field.wire;
        serde_args.push(quote!(rename = #wire));
    }
    // `default` is for serde's `Deserialize` derive: the written decoders
    // (`decode.rs`) start every field as absent anyway.
    let default = derived.then(|| quote!(default,));
    if field.tri_state {
        serde_args.push(quote!(
            #default
            skip_serializing_if = "crate::Nullable::is_absent"
        ));
    } else if !field.required {
        serde_args.push(quote!(
            #default
            skip_serializing_if = "::std::option::Option::is_none"
        ));
    }
    let serde = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #cfg
        #deprecated
        #serde
        pub #name: #ty,
    }
}

/// The map of the keys the schema does not declare: flattened into the object,
/// so they decode into it and encode back beside the declared ones.
fn emit_additional_field(api: &Api, field: &Field) -> TokenStream {
    let name = ident(&field.rust);
    let ty = type_tokens(api, &field.ty);
    // serde's derive fills a flattened map with the keys no other field took;
    // the written decoders do so themselves.
    quote! {
        /// Properties the spec does not declare (the schema allows others,
        /// `additionalProperties`), by name.
        #[serde(flatten, skip_serializing_if = "::std::collections::BTreeMap::is_empty")]
        pub #name: #ty,
    }
}

/// A composed `allOf` member: its fields sit beside the struct's own on the wire.
fn emit_flattened_field(api: &Api, field: &Field) -> TokenStream {
    let name = ident(&field.rust);
    let ty = boxed_type(type_tokens(api, &field.ty), field.boxed);
    let doc = match &field.ty {
        TypeRef::Named(id) => format!(
            " The fields of [`{}`], which this type extends (`allOf`): on the wire they sit beside its own.",
            api.types[id.0].name
        ),
        _ => " The fields of the type this one extends (`allOf`).".to_owned(),
    };
    quote! {
        #[doc = #doc]
        #[serde(flatten)]
        pub #name: #ty,
    }
}

/// A string enum, and the `string_enum!` table that gives it `as_str`,
/// `known` and its impls.
fn emit_string_enum(
    doc: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[StringVariant],
) -> (TokenStream, Vec<Table>) {
    let idents: Vec<_> = variants.iter().map(|v| type_ident(&v.rust)).collect();
    let docs = variants.iter().map(|v| {
        let fallback = if v.wire.is_empty() {
            "The empty string.".to_owned()
        } else {
            format!("The value {}.", code(&v.wire))
        };
        doc_attrs(v.doc.as_deref(), &fallback)
    });
    let item = quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        pub enum #name {
            #(#docs #idents,)*
            /// A value this version of the client does not know; kept as sent.
            Other(::std::string::String),
        }
    };
    let mut table = Table::new(quote!(crate::runtime::string_enum), name);
    for (ident, variant) in idents.iter().zip(variants) {
        table.row(format!("{ident} = {}", string_literal(&variant.wire)));
    }
    (item, vec![table])
}

fn emit_integer_enum(
    doc: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[IntegerVariant],
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| type_ident(&v.rust)).collect();
    let values: Vec<i64> = variants.iter().map(|v| v.value).collect();
    let docs = variants
        .iter()
        .map(|v| doc_attrs(v.doc.as_deref(), &format!("The value `{}`.", v.value)));
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        pub enum #name {
            #(#docs #idents,)*
            /// A value this version of the client does not know; kept as sent.
            Other(i64),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(Self::#idents => #values,)*
                    Self::Other(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#values => Self::#idents,)*
                    other => Self::Other(other),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl crate::runtime::ParamValue for #name {
            fn to_param(&self) -> ::std::string::String {
                ::std::string::ToString::to_string(&self.value())
            }
        }
    }
}
