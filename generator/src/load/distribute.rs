//! `allOf` members that are unions, for the `load` phase (after `hoist`, so every
//! reference names a component).
//!
//! `allOf: [{properties: {id}}, {$ref: Target}]` where `Target` is a `oneOf` (as
//! serde's flattened enums come out of utoipa, aide and others) cannot be merged
//! into one struct: the union's fields depend on its variant. It is the same as a
//! `oneOf` whose every variant is the `allOf` of the other members and that
//! variant, which the generator can express; so the union is distributed over the
//! `allOf`, and nothing the members say is lost. The spec is valid, so this says
//! nothing.

use serde_json::Value;

use super::tree::{is_data_key, Mapping};

/// Unions this deep inside `allOf`s are distributed; more would multiply variants.
const MAX_VARIANTS: usize = 64;

/// Distributes every `allOf` with exactly one union member, anywhere in `document`.
pub(super) fn distribute_unions(document: &mut Value) {
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    walk(document, None, &schemas);
}

fn walk(value: &mut Value, key: Option<&str>, schemas: &Mapping) {
    match value {
        Value::Object(map) => {
            for (child_key, child) in map.iter_mut() {
                if !is_data_key(key, child_key) {
                    walk(child, Some(child_key), schemas);
                }
            }
            fold_siblings(map);
            if map.contains_key("allOf") {
                distribute(map, schemas);
            }
        }
        Value::Array(items) => {
            for child in items.iter_mut() {
                walk(child, key, schemas);
            }
        }
        _ => {}
    }
}

/// Keywords of an object schema that, written beside `allOf`, `oneOf` or `anyOf`,
/// constrain the same value as the members do.
const OBJECT_KEYWORDS: [&str; 5] = [
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];

/// Makes the object keywords written beside a composition one of its members.
///
/// `{type: object, properties: {id}, allOf: [A]}` is valid JSON Schema (the value
/// has `id` and is an `A`), but `openapiv3` reads either the object or the
/// composition and drops the other. As `allOf: [{type: object, properties: {id}},
/// A]` nothing is lost; a union with fields beside it becomes `allOf` of the
/// fields and the union, which `distribute` then spreads over the variants. A
/// bare `type: object` beside a composition says nothing the members do not, and
/// is dropped. Unions with a discriminator keep their fields where they are:
/// `lower` reads those as the tagged union's common fields.
fn fold_siblings(map: &mut Mapping) {
    let composed = ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| matches!(map.get(*k), Some(Value::Array(_))));
    let object_or_untyped = matches!(
        map.get("type").and_then(Value::as_str),
        None | Some("object")
    );
    if !composed || !object_or_untyped {
        return;
    }
    let has_all_of = map.contains_key("allOf");
    if !has_all_of && map.contains_key("discriminator") {
        return;
    }
    let mut own = Mapping::new();
    for keyword in OBJECT_KEYWORDS {
        if let Some(value) = map.shift_remove(keyword) {
            own.insert(keyword.to_owned(), value);
        }
    }
    map.shift_remove("type");
    if own.is_empty() {
        return;
    }
    own.insert("type".to_owned(), Value::from("object"));
    if let Some(Value::Array(members)) = map.get_mut("allOf") {
        members.insert(0, Value::Object(own));
        return;
    }
    let mut union = Mapping::new();
    for keyword in ["oneOf", "anyOf"] {
        if let Some(value) = map.shift_remove(keyword) {
            union.insert(keyword.to_owned(), value);
        }
    }
    let members = vec![Value::Object(own), Value::Object(union)];
    map.insert("allOf".to_owned(), Value::Array(members));
}

/// The variants of a member that is a union: its own `oneOf`/`anyOf`, or those
/// of the component it references; `None` for any other member.
fn union_variants<'s>(
    member: &'s Value,
    schemas: &'s Mapping,
) -> Option<(&'static str, &'s [Value])> {
    let target = match member.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/schemas/")?;
            schemas.get(&name.replace("~1", "/").replace("~0", "~"))?
        }
        None => member,
    };
    let object = target.as_object()?;
    // A union with fields of its own, or a discriminator, is left to `lower`.
    if object.contains_key("properties") || object.contains_key("discriminator") {
        return None;
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(variants)) = object.get(keyword) {
            return Some((keyword, variants.as_slice()));
        }
    }
    None
}

fn distribute(map: &mut Mapping, schemas: &Mapping) {
    let Some(Value::Array(members)) = map.get("allOf") else {
        return;
    };
    let unions: Vec<usize> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| union_variants(m, schemas).is_some())
        .map(|(i, _)| i)
        .collect();
    let [union_index] = unions.as_slice() else {
        return;
    };
    if map.contains_key("oneOf") || map.contains_key("anyOf") {
        return;
    }
    let Some((keyword, variants)) = union_variants(&members[*union_index], schemas) else {
        return;
    };
    if variants.is_empty() || variants.len() > MAX_VARIANTS {
        return;
    }
    let others: Vec<Value> = members
        .iter()
        .enumerate()
        .filter(|(i, _)| i != union_index)
        .map(|(_, m)| m.clone())
        .collect();
    let distributed: Vec<Value> = variants
        .iter()
        .map(|variant| {
            let mut all = others.clone();
            all.push(variant.clone());
            let mut member = Mapping::new();
            member.insert("allOf".to_owned(), Value::Array(all));
            Value::Object(member)
        })
        .collect();
    map.shift_remove("allOf");
    map.insert(keyword.to_owned(), Value::Array(distributed));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_union_member_is_distributed_over_the_others() {
        let mut document = json!({"components": {"schemas": {
            "Alias": {"allOf": [
                {"type": "object", "properties": {"bucketId": {"type": "string"}}},
                {"$ref": "#/components/schemas/Target"}
            ]},
            "Target": {"oneOf": [
                {"type": "object", "properties": {"globalAlias": {"type": "string"}}},
                {"type": "object", "properties": {"localAlias": {"type": "string"}}}
            ]}
        }}});
        distribute_unions(&mut document);
        let alias = &document["components"]["schemas"]["Alias"];
        assert!(alias.get("allOf").is_none());
        let variants = alias["oneOf"].as_array().map(Vec::len);
        assert_eq!(variants, Some(2));
        assert_eq!(
            alias["oneOf"][1]["allOf"][1]["properties"]["localAlias"]["type"],
            json!("string")
        );
    }

    #[test]
    fn merges_of_objects_are_left_alone() {
        let mut document = json!({"components": {"schemas": {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"properties": {"x": {}}}]},
            "B": {"type": "object", "properties": {"y": {}}}
        }}});
        let before = document.clone();
        distribute_unions(&mut document);
        assert_eq!(document, before);
    }

    #[test]
    fn object_keywords_beside_a_composition_become_a_member() {
        let mut document = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"a": {}}},
            "B": {"type": "object", "properties": {"b": {}}},
            "Both": {"type": "object", "required": ["id"], "properties": {"id": {}},
                     "allOf": [{"$ref": "#/components/schemas/A"}], "description": "d"},
            "Bare": {"type": "object", "oneOf": [{"$ref": "#/components/schemas/A"}]},
            "Fields": {"properties": {"id": {}}, "anyOf": [
                {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
            "Tagged": {"properties": {"kind": {}}, "discriminator": {"propertyName": "kind"},
                       "oneOf": [{"$ref": "#/components/schemas/A"}]},
            "Text": {"type": "string", "oneOf": [{"enum": ["a"]}, {"enum": ["b"]}]},
        }}});
        distribute_unions(&mut document);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Both"],
            json!({"description": "d", "allOf": [
                {"required": ["id"], "properties": {"id": {}}, "type": "object"},
                {"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            schemas["Bare"],
            json!({"oneOf": [{"$ref": "#/components/schemas/A"}]})
        );
        // The fields join each variant of the union.
        let own = json!({"properties": {"id": {}}, "type": "object"});
        assert_eq!(
            schemas["Fields"],
            json!({"anyOf": [
                {"allOf": [own, {"$ref": "#/components/schemas/A"}]},
                {"allOf": [own, {"$ref": "#/components/schemas/B"}]}]})
        );
        assert!(schemas["Tagged"].get("allOf").is_none());
        assert_eq!(schemas["Text"]["type"], "string");
    }
}
