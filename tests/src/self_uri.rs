//! OpenAPI 3.2's `$self` (`tests/self-uri/`): references resolve against the
//! URI the spec gives itself. One by that full URI stays inside the document,
//! one that resolves into its folder reads the file at that place beside the
//! spec, and one that resolves anywhere else is a remote document, refused with
//! a located error unless remote references are allowed.

use std::path::{Path, PathBuf};

use generator::diagnostics::{Code, Severity};
use generator::sources::{FsReader, Location};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("self-uri")
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
fn references_resolve_against_self_and_read_the_files_beside_the_spec() {
    let output = generate(&fixture_dir().join("openapi.yaml"))
        .unwrap_or_else(|error| panic!("the $self fixture does not generate:\n{error}"));
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    let folder = fixture_dir().canonicalize().expect("the fixture exists");
    let mut read: Vec<String> = output
        .documents
        .iter()
        .map(|location| match location {
            Location::File(path) => path
                .strip_prefix(&folder)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| path.display().to_string()),
            Location::Url(url) => url.clone(),
        })
        .collect();
    read.sort();
    assert_eq!(
        read,
        ["openapi.yaml", "schemas/owner.yaml", "schemas/pet.yaml"]
    );
    let types = crate::joined(&output.files, "src/types");
    // The full URI of the spec names its own `Tag`: one type, not a copy.
    assert!(
        types.contains("pub owner: ::std::option::Option<crate::types::Owner>"),
        "{types}"
    );
    assert!(
        types.contains("pub tag: ::std::option::Option<crate::types::Tag>"),
        "{types}"
    );
    assert_eq!(types.matches("pub struct Tag").count(), 1, "{types}");
    let resources = crate::joined(&output.files, "src/resources");
    assert!(resources.contains("pet_id"), "{resources}");
}

#[test]
fn a_reference_that_resolves_outside_the_self_folder_is_a_refused_remote_document() {
    let dir = std::env::temp_dir().join(format!("self-uri-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("schemas")).expect("the scratch folder is writable");
    let spec = std::fs::read_to_string(fixture_dir().join("openapi.yaml")).expect("readable");
    let spec = spec.replace("schemas/pet.yaml#/Pet", "../shared/pet.yaml#/Pet");
    std::fs::write(dir.join("openapi.yaml"), spec).expect("writable");
    let Err(generator::Error::Spec(refused)) = generate(&dir.join("openapi.yaml")) else {
        panic!("a reference outside `$self`'s folder must be refused");
    };
    let errors: Vec<_> = refused
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, Code::ExternalReference);
    assert!(
        errors[0]
            .message
            .contains("https://example.com/shared/pet.yaml"),
        "{}",
        errors[0].message
    );
    assert_eq!(
        errors[0].pointer,
        "#/paths/~1pets~1{petID}/get/responses/200/content/application~1json/schema"
    );
    assert!(errors[0].line_column.is_some());
    let _ = std::fs::remove_dir_all(&dir);
}
