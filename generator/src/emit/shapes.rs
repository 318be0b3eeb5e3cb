//! What the values of a union variant look like, for the `emit` phase: the
//! shape an untagged union's decoder checks a value against before it decodes
//! it (`unions`), read from the IR: JSON kinds, a struct's required keys, the
//! values its enum fields allow, and whether it takes keys it does not
//! declare. It is written as the shape part of a row of the runtime's
//! `untagged_decoder!` table: `kinds(STRING | NULL)`, `strings(["a"], false)`,
//! `object(["id"], [("type", ["a"])], open, false)` or `any()`.

use super::tables::string_literal;
use crate::ir::{Api, FieldRole, StructType, TypeKind, TypeRef};

/// Aliases followed before a type is taken for any value (a loop of them is
/// refused when lowering; this only keeps a bug from recursing forever).
const FUEL: usize = 64;

/// A JSON kind bit of `crate::runtime::kinds`.
#[derive(Clone, Copy)]
enum Kind {
    Null = 1,
    Boolean = 2,
    Integer = 4,
    Number = 8,
    String = 16,
    Array = 32,
    Object = 64,
}

/// The kinds with their names in `crate::runtime::kinds`, in bit order.
const KIND_NAMES: [(Kind, &str); 7] = [
    (Kind::Null, "NULL"),
    (Kind::Boolean, "BOOLEAN"),
    (Kind::Integer, "INTEGER"),
    (Kind::Number, "NUMBER"),
    (Kind::String, "STRING"),
    (Kind::Array, "ARRAY"),
    (Kind::Object, "OBJECT"),
];

/// What a variant's values look like, as the shape of its table row.
pub(super) fn shape_row(api: &Api, ty: &TypeRef) -> String {
    shape(api, ty, false, FUEL)
}

/// Whether a value the variant decodes always encodes back the same, so the
/// union's decoder need not compare it: scalars, enums (whose catch-all keeps
/// any value) and raw JSON.
pub(super) fn decodes_whole(api: &Api, ty: &TypeRef) -> bool {
    whole(api, ty, FUEL)
}

fn whole(api: &Api, ty: &TypeRef, fuel: usize) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Integer(_)
        | TypeRef::Float32
        | TypeRef::Float64
        | TypeRef::Boolean
        | TypeRef::Any => true,
        TypeRef::Nullable(inner) => whole(api, inner, fuel),
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => true,
            TypeKind::Alias(target) if fuel > 0 => whole(api, target, fuel - 1),
            _ => false,
        },
        _ => false,
    }
}

fn shape(api: &Api, ty: &TypeRef, nullable: bool, fuel: usize) -> String {
    let named = match ty {
        TypeRef::Nullable(inner) => return shape(api, inner, true, fuel),
        TypeRef::Named(id) if fuel > 0 => &api.type_def(*id).kind,
        _ => return kinds_shape(kinds(api, ty, fuel), nullable),
    };
    match named {
        TypeKind::Alias(target) => shape(api, target, nullable, fuel - 1),
        TypeKind::StringEnum(variants) => {
            let values = literals(variants.iter().map(|v| v.wire.as_str()));
            format!("strings({values}, {nullable})")
        }
        TypeKind::Struct(fields) => object_shape(api, fields, nullable, fuel),
        _ => kinds_shape(kinds(api, ty, fuel), nullable),
    }
}

/// `kinds(A | B)`, or `any()` when every kind is allowed.
fn kinds_shape(bits: Option<u8>, nullable: bool) -> String {
    let Some(mut bits) = bits else {
        return "any()".to_owned();
    };
    if nullable {
        bits |= Kind::Null as u8;
    }
    let names: Vec<&str> = KIND_NAMES
        .iter()
        .filter(|(kind, _)| bits & (*kind as u8) != 0)
        .map(|(_, name)| *name)
        .collect();
    format!("kinds({})", names.join(" | "))
}

/// `["a", "b"]`.
fn literals<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = texts.map(string_literal).collect();
    format!("[{}]", quoted.join(", "))
}

/// The JSON kinds of `ty`'s values, or `None` for any value.
fn kinds(api: &Api, ty: &TypeRef, fuel: usize) -> Option<u8> {
    let kind = match ty {
        TypeRef::String | TypeRef::DateTime | TypeRef::Date => Kind::String,
        TypeRef::Integer(_) => Kind::Integer,
        // An integer is a number too.
        TypeRef::Float32 | TypeRef::Float64 => Kind::Number,
        TypeRef::Boolean => Kind::Boolean,
        TypeRef::Array(_) => Kind::Array,
        TypeRef::Map(_) => Kind::Object,
        TypeRef::Nullable(inner) => return kinds(api, inner, fuel).map(|k| k | Kind::Null as u8),
        TypeRef::Any | TypeRef::External(_) | TypeRef::Bytes | TypeRef::File => return None,
        TypeRef::Named(_) if fuel == 0 => return None,
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Alias(target) => return kinds(api, target, fuel - 1),
            TypeKind::StringEnum(_) => Kind::String,
            TypeKind::IntegerEnum(_) => Kind::Integer,
            TypeKind::Struct(_) | TypeKind::Tagged(..) => Kind::Object,
            TypeKind::Union(variants) => {
                let mut bits = 0;
                for variant in variants {
                    bits |= kinds(api, &variant.ty, fuel - 1)?;
                }
                return Some(bits);
            }
            TypeKind::Responses(_) | TypeKind::ErrorBodies(_) | TypeKind::Events(_) => return None,
        },
    };
    Some(kind as u8)
}

/// `object(required, enums, open|closed([keys]), nullable)` of a struct: the
/// keys it requires, the values its enum fields allow, and, when it takes no
/// other keys, the keys it has.
fn object_shape(api: &Api, fields: &StructType, nullable: bool, fuel: usize) -> String {
    let properties = fields.fields.iter().filter(|f| f.is_property());
    let required = literals(
        properties
            .clone()
            .filter(|f| f.required)
            .map(|f| f.wire.as_str()),
    );
    let enums: Vec<String> = properties
        .clone()
        .filter_map(|field| {
            let values = enum_values(api, &field.ty, fuel)?;
            let values = literals(values.into_iter().map(String::as_str));
            Some(format!("({}, {values})", string_literal(&field.wire)))
        })
        .collect();
    // A composed member brings keys of its own, which this list would miss.
    let composed = fields.fields.iter().any(|f| f.role == FieldRole::Composed);
    let closed = if fields.closed && !composed {
        format!("closed({})", literals(properties.map(|f| f.wire.as_str())))
    } else {
        "open".to_owned()
    };
    format!(
        "object({required}, [{}], {closed}, {nullable})",
        enums.join(", ")
    )
}

/// The known values of a string enum type, through aliases and `null`.
fn enum_values<'a>(api: &'a Api, ty: &TypeRef, fuel: usize) -> Option<Vec<&'a String>> {
    match ty {
        TypeRef::Nullable(inner) => enum_values(api, inner, fuel),
        TypeRef::Named(id) if fuel > 0 => match &api.type_def(*id).kind {
            TypeKind::StringEnum(variants) => Some(variants.iter().map(|v| &v.wire).collect()),
            TypeKind::Alias(target) => enum_values(api, target, fuel - 1),
            _ => None,
        },
        _ => None,
    }
}
