//! Defect injection, beside `mutations`: every class of defect real specs carry is
//! applied, programmatically, to every fixture spec where it fits, and each result
//! must generate with the warning code of its class (for the classes that need
//! no repair, such as shadowing names, it must generate at all).
//!
//! With `DEFECTS_OUT=<dir>` set, every injected spec is also written there as
//! JSON (`<fixture>--<defect>.json`), so CI can compile a sample of them with
//! `tests/compile-specs.sh`.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

/// One class of defect: its name, the warning code it must produce (`None` when
/// the generator needs no repair for it), and how to apply it to a spec; the
/// injector returns `false` when the spec has no place for it.
struct Defect {
    name: &'static str,
    code: Option<&'static str>,
    inject: fn(&mut Value) -> bool,
}

const DEFECTS: &[Defect] = &[
    Defect {
        name: "ref-to-nothing",
        code: Some("E0101"),
        inject: ref_to_nothing,
    },
    Defect {
        name: "ref-to-wrong-kind",
        code: Some("E0103"),
        inject: ref_to_wrong_kind,
    },
    Defect {
        name: "undeclared-path-parameter",
        code: Some("E0201"),
        inject: undeclared_path_parameter,
    },
    Defect {
        name: "duplicate-operation-id",
        code: Some("E0202"),
        inject: duplicate_operation_id,
    },
    Defect {
        name: "shadowing-names",
        code: None,
        inject: shadowing_names,
    },
    Defect {
        name: "empty-title",
        code: Some("E0007"),
        inject: empty_title,
    },
    Defect {
        name: "type-list-in-30",
        code: Some("E0005"),
        inject: type_list_in_30,
    },
    Defect {
        name: "bound-beyond-64-bits",
        code: Some("E0006"),
        inject: bound_beyond_64_bits,
    },
    Defect {
        name: "list-parameters-everywhere",
        code: None,
        inject: list_parameters_everywhere,
    },
    Defect {
        name: "keyword-of-wrong-type",
        code: Some("E0004"),
        inject: keyword_of_wrong_type,
    },
];

fn fixtures() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/fixtures is readable")
        .map(|e| e.expect("entry is readable").path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("the fixture is readable");
            let value = generator::load::parse::parse(&text)
                .expect("the fixture parses")
                .value;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, value)
        })
        .collect()
}

#[test]
fn every_defect_class_generates_with_its_warning_on_every_fixture() {
    let out = std::env::var_os("DEFECTS_OUT").map(PathBuf::from);
    if let Some(out) = &out {
        std::fs::create_dir_all(out).expect("DEFECTS_OUT is writable");
    }
    let mut failures = Vec::new();
    let mut applied = vec![0usize; DEFECTS.len()];
    for (fixture, original) in fixtures() {
        for (index, defect) in DEFECTS.iter().enumerate() {
            let mut spec = original.clone();
            if !(defect.inject)(&mut spec) {
                continue;
            }
            applied[index] += 1;
            let text = serde_json::to_string_pretty(&spec).expect("a JSON value serializes");
            if let Some(out) = &out {
                let path = out.join(format!("{fixture}--{}.json", defect.name));
                std::fs::write(path, &text).expect("DEFECTS_OUT is writable");
            }
            match generator::generate(&text) {
                Ok(output) => {
                    let codes: Vec<&str> =
                        output.warnings.iter().map(|w| w.code.as_str()).collect();
                    if let Some(code) = defect.code {
                        if !codes.contains(&code) {
                            failures.push(format!(
                                "{fixture} + {}: no {code} among {codes:?}",
                                defect.name
                            ));
                        }
                    }
                }
                Err(error) => failures.push(format!(
                    "{fixture} + {}: does not generate:\n{error}",
                    defect.name
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for (defect, count) in DEFECTS.iter().zip(&applied) {
        assert!(
            *count >= 3,
            "{} applied to only {count} fixtures",
            defect.name
        );
    }
}

fn object(value: &mut Value) -> Option<&mut Map<String, Value>> {
    value.as_object_mut()
}

/// The operations of a spec, in document order: (path, method, operation).
fn operations(spec: &mut Value) -> Vec<(String, String, &mut Value)> {
    let mut found = Vec::new();
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(item) = item.as_object_mut() {
                for (method, operation) in item.iter_mut() {
                    if matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch") {
                        found.push((path.clone(), method.clone(), operation));
                    }
                }
            }
        }
    }
    found
}

/// The first component schema that is an object with properties.
fn object_schema(spec: &mut Value) -> Option<&mut Map<String, Value>> {
    let schemas = spec.pointer_mut("/components/schemas")?.as_object_mut()?;
    schemas
        .values_mut()
        .filter_map(Value::as_object_mut)
        .find(|s| s.get("properties").is_some_and(Value::is_object))
}

/// Adds the property `injected` with `schema` to the first object schema.
fn add_property(spec: &mut Value, schema: Value) -> bool {
    let Some(schema_object) = object_schema(spec) else {
        return false;
    };
    let Some(properties) = schema_object
        .get_mut("properties")
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    properties.insert("injected".to_owned(), schema);
    true
}

fn ref_to_nothing(spec: &mut Value) -> bool {
    add_property(
        spec,
        json!({"$ref": "#/components/schemas/InjectedNowhere"}),
    )
}

fn ref_to_wrong_kind(spec: &mut Value) -> bool {
    let Some(name) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .and_then(|s| s.keys().next().cloned())
    else {
        return false;
    };
    let Some((_, _, operation)) = operations(spec).into_iter().next() else {
        return false;
    };
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    let reference = format!(
        "#/components/schemas/{}",
        name.replace('~', "~0").replace('/', "~1")
    );
    responses.insert("418".to_owned(), json!({ "$ref": reference }));
    true
}

fn undeclared_path_parameter(spec: &mut Value) -> bool {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return false;
    };
    let Some(path) = paths.keys().next().cloned() else {
        return false;
    };
    let Some(item) = paths.shift_remove(&path) else {
        return false;
    };
    paths.insert(format!("{path}/{{injectedID}}"), item);
    true
}

fn duplicate_operation_id(spec: &mut Value) -> bool {
    let mut operations = operations(spec);
    if operations.len() < 2 {
        return false;
    }
    // The first operation's id (and tag, so both land in one resource group)
    // on the second; `x-rust-name` would keep them apart, so it goes.
    let Some(id) = operations[0].2.get("operationId").cloned() else {
        return false;
    };
    let tags = operations[0].2.get("tags").cloned();
    if let Some(first) = object(operations[0].2) {
        first.shift_remove("x-rust-name");
    }
    let Some(second) = object(operations[1].2) else {
        return false;
    };
    second.shift_remove("x-rust-name");
    second.insert("operationId".to_owned(), id);
    match tags {
        Some(tags) => second.insert("tags".to_owned(), tags),
        None => second.shift_remove("tags"),
    };
    true
}

fn shadowing_names(spec: &mut Value) -> bool {
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    for name in [
        "Result", "Option", "Box", "String", "Vec", "Error", "Client",
    ] {
        schemas.entry(name).or_insert_with(
            || json!({"type": "object", "properties": {"value": {"type": "string"}}}),
        );
    }
    schemas.insert(
        "Outcome".to_owned(),
        json!({"type": "string", "enum": ["Err", "Ok", "Some", "None", "Default", "Other", "Self"]}),
    );
    schemas.insert(
        "Either".to_owned(),
        json!({"oneOf": [{"$ref": "#/components/schemas/Result"}, {"$ref": "#/components/schemas/Option"}]}),
    );
    true
}

fn empty_title(spec: &mut Value) -> bool {
    match spec.pointer_mut("/info/title") {
        Some(title) => {
            *title = json!("");
            true
        }
        None => false,
    }
}

fn type_list_in_30(spec: &mut Value) -> bool {
    if !spec
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"))
    {
        return false;
    }
    add_property(spec, json!({"type": ["string", "null"]}))
}

fn bound_beyond_64_bits(spec: &mut Value) -> bool {
    add_property(
        spec,
        json!({"type": "integer", "minimum": -9223372036854776000.0_f64, "maximum": 18446744073709551616.0_f64}),
    )
}

fn list_parameters_everywhere(spec: &mut Value) -> bool {
    let Some((_, _, operation)) = operations(spec).into_iter().next() else {
        return false;
    };
    let Some(operation) = object(operation) else {
        return false;
    };
    let parameters = operation
        .entry("parameters")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(parameters) = parameters.as_array_mut() else {
        return false;
    };
    parameters.extend([
        json!({"name": "X-Injected-Ids", "in": "header", "schema": {"type": "array", "items": {"type": "integer"}}}),
        json!({"name": "X-Injected-Box", "in": "header", "schema": {"type": "object", "properties": {"w": {"type": "integer"}}}}),
        json!({"name": "injectedPick", "in": "query", "schema": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}}),
        json!({"name": "injectedPrefs", "in": "cookie", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}}),
    ]);
    true
}

fn keyword_of_wrong_type(spec: &mut Value) -> bool {
    add_property(
        spec,
        json!({"type": "String", "pattern": 0, "maxLength": "10"}),
    )
}
