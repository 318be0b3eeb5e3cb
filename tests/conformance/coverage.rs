//! The table of [`crate::operations`] against the spec: it must name every
//! operation exactly once with the success status the spec declares, and every
//! operation must declare exactly the statuses the error tests ask for, so a new
//! operation or status in the spec fails here until the suite covers it.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::mock::{bodiless_statuses, error_statuses, other_successes};

/// The HTTP methods an OpenAPI path item can hold operations under.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

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
        let (success, errors): (Vec<u16>, Vec<u16>) =
            statuses(operation).into_iter().partition(|s| *s / 100 == 2);
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
