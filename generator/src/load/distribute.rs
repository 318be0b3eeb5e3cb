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
}
