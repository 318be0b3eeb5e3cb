//! Rewrites a parsed document into the OpenAPI 3.0 form that `openapiv3` reads,
//! between parsing and deserialization in the `load` phase.
//!
//! For OpenAPI 3.1 documents, JSON Schema 2020-12 forms become their 3.0 twins:
//! `type: [T, "null"]` → `type: T` + `nullable`, `const` → a one-value `enum`,
//! `examples` → `example`, numeric `exclusiveMinimum`/`exclusiveMaximum` → the
//! boolean forms, `$ref` with siblings → `allOf: [$ref]` + siblings,
//! `contentEncoding`/`contentMediaType` → `format`, and `{type: "null"}` members of
//! `anyOf`/`oneOf` → `nullable`. Constructs 3.0 cannot express are dropped with a
//! located warning. For every version, `enum` values and `default`s that do not
//! match the declared type are dropped with a warning instead of failing the load.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Code, Pointer, Sink};

/// 3.1 keywords with no 3.0 equivalent; each is dropped with a warning.
const UNREPRESENTABLE: &[&str] = &[
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contains",
    "$defs",
    "$dynamicRef",
    "$anchor",
];

/// Normalizes `document` in place; `is_31` turns on the 3.1 rewrites.
pub fn normalize(document: &mut Value, is_31: bool, sink: &mut Sink) {
    let mut walker = Normalizer { is_31, sink };
    if is_31 {
        if let Some(map) = document.as_mapping_mut() {
            map.insert("openapi".into(), "3.0.3".into());
            map.entry("paths".into())
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            if map.contains_key("webhooks") {
                let pointer = Pointer::root().push("webhooks");
                walker.sink.warning(
                    Code::Unsupported,
                    &pointer,
                    "webhooks are not generated; they are ignored",
                );
            }
        }
    }
    walker.document(document);
}

struct Normalizer<'s> {
    is_31: bool,
    sink: &'s mut Sink,
}

impl Normalizer<'_> {
    /// Finds every schema of the document and normalizes it.
    fn document(&mut self, document: &mut Value) {
        let root = Pointer::root();
        if let Some(paths) = get_map(document, "paths") {
            for (path, item) in paths.iter_mut() {
                self.path_item(item, &root.push("paths").push(key_text(path)));
            }
        }
        let Some(components) = get_map(document, "components") else {
            return;
        };
        let at = root.push("components");
        for (section, kind) in [
            ("schemas", Holder::Schema),
            ("parameters", Holder::Parameter),
            ("requestBodies", Holder::Content),
            ("responses", Holder::Response),
            ("headers", Holder::Parameter),
        ] {
            if let Some(entries) = get_map_in(components, section) {
                for (name, value) in entries.iter_mut() {
                    self.holder(value, kind, &at.push(section).push(key_text(name)));
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        self.each_in_seq(item, "parameters", Holder::Parameter, at);
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(operation) = item.get_mut(method) else {
                continue;
            };
            let at = at.push(method);
            self.each_in_seq(operation, "parameters", Holder::Parameter, &at);
            if let Some(body) = operation.get_mut("requestBody") {
                self.holder(body, Holder::Content, &at.push("requestBody"));
            }
            if let Some(responses) = get_map(operation, "responses") {
                for (code, response) in responses.iter_mut() {
                    self.holder(
                        response,
                        Holder::Response,
                        &at.push("responses").push(key_text(code)),
                    );
                }
            }
        }
    }

    fn each_in_seq(&mut self, parent: &mut Value, field: &str, kind: Holder, at: &Pointer) {
        if let Some(Value::Sequence(items)) = parent.get_mut(field) {
            for (index, item) in items.iter_mut().enumerate() {
                self.holder(item, kind, &at.push(field).push(index));
            }
        }
    }

    /// A part of the document that holds schemas somewhere inside.
    fn holder(&mut self, value: &mut Value, kind: Holder, at: &Pointer) {
        match kind {
            Holder::Schema => self.schema(value, at),
            Holder::Parameter => {
                if let Some(schema) = value.get_mut("schema") {
                    self.schema(schema, &at.push("schema"));
                }
                self.holder(value, Holder::Content, at);
            }
            Holder::Content => {
                if let Some(content) = get_map(value, "content") {
                    for (media, item) in content.iter_mut() {
                        if let Some(schema) = item.get_mut("schema") {
                            self.schema(
                                schema,
                                &at.push("content").push(key_text(media)).push("schema"),
                            );
                        }
                    }
                }
            }
            Holder::Response => {
                self.holder(value, Holder::Content, at);
                if let Some(headers) = get_map(value, "headers") {
                    for (name, header) in headers.iter_mut() {
                        self.holder(
                            header,
                            Holder::Parameter,
                            &at.push("headers").push(key_text(name)),
                        );
                    }
                }
            }
        }
    }

    /// Normalizes one schema and, recursively, the schemas inside it.
    fn schema(&mut self, value: &mut Value, at: &Pointer) {
        let Value::Mapping(map) = value else { return };
        if self.is_31 {
            self.rewrite_31(map, at);
        }
        self.check_enum_and_default(map, at);
        for field in ["items", "not", "additionalProperties"] {
            if let Some(child) = map.get_mut(field) {
                self.schema(child, &at.push(field));
            }
        }
        if let Some(Value::Mapping(properties)) = map.get_mut("properties") {
            for (name, child) in properties.iter_mut() {
                self.schema(child, &at.push("properties").push(key_text(name)));
            }
        }
        for field in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Sequence(members)) = map.get_mut(field) {
                for (index, child) in members.iter_mut().enumerate() {
                    self.schema(child, &at.push(field).push(index));
                }
            }
        }
    }

    /// The 2020-12 forms of one schema object, rewritten in place.
    fn rewrite_31(&mut self, map: &mut Mapping, at: &Pointer) {
        ref_with_siblings(map);
        type_arrays(map);
        null_members(map);
        if let Some(value) = map.remove("const") {
            map.insert("enum".into(), Value::Sequence(vec![value]));
        }
        if let Some(Value::Sequence(examples)) = map.remove("examples") {
            if let Some(first) = examples.into_iter().next() {
                map.entry("example".into()).or_insert(first);
            }
        }
        exclusive_bound(map, "exclusiveMinimum", "minimum");
        exclusive_bound(map, "exclusiveMaximum", "maximum");
        content_keywords(map);
        for keyword in UNREPRESENTABLE {
            if map.remove(*keyword).is_some() {
                let message = format!("`{keyword}` has no OpenAPI 3.0 form; it is ignored");
                self.sink
                    .warning(Code::Unsupported, &at.push(keyword), message);
            }
        }
    }

    /// Drops `enum` values and a `default` that do not match `type`, with a warning.
    fn check_enum_and_default(&mut self, map: &mut Mapping, at: &Pointer) {
        let Some(ty) = map.get("type").and_then(Value::as_str).map(str::to_owned) else {
            return;
        };
        let nullable = map
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let fits = |value: &Value| (value.is_null() && nullable) || matches_type(&ty, value);
        if let Some(Value::Sequence(values)) = map.get_mut("enum") {
            let before = values.len();
            values.retain(|v| fits(v));
            if values.len() != before {
                let message = format!(
                    "{} `enum` value(s) are not of type `{ty}`; they are dropped",
                    before - values.len()
                );
                let hint = format!("make every value a {ty}, or change `type`");
                self.sink
                    .warning_with_hint(Code::Shape, &at.push("enum"), message, hint);
            }
            if values.is_empty() {
                map.remove("enum");
            }
        }
        if map.get("default").is_some_and(|d| !fits(d)) {
            map.remove("default");
            let message = format!("the `default` is not of type `{ty}`; it is dropped");
            let hint = format!("make the default a {ty}, or remove it");
            self.sink
                .warning_with_hint(Code::Shape, &at.push("default"), message, hint);
        }
    }
}

/// What kind of document part may contain schemas.
#[derive(Debug, Clone, Copy)]
enum Holder {
    Schema,
    Parameter,
    Content,
    Response,
}

/// `{$ref, description, …}` → `{allOf: [{$ref}], description, …}`.
fn ref_with_siblings(map: &mut Mapping) {
    if map.len() > 1 && map.contains_key("$ref") {
        if let Some(reference) = map.remove("$ref") {
            let mut only_ref = Mapping::new();
            only_ref.insert("$ref".into(), reference);
            map.insert(
                "allOf".into(),
                Value::Sequence(vec![Value::Mapping(only_ref)]),
            );
        }
    }
}

/// `type: [T, "null"]` → `type: T, nullable: true`; several types → `anyOf`.
fn type_arrays(map: &mut Mapping) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(single)) if single == "null" => vec![single.clone()],
        _ => return,
    };
    map.remove("type");
    let mut rest: Vec<String> = types.iter().filter(|t| *t != "null").cloned().collect();
    if rest.len() < types.len() {
        map.insert("nullable".into(), true.into());
    }
    match rest.len() {
        0 => {}
        1 => {
            map.insert("type".into(), rest.remove(0).into());
        }
        _ => {
            let members = rest.into_iter().map(|t| {
                let mut member = Mapping::new();
                member.insert("type".into(), t.into());
                Value::Mapping(member)
            });
            map.insert("anyOf".into(), Value::Sequence(members.collect()));
        }
    }
}

/// `anyOf`/`oneOf` members that are only `{type: "null"}` become `nullable: true`.
fn null_members(map: &mut Mapping) {
    for field in ["anyOf", "oneOf"] {
        let Some(Value::Sequence(members)) = map.get_mut(field) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| m.get("type").and_then(Value::as_str) != Some("null"));
        if members.len() != before {
            map.insert("nullable".into(), true.into());
        }
    }
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true`.
fn exclusive_bound(map: &mut Mapping, exclusive: &str, inclusive: &str) {
    if let Some(bound @ Value::Number(_)) = map.get(exclusive).cloned() {
        map.insert(inclusive.into(), bound);
        map.insert(exclusive.into(), true.into());
    }
}

/// `contentEncoding: base64` → `format: byte`; binary `contentMediaType` → `format: binary`.
fn content_keywords(map: &mut Mapping) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
        map.insert("format".into(), "byte".into());
    } else if media.is_some() {
        map.insert("format".into(), "binary".into());
    }
}

fn matches_type(ty: &str, value: &Value) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.as_i64().is_some() || value.as_u64().is_some(),
        "number" => value.is_number(),
        "boolean" => value.is_bool(),
        "array" => value.is_sequence(),
        "object" => value.is_mapping(),
        _ => true,
    }
}

fn get_map<'v>(value: &'v mut Value, field: &str) -> Option<&'v mut Mapping> {
    value.get_mut(field).and_then(Value::as_mapping_mut)
}

fn get_map_in<'m>(map: &'m mut Mapping, field: &str) -> Option<&'m mut Mapping> {
    map.get_mut(field).and_then(Value::as_mapping_mut)
}

/// A mapping key as text: strings as they are, numbers and booleans printed (YAML
/// reads an unquoted `200:` as a number).
pub(super) fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        other => format!("{other:?}"),
    }
}
