//! A bad spec produces a diagnostic for every problem, each with a stable code
//! and the JSON pointer of the offending part: warnings where the generator
//! repairs the spec and goes on, errors (and no files) where it cannot.

use generator::diagnostics::{Code, Severity};

/// Generates `spec`, which must succeed, and returns `(code, pointer)` of every warning.
fn warnings_of(spec: &str) -> Vec<(Code, String)> {
    match generator::generate(spec) {
        Ok(output) => output
            .warnings
            .iter()
            .inspect(|d| assert!(!d.hint.is_empty(), "diagnostic without a hint: {d}"))
            .map(|d| (d.code, d.pointer.clone()))
            .collect(),
        Err(error) => panic!("the spec did not generate:\n{error}"),
    }
}

/// Generates `spec` and returns `(code, pointer)` of every error, sorted as reported.
fn errors_of(spec: &str) -> Vec<(Code, String)> {
    match generator::generate(spec) {
        Ok(_) => panic!("the spec generated although it has errors"),
        Err(generator::Error::Spec(diagnostics)) => diagnostics
            .items
            .iter()
            .inspect(|d| assert!(!d.hint.is_empty(), "diagnostic without a hint: {d}"))
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.code, d.pointer.clone()))
            .collect(),
        Err(other) => panic!("expected spec diagnostics, got {other}"),
    }
}

const HEADER: &str = "openapi: 3.0.3\ninfo: {title: Bad, version: '1'}\n";

#[test]
fn every_repair_is_reported_in_one_run() {
    let spec = format!(
        "{HEADER}{}",
        r##"paths:
  /a/{id}:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
  /b:
    get:
      operationId: get_a
      responses: {"204": {description: none}}
  /c:
    post:
      operationId: c
      parameters:
        - {name: x, in: path, required: true, schema: {type: string}}
      responses: {"204": {description: none}}
"##
    );
    assert_eq!(
        warnings_of(&spec),
        [
            (Code::PathParameter, "#/paths/~1a~1{id}/get".to_owned()),
            (
                Code::BadReference,
                "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema".to_owned()
            ),
            (Code::NameCollision, "#/paths/~1b/get".to_owned()),
            (Code::PathParameter, "#/paths/~1c/post".to_owned()),
        ]
    );
}

#[test]
fn shape_repairs_point_inside_untagged_parts() {
    let spec = format!(
        "{HEADER}{}",
        r#"paths:
  /b:
    get:
      parameters:
        - {name: ok, in: query, schema: {type: string}}
        - {name: bad, in: query, schema: 7}
      responses: {"204": {description: none}}
components:
  schemas:
    Thing:
      type: object
      properties:
        broken: {type: object, properties: 3}
"#
    );
    assert_eq!(
        warnings_of(&spec),
        [
            (
                Code::Shape,
                "#/components/schemas/Thing/properties/broken/properties".to_owned()
            ),
            (
                Code::Shape,
                "#/paths/~1b/get/parameters/1/schema".to_owned()
            ),
        ]
    );
}

#[test]
fn versions_other_than_openapi_3_0_are_refused_by_name() {
    assert_eq!(
        errors_of("swagger: '2.0'\ninfo: {}\n"),
        [(Code::UnsupportedVersion, "#/swagger".to_owned())]
    );
    assert_eq!(
        errors_of("info: {}\n"),
        [(Code::MissingVersion, "#".to_owned())]
    );
    assert_eq!(errors_of("openapi: [\n"), [(Code::Syntax, "#".to_owned())]);
}

#[test]
fn reference_cycles_are_errors_and_bad_extensions_are_ignored_with_a_warning() {
    let spec = format!(
        "{HEADER}{}",
        r#"paths:
  /a:
    get:
      operationId: a
      deprecated: true
      x-replaced-by: nowhere
      x-rust-name: 7
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}
components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
"#
    );
    let errors = errors_of(&spec);
    assert!(
        errors.contains(&(Code::ReferenceCycle, "#/components/schemas/A".to_owned())),
        "{errors:?}"
    );
    let Err(generator::Error::Spec(diagnostics)) = generator::generate(&spec) else {
        panic!("the cycle is an error");
    };
    let warnings: Vec<(Code, String)> = diagnostics
        .items
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| (d.code, d.pointer.clone()))
        .collect();
    assert!(
        warnings.contains(&(Code::BadExtension, "#/paths/~1a/get/x-rust-name".to_owned())),
        "{warnings:?}"
    );
    assert!(
        warnings.contains(&(
            Code::BadExtension,
            "#/paths/~1a/get/x-replaced-by".to_owned()
        )),
        "{warnings:?}"
    );
}
