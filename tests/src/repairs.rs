//! The defects real specs carry, one spec per class under `tests/repairs/`: each
//! one generates, repaired, with the warning codes of its class; what it reports
//! (rendered as the CLI prints it) is an insta snapshot; CI compiles the crates
//! they give (`tests/compile-specs.sh tests/repairs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every spec of `tests/repairs/` and the warning codes it must produce.
const EXPECTED: &[(&str, &[&str])] = &[
    ("bad_extensions.yaml", &["E0101", "E0302"]),
    ("big_numbers.json", &["E0006"]),
    ("big_numbers.yaml", &["E0006"]),
    ("framework_output.yaml", &["E0007"]),
    ("missing_title.yaml", &["E0007"]),
    ("path_templates.yaml", &["E0201"]),
    ("ref_to_nothing.yaml", &["E0005", "E0101"]),
    ("ref_to_wrong_kind.yaml", &["E0103"]),
    ("servers_and_security.yaml", &["E0007", "E0301"]),
    ("version_habits_30.yaml", &["E0005"]),
    ("version_habits_31.yaml", &["E0301"]),
    (
        "wrong_shapes.yaml",
        &["E0001", "E0004", "E0005", "E0007", "E0301"],
    ),
];

fn repairs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("repairs")
}

fn generate(path: &Path) -> generator::Output {
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    let options = generator::Options {
        spec_name: Some(path.display().to_string()),
        ..Default::default()
    };
    generator::generate_with(&text, &options)
        .unwrap_or_else(|e| panic!("{} does not generate:\n{e}", path.display()))
}

#[test]
fn every_defect_class_generates_with_its_warning_codes() {
    let mut on_disk: Vec<String> = std::fs::read_dir(repairs_dir())
        .expect("tests/repairs is readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        on_disk, listed,
        "every spec of tests/repairs is listed here"
    );
    for (name, codes) in EXPECTED {
        let output = generate(&repairs_dir().join(name));
        let found: BTreeSet<&str> = output.warnings.iter().map(|w| w.code.as_str()).collect();
        let expected: BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(found, expected, "{name}: {:#?}", output.warnings);
        assert!(
            output.warnings.iter().all(|w| w.line_column.is_some()),
            "{name}: located"
        );
    }
}

#[test]
fn repairs_report_what_they_did() {
    insta::glob!("../repairs", "*.*", |path| {
        insta::assert_snapshot!(crate::bad_specs::report(path));
    });
}

#[test]
fn a_crate_without_a_title_is_named_after_its_file() {
    let output = generate(&repairs_dir().join("missing_title.yaml"));
    assert!(
        output.files["Cargo.toml"].contains("name = \"missing-title\""),
        "{}",
        output.files["Cargo.toml"]
    );
}

#[test]
fn numbers_beyond_64_bits_read_the_same_in_yaml_and_json() {
    let yaml = generate(&repairs_dir().join("big_numbers.yaml"));
    let json = generate(&repairs_dir().join("big_numbers.json"));
    let bounds = |output: &generator::Output| {
        output
            .warnings
            .iter()
            .filter(|w| w.pointer.contains("parameters"))
            .map(|w| w.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(bounds(&yaml), bounds(&json));
    assert_eq!(bounds(&yaml).len(), 2);
}

#[test]
fn server_variables_take_their_defaults_in_the_base_url() {
    let spec = "openapi: 3.0.3\ninfo: {title: Regions, version: '1'}\nservers:\n  - url: 'https://{region}.example.com/{version}'\n    variables:\n      region: {default: eu, enum: [eu, us]}\n      version: {default: v2}\npaths: {}\n";
    let output = generator::generate(spec).expect("generates");
    assert!(
        output.files["src/lib.rs"].contains("\"https://eu.example.com/v2\""),
        "{}",
        output.files["src/lib.rs"]
    );
}

#[test]
fn framework_habits_give_typed_calls() {
    let output = generate(&repairs_dir().join("framework_output.yaml"));
    let resources = &crate::joined(&output.files, "src/resources");
    // springdoc's `*/*` with a schema is JSON, both ways.
    assert!(resources.contains("type Output = crate::types::Category;"));
    assert!(resources.contains("request.json(&self.body, \"application/json\")?;"));
    // dropshot's unit type (`enum: [null]`) accepts the `null` the server sends.
    assert!(resources.contains("type Output = ::std::option::Option<::std::string::String>;"));
    // The path-level server is the base URL, without its trailing `/`.
    assert!(output.files["src/lib.rs"]
        .contains("pub const DEFAULT_BASE_URL: &str = \"https://api.example.com/v1\";"));
    // Pydantic's `minimum: 0.0` is the integer bound it says, with no warning.
    assert!(!output.warnings.iter().any(|w| w.code.as_str() == "E0006"));
}
