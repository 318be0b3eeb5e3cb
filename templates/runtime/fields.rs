//! Decoding the structs of `types`: each struct's `Deserialize` hands its
//! object to [`decode_struct`], and its [`DecodeStruct`] impl only says which
//! local each field's value goes to.
//!
//! serde's derive writes a field enum, its visitor, a sequence form and a map
//! form for every struct: about 170 lines each, which were two fifths of the time
//! `cargo check` spent on a crate of 800 types. What does not depend on the
//! struct (finding a key among the wire names, the visitor, the messages) is
//! written here once; a struct's own part is one arm per field.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Visitor};

/// A struct decoded from a JSON object by its generated [`DecodeStruct`] impl.
pub(crate) trait DecodeStruct: Sized {
    /// The struct's name, for error messages.
    const NAME: &'static str;
    /// The wire names of its fields, sorted (byte order) so a key is found by
    /// binary search; a key's index selects the field.
    const FIELDS: &'static [&'static str];

    /// Reads the object's entries (keys through [`FieldKey`]) into the struct.
    fn decode_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The `Deserialize` of every generated struct: an object, through `T`'s impl.
#[allow(dead_code)] // A spec may have no structs.
pub(crate) fn decode_struct<'de, T: DecodeStruct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    // As a struct, not a map: a struct flattened into another (`allOf`) then
    // takes only its own keys from the object.
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

/// `Deserialize` for a struct through its [`DecodeStruct`] impl: one line per
/// struct in the generated code rather than the same impl each time.
#[allow(unused_macros)] // A spec may have no structs.
macro_rules! deserialize_struct {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::decode_struct(deserializer)
            }
        }
    };
}
#[allow(unused_imports)] // A spec may have no structs.
pub(crate) use deserialize_struct;

/// The value of a required field, or serde's "missing field" error.
#[allow(dead_code)]
pub(crate) fn required<T, E: Error>(value: Option<T>, wire: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(wire))
}

/// Skips the value of a key the struct does not have.
#[allow(dead_code)] // A spec may have no structs.
pub(crate) fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "an object (struct {})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::decode_map(map)
    }
}

/// An object key as the index of a field's wire name, or `UNKNOWN` for a key
/// the struct does not have (its value is skipped). Keys are matched without
/// being copied, as serde's derive does.
#[allow(dead_code)] // A spec may have no structs.
#[derive(Clone, Copy)]
pub(crate) struct FieldKey(pub(crate) &'static [&'static str]);

/// The index [`FieldKey`] gives a key that is none of the struct's fields.
#[allow(dead_code)]
const UNKNOWN: usize = usize::MAX;

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.0.binary_search(&key).unwrap_or(UNKNOWN))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(std::str::from_utf8(key)
            .map_or(UNKNOWN, |key| self.0.binary_search(&key).unwrap_or(UNKNOWN)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generator writes for `{a: string (required), b: integer}`.
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: String,
        b: Option<i64>,
    }

    impl DecodeStruct for Pair {
        const NAME: &'static str = "Pair";
        const FIELDS: &'static [&'static str] = &["a", "b"];

        fn decode_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut f0 = None;
            let mut f1 = None;
            while let Some(key) = map.next_key_seed(FieldKey(Self::FIELDS))? {
                match key {
                    0 => f0 = Some(map.next_value()?),
                    1 => f1 = map.next_value()?,
                    _ => skip_value(&mut map)?,
                }
            }
            Ok(Self {
                a: required(f0, "a")?,
                b: f1,
            })
        }
    }

    deserialize_struct!(Pair);

    #[test]
    fn fields_are_found_by_wire_name_and_unknown_keys_skipped() {
        let pair: Pair =
            serde_json::from_str(r#"{"z": [1, {"a": 2}], "b": 7, "a": "x"}"#).expect("decodes");
        assert_eq!(
            pair,
            Pair {
                a: "x".into(),
                b: Some(7)
            }
        );
        // An escaped key is not borrowed from the input, and still matches.
        let pair: Pair = serde_json::from_str(r#"{"\u0061": "y", "b": null}"#).expect("decodes");
        assert_eq!(
            pair,
            Pair {
                a: "y".into(),
                b: None
            }
        );
        let pair: Pair = serde_json::from_value(serde_json::json!({"a": "v"})).expect("decodes");
        assert_eq!(pair.b, None);
    }

    #[test]
    fn errors_say_what_is_missing_or_wrong_and_where() {
        let missing = serde_json::from_str::<Pair>(r#"{"b": 1}"#).expect_err("no a");
        assert_eq!(missing.to_string(), "missing field `a` at line 1 column 8");
        let wrong = serde_json::from_str::<Pair>(r#"{"a": 1}"#).expect_err("a is a string");
        assert!(wrong
            .to_string()
            .starts_with("invalid type: integer `1`, expected a string"));
        let not_object = serde_json::from_str::<Pair>("[1]").expect_err("an array");
        assert!(
            not_object
                .to_string()
                .contains("expected an object (struct Pair)"),
            "{not_object}"
        );
    }
}
