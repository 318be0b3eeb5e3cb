//! [`Nullable`]: a field of a request body that can be left out, sent as `null`, or
//! sent with a value, for APIs where `null` means "clear" and absence means "keep".

/// A write field with three states: absent (leave unchanged), `null` (clear) or a value.
///
/// `Option<T>` cannot tell "do not touch" from "set to null"; this can. Absent
/// fields are not serialized at all; `Null` is serialized as `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent: the server keeps the current value.
    #[default]
    Absent,
    /// Sent as `null`: the server clears the value.
    Null,
    /// Sent as this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out of the request.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// `None` when absent, `Some(None)` when null, `Some(Some(value))` otherwise.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(value) => Some(Some(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Fields use `skip_serializing_if = "Nullable::is_absent"`; an absent value
            // serialized anyway (for example inside an array) can only be `null`.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A missing field never reaches here: `#[serde(default)]` makes it `Absent`.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        title: Nullable<String>,
    }

    #[test]
    fn three_states_serialize_distinctly_and_round_trip() {
        let cases = [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"title":null}"#),
            (Nullable::Value("x".to_owned()), r#"{"title":"x"}"#),
        ];
        for (title, json) in cases {
            let patch = Patch { title };
            assert_eq!(serde_json::to_string(&patch).ok().as_deref(), Some(json));
            assert_eq!(serde_json::from_str::<Patch>(json).ok(), Some(patch));
        }
    }
}
