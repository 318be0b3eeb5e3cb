//! The last step of `load`: the normalized document into the `openapiv3` model.
//!
//! What normalization could not read as meant is dropped here, smallest part
//! first: deserialization is tried, every smallest part that does not fit is found
//! ([`locate`]) and removed (or, where a text was expected and a number or
//! boolean given, replaced by its text), each with a located warning, and the
//! document is tried again. Only a document whose top level does not fit is an
//! error.

use openapiv3::OpenAPI;
use serde_json::Value;

use super::openapi32;
use crate::diagnostics::{Code, Pointer, Sink};

/// Rounds of dropping before giving up; each round removes every part found, so
/// real documents need one or two.
const MAX_ROUNDS: usize = 20;

/// Deserializes `value`, dropping the parts that do not fit.
pub(super) fn deserialize_repairing(mut value: Value, sink: &mut Sink) -> Option<OpenAPI> {
    for _ in 0..MAX_ROUNDS {
        if let Ok(mut spec) = serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
            if openapi32::extra_operations_fit(&value) {
                openapi32::keep_operations(&value, &mut spec);
                return Some(spec);
            }
        }
        let mut failures = locate(&value, Kind::Document, &Pointer::root());
        // Later items of a list first, so removing one does not move the others.
        failures.sort_by(|a, b| b.0.cmp(&a.0));
        let mut repaired = false;
        for (pointer, message) in failures {
            match repair_at(&mut value, &pointer, &message) {
                Some(repair) => {
                    repaired = true;
                    let message = format!("not valid OpenAPI here ({message}); {repair}");
                    sink.warning_with_hint(
                        Code::Shape,
                        &pointer,
                        message,
                        "compare this part with the OpenAPI 3.0 specification",
                    );
                }
                None => {
                    let message = format!("not valid OpenAPI here: {message}");
                    sink.error(Code::Shape, &pointer, message);
                }
            }
        }
        if !repaired {
            return None;
        }
    }
    sink.error(
        Code::Shape,
        &Pointer::root(),
        "the document still does not fit OpenAPI 3.0 after dropping what did not",
    );
    None
}

/// Repairs the part at `pointer`: a number or boolean where text is expected
/// becomes its text; anything else below the top level is removed. Returns what
/// was done, or `None` for a part that cannot go (the document, `info`, `paths`).
fn repair_at(document: &mut Value, pointer: &Pointer, message: &str) -> Option<&'static str> {
    let segments = pointer.segments();
    let (last, parent) = segments.split_last()?;
    if parent.is_empty() && matches!(last.as_str(), "openapi" | "info" | "paths") {
        return None;
    }
    let parent = parent
        .iter()
        .try_fold(document, |value, segment| match value {
            Value::Object(map) => map.get_mut(segment),
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
            _ => None,
        })?;
    if message.contains("expected a string") {
        let slot = match parent {
            Value::Object(map) => map.get_mut(last),
            Value::Array(items) => items.get_mut(last.parse::<usize>().ok()?),
            _ => None,
        }?;
        let text = match slot {
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        if let Some(text) = text {
            *slot = Value::String(text);
            return Some("it is read as text");
        }
    }
    match parent {
        Value::Object(map) => map.shift_remove(last).map(|_| "it is left out"),
        Value::Array(items) => {
            let index = last.parse::<usize>().ok().filter(|i| *i < items.len())?;
            items.remove(index);
            Some("it is left out")
        }
        _ => None,
    }
}

/// The parts of a document that can be checked on their own.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Document,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Schema,
}

/// Every smallest part of `value` that does not deserialize as `kind`.
///
/// openapiv3 uses untagged enums and flattened maps, behind which serde loses the
/// path; checking known children one by one finds the real places, all of them.
fn locate(value: &Value, kind: Kind, at: &Pointer) -> Vec<(Pointer, String)> {
    let mut found = Vec::new();
    for (key, child_kind, child) in children(value, kind) {
        if deserialize_as(child, child_kind).is_err() {
            let pointer = key.iter().fold(at.clone(), |p, s| p.push(s));
            found.extend(locate(child, child_kind, &pointer));
        }
    }
    if found.is_empty() {
        if let Err((path, message)) = deserialize_as(value, kind) {
            let pointer = path.iter().fold(at.clone(), |p, s| p.push(s));
            found.push((pointer, message));
        }
    }
    found
}

/// A child part: its pointer segments below the parent, its kind, its value.
type Child<'v> = (Vec<String>, Kind, &'v Value);

/// Known children of a part, with their kinds.
fn children(value: &Value, kind: Kind) -> Vec<Child<'_>> {
    let mut out = Vec::new();
    let nested = |field: &str, child: Kind| -> Vec<Child<'_>> {
        let items = entries(value.get(field)).into_iter();
        items
            .map(|(k, v)| (vec![field.to_owned(), k], child, v))
            .collect()
    };
    let single = |field: &str, child: Kind| -> Vec<Child<'_>> {
        value
            .get(field)
            .map(|v| (vec![field.to_owned()], child, v))
            .into_iter()
            .collect()
    };
    match kind {
        Kind::Document => {
            out.extend(nested("paths", Kind::PathItem));
            if let Some(components) = value.get("components") {
                for (section, child) in [
                    ("schemas", Kind::Schema),
                    ("parameters", Kind::Parameter),
                    ("requestBodies", Kind::RequestBody),
                    ("responses", Kind::Response),
                ] {
                    for (name, v) in entries(components.get(section)) {
                        let key = vec!["components".to_owned(), section.to_owned(), name];
                        out.push((key, child, v));
                    }
                }
            }
        }
        Kind::PathItem => {
            out.extend(nested("parameters", Kind::Parameter));
            for key in openapi32::operation_keys(value) {
                if let Some(operation) = super::tree::value_at(value, &key) {
                    out.push((key, Kind::Operation, operation));
                }
            }
        }
        Kind::Operation => {
            out.extend(nested("parameters", Kind::Parameter));
            out.extend(single("requestBody", Kind::RequestBody));
            out.extend(nested("responses", Kind::Response));
        }
        Kind::Parameter | Kind::MediaType => out.extend(single("schema", Kind::Schema)),
        Kind::RequestBody | Kind::Response => out.extend(nested("content", Kind::MediaType)),
        Kind::Schema => {
            out.extend(nested("properties", Kind::Schema));
            for field in ["items", "not"] {
                out.extend(single(field, Kind::Schema));
            }
            if value
                .get("additionalProperties")
                .is_some_and(|v| v.is_object())
            {
                out.extend(single("additionalProperties", Kind::Schema));
            }
            for field in ["allOf", "anyOf", "oneOf"] {
                out.extend(nested(field, Kind::Schema));
            }
        }
    }
    out
}

/// Deserializes `value` as `kind`; on failure, the path inside it and serde's message.
fn deserialize_as(value: &Value, kind: Kind) -> Result<(), (Vec<String>, String)> {
    use openapiv3::ReferenceOr as R;
    fn check<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), (Vec<String>, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .map(|_| ())
            .map_err(|e| (segments_of(e.path()), e.inner().to_string()))
    }
    match kind {
        Kind::Document => check::<OpenAPI>(value),
        Kind::PathItem => {
            check::<R<openapiv3::PathItem>>(value)?;
            // openapiv3 skips 3.2's operations: they are checked on their own.
            for (key, operation) in openapi32::extra_operations(value) {
                check::<openapiv3::Operation>(operation)
                    .map_err(|(path, message)| ([key, path].concat(), message))?;
            }
            Ok(())
        }
        Kind::Operation => check::<openapiv3::Operation>(value),
        Kind::Parameter => check::<R<openapiv3::Parameter>>(value),
        Kind::RequestBody => check::<R<openapiv3::RequestBody>>(value),
        Kind::Response => check::<R<openapiv3::Response>>(value),
        Kind::MediaType => check::<openapiv3::MediaType>(value),
        Kind::Schema => check::<R<openapiv3::Schema>>(value),
    }
}

/// serde's path of map keys and sequence indexes, as pointer segments.
fn segments_of(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

/// The entries of a mapping or sequence, keyed by pointer segment.
fn entries(value: Option<&Value>) -> Vec<(String, &Value)> {
    match value {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Some(Value::Array(s)) => s
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repaired(document: Value) -> (Option<OpenAPI>, Vec<String>) {
        let mut sink = Sink::default();
        let spec = deserialize_repairing(document, &mut sink);
        let pointers = sink.into_sorted().into_iter().map(|d| d.pointer).collect();
        (spec, pointers)
    }

    #[test]
    fn parts_that_do_not_fit_are_dropped_with_their_pointer() {
        let (spec, pointers) = repaired(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [{"name": "ok", "in": "query", "schema": {}}, {"name": 7}, {"in": "query"}],
                "responses": {"200": {"description": "ok"}}
            }}},
            "tags": [{"name": 5}]
        }));
        let spec = spec.expect("the document loads");
        assert_eq!(spec.paths.paths.len(), 1);
        assert_eq!(
            pointers,
            [
                "#/paths/~1a/get/parameters/1",
                "#/paths/~1a/get/parameters/2",
                "#/tags/0/name"
            ]
        );
        assert_eq!(spec.tags[0].name, "5");
    }

    #[test]
    fn a_document_whose_top_level_does_not_fit_is_refused() {
        let (spec, pointers) = repaired(json!({"openapi": "3.0.3", "info": 7, "paths": {}}));
        assert!(spec.is_none());
        assert_eq!(pointers, ["#/info"]);
    }
}
