//! The table of [`crate::operations`] against the spec: it must name every
//! operation exactly once with the success status the spec declares, and every
//! operation must declare the error statuses the error tests ask for, so a new
//! operation or status in the spec fails here until the suite covers it.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::mock::ERROR_STATUSES;

/// The HTTP methods an OpenAPI path item can hold operations under.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[test]
fn the_table_names_every_operation_of_the_spec_with_its_statuses() {
    let mut table = BTreeMap::new();
    macro_rules! collect {
        ($(#[$attr:meta])* $name:ident, $operation:literal, $status:literal, $($rest:tt)*) => {
            let previous = table.insert($operation.to_owned(), $status.to_string());
            assert!(previous.is_none(), "{} is listed twice", $operation);
        };
    }
    operations!(collect);

    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/beeper-desktop-api.yaml"
    );
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    let spec: Value = generator::load::parse::parse(&text)
        .expect("the spec is YAML")
        .value;
    let paths = spec["paths"].as_object().expect("the spec has paths");
    let mut in_spec = BTreeMap::new();
    let expected_errors: Vec<String> = ERROR_STATUSES.iter().map(u16::to_string).collect();
    for (route, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .expect("every operation has an id");
            let statuses = operation["responses"].as_object().expect("responses");
            let statuses: Vec<String> = statuses.keys().cloned().collect();
            let (success, errors): (Vec<String>, Vec<String>) =
                statuses.into_iter().partition(|s| s.starts_with('2'));
            assert_eq!(
                success.len(),
                1,
                "{id} ({method} {route:?}): one 2xx status"
            );
            assert_eq!(errors, expected_errors, "{id}: the declared error statuses");
            in_spec.insert(id.to_owned(), success[0].clone());
        }
    }
    assert_eq!(
        table, in_spec,
        "operations!: (operationId, success status) pairs"
    );
    assert!(table.len() >= 20, "the spec has at least 20 operations");
}
