//! The `generator` binary end to end: exit codes, what it prints, and that it
//! writes nothing when the spec has errors (or warnings under `--deny-warnings`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh directory under the system temp dir, unique per test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file is writable");
    path.display().to_string()
}

const VALID: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses: {'204': {description: ok}}\n";

#[test]
fn an_unreadable_spec_is_a_clear_error() {
    let output = run(&[
        "--spec",
        "/nonexistent/spec.yaml",
        "--out",
        "/nonexistent/out",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("cannot read the spec at /nonexistent/spec.yaml"),
        "{text}"
    );
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn a_spec_with_errors_writes_nothing_and_names_file_line_and_pointer() {
    let dir = scratch("errors");
    let spec = write(&dir, "bad.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'204': {description: ok}}\n");
    let out = dir.join("out");
    let output = run(&["--spec", &spec, "--out", &out.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("error[E0201]"), "{text}");
    assert!(text.contains(&format!("{spec}:5:5")), "{text}");
    assert!(text.contains("= at: #/paths/~1a~1{id}/get"), "{text}");
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn deny_warnings_turns_warnings_into_a_failure() {
    let dir = scratch("warnings");
    let spec = write(
        &dir,
        "warn.yaml",
        &format!("{VALID}components:\n  schemas:\n    S: {{type: string, enum: [a, 1]}}\n"),
    );
    let out = dir.join("out");
    let plain = run(&["--spec", &spec, "--out", &out.display().to_string()]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert!(stderr(&plain).contains("warning[E0004]"));
    let _ = std::fs::remove_dir_all(&out);
    let denied = run(&[
        "--deny-warnings",
        "--spec",
        &spec,
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        stderr(&denied).contains("--deny-warnings"),
        "{}",
        stderr(&denied)
    );
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn check_passes_after_generation_and_names_every_stale_file() {
    let dir = scratch("check");
    let spec = write(&dir, "ok.yaml", VALID);
    let out = dir.join("out").display().to_string();
    assert_eq!(
        run(&["--spec", &spec, "--out", &out]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["--check", "--spec", &spec, "--out", &out])
            .status
            .code(),
        Some(0)
    );
    std::fs::write(dir.join("out/src/lib.rs"), "// edited by hand\n").expect("writable");
    std::fs::remove_file(dir.join("out/README.md")).expect("removable");
    let output = run(&["--check", "--spec", &spec, "--out", &out]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("changed: src/lib.rs") && text.contains("missing: README.md"),
        "{text}"
    );
    assert!(text.contains("run `cargo run -p generator`"), "{text}");
}

#[test]
fn unknown_flags_are_usage_errors() {
    let output = run(&["--frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("usage:"));
}
