//! The table of [`crate::operations`] against the spec: it must name every
//! operation exactly once with the success status the spec declares, and every
//! operation must declare exactly the statuses the error tests ask for, so a new
//! operation or status in the spec fails here until the suite covers it.
//!
//! When Beeper's own description of the API is beside the repository
//! (`../shared/reference/beeper-desktop-openapi.json`, or the file named by
//! [`UPSTREAM_ENV`]), the spec is also compared with it: the same operations
//! under the same methods, paths and ids (plus our deprecated v0 routes), with
//! the same parameters, request media types, statuses and authentication.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::mock::{bodiless_statuses, error_statuses, other_successes};

/// The HTTP methods an OpenAPI path item can hold operations under.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The variable naming Beeper's description, if it is not at the default place.
pub const UPSTREAM_ENV: &str = "CONFORMANCE_UPSTREAM_SPEC";

/// Parameters our spec declares and Beeper's does not: (operationId, name, in).
/// The asset stream's `Range` header is standard HTTP that the server honours;
/// we name it so the client has a setter for it.
const OUR_EXTRA_PARAMETERS: [(&str, &str, &str); 1] = [("serveAsset", "Range", "header")];

/// `spec/beeper-desktop-api.yaml`, parsed.
fn our_spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/beeper-desktop-api.yaml"
    );
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    generator::load::parse::parse(&text)
        .expect("the spec is YAML")
        .value
}

/// Beeper's description, when it is present.
fn upstream_spec() -> Option<(PathBuf, Value)> {
    let path = match std::env::var_os(UPSTREAM_ENV) {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/reference/beeper-desktop-openapi.json"),
    };
    let text = std::fs::read_to_string(&path).ok()?;
    let spec = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    Some((path, spec))
}

/// Every operation of `spec` by (method, path).
fn operations_of(spec: &Value) -> BTreeMap<(String, String), &Value> {
    let paths = spec["paths"].as_object().expect("the spec has paths");
    let mut found = BTreeMap::new();
    for (route, item) in paths {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.insert((method.to_owned(), route.clone()), operation);
            }
        }
    }
    found
}

/// `value`, or what its local `$ref` points at.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local reference");
            let target = spec
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} points at nothing"));
            resolve(spec, target)
        }
        None => value,
    }
}

fn id_of(operation: &Value) -> &str {
    operation["operationId"]
        .as_str()
        .expect("every operation has an id")
}

/// The declared statuses of an operation, numerically sorted.
fn statuses(operation: &Value) -> Vec<u16> {
    let responses = operation["responses"].as_object().expect("responses");
    let mut statuses: Vec<u16> = responses
        .keys()
        .map(|s| s.parse().expect("numeric statuses"))
        .collect();
    statuses.sort_unstable();
    statuses
}

#[test]
fn the_table_names_every_operation_of_the_spec_with_its_statuses() {
    let mut table = BTreeMap::new();
    macro_rules! collect {
        ($(#[$attr:meta])* $name:ident, $operation:literal, $status:literal, $($rest:tt)*) => {
            let previous = table.insert($operation.to_owned(), $status);
            assert!(previous.is_none(), "{} is listed twice", $operation);
        };
    }
    operations!(collect);

    let spec = our_spec();
    let mut in_spec = BTreeMap::new();
    for ((method, route), operation) in operations_of(&spec) {
        let id = id_of(operation);
        let (success, errors): (Vec<u16>, Vec<u16>) = statuses(operation)
            .into_iter()
            .partition(|s| *s / 100 == 2 || *s == 304);
        let Some((&first, others)) = success.split_first() else {
            panic!("{id} ({method} {route:?}): no 2xx status");
        };
        assert_eq!(
            others,
            other_successes(id),
            "{id}: the 2xx statuses besides {first} (mock::other_successes)"
        );
        let mut expected: Vec<u16> = error_statuses(id).to_vec();
        expected.extend(bodiless_statuses(id));
        expected.sort_unstable();
        assert_eq!(
            errors, expected,
            "{id}: the declared error statuses (mock::error_statuses, mock::bodiless_statuses)"
        );
        for status in bodiless_statuses(id) {
            let response = resolve(&spec, &operation["responses"][status.to_string()]);
            assert!(
                response.get("content").is_none(),
                "{id}: {status} is tested as an answer without a body"
            );
        }
        in_spec.insert(id.to_owned(), first);
    }
    assert_eq!(
        table, in_spec,
        "operations!: (operationId, success status) pairs"
    );
    assert!(table.len() >= 31, "the spec has at least 31 operations");
}

/// What a parameter is, as far as the comparison goes: whether it is required,
/// and the type and values of its schema (and of its items).
fn parameter_shape(spec: &Value, parameter: &Value) -> Value {
    let schema = resolve(spec, &parameter["schema"]);
    let items = resolve(spec, &schema["items"]);
    serde_json::json!({
        "required": parameter["required"].as_bool().unwrap_or(false),
        "type": schema["type"],
        "enum": schema["enum"],
        "items": {"type": items["type"], "enum": items["enum"]},
    })
}

/// An operation's parameters by (name, in).
fn parameters(spec: &Value, operation: &Value) -> BTreeMap<(String, String), Value> {
    let list = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    list.iter()
        .map(|parameter| {
            let parameter = resolve(spec, parameter);
            let key = (
                parameter["name"].as_str().expect("named").to_owned(),
                parameter["in"].as_str().expect("located").to_owned(),
            );
            (key, parameter_shape(spec, parameter))
        })
        .collect()
}

/// The media types of an operation's request body.
fn body_media(spec: &Value, operation: &Value) -> BTreeSet<String> {
    let body = resolve(spec, &operation["requestBody"]);
    body["content"]
        .as_object()
        .map(|content| content.keys().cloned().collect())
        .unwrap_or_default()
}

/// Whether the operation needs a token: its own `security`, else the document's.
fn authenticated(spec: &Value, operation: &Value) -> bool {
    let security = operation.get("security").unwrap_or(&spec["security"]);
    security.as_array().is_some_and(|list| !list.is_empty())
}

#[test]
fn the_spec_declares_the_operations_of_beepers_own_description() {
    let Some((path, upstream)) = upstream_spec() else {
        eprintln!(
            "SKIPPED the comparison with Beeper's description: no file at \
             ../shared/reference/beeper-desktop-openapi.json (or ${UPSTREAM_ENV})"
        );
        return;
    };
    let ours = our_spec();
    let their_operations = operations_of(&upstream);
    let our_operations = operations_of(&ours);
    let mut problems = Vec::new();
    for ((method, route), theirs) in &their_operations {
        let id = id_of(theirs);
        let Some(mine) = our_operations.get(&(method.clone(), route.clone())) else {
            problems.push(format!("{id} ({method} {route}) is missing"));
            continue;
        };
        if id_of(mine) != id {
            problems.push(format!(
                "{method} {route}: operationId {} instead of {id}",
                id_of(mine)
            ));
        }
        let mut my_parameters = parameters(&ours, mine);
        for (operation, name, location) in OUR_EXTRA_PARAMETERS {
            if operation == id {
                my_parameters.remove(&(name.to_owned(), location.to_owned()));
            }
        }
        let their_parameters = parameters(&upstream, theirs);
        let names: BTreeSet<_> = my_parameters
            .keys()
            .chain(their_parameters.keys())
            .collect();
        for key in names {
            let (mine, theirs) = (my_parameters.get(key), their_parameters.get(key));
            if mine != theirs {
                problems.push(format!(
                    "{id}: parameter {key:?}: ours {mine:?}, Beeper's {theirs:?}"
                ));
            }
        }
        let (my_media, their_media) = (body_media(&ours, mine), body_media(&upstream, theirs));
        if my_media != their_media {
            problems.push(format!(
                "{id}: request media types: ours {my_media:?}, Beeper's {their_media:?}"
            ));
        }
        let (my_statuses, their_statuses) = (statuses(mine), statuses(theirs));
        if my_statuses != their_statuses {
            problems.push(format!(
                "{id}: statuses: ours {my_statuses:?}, Beeper's {their_statuses:?}"
            ));
        }
        if authenticated(&ours, mine) != authenticated(&upstream, theirs) {
            problems.push(format!("{id}: a token is needed in one spec only"));
        }
    }
    for ((method, route), mine) in &our_operations {
        let key = (method.clone(), route.clone());
        let deprecated = mine["deprecated"].as_bool().unwrap_or(false);
        if !their_operations.contains_key(&key) && !deprecated {
            problems.push(format!(
                "{} ({method} {route}) is not in Beeper's description",
                id_of(mine)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "spec/beeper-desktop-api.yaml differs from {}:\n{}",
        path.display(),
        problems.join("\n")
    );
}
