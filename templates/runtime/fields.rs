//! Decoding the structs of `types`: each struct's `Deserialize` hands its
//! object to [`decode_struct`], and its [`DecodeStruct`] impl only says which
//! local each field's value goes to.
//!
//! serde's derive writes a field enum, its visitor, a sequence form and a map
//! form for every struct: about 170 lines each, which were two fifths of the time
//! `cargo check` spent on a crate of 800 types. What does not depend on the
//! struct (the visitors, the messages, the end of each field) is written here
//! once; a struct's own part is a `match` from key to field, as the derive's,
//! and one arm per field.
//!
//! Keys are found by that `match` on the key text, as the derive does: a
//! binary search over the sorted names compared bytes at every step, and
//! decoded GitHub's issues in twice the derive's time.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Visitor};

/// A struct decoded from a JSON object by its generated [`DecodeStruct`] impl.
pub(crate) trait DecodeStruct: Sized {
    /// The struct's name, for error messages.
    const NAME: &'static str;
    /// The wire names of its fields, sorted (byte order).
    const FIELDS: &'static [&'static str];

    /// The index in `FIELDS` of the field a key names, or [`UNKNOWN`].
    fn field(key: &str) -> usize;

    /// Reads the object's entries (keys through [`FieldKey`]) into the struct.
    fn decode_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The `Deserialize` of every generated struct: an object, through `T`'s impl.
#[allow(dead_code)] // A spec may have no structs.
#[inline]
pub(crate) fn decode_struct<'de, T: DecodeStruct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    // As a struct, not a map: a struct flattened into another (`allOf`) then
    // takes only its own keys from the object.
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

/// `Deserialize` and [`DecodeStruct`] for a struct, from a table of its fields
/// in declaration order (the order a key is compared in, and the order servers
/// most often send them), one per line: the key's index in that order, the wire
/// name, the field, and how a missing or `null` value is read (`required`,
/// `optional` or `tri_state`).
///
/// ```text
/// crate::runtime::struct_decoder! {
///     Pair {
///         0 "a" => a: required,
///         1 "b" => b: optional,
///     }
/// }
/// ```
///
/// The generator writes the table rather than the code it stands for: that
/// code was a fifth of the text the generator printed for Stripe, and the
/// slowest part to print. The locals are named after the fields; a field called
/// `map` or `key` cannot clash with the macro's own names, which are hygienic.
#[allow(unused_macros)] // A spec may have no structs.
macro_rules! struct_decoder {
    // A key's value goes into its field's local, an `Option` that is `None`
    // until the key is read. A key read twice keeps its last value, and the
    // first is dropped before the second is read: the optimizer then knows
    // the local is `None` at every store (as in serde's derive, which refuses
    // the second key instead). A store that had to drop what the local held
    // made it carry every local around the loop and copy them all at each key
    // (GitHub's issues decoded 1.4 times slower than the derive).
    // An optional field's local is the field itself, an `Option` that `null`
    // leaves `None`, rather than an `Option` around it: the finish is then the
    // local as it is, and Beeper's chats (mostly optional fields) decode 2 %
    // faster, ahead of serde's derive, which wraps every field.
    (@store $map:ident optional $field:ident) => {{
        if $field.is_some() {
            $field.take();
        }
        $field = $map.next_value()?
    }};
    (@store $map:ident $slot:ident $field:ident) => {{
        if $field.is_some() {
            $field.take();
        }
        $field = ::std::option::Option::Some($map.next_value()?)
    }};
    // The field from its local, written out rather than called: a struct of
    // ninety fields is a function the optimizer stops inlining calls into, and
    // ninety calls that each moved a value through memory made GitHub's
    // `Repository` decode five times slower than serde's derive.
    (@finish $error:ident required $field:ident $wire:literal) => {
        match $field {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => {
                return ::std::result::Result::Err(
                    <$error::Error as ::serde::de::Error>::missing_field($wire),
                )
            }
        }
    };
    // Missing and `null` are both `None`.
    (@finish $error:ident optional $field:ident $wire:literal) => {
        $field
    };
    // Missing is `Absent`; `null` decodes as `Null`.
    (@finish $error:ident tri_state $field:ident $wire:literal) => {
        match $field {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => crate::runtime::Nullable::Absent,
        }
    };
    (@deserialize $name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::decode_struct(deserializer)
            }
        }
    };
    ($name:ident {}) => {
        crate::runtime::struct_decoder!(@deserialize $name);

        impl crate::runtime::DecodeStruct for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[];

            fn field(_key: &str) -> usize {
                crate::runtime::UNKNOWN
            }

            fn decode_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                while map
                    .next_entry::<::serde::de::IgnoredAny, ::serde::de::IgnoredAny>()?
                    .is_some()
                {}
                ::std::result::Result::Ok(Self {})
            }
        }
    };
    ($name:ident { $($position:literal $wire:literal => $field:ident : $slot:ident,)+ }) => {
        crate::runtime::struct_decoder!(@deserialize $name);

        impl crate::runtime::DecodeStruct for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),+];

            #[inline]
            fn field(key: &str) -> usize {
                match key {
                    $($wire => $position,)+
                    _ => crate::runtime::UNKNOWN,
                }
            }

            // Building a struct with a deprecated field warns, even here.
            #[allow(deprecated)]
            fn decode_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                $(let mut $field = ::std::option::Option::None;)+
                while let ::std::option::Option::Some(key) =
                    map.next_key_seed(crate::runtime::FieldKey::<Self>::new())?
                {
                    match key {
                        $($position => crate::runtime::struct_decoder!(@store map $slot $field),)+
                        _ => crate::runtime::skip_value(&mut map)?,
                    }
                }
                ::std::result::Result::Ok(Self {
                    $($field: crate::runtime::struct_decoder!(@finish A $slot $field $wire),)+
                })
            }
        }
    };
    // A struct with a map of the keys its schema does not declare
    // (`additionalProperties`): every other key goes into it, decoded as its
    // values are.
    ($name:ident { $($position:literal $wire:literal => $field:ident : $slot:ident,)* _ => $rest:ident, }) => {
        crate::runtime::struct_decoder!(@deserialize $name);

        impl crate::runtime::DecodeStruct for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];

            #[inline]
            fn field(key: &str) -> usize {
                match key {
                    $($wire => $position,)*
                    _ => crate::runtime::UNKNOWN,
                }
            }

            #[allow(deprecated)]
            fn decode_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                $(let mut $field = ::std::option::Option::None;)*
                let mut $rest = ::std::collections::BTreeMap::new();
                while let ::std::option::Option::Some(key) =
                    map.next_key_seed(crate::runtime::FieldOrName::<Self>::new())?
                {
                    match key {
                        $(crate::runtime::Key::Field($position) => {
                            crate::runtime::struct_decoder!(@store map $slot $field)
                        })*
                        crate::runtime::Key::Field(_) => crate::runtime::skip_value(&mut map)?,
                        crate::runtime::Key::Other(name) => {
                            $rest.insert(name, map.next_value()?);
                        }
                    }
                }
                ::std::result::Result::Ok(Self {
                    $($field: crate::runtime::struct_decoder!(@finish A $slot $field $wire),)*
                    $rest,
                })
            }
        }
    };
}
#[allow(unused_imports)] // A spec may have no structs.
pub(crate) use struct_decoder;

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

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::decode_map(map)
    }
}

/// An object key as the index of a field of `T` ([`DecodeStruct::field`]), or
/// [`UNKNOWN`] for a key the struct does not have (its value is skipped). Keys
/// are matched without being copied, as serde's derive does.
#[allow(dead_code)] // A spec may have no structs.
pub(crate) struct FieldKey<T>(PhantomData<T>);

impl<T> FieldKey<T> {
    /// The seed of `T`'s keys.
    #[allow(dead_code)]
    pub(crate) fn new() -> Self {
        FieldKey(PhantomData)
    }
}

/// The index [`FieldKey`] gives a key that is none of the struct's fields.
#[allow(dead_code)]
pub(crate) const UNKNOWN: usize = usize::MAX;

impl<'de, T: DecodeStruct> DeserializeSeed<'de> for FieldKey<T> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, T: DecodeStruct> Visitor<'de> for FieldKey<T> {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    #[inline]
    fn visit_str<E: Error>(self, key: &str) -> Result<usize, E> {
        Ok(T::field(key))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(std::str::from_utf8(key).map_or(UNKNOWN, T::field))
    }
}

/// An object key as the index of a field's wire name, or the key itself when
/// it is none of them (for a struct that keeps such keys).
#[allow(dead_code)] // A spec may have no structs with additional properties.
pub(crate) enum Key {
    /// The index of the field's wire name in `FIELDS`.
    Field(usize),
    /// A key the struct does not declare.
    Other(String),
}

/// Like [`FieldKey`], for a struct that keeps the keys it does not declare:
/// those come back as text.
#[allow(dead_code)] // A spec may have no structs with additional properties.
pub(crate) struct FieldOrName<T>(PhantomData<T>);

impl<T> FieldOrName<T> {
    /// The seed of `T`'s keys.
    #[allow(dead_code)]
    pub(crate) fn new() -> Self {
        FieldOrName(PhantomData)
    }
}

impl<'de, T: DecodeStruct> DeserializeSeed<'de> for FieldOrName<T> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, T: DecodeStruct> Visitor<'de> for FieldOrName<T> {
    type Value = Key;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Key, E> {
        Ok(match T::field(key) {
            UNKNOWN => Key::Other(key.to_owned()),
            index => Key::Field(index),
        })
    }

    fn visit_string<E: Error>(self, key: String) -> Result<Key, E> {
        Ok(match T::field(&key) {
            UNKNOWN => Key::Other(key),
            index => Key::Field(index),
        })
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Key, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Err(E::custom("an object key that is not UTF-8")),
        }
    }
}

#[cfg(test)]
mod tests {
    /// What the generator writes for `{a: string (required), b: integer}`.
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: String,
        b: Option<i64>,
    }

    struct_decoder! {
        Pair {
            0 "a" => a: required,
            1 "b" => b: optional,
        }
    }

    /// Fields named like the macro's own locals, a tri-state one, and keys
    /// that are not in Rust order.
    #[derive(Debug, PartialEq)]
    struct Clashing {
        map: crate::runtime::Nullable<String>,
        key: Option<String>,
        r#type: u8,
    }

    struct_decoder! {
        Clashing {
            0 "Key" => key: optional,
            1 "map" => map: tri_state,
            2 "type" => r#type: required,
        }
    }

    /// No fields: every key is skipped.
    #[derive(Debug, PartialEq)]
    struct Empty {}

    struct_decoder! {
        Empty {}
    }

    /// Declared fields and a map of the rest (`additionalProperties`).
    #[derive(Debug, PartialEq)]
    struct Open {
        id: String,
        additional_properties: std::collections::BTreeMap<String, u32>,
    }

    struct_decoder! {
        Open {
            0 "id" => id: required,
            _ => additional_properties,
        }
    }

    #[test]
    fn keys_a_struct_does_not_declare_go_into_its_map() {
        let open: Open =
            serde_json::from_str(r#"{"b": 2, "id": "x", "\u0061": 1}"#).expect("decodes");
        assert_eq!(open.id, "x");
        assert_eq!(
            open.additional_properties,
            [("a".to_owned(), 1), ("b".to_owned(), 2)].into()
        );
        let wrong = serde_json::from_str::<Open>(r#"{"id": "x", "b": "two"}"#).expect_err("a u32");
        assert!(wrong.to_string().contains("expected u32"), "{wrong}");
    }

    #[test]
    fn names_of_the_macros_own_locals_and_tri_states_decode() {
        let value: Clashing =
            serde_json::from_str(r#"{"type": 3, "map": null, "Key": "k"}"#).expect("decodes");
        assert_eq!(
            value,
            Clashing {
                map: crate::runtime::Nullable::Null,
                key: Some("k".into()),
                r#type: 3
            }
        );
        let value: Clashing = serde_json::from_str(r#"{"type": 4}"#).expect("decodes");
        assert_eq!(value.map, crate::runtime::Nullable::Absent);
        let empty: Empty = serde_json::from_str(r#"{"x": [1, 2], "y": {}}"#).expect("decodes");
        assert_eq!(empty, Empty {});
    }

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
