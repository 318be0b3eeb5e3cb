//! Unions told apart by a property (OpenAPI's `discriminator`): the generated
//! `Deserialize` reads the value once, looks at the property and decodes the
//! variant it names; `Serialize` writes the variant and adds the property when the
//! variant's own type does not carry it.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::Serialize;

/// The discriminator of `value`, if it is an object whose `property` is a string.
#[allow(dead_code)] // Used only by specs with discriminated unions.
pub(crate) fn tag_of(value: &serde_json::Value, property: &str) -> Option<String> {
    value.get(property)?.as_str().map(str::to_owned)
}

/// Decodes the variant a discriminator picked, with serde's message on failure.
#[allow(dead_code)]
pub(crate) fn from_tagged<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Serializes a variant with `property: tag` added when its type lacks it.
#[allow(dead_code)]
pub(crate) fn serialize_tagged<T: Serialize, S: serde::Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        map.entry(property.to_owned())
            .or_insert_with(|| serde_json::Value::String(tag.to_owned()));
    }
    json.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_is_added_only_when_missing() {
        let add = |value: serde_json::Value| {
            serialize_tagged(&value, "kind", "dog", serde_json::value::Serializer).ok()
        };
        assert_eq!(
            add(serde_json::json!({"name": "Rex"})),
            Some(serde_json::json!({"name": "Rex", "kind": "dog"}))
        );
        assert_eq!(
            add(serde_json::json!({"kind": "doggo"})),
            Some(serde_json::json!({"kind": "doggo"}))
        );
        assert_eq!(
            tag_of(&serde_json::json!({"kind": "cat"}), "kind").as_deref(),
            Some("cat")
        );
        assert_eq!(tag_of(&serde_json::json!({"kind": 1}), "kind"), None);
    }
}
