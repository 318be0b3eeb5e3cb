//! The type map of a generated crate: for every component schema and every
//! operation's JSON request and response schema, where the schema is in the spec
//! (a JSON pointer) and the Rust type the crate decodes it into.
//!
//! It is computed from the IR after lowering ([`crate::ir::Api::component_schemas`]
//! and [`crate::ir::Operation::json_schemas`]), and the types are printed by
//! [`crate::emit::type_tokens`], the same function the emitters use, so the map
//! names exactly what the crate has. [`crate::Output::type_map`] holds it; the
//! CLI writes it with `--type-map FILE`, and `tests/roundtrip.sh` reads it to
//! check each type against the schema with sample values.

use serde::Serialize;

use crate::emit::type_tokens;
use crate::ir::{Api, SchemaUse};

/// Every schema of the spec that the crate has a type for: the components in
/// the spec's order, then the operations' bodies in the crate's order of
/// operations (each pointer once).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TypeMap {
    /// The generated crate's name, so a reader can name its library.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// One entry per schema.
    pub schemas: Vec<TypeMapEntry>,
}

/// One schema and its Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeMapEntry {
    /// JSON pointer of the schema in the spec as written (`#/components/schemas/Chat`).
    pub pointer: String,
    /// The Rust type in the generated crate, by absolute path
    /// (`crate::types::Chat`, `::std::vec::Vec<crate::types::Chat>`).
    pub rust: String,
    /// What the schema is to the API.
    pub role: Role,
    /// The `operationId` (or `METHOD path`) of the first operation using it;
    /// `None` for components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

/// What a schema of the type map is to the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An entry of `#/components/schemas`.
    Component,
    /// The JSON schema of a request body.
    Request,
    /// The JSON schema of a response (success or error).
    Response,
}

impl TypeMap {
    /// The map of `api`.
    pub fn of(api: &Api) -> TypeMap {
        let mut map = TypeMap {
            crate_name: api.crate_name.clone(),
            schemas: Vec::new(),
        };
        let mut seen = std::collections::BTreeSet::new();
        for schema in &api.component_schemas {
            if seen.insert(schema.pointer.clone()) {
                map.schemas.push(entry(api, schema, Role::Component, None));
            }
        }
        for operation in &api.operations {
            for schema in &operation.json_schemas {
                if seen.insert(schema.pointer.clone()) {
                    let role = role_of(&schema.pointer);
                    map.schemas
                        .push(entry(api, schema, role, Some(operation.id.clone())));
                }
            }
        }
        map
    }

    /// The map as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Plain strings and enums only: serializing cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The entry of one schema.
fn entry(api: &Api, schema: &SchemaUse, role: Role, operation: Option<String>) -> TypeMapEntry {
    TypeMapEntry {
        pointer: schema.pointer.clone(),
        rust: compact(&type_tokens(api, &schema.ty).to_string()),
        role,
        operation,
    }
}

/// Request or response, by where the schema stands: under a `requestBody` of an
/// operation or in `#/components/requestBodies`, else under a response.
fn role_of(pointer: &str) -> Role {
    let request = pointer.starts_with("#/components/requestBodies/")
        || (pointer.starts_with("#/paths/") && pointer.split('/').any(|s| s == "requestBody"));
    if request {
        Role::Request
    } else {
        Role::Response
    }
}

/// A type's tokens as one would write them: `::std::vec::Vec<crate::types::Chat>`
/// rather than the token printer's `:: std :: vec :: Vec < crate :: types :: Chat >`.
/// Types hold only paths, angle brackets and commas, so no space is needed
/// except after a comma.
fn compact(tokens: &str) -> String {
    tokens.replace(' ', "").replace(',', ", ")
}

#[cfg(test)]
mod tests {
    use super::{compact, role_of, Role};

    #[test]
    fn compact_prints_types_as_written() {
        assert_eq!(
            compact(":: std :: collections :: BTreeMap < :: std :: string :: String , crate :: types :: Chat >"),
            "::std::collections::BTreeMap<::std::string::String, crate::types::Chat>"
        );
    }

    #[test]
    fn role_follows_the_place_of_the_schema() {
        let request = "#/paths/~1chats/post/requestBody/content/application~1json/schema";
        assert_eq!(role_of(request), Role::Request);
        let shared = "#/components/requestBodies/Chat/content/application~1json/schema";
        assert_eq!(role_of(shared), Role::Request);
        let response = "#/paths/~1chats/post/responses/200/content/application~1json/schema";
        assert_eq!(role_of(response), Role::Response);
        // A path whose template has a segment named like the keyword is no request.
        let odd = "#/paths/~1requestBody/get/responses/200/content/application~1json/schema";
        assert_eq!(role_of(odd), Role::Response);
    }
}
