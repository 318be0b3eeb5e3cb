//! Schema keywords that shape a schema's structure (`required`, `enum`, `items`,
//! `properties`, `allOf`/`anyOf`/`oneOf`, `discriminator`) written the wrong way,
//! repaired in place during normalization (the `load` phase), each with a located
//! warning: one name where a list is meant, a tuple under `items`, a Swagger 2
//! discriminator, JSON Schema draft 3's `required: true` on a property.

use serde_json::{Map, Value};

use super::keywords::warn;
use crate::diagnostics::{Code, Pointer, Sink};

type Mapping = Map<String, Value>;

/// Keywords whose value is a mapping of schemas, or a list of schemas.
const SCHEMA_MAPS: &[&str] = &["properties"];
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];

/// Keys a member of a union of constants may have besides its one value.
const CONSTANT_MEMBER_KEYS: &[&str] = &[
    "title",
    "description",
    "enum",
    "type",
    "format",
    "deprecated",
    "example",
];

/// A `oneOf`/`anyOf` whose members are each one constant (`{title: ACCEPTED,
/// const: 2}`: 3.1's way to document each value of an enum) is that enum: its
/// values, named after the members' titles (`x-enum-varnames`) and documented
/// by their descriptions (`x-enum-descriptions`). Runs after the members are
/// normalized, so `const` is `enum` there already.
pub(super) fn collapse_constant_union(map: &mut Mapping) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get(keyword) else {
            continue;
        };
        let Some(constants) = constants_of(members) else {
            continue;
        };
        let parent_type = map.get("type").and_then(Value::as_str);
        let member_type = constants.iter().find_map(|c| c.ty);
        if parent_type.is_some() && member_type.is_some() && parent_type != member_type {
            continue;
        }
        if map.contains_key("enum") || map.contains_key("properties") {
            continue;
        }
        let values: Vec<Value> = constants.iter().map(|c| c.value.clone()).collect();
        let titles: Option<Vec<Value>> = constants
            .iter()
            .map(|c| c.title.clone().map(Value::String))
            .collect();
        let descriptions: Vec<Value> = constants
            .iter()
            .map(|c| c.description.clone().map_or(Value::Null, Value::String))
            .collect();
        let ty = parent_type.or(member_type).map(str::to_owned);
        map.shift_remove(keyword);
        map.insert("enum".to_owned(), Value::Array(values));
        if let Some(ty) = ty {
            map.insert("type".to_owned(), ty.into());
        }
        if let Some(titles) = titles {
            map.entry("x-enum-varnames").or_insert(Value::Array(titles));
        }
        if descriptions.iter().any(|d| !d.is_null()) {
            map.entry("x-enum-descriptions")
                .or_insert(Value::Array(descriptions));
        }
        return;
    }
}

/// One member of a union of constants.
struct Constant<'m> {
    value: Value,
    ty: Option<&'m str>,
    title: Option<String>,
    description: Option<String>,
}

/// The constants of a union whose members are all one value each, of one type.
fn constants_of(members: &[Value]) -> Option<Vec<Constant<'_>>> {
    if members.len() < 2 {
        return None;
    }
    let constants: Option<Vec<Constant<'_>>> = members
        .iter()
        .map(|member| {
            let member = member.as_object()?;
            if !member
                .keys()
                .all(|k| CONSTANT_MEMBER_KEYS.contains(&k.as_str()) || k.starts_with("x-"))
            {
                return None;
            }
            let [value] = member.get("enum")?.as_array()?.as_slice() else {
                return None;
            };
            if value.is_null() || value.is_array() || value.is_object() {
                return None;
            }
            let text = |key: &str| member.get(key).and_then(Value::as_str).map(str::to_owned);
            Some(Constant {
                value: value.clone(),
                ty: member.get("type").and_then(Value::as_str),
                title: text("title"),
                description: text("description"),
            })
        })
        .collect();
    let constants = constants?;
    let first = constants.iter().find_map(|c| c.ty);
    constants
        .iter()
        .all(|c| c.ty.is_none() || c.ty == first)
        .then_some(constants)
}

/// Repairs the structural keywords of one schema object.
pub(super) fn repair(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    repair_required(map, at, sink);
    repair_enum(map, at, sink);
    infer_enum_type(map);
    repair_items(map, at, sink);
    repair_containers(map, at, sink);
    repair_discriminator(map, at, sink);
    lift_property_required(map, at, sink);
}

/// `required` is a list of property names: one name is a list of one, other
/// items are dropped. (`required: true` on a property is [`lift_property_required`].)
fn repair_required(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let at = at.push("required");
    match map.get_mut("required") {
        None | Some(Value::Bool(_)) => {}
        Some(Value::String(name)) => {
            let name = name.clone();
            let message = format!("`required` is one name; it is read as `[{name}]`");
            map.insert("required".to_owned(), Value::Array(vec![name.into()]));
            warn(
                sink,
                Code::Shape,
                &at,
                message,
                "write `required` as a list",
            );
        }
        Some(Value::Array(names)) => {
            let before = names.len();
            names.retain(Value::is_string);
            if names.len() != before {
                let message = format!(
                    "{} `required` item(s) are not names; they are dropped",
                    before - names.len()
                );
                warn(sink, Code::Shape, &at, message, "list property names only");
            }
        }
        Some(_) => {
            map.shift_remove("required");
            let message = "`required` is not a list of names; it is dropped".to_owned();
            warn(sink, Code::Shape, &at, message, "list property names");
        }
    }
}

/// `enum` is a list of distinct values: a single value is a list of one, and a
/// value given twice is kept once.
fn repair_enum(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    match map.get_mut("enum") {
        None => {}
        Some(Value::Array(values)) => {
            let before = values.len();
            let mut seen = Vec::with_capacity(before);
            values.retain(|v| {
                let new = !seen.contains(v);
                if new {
                    seen.push(v.clone());
                }
                new
            });
            if values.len() != before {
                let message = format!(
                    "{} `enum` value(s) are given twice; each is kept once",
                    before - values.len()
                );
                warn(
                    sink,
                    Code::Shape,
                    &at.push("enum"),
                    message,
                    "list each value once",
                );
            }
        }
        Some(Value::Null) => {
            map.shift_remove("enum");
        }
        Some(single) => {
            let single = single.clone();
            map.insert("enum".to_owned(), Value::Array(vec![single]));
            let message = "`enum` is one value; it is read as a list of one".to_owned();
            warn(
                sink,
                Code::Shape,
                &at.push("enum"),
                message,
                "write `enum` as a list",
            );
        }
    }
}

/// An `enum` (or a `const`, rewritten to one) without `type` is valid JSON Schema;
/// when every value is of one type, that is its type, so it becomes an enum of
/// that type rather than an empty object.
fn infer_enum_type(map: &mut Mapping) {
    if map.contains_key("type")
        || ["allOf", "anyOf", "oneOf"]
            .iter()
            .any(|k| map.contains_key(*k))
    {
        return;
    }
    let Some(Value::Array(values)) = map.get("enum") else {
        return;
    };
    let type_of = |value: &Value| match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    };
    let mut types = values.iter().filter(|v| !v.is_null()).map(type_of);
    let Some(Some(first)) = types.next() else {
        return;
    };
    let mut ty = first;
    for other in types {
        match (ty, other) {
            (a, Some(b)) if a == b => {}
            ("integer", Some("number")) | ("number", Some("integer")) => ty = "number",
            _ => return,
        }
    }
    if values.iter().any(Value::is_null) {
        map.insert("nullable".to_owned(), true.into());
    }
    map.insert("type".to_owned(), ty.into());
}

/// `items` is one schema: a list of them (draft-4 tuples) is read as items of
/// any of those shapes.
fn repair_items(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let Some(Value::Array(members)) = map.get("items") else {
        return;
    };
    let members = members.clone();
    let message =
        "`items` is a list of schemas (a tuple); the items are read as any of them".to_owned();
    let items = match members.len() {
        0 => Value::Object(Mapping::new()),
        1 => members.into_iter().next().unwrap_or_default(),
        _ => {
            let mut any_of = Mapping::new();
            any_of.insert("anyOf".to_owned(), Value::Array(members));
            Value::Object(any_of)
        }
    };
    map.insert("items".to_owned(), items);
    warn(
        sink,
        Code::Shape,
        &at.push("items"),
        message,
        "give `items` one schema",
    );
}

/// `properties` must be a mapping and `allOf`/`anyOf`/`oneOf` lists: a single
/// schema is a list of one; anything else is dropped.
fn repair_containers(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    for keyword in SCHEMA_MAPS {
        if map.get(*keyword).is_some_and(|v| !v.is_object()) {
            map.shift_remove(*keyword);
            let message = format!("`{keyword}` is not a mapping of schemas; it is dropped");
            warn(
                sink,
                Code::Shape,
                &at.push(keyword),
                message,
                "map each property name to a schema",
            );
        }
    }
    for keyword in SCHEMA_LISTS {
        match map.get(*keyword) {
            None | Some(Value::Array(_)) => {}
            Some(Value::Object(single)) => {
                let single = Value::Object(single.clone());
                map.insert((*keyword).to_owned(), Value::Array(vec![single]));
                let message = format!("`{keyword}` is one schema; it is read as a list of one");
                warn(
                    sink,
                    Code::Shape,
                    &at.push(keyword),
                    message,
                    "write a list of schemas",
                );
            }
            Some(_) => {
                map.shift_remove(*keyword);
                let message = format!("`{keyword}` is not a list of schemas; it is dropped");
                warn(
                    sink,
                    Code::Shape,
                    &at.push(keyword),
                    message,
                    "write a list of schemas",
                );
            }
        }
    }
}

/// `discriminator: petType` (Swagger 2) is `discriminator: {propertyName: petType}`;
/// a discriminator without a property name is dropped.
fn repair_discriminator(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let at = at.push("discriminator");
    match map.get("discriminator") {
        None => {}
        Some(Value::String(name)) => {
            let mut discriminator = Mapping::new();
            discriminator.insert("propertyName".to_owned(), name.clone().into());
            let message = format!("`discriminator: {name}` is read as `{{propertyName: {name}}}`");
            map.insert("discriminator".to_owned(), Value::Object(discriminator));
            warn(
                sink,
                Code::VersionHabit,
                &at,
                message,
                "OpenAPI 3 writes the discriminator as an object",
            );
        }
        Some(Value::Object(d)) if d.get("propertyName").is_some_and(Value::is_string) => {
            let bad_mapping = d.get("mapping").is_some_and(|m| !m.is_object());
            if bad_mapping {
                if let Some(Value::Object(d)) = map.get_mut("discriminator") {
                    d.shift_remove("mapping");
                }
                let message =
                    "the discriminator's `mapping` is not a mapping; it is dropped".to_owned();
                warn(
                    sink,
                    Code::Shape,
                    &at.push("mapping"),
                    message,
                    "map values to schema references",
                );
            }
        }
        Some(_) => {
            map.shift_remove("discriminator");
            let message = "the discriminator has no `propertyName`; it is dropped".to_owned();
            warn(
                sink,
                Code::Shape,
                &at,
                message,
                "give the discriminator a `propertyName`",
            );
        }
    }
}

/// `required: true` on a property (JSON Schema draft 3) moves into the parent's
/// `required` list; `required: false` is dropped.
fn lift_property_required(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let mut lifted = Vec::new();
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let Some(property) = property.as_object_mut() else {
                continue;
            };
            if let Some(Value::Bool(flag)) = property.get("required").cloned() {
                property.shift_remove("required");
                lifted.push((name.clone(), flag));
            }
        }
    }
    if lifted.is_empty() {
        return;
    }
    let required = map
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !required.is_array() {
        *required = Value::Array(Vec::new());
    }
    if let Value::Array(names) = required {
        for (name, flag) in &lifted {
            if *flag && !names.iter().any(|n| n.as_str() == Some(name)) {
                names.push(name.clone().into());
            }
        }
    }
    for (name, flag) in lifted {
        let pointer = at.push("properties").push(&name).push("required");
        let message = if flag {
            format!("`required: true` on property `{name}` is read as listing it in the parent's `required`")
        } else {
            format!("`required: false` on property `{name}` is dropped")
        };
        warn(
            sink,
            Code::VersionHabit,
            &pointer,
            message,
            "list required properties in the parent's `required`",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repaired(schema: Value) -> (Value, Vec<(Code, String)>) {
        super::super::keywords::repaired_by(repair, schema)
    }

    #[test]
    fn structural_keywords_written_the_wrong_way_are_read_as_meant() {
        let table = [
            (json!({"required": "a"}), json!({"required": ["a"]})),
            (
                json!({"enum": "a"}),
                json!({"enum": ["a"], "type": "string"}),
            ),
            (
                json!({"items": [{"type": "string"}]}),
                json!({"items": {"type": "string"}}),
            ),
            (
                json!({"oneOf": {"type": "string"}}),
                json!({"oneOf": [{"type": "string"}]}),
            ),
            (
                json!({"discriminator": "kind"}),
                json!({"discriminator": {"propertyName": "kind"}}),
            ),
            (
                json!({"enum": ["low", "high", "low"]}),
                json!({"enum": ["low", "high"], "type": "string"}),
            ),
        ];
        for (input, expected) in table {
            let (output, warnings) = repaired(input.clone());
            assert_eq!(output, expected, "{input}");
            assert!(!warnings.is_empty(), "{input} repairs with a warning");
        }
    }

    #[test]
    fn enums_without_a_type_take_the_type_of_their_values() {
        let table = [
            (json!({"enum": [true, false]}), Some("boolean")),
            (json!({"enum": ["a", null]}), Some("string")),
            (json!({"enum": [1, 2.5]}), Some("number")),
            (json!({"enum": [1, "a"]}), None),
            (json!({"enum": [1], "oneOf": []}), None),
        ];
        for (input, expected) in table {
            let (output, warnings) = repaired(input.clone());
            assert_eq!(
                output.get("type").and_then(Value::as_str),
                expected,
                "{input}"
            );
            assert!(warnings.is_empty(), "valid JSON Schema needs no warning");
        }
    }

    #[test]
    fn property_required_flags_move_to_the_parent() {
        let (output, warnings) = repaired(json!({
            "properties": {"a": {"type": "string", "required": true}, "b": {"required": false}}
        }));
        assert_eq!(
            output,
            json!({"properties": {"a": {"type": "string"}, "b": {}}, "required": ["a"]})
        );
        assert_eq!(warnings.len(), 2);
    }

    #[test]
    fn a_union_of_constants_is_an_enum() {
        let mut schema = json!({
            "type": "integer",
            "oneOf": [
                {"title": "ACCEPTED", "enum": [2], "type": "integer", "description": "Taken."},
                {"title": "DECLINED", "enum": [3], "type": "integer"}
            ]
        });
        if let Some(map) = schema.as_object_mut() {
            collapse_constant_union(map);
        }
        assert_eq!(
            schema,
            json!({
                "type": "integer", "enum": [2, 3],
                "x-enum-varnames": ["ACCEPTED", "DECLINED"],
                "x-enum-descriptions": ["Taken.", null]
            })
        );
        let mut mixed = json!({"oneOf": [{"enum": [1]}, {"type": "string"}]});
        let before = mixed.clone();
        if let Some(map) = mixed.as_object_mut() {
            collapse_constant_union(map);
        }
        assert_eq!(
            mixed, before,
            "a union with a non-constant member stays a union"
        );
    }

    #[test]
    fn valid_structures_are_left_alone() {
        let schema = json!({
            "type": "object", "required": ["a"], "enum": [{"a": 1}],
            "properties": {"a": {"type": "string"}},
            "allOf": [{"type": "object"}], "discriminator": {"propertyName": "a"}
        });
        assert_eq!(repaired(schema.clone()), (schema, Vec::new()));
    }
}
