//! Specs split across files: `tests/multi-file/` generates like a single document
//! (insta snapshots), diagnostics name the file and line where a problem is, and
//! the access policy holds: files outside the spec's folder and remote documents
//! are read only when allowed. Remote documents are served by a local server.

use std::path::{Path, PathBuf};
use std::time::Duration;

use generator::diagnostics::{Code, Severity};
use generator::sources::{Access, FsReader, Location};

use crate::server::{Reply, TestServer};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("multi-file")
}

fn generate(root: &Path, access: Access) -> Result<generator::Output, generator::Error> {
    let options = generator::Options {
        access,
        ..Default::default()
    };
    let reader = FsReader {
        timeout: Duration::from_millis(500),
    };
    generator::generate_from(&Location::File(root.to_owned()), &reader, &options)
}

/// A copy of the fixture in a fresh temporary folder, to be broken by a test.
fn scratch_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("multi-file-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&fixture_dir(), &dir.join("spec"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the scratch folder is writable");
    for entry in std::fs::read_dir(from).expect("the fixture folder is readable") {
        let entry = entry.expect("entry is readable");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("the fixture file copies");
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("the file is readable");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("the file is writable");
}

#[test]
fn a_spec_split_across_files_generates_the_snapshotted_rust() {
    let output = match generate(&fixture_dir().join("openapi.yaml"), Access::default()) {
        Ok(output) => output,
        Err(error) => panic!("the multi-file fixture does not generate:\n{error}"),
    };
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    let mut read: Vec<String> = output
        .documents
        .iter()
        .map(|location| match location {
            Location::File(path) => path
                .strip_prefix(fixture_dir().canonicalize().expect("the fixture exists"))
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| path.display().to_string()),
            Location::Url(url) => url.clone(),
        })
        .collect();
    read.sort();
    assert_eq!(
        read,
        [
            "common/errors.yaml",
            "common/parameters.json",
            "openapi.yaml",
            "paths/users.yaml",
            "schemas/team.yaml",
            "schemas/user.yaml"
        ]
    );
    for file in ["src/types.rs", "src/resources.rs"] {
        let suffix = file.trim_start_matches("src/");
        insta::with_settings!({
            snapshot_suffix => suffix,
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("{file} generated from tests/multi-file/openapi.yaml"),
        }, {
            insta::assert_snapshot!("multi_file", crate::snapshot_text(&output.files, file).expect("generated"));
        });
    }
}

#[test]
fn generating_from_text_cannot_follow_references_to_files() {
    let text = std::fs::read_to_string(fixture_dir().join("openapi.yaml")).expect("readable");
    let output = generator::generate(&text).expect("the root alone still generates");
    assert!(output
        .warnings
        .iter()
        .all(|w| w.code == Code::BadReference && w.message.contains("given as text")));
    assert!(!output.warnings.is_empty());
}

#[test]
fn diagnostics_in_another_file_name_it_with_line_and_pointer() {
    let dir = scratch_copy("diagnostics");
    let team = dir.join("spec/schemas/team.yaml");
    edit(&team, "    id: {type: string}", "    id: {type: strnig}");
    let output = generate(&dir.join("spec/openapi.yaml"), Access::default()).expect("generates");
    let warning = output
        .warnings
        .iter()
        .find(|w| w.code == Code::Shape)
        .expect("the bad type is reported");
    assert_eq!(warning.file.as_deref(), Some("schemas/team.yaml"));
    assert_eq!(warning.pointer, "#/Team/properties/id/type");
    assert_eq!(warning.line_column, Some((6, 10)));
    let rendered = warning.render("openapi.yaml", "");
    assert!(
        rendered.contains("--> schemas/team.yaml:6:10"),
        "{rendered}"
    );
    assert!(rendered.contains("id: {type: strnig}"), "{rendered}");
}

#[test]
fn a_missing_file_is_a_reference_to_nothing_with_the_reason() {
    let dir = scratch_copy("missing");
    std::fs::remove_file(dir.join("spec/schemas/team.yaml")).expect("removable");
    let output = generate(&dir.join("spec/openapi.yaml"), Access::default()).expect("generates");
    let missing: Vec<&generator::diagnostics::Diagnostic> = output
        .warnings
        .iter()
        .filter(|w| w.code == Code::BadReference)
        .collect();
    assert!(!missing.is_empty());
    assert!(
        missing.iter().all(|w| w.message.contains("cannot be read")),
        "{missing:?}"
    );
}

#[test]
fn files_outside_the_spec_folder_are_read_only_when_allowed() {
    let dir = scratch_copy("outside");
    std::fs::write(dir.join("shared.yaml"), "Note: {type: string}\n").expect("writable");
    edit(
        &dir.join("spec/schemas/user.yaml"),
        "  name: {type: string}",
        "  name: {type: string}\n  note: {$ref: '../../shared.yaml#/Note'}",
    );
    let root = dir.join("spec/openapi.yaml");
    let Err(generator::Error::Spec(refused)) = generate(&root, Access::default()) else {
        panic!("a reference outside the folder must be refused");
    };
    let errors: Vec<_> = refused
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, Code::ExternalReference);
    assert_eq!(errors[0].file.as_deref(), Some("schemas/user.yaml"));
    assert!(errors[0].hint.contains("--allow-refs-outside"));
    let allowed = Access {
        refs_outside: true,
        ..Access::default()
    };
    let output = generate(&root, allowed).expect("allowed, it generates");
    assert!(crate::joined(&output.files, "src/types").contains("pub note:"));
}

/// The fixture with `schemas/team.yaml` served at `base` instead of read from disk.
fn spec_with_remote_team(name: &str, base: &str) -> PathBuf {
    let dir = scratch_copy(name);
    let spec = dir.join("spec");
    for (file, from) in [
        ("openapi.yaml", "schemas/team.yaml#/Team"),
        ("schemas/user.yaml", "team.yaml#/Team"),
    ] {
        edit(&spec.join(file), from, &format!("{base}/team.yaml#/Team"));
    }
    spec.join("openapi.yaml")
}

#[tokio::test]
async fn remote_documents_are_fetched_only_when_allowed() {
    let team = std::fs::read_to_string(fixture_dir().join("schemas/team.yaml"))
        .expect("readable")
        .replace("./user.yaml", "user.yaml");
    // team.yaml refers to user.yaml beside it: the server has that too.
    let user = std::fs::read_to_string(fixture_dir().join("schemas/user.yaml")).expect("readable");
    let server = TestServer::start([
        Reply::raw(200, "application/yaml", team),
        Reply::raw(200, "application/yaml", user),
    ])
    .await;
    let root = spec_with_remote_team("remote", &server.base_url());

    let refused = {
        let root = root.clone();
        tokio::task::spawn_blocking(move || generate(&root, Access::default()))
            .await
            .expect("the generator thread finishes")
    };
    let Err(generator::Error::Spec(refused)) = refused else {
        panic!("a remote reference must be refused without the flag");
    };
    assert!(refused
        .items
        .iter()
        .any(|d| d.code == Code::ExternalReference && d.hint.contains("--allow-remote-refs")));
    assert!(
        server.requests().is_empty(),
        "nothing is fetched without the flag"
    );

    let allowed = Access {
        remote_refs: true,
        ..Access::default()
    };
    let output = tokio::task::spawn_blocking(move || generate(&root, allowed))
        .await
        .expect("the generator thread finishes")
        .expect("with the flag, the remote document is fetched");
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(paths, ["/team.yaml", "/user.yaml"]);
    assert!(crate::joined(&output.files, "src/types").contains("pub struct Team"));
}

#[tokio::test]
async fn a_remote_document_that_does_not_answer_times_out() {
    let server = TestServer::start([Reply::stall()]).await;
    let root = spec_with_remote_team("stall", &server.base_url());
    let allowed = Access {
        remote_refs: true,
        ..Access::default()
    };
    let started = std::time::Instant::now();
    let output = tokio::task::spawn_blocking(move || generate(&root, allowed))
        .await
        .expect("the generator thread finishes")
        .expect("an unanswered reference is a reference to nothing");
    // The reader's timeout is 500 ms; far less than the server's silence.
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(output
        .warnings
        .iter()
        .any(|w| w.code == Code::BadReference && w.message.contains("no answer within")));
}
