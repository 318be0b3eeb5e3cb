//! What every string enum of `types` has besides its variants: the generated
//! code writes the enum, then a table of its variants and wire values,
//! `crate::runtime::string_enum! { Name { Variant = "value", … } }`, and the
//! macro here writes the rest.
//!
//! That is `as_str`, `known` and seven impls (`Display`, `From<&str>`,
//! `From<String>`, `FromStr`, `Serialize`, `Deserialize`, `ParamValue`), the
//! same for every enum. Written out for each, they were most of the text the
//! generator printed for Stripe's 2,000 enums, and their matches the slowest
//! part of printing it.

use std::fmt;

use serde::de::{Deserializer, Error, Visitor};

/// The methods and impls of a string enum with an `Other(String)` variant,
/// from its table of variants and wire values.
#[allow(unused_macros)] // A spec may have no string enums.
macro_rules! string_enum {
    ($name:ident {}) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Other(value) => value.as_str(),
                }
            }

            /// The known value `value` names: none, as the spec lists none.
            fn known(_value: &str) -> ::std::option::Option<Self> {
                ::std::option::Option::None
            }
        }

        crate::runtime::string_enum!(@traits $name);
    };
    ($name:ident { $($variant:ident = $wire:literal,)+ }) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(value) => value.as_str(),
                }
            }

            /// The known value `value` names, if any.
            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $($wire => ::std::option::Option::Some(Self::$variant),)+
                    _ => ::std::option::Option::None,
                }
            }
        }

        crate::runtime::string_enum!(@traits $name);
    };
    (@traits $name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value)
                    .unwrap_or_else(|| Self::Other(::std::borrow::ToOwned::to_owned(value)))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::known(&value) {
                    ::std::option::Option::Some(known) => known,
                    ::std::option::Option::None => Self::Other(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            // Not `Self::Err`: a variant named `Err` would make that ambiguous.
            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::decode_string_enum(deserializer, Self::known)
            }
        }

        impl crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::string::String {
                ::std::borrow::ToOwned::to_owned(self.as_str())
            }
        }
    };
}
#[allow(unused_imports)] // A spec may have no string enums.
pub(crate) use string_enum;

/// The `Deserialize` of every generated string enum: a known value is found
/// without copying the text (`known`), any other is kept as sent (the enum's
/// `From<String>` makes it `Other`).
#[allow(dead_code)] // A spec may have no string enums.
pub(crate) fn decode_string_enum<'de, T: From<String>, D: Deserializer<'de>>(
    deserializer: D,
    known: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(StringEnumVisitor { known })
}

struct StringEnumVisitor<T> {
    known: fn(&str) -> Option<T>,
}

impl<'de, T: From<String>> Visitor<'de> for StringEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok((self.known)(value).unwrap_or_else(|| T::from(value.to_owned())))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<T, E> {
        Ok(match (self.known)(&value) {
            Some(known) => known,
            None => T::from(value),
        })
    }
}

#[cfg(test)]
mod tests {
    /// What the generator writes for `enum: [on, off]`.
    #[derive(Debug, Clone, PartialEq)]
    enum Switch {
        On,
        Off,
        Other(String),
    }

    string_enum! {
        Switch {
            On = "on",
            Off = "off",
        }
    }

    #[test]
    fn known_values_become_variants_and_others_are_kept() {
        let decoded: Vec<Switch> =
            serde_json::from_str(r#"["on", "off", "dim", "\u006fn"]"#).expect("decodes");
        assert_eq!(
            decoded,
            [
                Switch::On,
                Switch::Off,
                Switch::Other("dim".into()),
                Switch::On
            ]
        );
        assert_eq!(
            serde_json::to_string(&decoded).expect("encodes"),
            r#"["on","off","dim","on"]"#
        );
        assert_eq!(Switch::from("dim").to_string(), "dim");
        assert_eq!("off".parse::<Switch>(), Ok(Switch::Off));
        assert_eq!(Switch::from(String::from("on")), Switch::On);
        assert_eq!(crate::runtime::ParamValue::to_param(&Switch::Off), "off");
        let error = serde_json::from_str::<Switch>("3").expect_err("a number is no enum");
        assert!(error.to_string().contains("expected a string"), "{error}");
    }
}
