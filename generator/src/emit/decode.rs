//! `Deserialize` for the structs of `types`, for the `emit` phase: a table for
//! the runtime's `struct_decoder!` (one row per field) instead of serde's
//! derive, whose expansion was two fifths of `cargo check` on large crates (see
//! `templates/runtime/fields.rs`). Structs that hold a flattened `allOf` member
//! keep the derive, which knows how to hand the rest of an object on.

use quote::quote;

use super::ident;
use super::tables::{string_literal, Table};
use crate::ir::{Field, FieldRole};

/// Whether the struct's `Deserialize` is written here (else derived).
pub(super) fn writes_decode(fields: &[Field]) -> bool {
    !fields.iter().any(|f| f.role == FieldRole::Composed)
}

/// The `struct_decoder!` table of struct `name`: its fields in declaration
/// order, each with its index in that order and how it is read. The macro
/// matches a key against the rows in this order, and servers most often send
/// the keys in the order their schema declares them: the first comparison is
/// then usually the one that hits (serde's derive has the same advantage).
///
/// Fields with a type only some features compile have a raw JSON twin under the
/// other features (`types::emit_gated_field`): both have the same name, and the
/// macro's locals take their types from the struct literal, so one table fits
/// both.
pub(super) fn emit_decode(name: &proc_macro2::Ident, fields: &[Field]) -> Table {
    // Wire names are unique within a struct (fields are merged by them).
    let properties = fields.iter().filter(|f| f.is_property());
    let mut table = Table::new(quote!(crate::runtime::struct_decoder), name);
    for (position, field) in properties.enumerate() {
        table.row(format!(
            "{position} {} => {}: {}",
            string_literal(&field.wire),
            ident(&field.rust),
            slot(field)
        ));
    }
    // The keys none of those rows take go into the map of additional properties.
    if let Some(field) = fields.iter().find(|f| f.role == FieldRole::Additional) {
        table.row(format!("_ => {}", ident(&field.rust)));
    }
    table
}

/// How `struct_decoder!` finishes the field: `tri_state`
/// for a `Nullable`, `optional` for an `Option`, else `required`.
fn slot(field: &Field) -> &'static str {
    if field.tri_state {
        "tri_state"
    } else if field.is_optional() {
        "optional"
    } else {
        "required"
    }
}
