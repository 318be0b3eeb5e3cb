//! `Deserialize` for the structs of `types`, for the `emit` phase: a short impl
//! of the runtime's `DecodeStruct` (one arm per field) instead of serde's derive,
//! whose expansion was two fifths of `cargo check` on large crates (see
//! `templates/runtime/fields.rs`). Structs that hold a flattened `allOf` member
//! keep the derive, which knows how to hand the rest of an object on.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::ident;
use crate::ir::Field;

/// Whether the struct's `Deserialize` is written here (else derived).
pub(super) fn writes_decode(fields: &[Field]) -> bool {
    !fields.iter().any(|f| f.flatten)
}

/// The `Deserialize` and `DecodeStruct` impls of struct `name`.
///
/// Fields with a type only some features compile have a raw JSON twin under the
/// other features (`types::emit_gated_field`): both have the same name, and the
/// locals here take their types from the struct literal, so one impl fits both.
pub(super) fn emit_decode(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let mut wires: Vec<(usize, &str)> = fields
        .iter()
        .enumerate()
        .map(|(index, f)| (index, f.wire.as_str()))
        .collect();
    // Wire names are unique within a struct (fields are merged by them).
    wires.sort_by(|a, b| a.1.cmp(b.1));
    let sorted: Vec<&str> = wires.iter().map(|(_, wire)| *wire).collect();
    let local = |index: usize| format_ident!("f{index}");
    let locals = fields.iter().enumerate().map(|(index, field)| {
        let local = local(index);
        match field.tri_state {
            true => quote!(let mut #local = ::std::default::Default::default();),
            false => quote!(let mut #local = None;),
        }
    });
    let arms = wires.iter().enumerate().map(|(position, (index, _))| {
        let local = local(*index);
        let position = Literal::usize_unsuffixed(position);
        let value = match is_required_value(&fields[*index]) {
            true => quote!(Some(map.next_value()?)),
            false => quote!(map.next_value()?),
        };
        quote!(#position => #local = #value,)
    });
    let loop_body = if wires.is_empty() {
        quote! {
            while map.next_entry::<::serde::de::IgnoredAny, ::serde::de::IgnoredAny>()?.is_some() {}
        }
    } else {
        quote! {
            while let Some(key) = map.next_key_seed(crate::runtime::FieldKey(Self::FIELDS))? {
                match key {
                    #(#arms)*
                    _ => crate::runtime::skip_value(&mut map)?,
                }
            }
        }
    };
    let inits = fields.iter().enumerate().map(|(index, field)| {
        let name = ident(&field.rust);
        let local = local(index);
        match is_required_value(field) {
            true => {
                let wire = &field.wire;
                quote!(#name: required(#local, #wire)?,)
            }
            false => quote!(#name: #local,),
        }
    });
    let allow = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let uses = emit_uses(fields);
    let rust_name = name.to_string();
    quote! {
        crate::runtime::deserialize_struct!(#name);

        impl crate::runtime::DecodeStruct for #name {
            const NAME: &'static str = #rust_name;
            const FIELDS: &'static [&'static str] = &[#(#sorted),*];

            #allow
            fn decode_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                #uses
                #(#locals)*
                #loop_body
                ::std::result::Result::Ok(Self { #(#inits)* })
            }
        }
    }
}

/// The imports of `decode_map`: inside the function they shadow any type of
/// the module with the same name (a schema called `Some`), so the arms stay
/// short. Only what the body uses, or the crate would warn.
fn emit_uses(fields: &[Field]) -> TokenStream {
    let required = fields.iter().any(is_required_value);
    let none = fields.iter().any(|f| !f.tri_state);
    let option = match (none, required) {
        (true, true) => quote!(
            use ::std::option::Option::{None, Some};
        ),
        (true, false) => quote!(
            use ::std::option::Option::None;
        ),
        (false, true) => quote!(
            use ::std::option::Option::Some;
        ),
        (false, false) => quote!(),
    };
    let runtime = required.then(|| {
        quote!(
            use crate::runtime::required;
        )
    });
    quote!(#option #runtime)
}

/// A field whose value must be present: neither optional nor nullable (an
/// `Option` is `None` when its key is missing, a `Nullable` is `Absent`).
fn is_required_value(field: &Field) -> bool {
    !field.tri_state && !field.is_optional()
}
