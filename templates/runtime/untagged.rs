//! Unions without a discriminator (`oneOf`/`anyOf`): which variant a value is.
//!
//! serde's `untagged` takes the first variant that decodes, and a struct
//! decodes from almost any object (unknown keys are skipped, optional fields
//! may be missing), so it often took a variant that lost half the value. Here
//! each variant says what its values look like (a [`Shape`]: JSON kinds,
//! required keys, the values its enum properties allow, whether other keys are
//! allowed), and the value is decoded by the variants it fits, in order:
//! - the first one that decodes and gives the value back whole wins;
//! - else the one that loses the least of it (counted in JSON nodes);
//! - only when no variant it fits decodes are the others tried, the same way.
//!
//! Each such union's `Deserialize` comes from a table, [`untagged_decoder!`],
//! that lists its variants with their shapes and calls [`decode_untagged`].

use serde::Serialize;
use serde_json::Value;

/// JSON kinds, as bits of [`Shape::Kinds`].
#[allow(dead_code)] // Which kinds a crate's unions use depends on its spec.
pub(crate) mod kinds {
    /// `null`.
    pub(crate) const NULL: u8 = 1;
    /// `true` or `false`.
    pub(crate) const BOOLEAN: u8 = 2;
    /// A number without a fraction or exponent that fits 64 bits.
    pub(crate) const INTEGER: u8 = 4;
    /// Any number.
    pub(crate) const NUMBER: u8 = 8;
    /// A string.
    pub(crate) const STRING: u8 = 16;
    /// An array.
    pub(crate) const ARRAY: u8 = 32;
    /// An object.
    pub(crate) const OBJECT: u8 = 64;
}

/// What the values of one variant look like, as far as it helps to tell the
/// variants apart; the variant's decoder checks the rest.
#[allow(dead_code)]
pub(crate) enum Shape {
    /// Any value.
    Any,
    /// A value of one of these kinds (bits of [`kinds`]).
    Kinds(u8),
    /// A string that is one of these (an enum's known values), or `null` when
    /// `nullable`.
    Strings {
        /// The known values.
        values: &'static [&'static str],
        /// `null` is one too.
        nullable: bool,
    },
    /// An object (or `null` when `nullable`).
    Object {
        /// Keys it must have.
        required: &'static [&'static str],
        /// Keys that, when present with a string, must hold one of the values
        /// listed (the variant's enum fields, a one-value enum being a tag).
        enums: &'static [(&'static str, &'static [&'static str])],
        /// With `additionalProperties: false`, the only keys it may have.
        closed: Option<&'static [&'static str]>,
        /// `null` is one too.
        nullable: bool,
    },
}

impl Shape {
    /// Whether `value` looks like this variant's values.
    fn admits(&self, value: &Value) -> bool {
        match self {
            Shape::Any => true,
            Shape::Kinds(bits) => bits & kind_of(value) != 0,
            Shape::Strings { values, nullable } => match value {
                Value::String(text) => values.contains(&text.as_str()),
                Value::Null => *nullable,
                _ => false,
            },
            Shape::Object {
                required,
                enums,
                closed,
                nullable,
            } => match value {
                Value::Object(object) => {
                    required.iter().all(|key| object.contains_key(*key))
                        && enums.iter().all(|(key, allowed)| match object.get(*key) {
                            Some(Value::String(text)) => allowed.contains(&text.as_str()),
                            _ => true,
                        })
                        && match closed {
                            None => true,
                            Some(keys) => object.keys().all(|k| keys.contains(&k.as_str())),
                        }
                }
                Value::Null => *nullable,
                _ => false,
            },
        }
    }
}

/// One variant of an untagged union, for [`decode_untagged`].
pub(crate) struct Variant<T> {
    /// Its name, for the error when no variant fits.
    pub(crate) name: &'static str,
    /// What its values look like.
    pub(crate) shape: Shape,
    /// Whether a value it decodes always encodes back the same (scalars, enums,
    /// raw JSON), so nothing needs comparing.
    pub(crate) whole: bool,
    /// Decodes the value as this variant.
    pub(crate) decode: fn(&Value) -> Result<T, serde_json::Error>,
}

/// The variant `value` is, by the rules of the module doc; the error names
/// why each variant refused it.
#[allow(dead_code)] // A spec may have no untagged unions.
pub(crate) fn decode_untagged<T: Serialize>(
    value: &Value,
    union: &str,
    variants: &[Variant<T>],
) -> Result<T, String> {
    let fits: Vec<bool> = variants.iter().map(|v| v.shape.admits(value)).collect();
    let mut errors = Vec::new();
    for pass in [true, false] {
        let mut best: Option<(T, usize)> = None;
        let candidates = variants.iter().zip(&fits).filter(|(_, fit)| **fit == pass);
        let count = candidates.clone().count();
        for (variant, _) in candidates {
            let decoded = match (variant.decode)(value) {
                Ok(decoded) => decoded,
                Err(error) => {
                    errors.push(format!("{}: {error}", variant.name));
                    continue;
                }
            };
            // The only variant the value fits needs no comparing either.
            if variant.whole || (pass && count == 1) {
                return Ok(decoded);
            }
            let lost = match serde_json::to_value(&decoded) {
                Ok(encoded) => lost(value, &encoded),
                Err(_) => usize::MAX,
            };
            if lost == 0 {
                return Ok(decoded);
            }
            // A `match`, not `is_none_or`: generated crates build with Rust
            // 1.80, and clippy asks for it from 1.82 on.
            let better = match &best {
                None => true,
                Some((_, least)) => lost < *least,
            };
            if better {
                best = Some((decoded, lost));
            }
        }
        if let Some((decoded, _)) = best {
            return Ok(decoded);
        }
    }
    Err(format!(
        "the value fits no variant of {union} ({})",
        errors.join("; ")
    ))
}

/// `Deserialize` for an untagged union, from a table of its variants, one per
/// line: how the payload is held (`whole`: it always encodes back the same;
/// `partial`: it may not; `boxed`: in a `Box`, and may not), the variant, and
/// its [`Shape`]:
///
/// ```text
/// crate::runtime::untagged_decoder! {
///     Chunking {
///         partial Lines: object(["type"], [("type", ["lines"])], open, false),
///         whole Text: kinds(STRING | NULL),
///         whole Color: strings(["red", "blue"], false),
///         whole Raw: any(),
///     }
/// }
/// ```
///
/// A row may start with `#[cfg(…)]`. The payload types are not in the table:
/// each variant's constructor names its own.
#[allow(unused_macros)] // A spec may have no untagged unions.
macro_rules! untagged_decoder {
    (@shape any()) => {
        crate::runtime::Shape::Any
    };
    (@shape kinds($($kind:ident)|+)) => {
        crate::runtime::Shape::Kinds($(crate::runtime::kinds::$kind)|+)
    };
    (@shape strings([$($value:literal),*], $nullable:literal)) => {
        crate::runtime::Shape::Strings {
            values: &[$($value),*],
            nullable: $nullable,
        }
    };
    (@shape object(
        [$($required:literal),*],
        [$(($key:literal, [$($allowed:literal),*])),*],
        open,
        $nullable:literal
    )) => {
        crate::runtime::Shape::Object {
            required: &[$($required),*],
            enums: &[$(($key, &[$($allowed),*])),*],
            closed: ::std::option::Option::None,
            nullable: $nullable,
        }
    };
    (@shape object(
        [$($required:literal),*],
        [$(($key:literal, [$($allowed:literal),*])),*],
        closed([$($declared:literal),*]),
        $nullable:literal
    )) => {
        crate::runtime::Shape::Object {
            required: &[$($required),*],
            enums: &[$(($key, &[$($allowed),*])),*],
            closed: ::std::option::Option::Some(&[$($declared),*]),
            nullable: $nullable,
        }
    };
    (@whole whole) => {
        true
    };
    (@whole $mode:ident) => {
        false
    };
    (@decode boxed $variant:ident) => {
        |value| {
            ::serde::Deserialize::deserialize(value)
                .map(|payload| Self::$variant(::std::boxed::Box::new(payload)))
        }
    };
    (@decode $mode:ident $variant:ident) => {
        |value| ::serde::Deserialize::deserialize(value).map(Self::$variant)
    };
    ($name:ident { $($(#[$cfg:meta])* $mode:ident $variant:ident : $shape:ident $args:tt,)+ }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let variants = [$(
                    $(#[$cfg])*
                    crate::runtime::Variant::<Self> {
                        name: ::std::stringify!($variant),
                        shape: crate::runtime::untagged_decoder!(@shape $shape $args),
                        whole: crate::runtime::untagged_decoder!(@whole $mode),
                        decode: crate::runtime::untagged_decoder!(@decode $mode $variant),
                    },
                )+];
                crate::runtime::decode_untagged(&value, ::std::stringify!($name), &variants)
                    .map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}
#[allow(unused_imports)] // A spec may have no untagged unions.
pub(crate) use untagged_decoder;

/// The kind bit of a value.
fn kind_of(value: &Value) -> u8 {
    match value {
        Value::Null => kinds::NULL,
        Value::Bool(_) => kinds::BOOLEAN,
        Value::Number(n) if n.is_i64() || n.is_u64() => kinds::INTEGER | kinds::NUMBER,
        Value::Number(_) => kinds::NUMBER,
        Value::String(_) => kinds::STRING,
        Value::Array(_) => kinds::ARRAY,
        Value::Object(_) => kinds::OBJECT,
    }
}

/// How many JSON nodes of `input` are missing from or changed in `output`: a
/// key counts with its value. Numbers compare as numbers, at single precision
/// (a variant of `f32`s keeps a number as well as the spec lets it).
fn lost(input: &Value, output: &Value) -> usize {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .map(|(key, value)| match b.get(key) {
                Some(other) => lost(value, other),
                None => 1 + size(value),
            })
            .sum(),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).map(|(x, y)| lost(x, y)).sum()
        }
        (Value::Number(a), Value::Number(b)) => {
            let single = |n: &serde_json::Number| n.as_f64().map(|f| f as f32);
            usize::from(a != b && single(a) != single(b))
        }
        (a, b) if a == b => 0,
        (a, _) => size(a),
    }
}

/// The JSON nodes of a value: itself and everything in it.
fn size(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(size).sum(),
        Value::Array(items) => items.iter().map(size).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Tree {
        r#type: String,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Lines {
        r#type: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_lines: Option<u32>,
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Chunking {
        Tree(Tree),
        Lines(Lines),
        Text(String),
    }

    fn variants(tree_tag: &'static [&'static str]) -> [Variant<Chunking>; 3] {
        [
            Variant {
                name: "Tree",
                shape: Shape::Object {
                    required: &["type"],
                    enums: if tree_tag.is_empty() {
                        &[]
                    } else {
                        &[("type", &["tree_sitter"])]
                    },
                    closed: None,
                    nullable: false,
                },
                whole: false,
                decode: |v| Tree::deserialize(v).map(Chunking::Tree),
            },
            Variant {
                name: "Lines",
                shape: Shape::Object {
                    required: &["type"],
                    enums: &[("type", &["lines"])],
                    closed: None,
                    nullable: false,
                },
                whole: false,
                decode: |v| Lines::deserialize(v).map(Chunking::Lines),
            },
            Variant {
                name: "Text",
                shape: Shape::Kinds(kinds::STRING),
                whole: true,
                decode: |v| String::deserialize(v).map(Chunking::Text),
            },
        ]
    }

    fn decode(value: Value, tree_tag: &'static [&'static str]) -> Result<Chunking, String> {
        decode_untagged(&value, "Chunking", &variants(tree_tag))
    }

    #[test]
    fn a_tag_the_first_variant_does_not_allow_goes_to_the_one_that_does() {
        let lines = json!({"type": "lines", "max_lines": 5});
        assert_eq!(
            decode(lines.clone(), &["tree_sitter"]),
            Ok(Chunking::Lines(Lines {
                r#type: "lines".into(),
                max_lines: Some(5)
            }))
        );
        // Without the tag's enum, the variant that keeps `max_lines` still wins.
        assert!(matches!(decode(lines, &[]), Ok(Chunking::Lines(_))));
        assert_eq!(
            decode(json!({"type": "tree_sitter"}), &["tree_sitter"]),
            Ok(Chunking::Tree(Tree {
                r#type: "tree_sitter".into()
            }))
        );
        assert_eq!(decode(json!("x"), &[]), Ok(Chunking::Text("x".into())));
    }

    #[test]
    fn a_value_no_variant_admits_is_still_decoded_by_one_that_can() {
        // `{"type": "other"}` fits neither enum, but `Tree` can hold it whole.
        assert_eq!(
            decode(json!({"type": "other"}), &["tree_sitter"]),
            Ok(Chunking::Tree(Tree {
                r#type: "other".into()
            }))
        );
        let error = decode(json!(3), &["tree_sitter"]).expect_err("no variant");
        assert!(
            error.starts_with("the value fits no variant of Chunking"),
            "{error}"
        );
        assert!(error.contains("Text: invalid type: integer `3`"), "{error}");
    }

    #[test]
    fn shapes_check_kinds_required_keys_enums_and_closed_objects() {
        let object = |closed| Shape::Object {
            required: &["id"],
            enums: &[("kind", &["a", "b"])],
            closed,
            nullable: false,
        };
        assert!(object(None).admits(&json!({"id": 1, "kind": "a", "x": 2})));
        assert!(!object(None).admits(&json!({"kind": "a"})));
        assert!(!object(None).admits(&json!({"id": 1, "kind": "c"})));
        assert!(!object(Some(&["id", "kind"])).admits(&json!({"id": 1, "x": 2})));
        assert!(Shape::Kinds(kinds::NUMBER).admits(&json!(1)));
        assert!(!Shape::Kinds(kinds::INTEGER).admits(&json!(1.5)));
        let strings = Shape::Strings {
            values: &["a"],
            nullable: true,
        };
        assert!(strings.admits(&json!("a")) && strings.admits(&Value::Null));
        assert!(!strings.admits(&json!("b")));
    }

    #[test]
    fn loss_counts_missing_and_changed_nodes() {
        assert_eq!(lost(&json!({"a": 1, "b": [1, 2]}), &json!({"a": 1.0})), 4);
        assert_eq!(lost(&json!({"a": {"b": 1}}), &json!({"a": {"b": 2}})), 1);
        assert_eq!(lost(&json!([1, 2]), &json!([1])), 3);
        // An `f32` keeps a number as well as it can.
        assert_eq!(lost(&json!(0.1), &json!(0.10000000149011612)), 0);
        assert_eq!(lost(&json!({"x": -3.3098282364728024e38}), &json!({})), 2);
        assert_eq!(lost(&json!("x"), &json!("x")), 0);
    }
}
