//! Cargo features per resource group (`tests/fixtures/features.yaml`): which module
//! holds each type, the `cfg` each shared type carries, and the error schema's field
//! that is raw JSON without the group whose type it names. That every feature alone
//! compiles is checked by `.ci/run` (`tests/compile-specs.sh --single-features`).

use std::path::PathBuf;

fn output() -> generator::Output {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/features.yaml");
    let text = std::fs::read_to_string(&path).expect("the fixture is readable");
    generator::generate(&text).expect("the fixture generates")
}

#[test]
fn each_group_is_a_default_feature_and_root_operations_go_by_path() {
    let output = output();
    let cargo = &output.files["Cargo.toml"];
    for feature in ["health", "other_schemas", "owners", "pets"] {
        assert!(cargo.contains(&format!("\n{feature} = [")), "{cargo}");
        assert!(cargo.contains(&format!("    \"{feature}\",\n")), "{cargo}");
    }
    // `GET /v1/health` has no tag: it is filed under its path's first resource.
    let health = &output.files["src/resources/health.rs"];
    assert!(health.contains("pub fn check_health(&self)"), "{health}");
    // Each set of features that shares types turns on an internal feature, which
    // gates those types; the internal ones are not in the default list.
    assert!(cargo.contains("\nowners = [\"_shared_1\"]\n"), "{cargo}");
    assert!(
        cargo.contains("\npets = [\"_shared_1\", \"_shared_2\"]\n"),
        "{cargo}"
    );
    assert!(
        cargo.contains("\n_shared_1 = []\n_shared_2 = []\n"),
        "{cargo}"
    );
    assert!(!cargo.contains("    \"_shared_1\",\n"), "{cargo}");
    let readme = &output.files["README.md"];
    assert!(
        readme.contains("| `pets` | `client.pets()` (1 operation) |"),
        "{readme}"
    );
}

#[test]
fn types_live_with_the_features_that_need_them() {
    let output = output();
    let files = &output.files;
    // Only `getOwner` needs `Owner` and `Address`.
    let owners = &files["src/types/owners.rs"];
    assert!(owners.contains("pub struct Owner {") && owners.contains("pub struct Address {"));
    // The webhook payload no operation returns, and what only it uses.
    let other = &files["src/types/other_schemas.rs"];
    assert!(other.contains("pub struct PetAdopted {") && other.contains("pub struct Moment {"));
    let shared = &files["src/types/shared.rs"];
    // `Tag` is needed by `other_schemas`, `owners` and `pets`: `_shared_1`.
    let tag = "(`#/components/schemas/Tag`).\n#[cfg(feature = \"_shared_1\")]\n#[derive(";
    assert!(shared.contains(tag), "{shared}");
    let index = &files["src/types/mod.rs"];
    assert!(
        index.contains("#[cfg(feature = \"owners\")]\nmod owners;"),
        "{index}"
    );
    assert!(
        !files.contains_key("src/types/pets.rs"),
        "`Pet` is shared, `pets` has no own types"
    );
}

#[test]
fn the_error_schema_always_compiles_with_raw_json_for_a_gated_type() {
    let output = output();
    let shared = &output.files["src/types/shared.rs"];
    let problem = &shared[shared.find("pub struct Problem {").expect("Problem")..];
    let problem = &problem[..problem.find("\n}\n").expect("its end")];
    // `Pet` is needed by `other_schemas` and `pets`: `_shared_2`.
    let typed = "#[cfg(feature = \"_shared_2\")]";
    let raw = "#[cfg(not(feature = \"_shared_2\"))]";
    assert!(
        problem.contains(typed) && problem.contains(raw),
        "{problem}"
    );
    assert!(problem.contains("pub pet: ::std::option::Option<::serde_json::Value>,"));
    let note = "compiles with the feature `other_schemas` or `pets` only.";
    assert!(problem.contains(note), "{problem}");
    // What only the error schema uses compiles with it, ungated.
    let detail = shared
        .find("pub struct ProblemDetail")
        .expect("ProblemDetail");
    let before = &shared[..detail];
    let item_start = before.rfind("\n\n").unwrap_or(0);
    assert!(
        !before[item_start..].contains("#[cfg"),
        "{}",
        &before[item_start..]
    );
}

#[test]
fn an_id_or_object_union_types_its_object_only_with_the_group_that_has_it() {
    let output = output();
    let shared = &output.files["src/types/shared.rs"];
    // `Pet.owner` is `anyOf: [string, Owner]`: `pets` does not make `Owner`
    // compile; `Owner` stays in the `owners` module.
    assert!(output.files["src/types/owners.rs"].contains("pub struct Owner {"));
    let union = &shared[shared.find("pub enum PetOwner {").expect("PetOwner")..];
    let union = &union[..union.find("\n}\n").expect("its end")];
    let typed = "#[cfg(feature = \"owners\")]\n    Owner(crate::types::Owner),";
    let raw = "#[cfg(not(feature = \"owners\"))]\n    Owner(::serde_json::Value),";
    assert!(union.contains(typed) && union.contains(raw), "{union}");
    assert!(
        union.contains("    String(::std::string::String),"),
        "{union}"
    );
    // The accessor has a twin, and `From<Owner>` needs `Owner`.
    let raw_accessor = "/// The value if it is the `Owner` form.\n    #[cfg(not(feature = \"owners\"))]\n    pub fn as_owner(&self) -> ::std::option::Option<&::serde_json::Value> {";
    assert!(shared.contains(raw_accessor), "{shared}");
    let from = "#[cfg(feature = \"owners\")]\nimpl ::std::convert::From<crate::types::Owner> for PetOwner {";
    assert!(shared.contains(from), "{shared}");
}
