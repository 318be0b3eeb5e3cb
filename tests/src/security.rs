//! Security schemes and requirements through the generator, on
//! `tests/fixtures/security_schemes.yaml` (a document without a root
//! `security`): the scheme table and builder methods of `src/auth.rs`
//! (snapshot), what each operation asks the runtime for, and the warnings for a
//! scheme the client cannot send and a requirement that names no scheme. The
//! wire behaviour is `kitchen_sink::auth`'s.

use std::path::PathBuf;

fn generate() -> generator::Output {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/security_schemes.yaml");
    let text = std::fs::read_to_string(path).expect("the fixture is readable");
    generator::generate(&text).unwrap_or_else(|e| panic!("generates:\n{e}"))
}

/// The `request.security(…)` line of the operation `builder` sends, if any.
fn security_of(resources: &str, values: &str) -> Option<String> {
    let start = resources.find(&format!(
        "impl crate::Operation for crate::resources::{values}"
    ))?;
    let rest = &resources[start..];
    let end = rest[1..].find("\nimpl ").map_or(rest.len(), |e| e + 1);
    rest[..end]
        .lines()
        .find(|line| line.contains("request.security("))
        .map(|line| line.trim().to_owned())
}

#[test]
fn each_operation_asks_for_what_its_requirement_names() {
    let output = generate();
    let resources = crate::joined(&output.files, "src/resources");
    let table = [
        // No security of its own, none at the root: nothing is sent.
        ("GetOpenParams", None),
        ("GetBearerParams", Some("request.security(&[&[0]], false);")),
        (
            "GetOptionalParams",
            Some("request.security(&[&[3]], true);"),
        ),
        (
            "GetComboParams",
            Some("request.security(&[&[2, 4], &[6], &[7]], false);"),
        ),
        (
            "GetBasicParams",
            Some("request.security(&[&[1, 5]], false);"),
        ),
        // Only a scheme the client cannot send, or none at all: left out.
        ("GetDigestParams", None),
        ("GetUnknownParams", None),
    ];
    for (values, expected) in table {
        assert_eq!(
            security_of(&resources, values).as_deref(),
            expected,
            "{values}"
        );
    }
}

#[test]
fn the_scheme_table_names_methods_and_variables() {
    let output = generate();
    let auth = &output.files["src/auth.rs"];
    for expected in [
        "method: \"bearer_auth\"",
        "variable: \"SECURITY_SCHEMES_BEARER_AUTH\"",
        "placement: crate::runtime::auth::Placement::Basic",
        "variable: \"SECURITY_SCHEMES_BASIC_AUTH_USERNAME\"",
        "password_variable: \"SECURITY_SCHEMES_BASIC_AUTH_PASSWORD\"",
        "placement: crate::runtime::auth::Placement::Query(\"api_key\")",
        "placement: crate::runtime::auth::Placement::Cookie(\"SESSION\")",
        // A scheme named like a builder method gets `_auth`.
        "pub fn token_auth(",
        // `token` is the first scheme that takes one token.
        "self.bearer_auth(token)",
    ] {
        assert!(auth.contains(expected), "{expected} in:\n{auth}");
    }
    assert!(!auth.contains("\"digest\""), "digest is not sent");
    insta::assert_snapshot!("security_schemes_auth", auth);
    let readme = &output.files["README.md"];
    assert!(
        readme.contains("| `basicAuth` | HTTP basic | `Authorization: Basic …` (user name and password) | `.basic_auth(…)` | `SECURITY_SCHEMES_BASIC_AUTH_USERNAME`, `SECURITY_SCHEMES_BASIC_AUTH_PASSWORD` |"),
        "{readme}"
    );
}

#[test]
fn unsendable_and_unknown_schemes_are_warned_about_once() {
    let output = generate();
    let warnings: Vec<(String, String)> = output
        .warnings
        .iter()
        .map(|w| (w.code.as_str().to_owned(), w.pointer.clone()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "E0301".to_owned(),
                "#/components/securitySchemes/digest".to_owned()
            ),
            (
                "E0101".to_owned(),
                "#/paths/~1unknown/get/security/0".to_owned()
            ),
        ]
    );
}
