//! The generator on bad and unfamiliar input: every spec under `tests/bad-specs/`
//! is generated and everything it reports (errors and warnings, rendered as the
//! CLI prints them, with line, column and JSON pointer) is an insta snapshot,
//! together with whether files were generated. A panic fails the test.

use std::path::Path;

/// What the CLI would print for `path`, and the outcome.
pub(crate) fn report(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("bad spec is readable");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = generator::Options {
        spec_name: Some(name.clone()),
        ..Default::default()
    };
    let (diagnostics, outcome) = match generator::generate_with(&text, &options) {
        Ok(output) => {
            let outcome = format!("generated {} files", output.files.len());
            (output.warnings, outcome)
        }
        Err(generator::Error::Spec(diagnostics)) => {
            (diagnostics.items, "nothing generated".to_owned())
        }
        Err(other) => panic!("{name}: internal error instead of diagnostics: {other}"),
    };
    let mut out = String::new();
    for diagnostic in &diagnostics {
        out.push_str(&diagnostic.render(&name, &text));
        out.push_str("\n\n");
    }
    out.push_str(&format!("result: {outcome}\n"));
    out
}

#[test]
fn bad_specs_give_located_diagnostics() {
    insta::glob!("../bad-specs", "*.*", |path| {
        insta::assert_snapshot!(report(path));
    });
}

#[test]
fn every_bad_spec_reports_something() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bad-specs");
    for entry in std::fs::read_dir(&dir).expect("tests/bad-specs is readable") {
        let path = entry.expect("entry is readable").path();
        let report = report(&path);
        assert!(
            report.contains("[E0"),
            "{} reports nothing:\n{report}",
            path.display()
        );
        for line in report
            .lines()
            .filter(|l| l.starts_with("error") || l.starts_with("warning"))
        {
            assert!(!line.contains("panicked"), "{line}");
        }
    }
}
