//! Prose kept in files: `tests/prose-refs/` puts descriptions, a summary and an
//! extension in Markdown and text files, as Redocly's multi-file layout does.
//! Each becomes the text where it is used (snapshots; tag descriptions and
//! extensions, which the generator does not print, are checked by `load`'s
//! tests); a YAML file holding one
//! string gives that string; a file that is neither is taken as written with a
//! located warning; a property named `description` stays a schema; and the
//! folder guard applies to these files too.

use std::path::{Path, PathBuf};

use generator::diagnostics::Code;
use generator::sources::{Access, FsReader, Location};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("prose-refs/openapi.yaml")
}

fn generate(root: &Path) -> Result<generator::Output, generator::Error> {
    let options = generator::Options::default();
    generator::generate_from(
        &Location::File(root.to_owned()),
        &FsReader::default(),
        &options,
    )
}

#[test]
fn prose_by_reference_is_the_text_of_the_file() {
    let output = generate(&fixture()).unwrap_or_else(|e| panic!("generates:\n{e}"));
    let lib = crate::snapshot_text(&output.files, "src/lib.rs").expect("generated");
    assert!(
        lib.contains("Keeps **short notes** and finds them again."),
        "{lib}"
    );
    let resources = crate::joined(&output.files, "src/resources");
    assert!(
        resources.contains("Returns the note with this id"),
        "{resources}"
    );
    assert!(resources.contains("Fetch one note"), "{resources}");
    assert!(
        resources.contains("The id the note was created with."),
        "{resources}"
    );
    let types = crate::joined(&output.files, "src/types");
    assert!(types.contains("A short note, as stored."), "{types}");
    // The property named `description` is the string schema of its file.
    assert!(
        types.contains("What the note says, in one line."),
        "{types}"
    );
    assert!(
        types.contains("pub description: ::std::option::Option<crate::types::Description>"),
        "{types}"
    );
    assert!(
        types.contains("pub type Description = ::std::string::String;"),
        "{types}"
    );
    insta::assert_snapshot!(
        "prose_refs_resources",
        crate::snapshot_text(&output.files, "src/resources/notes.rs").expect("generated")
    );
    // Only the JSON file that holds an object, not text, is worth a word.
    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|w| format!("{} {}", w.pointer, w.message))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let warning = &output.warnings[0];
    assert_eq!(warning.code, Code::Shape);
    assert_eq!(
        warning.pointer,
        "#/paths/~1notes~1{id}/get/responses/200/description"
    );
    assert!(
        warning.message.contains("./docs/found.json"),
        "{}",
        warning.message
    );
    assert!(warning.line_column.is_some(), "the warning has a line");
}

#[test]
fn prose_files_outside_the_folder_are_refused_and_missing_ones_named() {
    let dir = std::env::temp_dir().join(format!("prose-refs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec")).expect("writable");
    std::fs::write(dir.join("secret.md"), "not for the docs\n").expect("writable");
    let spec = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n  description: {$ref: ../secret.md}\npaths:\n  /a:\n    get:\n      operationId: getA\n      description: {$ref: ./missing.md}\n      responses: {'204': {description: ok}}\n";
    std::fs::write(dir.join("spec/api.yaml"), spec).expect("writable");
    let error = match generate(&dir.join("spec/api.yaml")) {
        Err(generator::Error::Spec(diagnostics)) => diagnostics,
        other => panic!("the outside file must be refused, got {other:?}"),
    };
    let text = error.to_string();
    assert!(
        text.contains("E0104") && text.contains("secret.md"),
        "{text}"
    );
    assert!(!text.contains("not for the docs"), "{text}");
    let allowed = generator::Options {
        access: Access {
            refs_outside: true,
            ..Access::default()
        },
        ..Default::default()
    };
    let output = generator::generate_from(
        &Location::File(dir.join("spec/api.yaml")),
        &FsReader::default(),
        &allowed,
    )
    .expect("generates when allowed");
    let missing = output
        .warnings
        .iter()
        .find(|w| w.code == Code::BadReference)
        .expect("the missing file is named");
    assert!(
        missing.message.contains("./missing.md"),
        "{}",
        missing.message
    );
    assert_eq!(missing.pointer, "#/paths/~1a/get/description");
}
