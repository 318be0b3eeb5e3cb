//! OpenAPI 3.2's additions that the `openapiv3` model (3.0) has no field for,
//! carried through `load` in extensions that lowering reads back:
//!
//! * a path item's `query` operation and its `additionalOperations` (any method
//!   name to an operation): walked in place by `normalize` and checked by `shape`
//!   like the other operations, so their problems keep their own pointers, then
//!   kept in the path item's extensions ([`QUERY`], [`ADDITIONAL`]);
//! * a parameter `in: querystring`: read as `in: query` marked [`QUERYSTRING`];
//! * a discriminator's `defaultMapping` ([`DEFAULT_MAPPING`]);
//! * a tag's `parent` and `kind` ([`TAG_PARENT`], [`TAG_KIND`]);
//! * a media type given by `$ref` into `components/mediaTypes`: copied in place.
//!
//! The other fields 3.2 added (a server's `name`, a response's `summary`,
//! examples' `dataValue`, `itemSchema`, …) are unknown fields to openapiv3, which
//! skips them; `$self` is the bundler's. The `x-` names are ours: a spec that
//! wrote them itself is read the same way.

use openapiv3::OpenAPI;
use serde_json::Value;

use super::tree::{collect_refs, value_at, value_at_mut, Mapping};
use crate::diagnostics::{Code, Pointer, Sink};

/// The path item extension that keeps its `query` operation.
pub(crate) const QUERY: &str = "x-rustgen-oas32-query";
/// The path item extension that keeps its `additionalOperations`.
pub(crate) const ADDITIONAL: &str = "x-rustgen-oas32-additional-operations";
/// The parameter extension that marks an `in: querystring` parameter.
pub(crate) const QUERYSTRING: &str = "x-rustgen-oas32-querystring";
/// The discriminator extension that keeps its `defaultMapping`.
pub(crate) const DEFAULT_MAPPING: &str = "x-rustgen-oas32-default-mapping";
/// The tag extensions that keep its `parent` and `kind`.
pub(crate) const TAG_PARENT: &str = "x-rustgen-oas32-parent";
pub(crate) const TAG_KIND: &str = "x-rustgen-oas32-kind";

/// The path item fields that hold one operation each (`query` is 3.2's).
const FIXED_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// The 3.2 parts of the whole document: tags and media types by reference.
/// Runs after bundling, before `normalize`, so the media types copied in are
/// normalized where they are used.
pub(super) fn carry(document: &mut Value, sink: &mut Sink) {
    if let Some(Value::Array(tags)) = document.get_mut("tags") {
        for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
            rename(tag, "parent", TAG_PARENT);
            rename(tag, "kind", TAG_KIND);
        }
    }
    inline_media_types(document, sink);
}

/// The pointer segments, below a path item, of each of its operations, in the
/// order they are generated: the fixed fields, then `additionalOperations`.
pub(super) fn operation_keys(item: &Value) -> Vec<Vec<String>> {
    let fixed = FIXED_METHODS
        .iter()
        .filter(|m| item.get(**m).is_some())
        .map(|m| vec![(*m).to_owned()]);
    let additional = item
        .get("additionalOperations")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|map| map.keys())
        .map(|name| vec!["additionalOperations".to_owned(), name.clone()]);
    fixed.chain(additional).collect()
}

/// The operations openapiv3 does not read, with their segments below the item.
pub(super) fn extra_operations(item: &Value) -> Vec<(Vec<String>, &Value)> {
    operation_keys(item)
        .into_iter()
        .filter(|key| key[0] == "query" || key[0] == "additionalOperations")
        .filter_map(|key| Some((key.clone(), value_at(item, &key)?)))
        .collect()
}

/// Repairs a path item's `additionalOperations`: an entry for a method a fixed
/// field holds (`POST`, which 3.2 forbids there) is read as that field when it
/// is free, else dropped; a name HTTP cannot send as a method is dropped.
pub(super) fn repair_additional(item: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let at = at.push("additionalOperations");
    let Some(entries) = item.get_mut("additionalOperations") else {
        return;
    };
    let Value::Object(entries) = entries else {
        sink.warning(
            Code::Shape,
            &at,
            "`additionalOperations` must map method names to operations; it is left out",
        );
        item.shift_remove("additionalOperations");
        return;
    };
    let names: Vec<String> = entries.keys().cloned().collect();
    let mut moved = Vec::new();
    for name in names {
        let fixed = name.to_ascii_lowercase();
        let entry_at = at.push(&name);
        if FIXED_METHODS.contains(&fixed.as_str()) {
            let Some(operation) = entries.shift_remove(&name) else {
                continue;
            };
            moved.push((name, fixed, operation, entry_at));
        } else if !is_token(&name) {
            entries.shift_remove(&name);
            let message =
                format!("`{name}` is not an HTTP method name (a token); the operation is left out");
            sink.warning_with_hint(
                Code::Shape,
                &entry_at,
                message,
                "name the method with letters, digits and `-`",
            );
        }
    }
    for (name, fixed, operation, entry_at) in moved {
        let (message, hint) = if item.contains_key(&fixed) {
            (
                format!("`{name}` is the method of the path item's `{fixed}`, which is given too; this one is left out"),
                "remove one of the two",
            )
        } else {
            item.insert(fixed.clone(), operation);
            (
                format!(
                    "`{name}` is the method of the fixed field `{fixed}`; it is read as `{fixed}`"
                ),
                "move the operation to the path item's fixed field",
            )
        };
        sink.warning_with_hint(Code::Shape, &entry_at, message, hint);
    }
}

/// `in: querystring` as `in: query` with our mark, which openapiv3 reads.
pub(super) fn querystring(parameter: &mut Mapping) {
    if parameter.get("in").and_then(Value::as_str) == Some("querystring") {
        parameter.insert("in".to_owned(), "query".into());
        parameter.insert(QUERYSTRING.to_owned(), true.into());
    }
}

/// A discriminator's `defaultMapping` into our extension.
pub(super) fn default_mapping(schema: &mut Mapping) {
    if let Some(Value::Object(discriminator)) = schema.get_mut("discriminator") {
        rename(discriminator, "defaultMapping", DEFAULT_MAPPING);
    }
}

/// Copies the `query` and `additionalOperations` of every path item of
/// `document` (which `shape` checked) into the extensions of `spec`'s.
pub(super) fn keep_operations(document: &Value, spec: &mut OpenAPI) {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, item) in paths {
        let Some(openapiv3::ReferenceOr::Item(kept)) = spec.paths.paths.get_mut(path) else {
            continue;
        };
        for (field, key) in [("query", QUERY), ("additionalOperations", ADDITIONAL)] {
            if let Some(value) = item.get(field) {
                kept.extensions.insert(key.to_owned(), value.clone());
            }
        }
    }
}

/// Whether every `query` and `additionalOperations` entry of `document` reads
/// as an operation (openapiv3 skips those fields, so its own check cannot say).
pub(super) fn extra_operations_fit(document: &Value) -> bool {
    let items = document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values());
    items.flat_map(extra_operations).all(|(_, operation)| {
        serde_json::from_value::<openapiv3::Operation>(operation.clone()).is_ok()
    })
}

/// Media types given by `$ref` to `#/components/mediaTypes/…` (3.2), copied in
/// place: openapiv3's content maps hold media types only, not references.
fn inline_media_types(document: &mut Value, sink: &mut Sink) {
    let mut found = Vec::new();
    collect_refs(document, &mut Vec::new(), &mut |path, reference| {
        let in_content = matches!(path, [.., content, _] if content == "content");
        if in_content && reference.starts_with("#/components/mediaTypes/") {
            found.push((path.to_vec(), reference.to_owned()));
        }
    });
    for (path, reference) in found {
        let target = Pointer::parse_local_ref(&reference)
            .and_then(|pointer| value_at(document, pointer.segments()).cloned())
            .filter(|target| target.get("$ref").is_none());
        let at = path.iter().fold(Pointer::root(), |p, s| p.push(s));
        let Some(slot) = value_at_mut(document, &path) else {
            continue;
        };
        match target {
            Some(target) => *slot = target,
            None => {
                *slot = Value::Object(Mapping::new());
                let message = format!(
                    "`$ref: {reference}` points at no media type; the content is read as untyped"
                );
                sink.warning_with_hint(
                    Code::BadReference,
                    &at,
                    message,
                    "point the `$ref` at an existing `#/components/mediaTypes/...` entry",
                );
            }
        }
    }
}

/// Moves `map[from]` to `map[to]`.
fn rename(map: &mut Mapping, from: &str, to: &str) {
    if let Some(value) = map.shift_remove(from) {
        map.insert(to.to_owned(), value);
    }
}

/// Whether `name` is an HTTP token (RFC 9110), which a method name must be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn additional_operations_for_fixed_methods_move_or_go() {
        let mut item = json!({
            "get": {"responses": {}},
            "additionalOperations": {
                "GET": {"summary": "twice"},
                "Post": {"summary": "moved"},
                "PURGE": {"responses": {}},
                "BAD NAME": {"responses": {}}
            }
        });
        let mut sink = Sink::default();
        let map = item.as_object_mut().expect("an object");
        repair_additional(map, &Pointer::root(), &mut sink);
        assert_eq!(item["post"]["summary"], "moved");
        assert_eq!(item["get"], json!({"responses": {}}));
        let keys = operation_keys(&item);
        let keys: Vec<String> = keys.iter().map(|k| k.join("/")).collect();
        assert_eq!(keys, ["get", "post", "additionalOperations/PURGE"]);
        assert_eq!(sink.into_sorted().len(), 3);
    }

    #[test]
    fn querystring_tags_and_default_mapping_move_into_extensions() {
        let mut parameter = json!({"name": "q", "in": "querystring"});
        querystring(parameter.as_object_mut().expect("an object"));
        assert_eq!(parameter["in"], "query");
        assert_eq!(parameter[QUERYSTRING], true);
        let mut schema = json!({"discriminator": {"propertyName": "k", "defaultMapping": "X"}});
        default_mapping(schema.as_object_mut().expect("an object"));
        assert_eq!(schema["discriminator"][DEFAULT_MAPPING], "X");
        let mut document = json!({
            "tags": [{"name": "m", "parent": "c", "kind": "nav"}],
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"$ref": "#/components/mediaTypes/Pet"}
            }}}}}},
            "components": {"mediaTypes": {"Pet": {"schema": {"type": "string"}}}}
        });
        carry(&mut document, &mut Sink::default());
        assert_eq!(document["tags"][0][TAG_PARENT], "c");
        assert_eq!(document["tags"][0][TAG_KIND], "nav");
        let content = &document["paths"]["/a"]["get"]["responses"]["200"]["content"];
        assert_eq!(content["application/json"]["schema"]["type"], "string");
    }
}
