//! `$ref`s that point anywhere but an entry of `components` (inside another schema,
//! `#/components/schemas/Pet/properties/owner`, or under `paths`), for the `load`
//! phase, after normalization.
//!
//! Each such target is moved into `components/schemas` under a new name and left
//! behind as a `$ref` to it, so the later phases see only component references and
//! every place that uses the schema shares one type. The moved schema keeps its
//! origin in [`ORIGIN`], which `lower` uses for names in docs and for diagnostics.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::tree::{
    add_entry, collect_refs, entry_names, is_schema_position, place_of, ref_to, value_at,
    value_at_mut, Place,
};
use crate::sources::percent_decode;

use crate::diagnostics::Pointer;
use crate::naming::{camel_name, claim_unique};

/// Extension that records where a moved schema was written.
pub const ORIGIN: &str = "x-generator-origin";

/// Words of a pointer that say nothing about what the schema is.
const STRUCTURAL: &[&str] = &[
    "components",
    "schemas",
    "properties",
    "paths",
    "content",
    "schema",
    "responses",
    "requestBody",
    "parameters",
    "allOf",
    "oneOf",
    "anyOf",
    "$defs",
    "definitions",
];

/// Moves every schema a `$ref` points inside of into `components/schemas`, and
/// copies parameters, request bodies, responses and headers that a `$ref` finds
/// outside `components` into their section.
pub fn hoist_inner_refs(document: &mut Value) {
    move_schema_targets(document);
    // After the schemas: a copied response then refers to its moved schema
    // instead of carrying a second inline copy of it.
    copy_other_targets(document);
}

/// Moves every schema a `$ref` points inside of into `components/schemas`.
fn move_schema_targets(document: &mut Value) {
    let mut targets = BTreeSet::new();
    collect_schema_refs(document, &mut targets);
    let mut targets: Vec<(String, Vec<String>)> = targets
        .into_iter()
        .filter_map(|reference| {
            let segments = inner_target(&reference)?;
            Some((reference, segments))
        })
        .collect();
    if targets.is_empty() {
        return;
    }
    // Deepest first: a target inside another is replaced by its `$ref` before the
    // outer one is copied, so the copy refers to it instead of duplicating it.
    targets.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let mut taken: BTreeSet<String> = component_names(document);
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (reference, segments) in targets {
        let Some(target) = value_at(document, &segments).cloned() else {
            continue; // Lowering reports the dangling reference.
        };
        let new_reference = match target.get("$ref").and_then(Value::as_str) {
            // A reference to a reference: follow it instead of moving anything.
            Some(inner) if target.as_object().is_some_and(|m| m.len() == 1) => inner.to_owned(),
            _ => {
                let name = unique_name(&segments, &mut taken);
                let reference = format!("#/components/schemas/{name}");
                let mut moved = target;
                if let Value::Object(map) = &mut moved {
                    let origin = Pointer::root();
                    let origin = segments.iter().fold(origin, |p, s| p.push(s));
                    map.insert(ORIGIN.to_owned(), origin.to_string().into());
                }
                add_component(document, &name, moved);
                if let Some(slot) = value_at_mut(document, &segments) {
                    *slot = ref_to(&reference);
                }
                reference
            }
        };
        renamed.insert(reference, new_reference);
    }
    rewrite_refs(document, &renamed);
}

/// Parameters, request bodies, responses and headers referenced where they were
/// written (`#/paths/~1a/get/parameters/0`) are copied into their `components`
/// section, where `lower` follows references. They make no types, so the
/// original stays where it is.
fn copy_other_targets(document: &mut Value) {
    let mut found = Vec::new();
    collect_refs(
        document,
        &mut Vec::new(),
        &mut |path, reference| match place_of(path) {
            Some(Place::Schema | Place::PathItem) | None => {}
            Some(place) => found.push((place.section(), reference.to_owned())),
        },
    );
    let mut renamed = BTreeMap::new();
    let mut taken: BTreeSet<String> = ["parameters", "requestBodies", "responses", "headers"]
        .into_iter()
        .flat_map(|section| entry_names(document, section))
        .collect();
    for (section, reference) in found {
        let Some(segments) = inner_target(&reference) else {
            continue;
        };
        if renamed.contains_key(&reference) {
            continue;
        }
        let Some(target) = value_at(document, &segments).cloned() else {
            continue; // Lowering reports the dangling reference.
        };
        let name = unique_name(&segments, &mut taken);
        add_entry(document, section, &name, target);
        renamed.insert(reference, format!("#/components/{section}/{name}"));
    }
    rewrite_refs(document, &renamed);
}

/// Every `$ref` string found in a schema position, anywhere in `value`.
fn collect_schema_refs(value: &Value, out: &mut BTreeSet<String>) {
    collect_refs(value, &mut Vec::new(), &mut |path, reference| {
        if is_schema_position(path) {
            out.insert(reference.to_owned());
        }
    });
}

/// The segments of a local reference that points anywhere but a component entry.
fn inner_target(reference: &str) -> Option<Vec<String>> {
    let pointer = Pointer::parse_local_ref(&percent_decode(reference))?;
    let segments = pointer.segments().to_vec();
    match segments.as_slice() {
        [components, _, _] if components == "components" => None,
        [] => None,
        _ => Some(segments),
    }
}

fn component_names(document: &Value) -> BTreeSet<String> {
    entry_names(document, "schemas")
}

/// A component name from the meaningful words of the target's pointer.
fn unique_name(segments: &[String], taken: &mut BTreeSet<String>) -> String {
    // Media types (the keys under `content`) say nothing either.
    let words: Vec<&str> = segments
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            !STRUCTURAL.contains(&s.as_str()) && (*i == 0 || segments[i - 1] != "content")
        })
        .map(|(_, s)| match s.as_str() {
            "items" => "item",
            "additionalProperties" => "value",
            other => other,
        })
        .collect();
    claim_unique(taken, &camel_name(&words.join(" ")), false)
}

fn add_component(document: &mut Value, name: &str, schema: Value) {
    add_entry(document, "schemas", name, schema);
}

/// Points every `$ref`, and every reference in a discriminator's `mapping`, of
/// `renamed` at its new place (following chains).
fn rewrite_refs(value: &mut Value, renamed: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                follow(reference, renamed);
            }
            if let Some(Value::Object(mapping)) = map
                .get_mut("discriminator")
                .and_then(|d| d.get_mut("mapping"))
            {
                for (_, target) in mapping.iter_mut() {
                    if let Value::String(reference) = target {
                        follow(reference, renamed);
                    }
                }
            }
            for (_, child) in map.iter_mut() {
                rewrite_refs(child, renamed);
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_refs(child, renamed);
            }
        }
        _ => {}
    }
}

/// Replaces `reference` by where `renamed` sends it, through chains.
fn follow(reference: &mut String, renamed: &BTreeMap<String, String>) {
    let mut seen = BTreeSet::new();
    while let Some(next) = renamed.get(reference.as_str()) {
        if !seen.insert(next.clone()) {
            break;
        }
        *reference = next.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hoisted(yaml: &str) -> Value {
        let mut document = super::super::parse::parse_yaml(yaml)
            .expect("test YAML parses")
            .value;
        hoist_inner_refs(&mut document);
        document
    }

    #[test]
    fn a_schema_inside_another_moves_to_components_and_is_shared() {
        let document = hoisted(
            "components:\n  schemas:\n    Pet:\n      properties:\n        owner: {properties: {name: {type: string}}}\n    Car:\n      properties:\n        driver: {$ref: '#/components/schemas/Pet/properties/owner'}\n",
        );
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Pet"]["properties"]["owner"]["$ref"].as_str(),
            Some("#/components/schemas/PetOwner")
        );
        assert_eq!(
            schemas["Car"]["properties"]["driver"]["$ref"].as_str(),
            Some("#/components/schemas/PetOwner")
        );
        assert_eq!(
            schemas["PetOwner"]["properties"]["name"]["type"].as_str(),
            Some("string")
        );
        assert_eq!(
            schemas["PetOwner"][ORIGIN].as_str(),
            Some("#/components/schemas/Pet/properties/owner")
        );
    }

    #[test]
    fn nested_targets_and_escaped_paths_are_moved_once_each() {
        let document = hoisted(concat!(
            "paths:\n  /pets/{id}:\n    get:\n      responses:\n        '200':\n          content:\n",
            "            application/json:\n              schema: {type: array, items: {properties: {a: {type: string}}}}\n",
            "components:\n  schemas:\n    Outer: {$ref: '#/paths/~1pets~1%7Bid%7D/get/responses/200/content/application~1json/schema'}\n",
            "    Inner: {$ref: '#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema/items'}\n",
            "    Pets: {type: string}\n",
        ));
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Outer"]["$ref"].as_str(),
            Some("#/components/schemas/PetsIdGet200")
        );
        assert_eq!(
            schemas["Inner"]["$ref"].as_str(),
            Some("#/components/schemas/PetsIdGet200Item")
        );
        assert_eq!(
            schemas["PetsIdGet200"]["items"]["$ref"].as_str(),
            Some("#/components/schemas/PetsIdGet200Item")
        );
    }

    #[test]
    fn parameters_and_responses_found_under_paths_are_copied_into_components() {
        let document = hoisted(concat!(
            "paths:\n  /a:\n    get:\n      parameters:\n        - {name: limit, in: query, schema: {type: integer}}\n",
            "      responses:\n        '404': {description: gone}\n",
            "  /b:\n    get:\n      parameters:\n        - $ref: '#/paths/~1a/get/parameters/0'\n",
            "      responses:\n        '404': {$ref: '#/paths/~1a/get/responses/404'}\n",
        ));
        let b = &document["paths"]["/b"]["get"];
        assert_eq!(
            b["parameters"][0]["$ref"].as_str(),
            Some("#/components/parameters/AGet0")
        );
        assert_eq!(
            document["components"]["parameters"]["AGet0"]["name"].as_str(),
            Some("limit")
        );
        assert_eq!(
            b["responses"]["404"]["$ref"].as_str(),
            Some("#/components/responses/AGet404")
        );
        assert_eq!(
            document["paths"]["/a"]["get"]["parameters"][0]["name"].as_str(),
            Some("limit")
        );
    }

    #[test]
    fn number_keys_mappings_and_schema_properties_named_like_sections() {
        let document = hoisted(concat!(
            "paths:\n  /a:\n    get:\n      responses:\n        200:\n          content:\n",
            "            application/json:\n              schema: {properties: {x: {type: string}}}\n",
            "components:\n  schemas:\n    U:\n      oneOf: [{$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'}]\n",
            "      discriminator: {propertyName: k, mapping: {v: '#/paths/~1a/get/responses/200/content/application~1json/schema'}}\n",
            "    Op:\n      properties:\n        requestBody: {$ref: '#/components/schemas/U/oneOf/0'}\n",
        ));
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["U"]["oneOf"][0]["$ref"].as_str(),
            Some("#/components/schemas/AGet200")
        );
        assert_eq!(
            schemas["U"]["discriminator"]["mapping"]["v"].as_str(),
            Some("#/components/schemas/AGet200")
        );
        // A property called `requestBody` is a schema, not a request body.
        assert_eq!(
            schemas["Op"]["properties"]["requestBody"]["$ref"].as_str(),
            Some("#/components/schemas/AGet200")
        );
        assert!(document["components"].get("requestBodies").is_none());
    }

    #[test]
    fn component_references_are_left_alone() {
        let text = "components:\n  schemas:\n    A: {type: string}\n    B: {$ref: '#/components/schemas/A'}\n";
        let document = hoisted(text);
        assert_eq!(
            document,
            super::super::parse::parse_yaml(text).expect("parses").value
        );
    }
}
