//! JSON Schema 2020-12 forms (OpenAPI 3.1) rewritten into their 3.0 twins, for
//! the normalization step of the `load` phase.
//!
//! `openapiv3` reads 3.0 schemas. The 3.1 forms are rewritten in every document:
//! in a 3.1 document they are what the author should write, and in a 3.0 document
//! they are a habit carried over from 3.1 or JSON Schema, read as meant (the
//! caller warns there). Each rewrite returns whether it changed anything.

use serde_json::{Map, Value};

type Mapping = Map<String, Value>;

/// Every 3.1 form of one schema object, rewritten in place; the names of the forms
/// that were found, for a 3.0 document's warning.
///
/// `$ref` with siblings becomes `allOf: [$ref]` plus the siblings in 3.1, where
/// siblings apply. In 3.0 they are ignored, as that version says, unless one of
/// them is `nullable: true`, which changes the type and so cannot be what the
/// author meant to have ignored.
pub(super) fn rewrite(map: &mut Mapping, is_31: bool) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut check = |applied: bool, form: &'static str| {
        if applied {
            found.push(form);
        }
    };
    let nullable_sibling = map.get("nullable") == Some(&Value::Bool(true));
    if is_31 || nullable_sibling {
        check(ref_with_siblings(map), "`$ref` with siblings");
    }
    check(type_arrays(map), "a list of types");
    check(null_members(map), "a `{type: null}` member");
    check(constant(map), "`const`");
    check(examples(map), "`examples` in a schema");
    check(
        exclusive_bound(map, "exclusiveMinimum", "minimum"),
        "a numeric `exclusiveMinimum`",
    );
    check(
        exclusive_bound(map, "exclusiveMaximum", "maximum"),
        "a numeric `exclusiveMaximum`",
    );
    check(
        content_keywords(map),
        "`contentEncoding`/`contentMediaType`",
    );
    check(pattern_properties(map), "`patternProperties`");
    found
}

/// `patternProperties` → the schema of the other keys' values: a map is all a
/// Rust type can say of keys, so the keys a pattern matches take its schema
/// (`anyOf` them when there are several), beside what `additionalProperties`
/// allows (`true` allows any value, so nothing changes then; absent, too, but
/// the patterns' values are still typed before any other value).
fn pattern_properties(map: &mut Mapping) -> bool {
    let Some(Value::Object(patterns)) = map.shift_remove("patternProperties") else {
        return false;
    };
    let mut schemas: Vec<Value> = patterns.into_iter().map(|(_, schema)| schema).collect();
    match map.get("additionalProperties") {
        // Any other key may hold any value already.
        Some(Value::Bool(true)) => return true,
        Some(Value::Object(other)) if other.is_empty() => return true,
        Some(other @ Value::Object(_)) => schemas.push(other.clone()),
        // `false`: only the patterns' keys.
        Some(Value::Bool(false)) => {}
        // Absent: a key no pattern matches may hold anything, so the values are
        // the patterns' or any value (tried last).
        _ => schemas.push(Value::Object(Mapping::new())),
    }
    let values = match schemas.len() {
        0 => return true,
        1 => schemas.remove(0),
        _ => {
            let mut any_of = Mapping::new();
            any_of.insert("anyOf".to_owned(), Value::Array(schemas));
            Value::Object(any_of)
        }
    };
    map.insert("additionalProperties".to_owned(), values);
    true
}

/// A boolean schema (`true` accepts anything, `false` nothing) as a schema object.
pub(super) fn boolean_schema(accepts: bool) -> Value {
    let mut map = Mapping::new();
    if !accepts {
        map.insert("not".to_owned(), Value::Object(Mapping::new()));
    }
    Value::Object(map)
}

/// `{$ref, description, …}` → `{allOf: [{$ref}], description, …}`.
fn ref_with_siblings(map: &mut Mapping) -> bool {
    if map.len() < 2 || !map.contains_key("$ref") {
        return false;
    }
    let Some(reference) = map.shift_remove("$ref") else {
        return false;
    };
    let mut only_ref = Mapping::new();
    only_ref.insert("$ref".to_owned(), reference);
    map.insert(
        "allOf".to_owned(),
        Value::Array(vec![Value::Object(only_ref)]),
    );
    true
}

/// `type: [T, "null"]` → `type: T, nullable: true`; several types → `anyOf`.
fn type_arrays(map: &mut Mapping) -> bool {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(single)) if single == "null" => vec![single.clone()],
        _ => return false,
    };
    map.shift_remove("type");
    let mut rest: Vec<String> = types.iter().filter(|t| *t != "null").cloned().collect();
    if rest.len() < types.len() {
        map.insert("nullable".to_owned(), true.into());
    }
    match rest.len() {
        0 => {}
        1 => {
            map.insert("type".to_owned(), rest.remove(0).into());
        }
        _ => {
            let members = rest.into_iter().map(|t| {
                let mut member = Mapping::new();
                member.insert("type".to_owned(), t.into());
                Value::Object(member)
            });
            map.insert("anyOf".to_owned(), Value::Array(members.collect()));
        }
    }
    true
}

/// `anyOf`/`oneOf` members that are only `{type: "null"}` become `nullable: true`.
fn null_members(map: &mut Mapping) -> bool {
    let mut found = false;
    for field in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get_mut(field) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| m.get("type").and_then(Value::as_str) != Some("null"));
        if members.len() != before {
            map.insert("nullable".to_owned(), true.into());
            found = true;
        }
    }
    found
}

/// `const: v` → `enum: [v]`.
fn constant(map: &mut Mapping) -> bool {
    match map.shift_remove("const") {
        Some(value) => {
            map.insert("enum".to_owned(), Value::Array(vec![value]));
            true
        }
        None => false,
    }
}

/// `examples: [a, …]` → `example: a`.
fn examples(map: &mut Mapping) -> bool {
    if !map.get("examples").is_some_and(Value::is_array) {
        return false;
    }
    if let Some(Value::Array(examples)) = map.shift_remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            map.entry("example").or_insert(first);
        }
    }
    true
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true`.
fn exclusive_bound(map: &mut Mapping, exclusive: &str, inclusive: &str) -> bool {
    let Some(bound @ Value::Number(_)) = map.get(exclusive).cloned() else {
        return false;
    };
    map.insert(inclusive.to_owned(), bound);
    map.insert(exclusive.to_owned(), true.into());
    true
}

/// `contentEncoding: base64` → `format: byte`; binary `contentMediaType` → `format: binary`.
fn content_keywords(map: &mut Mapping) -> bool {
    let encoding = map.shift_remove("contentEncoding");
    let media = map.shift_remove("contentMediaType");
    if encoding.is_none() && media.is_none() {
        return false;
    }
    if !map.contains_key("format") {
        if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
            map.insert("format".to_owned(), "byte".into());
        } else if media.is_some() {
            map.insert("format".to_owned(), "binary".into());
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rewritten(schema: Value, is_31: bool) -> (Value, Vec<&'static str>) {
        let mut schema = schema;
        let found = schema
            .as_object_mut()
            .map(|map| rewrite(map, is_31))
            .unwrap_or_default();
        (schema, found)
    }

    #[test]
    fn forms_of_31_become_30_in_either_version() {
        let table = [
            (
                json!({"type": ["string", "null"]}),
                json!({"nullable": true, "type": "string"}),
            ),
            (json!({"const": "a"}), json!({"enum": ["a"]})),
            (
                json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}),
                json!({"type": "object", "additionalProperties": {"anyOf": [{"type": "string"}, {}]}}),
            ),
            (
                json!({"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}),
                json!({"additionalProperties": {"type": "string"}}),
            ),
            (
                json!({"patternProperties": {"^a": {"type": "string"}, "^b": {"type": "integer"}},
                       "additionalProperties": false}),
                json!({"additionalProperties": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}),
            ),
            (
                json!({"patternProperties": {"^a": {"type": "string"}}, "additionalProperties": true}),
                json!({"additionalProperties": true}),
            ),
            (
                json!({"exclusiveMinimum": 1}),
                json!({"exclusiveMinimum": true, "minimum": 1}),
            ),
            (json!({"examples": [1, 2]}), json!({"example": 1})),
            (
                json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
                json!({"anyOf": [{"type": "string"}], "nullable": true}),
            ),
        ];
        for is_31 in [false, true] {
            for (input, expected) in &table {
                let (output, found) = rewritten(input.clone(), is_31);
                assert_eq!(&output, expected, "{input}");
                assert_eq!(found.len(), 1, "{input}");
            }
        }
    }

    #[test]
    fn ref_siblings_apply_in_31_and_in_30_only_when_they_make_it_nullable() {
        let annotated = json!({"$ref": "#/components/schemas/A", "description": "d"});
        assert_eq!(
            rewritten(annotated.clone(), false),
            (annotated.clone(), vec![])
        );
        let (in_31, _) = rewritten(annotated, true);
        assert_eq!(
            in_31,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let nullable = json!({"$ref": "#/components/schemas/A", "nullable": true});
        let (in_30, found) = rewritten(nullable, false);
        assert_eq!(
            in_30,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(found, ["`$ref` with siblings"]);
    }
}
