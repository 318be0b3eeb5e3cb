//! Snapshot tests of the generator on small fixture specs, part of the `tests`
//! crate (`cargo test -p tests snapshots`).
//!
//! Each `tests/fixtures/*.yaml` is a minimal OpenAPI 3.0 document showing one
//! feature (its first line says which). For every fixture, the modules of
//! `src/types/` and of `src/resources/` (each joined into one text, still named
//! `types.rs` and `resources.rs`) and `src/lib.rs` of the generated crate are compared with
//! insta snapshots in `tests/src/snapshots/`, named `<fixture>@<file>.snap`
//! (e.g. `allof_merge@types.rs.snap`). After an intended change to the generator,
//! update them with `INSTA_UPDATE=always cargo test -p tests snapshots` (or
//! `cargo insta review`) and read the diff.
//!
//! A second test checks that each fixture generates without warnings, except the
//! ones it announces with `# expect-warning: <code> <pointer>` lines.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The generated files that are snapshotted, as keys of `Output.files` (the first
/// two name the joined modules, see `snapshot_text`).
const SNAPSHOTTED: &[&str] = &["src/types.rs", "src/resources.rs", "src/lib.rs"];

/// Files only some specs produce, snapshotted when they are there (the module of
/// a spec with live events).
const SNAPSHOTTED_IF_PRESENT: &[&str] = &["src/events/mod.rs"];

/// Header lines by which a fixture announces a warning it is meant to produce.
const EXPECT_WARNING: &str = "# expect-warning:";

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every fixture, sorted, so failures are reported in a stable order.
fn fixture_paths() -> Vec<PathBuf> {
    let entries = std::fs::read_dir(fixtures_dir()).expect("tests/fixtures is readable");
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("tests/fixtures entry is readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    paths
}

fn fixture_name(path: &Path) -> String {
    path.file_stem()
        .expect("fixture has a file name")
        .to_string_lossy()
        .into_owned()
}

fn read_fixture(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Generates a fixture, failing the test with every diagnostic if it does not generate.
fn generate(path: &Path, text: &str) -> generator::Output {
    generator::generate(text)
        .unwrap_or_else(|error| panic!("fixture {} does not generate:\n{error}", path.display()))
}

/// The first line of a fixture: the comment saying what it covers.
fn covers(text: &str) -> &str {
    text.lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim()
}

#[test]
fn fixtures_generate_the_snapshotted_rust() {
    insta::glob!("../fixtures", "*.yaml", |path| {
        let text = read_fixture(path);
        let output = generate(path, &text);
        let fixture = fixture_name(path);
        for file in SNAPSHOTTED {
            assert!(
                crate::snapshot_text(&output.files, file).is_some(),
                "fixture {fixture} generated no {file}"
            );
        }
        let present = SNAPSHOTTED_IF_PRESENT
            .iter()
            .filter(|file| output.files.contains_key(**file));
        for file in SNAPSHOTTED.iter().chain(present) {
            let generated = crate::snapshot_text(&output.files, file).expect("checked above");
            let suffix = file.trim_start_matches("src/").replace('/', "-");
            insta::with_settings!({
                snapshot_suffix => suffix,
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("{file} generated from tests/fixtures/{fixture}.yaml ({})", covers(&text)),
            }, {
                insta::assert_snapshot!(fixture.as_str(), generated);
            });
        }
    });
}

#[test]
fn fixtures_generate_without_unexpected_warnings() {
    let paths = fixture_paths();
    assert!(
        paths.len() >= 14,
        "expected the fixture specs in {}",
        fixtures_dir().display()
    );
    let mut failures = Vec::new();
    for path in &paths {
        let text = read_fixture(path);
        assert!(
            text.starts_with("# "),
            "{} must start with a comment saying what it covers",
            path.display()
        );
        let expected: BTreeSet<String> = text
            .lines()
            .filter_map(|line| line.strip_prefix(EXPECT_WARNING))
            .map(|rest| rest.trim().to_owned())
            .collect();
        let output = generate(path, &text);
        let actual: BTreeSet<String> = output
            .warnings
            .iter()
            .map(|w| format!("{} {}", w.code.as_str(), w.pointer))
            .collect();
        if actual != expected {
            let printed: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{}: expected warnings {expected:?}, got {actual:?}:\n{}",
                fixture_name(path),
                printed.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures with unexpected warnings:\n\n{}",
        failures.join("\n\n")
    );
}
