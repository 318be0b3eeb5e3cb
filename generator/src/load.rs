//! First phase: spec text (YAML or JSON) into the `openapiv3` object model.
//!
//! The text is parsed into a generic YAML value first, so that a syntax error gets
//! a line and column, a missing or foreign version gets a clear message, and a
//! value of the wrong shape gets the JSON pointer where deserialization failed.

use openapiv3::OpenAPI;

use crate::diagnostics::{Code, Diagnostic, Pointer, Severity, Sink};

/// Parses `text` into an OpenAPI 3.0 document, or records why it cannot.
pub fn load(text: &str, sink: &mut Sink) -> Option<OpenAPI> {
    let value = parse_yaml(text, sink)?;
    check_version(&value, sink)?;
    match serde_path_to_error::deserialize::<_, OpenAPI>(value) {
        Ok(spec) => Some(spec),
        Err(error) => {
            let pointer = pointer_of(error.path());
            let message = format!("not a valid OpenAPI 3.0 document here: {}", error.inner());
            sink.error(Code::Shape, &pointer, message);
            None
        }
    }
}

fn parse_yaml(text: &str, sink: &mut Sink) -> Option<serde_yaml::Value> {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(value) => Some(value),
        Err(error) => {
            let line_column = error.location().map(|l| (l.line(), l.column()));
            sink.push_diagnostic(Diagnostic {
                severity: Severity::Error,
                code: Code::Syntax,
                pointer: Pointer::root().to_string(),
                message: format!("the spec is not valid YAML or JSON: {error}"),
                hint: Code::Syntax.default_hint().to_owned(),
                line_column,
            });
            None
        }
    }
}

fn check_version(value: &serde_yaml::Value, sink: &mut Sink) -> Option<()> {
    let root = Pointer::root();
    if !value.is_mapping() {
        sink.error(
            Code::Shape,
            &root,
            "the document is not a mapping of OpenAPI fields",
        );
        return None;
    }
    if let Some(swagger) = value.get("swagger") {
        let version = scalar_text(swagger);
        sink.error_with_hint(
            Code::UnsupportedVersion,
            &root.push("swagger"),
            format!("this is a Swagger {version} document, not OpenAPI 3"),
            "convert it to OpenAPI 3 first (for example with swagger2openapi), then generate",
        );
        return None;
    }
    let Some(version) = value.get("openapi") else {
        sink.error(
            Code::MissingVersion,
            &root,
            "the document has no `openapi` field",
        );
        return None;
    };
    let version = scalar_text(version);
    if version.starts_with("3.0.") || version == "3.0" {
        Some(())
    } else {
        sink.error(
            Code::UnsupportedVersion,
            &root.push("openapi"),
            format!("OpenAPI version `{version}` is not supported; the generator reads 3.0.x"),
        );
        None
    }
}

fn scalar_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// Converts serde's path of map keys and sequence indexes into a JSON pointer.
fn pointer_of(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(Pointer::root(), |pointer, segment| match segment {
            Segment::Seq { index } => pointer.push(index),
            Segment::Map { key } => pointer.push(key),
            Segment::Enum { .. } | Segment::Unknown => pointer,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> Vec<Diagnostic> {
        let mut sink = Sink::default();
        assert!(load(text, &mut sink).is_none());
        sink.into_sorted()
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let errors = errors_of("openapi: 3.0.3\ninfo: [\n");
        assert_eq!(errors[0].code, Code::Syntax);
        assert!(errors[0].line_column.is_some());
    }

    #[test]
    fn swagger_and_unknown_versions_are_named() {
        assert!(errors_of("swagger: '2.0'\n")[0]
            .message
            .contains("Swagger 2.0"));
        assert_eq!(errors_of("info: {}\n")[0].code, Code::MissingVersion);
        assert_eq!(errors_of("openapi: 4.0.0\n")[0].pointer, "#/openapi");
    }

    #[test]
    fn shape_errors_carry_a_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: 7\n      responses: {}\n";
        let errors = errors_of(text);
        assert_eq!(errors[0].code, Code::Shape);
        assert_eq!(errors[0].pointer, "#/paths/~1a/get/parameters");
    }
}
