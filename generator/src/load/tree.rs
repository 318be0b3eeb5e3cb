//! Helpers over the parsed document (a JSON value tree) for the `load` steps that
//! work on references: where a `$ref` stands and what kind of object it must name
//! there, lookups by pointer segments, and adding `components` entries.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// A JSON object, as the document holds it.
pub(super) type Mapping = Map<String, Value>;

/// Keys under which a value is a schema, and lists whose items are schemas.
const SCHEMA_KEYS: &[&str] = &["schema", "items", "additionalProperties", "not"];
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// The kind of object that stands at a place of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Place {
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
    PathItem,
}

impl Place {
    /// The `components` section that holds objects of this kind.
    pub(super) fn section(self) -> &'static str {
        match self {
            Place::Schema => "schemas",
            Place::Parameter => "parameters",
            Place::RequestBody => "requestBodies",
            Place::Response => "responses",
            Place::Header => "headers",
            Place::PathItem => "pathItems",
        }
    }

    /// The kind of the objects of a `components` section.
    pub(super) fn of_section(section: &str) -> Option<Place> {
        Some(match section {
            "schemas" => Place::Schema,
            "parameters" => Place::Parameter,
            "requestBodies" => Place::RequestBody,
            "responses" => Place::Response,
            "headers" => Place::Header,
            "pathItems" => Place::PathItem,
            _ => return None,
        })
    }

    /// What the kind is called in messages.
    pub(super) fn noun(self) -> &'static str {
        match self {
            Place::Schema => "a schema",
            Place::Parameter => "a parameter",
            Place::RequestBody => "a request body",
            Place::Response => "a response",
            Place::Header => "a header",
            Place::PathItem => "a path item",
        }
    }
}

/// The kind of object the value at `path` is, judged by the keys that lead to it.
pub(super) fn place_of(path: &[String]) -> Option<Place> {
    if is_schema_position(path) {
        return Some(Place::Schema);
    }
    match path {
        [components, section, _] if components == "components" => Place::of_section(section),
        [paths, _] if paths == "paths" => Some(Place::PathItem),
        // Inside a schema, `requestBody` or `headers` are property names.
        _ if path
            .iter()
            .any(|s| matches!(s.as_str(), "schema" | "schemas" | "properties" | "items")) =>
        {
            None
        }
        [.., list, index] if list == "parameters" && is_index(index) => Some(Place::Parameter),
        [.., key] if key == "requestBody" => Some(Place::RequestBody),
        [.., map, _] if map == "responses" => Some(Place::Response),
        [.., map, _] if map == "headers" => Some(Place::Header),
        _ => None,
    }
}

fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

/// Maps whose keys are names the author chose (a property called `default` or
/// `example`, the `default` response), not keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "responses",
    "schemas",
    "parameters",
    "headers",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "$defs",
    "definitions",
    "mapping",
    "content",
    "encoding",
];

/// Whether the value at `path` is prose: a `description` or `summary` keyword,
/// not a property or entry that happens to have that name.
pub(super) fn is_prose_place(path: &[String]) -> bool {
    match path {
        [.., parent, key] => {
            matches!(key.as_str(), "description" | "summary")
                && !NAME_MAPS.contains(&parent.as_str())
        }
        _ => false,
    }
}

/// Whether the value under `key`, in a map that sits under `parent`, is data
/// (an example, a default, enum values, an extension) rather than part of the
/// description: a `$ref` inside it is a value like any other (GitHub's SCIM
/// examples hold `"$ref": "https://…"`).
pub(super) fn is_data_key(parent: Option<&str>, key: &str) -> bool {
    if parent.is_some_and(|p| NAME_MAPS.contains(&p)) {
        return false;
    }
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Calls `found` with the path and value of every `$ref` in `value`, outside
/// data (see [`is_data_key`]).
pub(super) fn collect_refs(
    value: &Value,
    path: &mut Vec<String>,
    found: &mut impl FnMut(&[String], &str),
) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                found(path, reference);
            }
            let parent = path.last().cloned();
            for (key, child) in map
                .iter()
                .filter(|(key, _)| !is_data_key(parent.as_deref(), key))
            {
                path.push(key.clone());
                collect_refs(child, path, found);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(index.to_string());
                collect_refs(child, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether the value at `path` is a schema, judged by the keys that lead to it.
pub(super) fn is_schema_position(path: &[String]) -> bool {
    match path {
        [.., key] if SCHEMA_KEYS.contains(&key.as_str()) => true,
        [.., parent, _] if parent == "properties" => true,
        [.., list, index] if SCHEMA_LISTS.contains(&list.as_str()) => is_index(index),
        [components, schemas, _] => components == "components" && schemas == "schemas",
        _ => false,
    }
}

pub(super) fn value_at<'v>(document: &'v Value, segments: &[String]) -> Option<&'v Value> {
    segments
        .iter()
        .try_fold(document, |value, segment| match value {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

pub(super) fn value_at_mut<'v>(
    document: &'v mut Value,
    segments: &[String],
) -> Option<&'v mut Value> {
    segments
        .iter()
        .try_fold(document, |value, segment| match value {
            Value::Object(map) => map.get_mut(segment),
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

/// The names in `components/{section}`.
pub(super) fn entry_names(document: &Value, section: &str) -> BTreeSet<String> {
    document
        .get("components")
        .and_then(|c| c.get(section))
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

/// Adds `entry` as `components/{section}/{name}`.
pub(super) fn add_entry(document: &mut Value, section: &str, name: &str, entry: Value) {
    let Value::Object(root) = document else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Mapping::new()));
    let Value::Object(components) = components else {
        return;
    };
    let entries = components
        .entry(section)
        .or_insert_with(|| Value::Object(Mapping::new()));
    if let Value::Object(entries) = entries {
        entries.insert(name.to_owned(), entry);
    }
}

pub(super) fn ref_to(reference: &str) -> Value {
    let mut map = Mapping::new();
    map.insert("$ref".to_owned(), reference.into());
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_in_data_are_not_references() {
        let document = json!({
            "paths": {"/a": {"get": {"responses": {
                "default": {"$ref": "#/components/responses/Problem"},
                "200": {"description": "ok", "content": {"application/json": {
                    "schema": {"properties": {
                        "default": {"$ref": "#/components/schemas/A"},
                        "x-b": {"$ref": "#/components/schemas/B"}
                    }},
                    "example": {"$ref": "https://example.com/not/a/ref"}
                }}}
            }}}},
            "components": {"schemas": {"C": {"default": {"$ref": "#/x"}, "x-meta": {"$ref": "#/y"}}}}
        });
        let mut found = Vec::new();
        collect_refs(&document, &mut Vec::new(), &mut |_, reference| {
            found.push(reference.to_owned())
        });
        found.sort();
        assert_eq!(
            found,
            [
                "#/components/responses/Problem",
                "#/components/schemas/A",
                "#/components/schemas/B"
            ]
        );
    }
}
