//! The order in which component schemas are lowered, for the `lower` phase: a
//! component after every component its `allOf` merges (members first).
//!
//! Merging an `allOf` member lowers that member first, so in document order a
//! chain of n components each merging the next nests n calls deep, and a long
//! enough chain overflows the thread's stack. Lowered members-first, every
//! member is ready when it is merged and nothing nests. The order comes from a
//! depth-first search with an explicit stack; a cycle is left to
//! `ensure_component`, which reports it.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind};

/// Component names, every one after the components its `allOf`s merge (where
/// there is no cycle); otherwise in document order.
pub(super) fn members_first(schemas: &IndexMap<String, ReferenceOr<Schema>>) -> Vec<&str> {
    let mut order = Vec::with_capacity(schemas.len());
    let mut visited: BTreeSet<&str> = BTreeSet::new();
    for root in schemas.keys() {
        if !visited.insert(root.as_str()) {
            continue;
        }
        // Each frame: a component and the merged components still to visit.
        let mut frames = vec![(root.as_str(), merged_components(schemas, root))];
        while let Some((name, pending)) = frames.last_mut() {
            match pending.pop() {
                Some(next) => {
                    if schemas.contains_key(next) && visited.insert(next) {
                        let merged = merged_components(schemas, next);
                        frames.push((next, merged));
                    }
                }
                None => {
                    order.push(*name);
                    frames.pop();
                }
            }
        }
    }
    order
}

/// The components `name`'s `allOf`s merge, also through inline `allOf` members,
/// in reverse so that popping them visits them in document order.
fn merged_components<'s>(
    schemas: &'s IndexMap<String, ReferenceOr<Schema>>,
    name: &str,
) -> Vec<&'s str> {
    let mut found = Vec::new();
    let mut pending: Vec<&'s Schema> = match schemas.get(name) {
        Some(ReferenceOr::Item(schema)) => vec![schema],
        _ => Vec::new(),
    };
    while let Some(schema) = pending.pop() {
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) => &any.all_of,
            _ => continue,
        };
        for member in members {
            match member {
                ReferenceOr::Reference { reference } => {
                    if let Some(target) = reference.strip_prefix("#/components/schemas/") {
                        found.push(target);
                    }
                }
                ReferenceOr::Item(inline) => pending.push(inline),
            }
        }
    }
    found.reverse();
    found
}

#[cfg(test)]
mod tests {
    use super::members_first;

    fn schemas(
        yaml: &str,
    ) -> indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::Schema>> {
        let parsed = crate::load::parse::parse_yaml(yaml).expect("yaml");
        serde_json::from_value(parsed.value).expect("schemas")
    }

    #[test]
    fn members_come_before_the_schemas_that_merge_them() {
        let schemas = schemas(
            "A: {allOf: [{$ref: '#/components/schemas/B'}, {allOf: [{$ref: '#/components/schemas/C'}]}]}\n\
             B: {type: object}\n\
             C: {allOf: [{$ref: '#/components/schemas/B'}]}\n\
             D: {type: string}\n\
             Loop: {allOf: [{$ref: '#/components/schemas/Loop'}]}\n",
        );
        assert_eq!(members_first(&schemas), ["B", "C", "A", "D", "Loop"]);
    }

    #[test]
    fn a_long_chain_is_ordered_without_deep_recursion() {
        let n = 50_000;
        let mut yaml = String::new();
        for i in 0..n {
            yaml.push_str(&format!(
                "S{i}: {{allOf: [{{$ref: '#/components/schemas/S{}'}}]}}\n",
                i + 1
            ));
        }
        yaml.push_str(&format!("S{n}: {{type: object}}\n"));
        let schemas = schemas(&yaml);
        let order = members_first(&schemas);
        assert_eq!(order.first(), Some(&format!("S{n}").as_str()));
        assert_eq!(order.last(), Some(&"S0"));
    }
}
