//! First phase: spec text (YAML or JSON) into the `openapiv3` object model.
//!
//! The text is parsed into a generic YAML value first, so that a syntax error gets
//! a line and column, a missing or foreign version gets a clear message, and a
//! value of the wrong shape gets the JSON pointer where deserialization failed.
//! Between parsing and deserialization, `normalize` rewrites 3.1 forms and `hoist`
//! moves schemas that `$ref`s point inside of into `components/schemas`.

pub(crate) mod hoist;
mod normalize;
pub mod positions;

use openapiv3::OpenAPI;

use crate::diagnostics::{Code, Diagnostic, Pointer, Severity, Sink};

/// Parses `text` into an OpenAPI 3.0 document, or records why it cannot.
pub fn load(text: &str, sink: &mut Sink) -> Option<OpenAPI> {
    let mut value = parse_yaml(text, sink)?;
    let version = check_version(&value, sink)?;
    normalize::normalize(&mut value, version == Version::V31, sink);
    hoist::hoist_inner_refs(&mut value);
    match serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
        Ok(spec) => Some(spec),
        Err(_) => {
            for (pointer, message) in locate(&value, Kind::Document, &Pointer::root()) {
                let message = format!("not valid OpenAPI 3.0 here: {message}");
                sink.error(Code::Shape, &pointer, message);
            }
            None
        }
    }
}

/// The parts of a document that can be checked on their own.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Document,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Schema,
}

/// Every smallest part of `value` that does not deserialize as `kind`.
///
/// openapiv3 uses untagged enums and flattened maps, behind which serde loses the
/// path; checking known children one by one finds the real places, all of them.
fn locate(value: &serde_yaml::Value, kind: Kind, at: &Pointer) -> Vec<(Pointer, String)> {
    let mut found = Vec::new();
    for (key, child_kind, child) in children(value, kind) {
        if deserialize_as(child, child_kind).is_err() {
            let pointer = key.iter().fold(at.clone(), |p, s| p.push(s));
            found.extend(locate(child, child_kind, &pointer));
        }
    }
    if found.is_empty() {
        if let Err((path, message)) = deserialize_as(value, kind) {
            let pointer = path.iter().fold(at.clone(), |p, s| p.push(s));
            found.push((pointer, message));
        }
    }
    found
}

/// A child part: its pointer segments below the parent, its kind, its value.
type Child<'v> = (Vec<String>, Kind, &'v serde_yaml::Value);

/// Known children of a part, with their kinds.
fn children(value: &serde_yaml::Value, kind: Kind) -> Vec<Child<'_>> {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut out = Vec::new();
    let nested = |field: &str, child: Kind| -> Vec<Child<'_>> {
        let items = entries(value.get(field)).into_iter();
        items
            .map(|(k, v)| (vec![field.to_owned(), k], child, v))
            .collect()
    };
    let single = |field: &str, child: Kind| -> Vec<Child<'_>> {
        value
            .get(field)
            .map(|v| (vec![field.to_owned()], child, v))
            .into_iter()
            .collect()
    };
    match kind {
        Kind::Document => {
            out.extend(nested("paths", Kind::PathItem));
            if let Some(components) = value.get("components") {
                for (section, child) in [
                    ("schemas", Kind::Schema),
                    ("parameters", Kind::Parameter),
                    ("requestBodies", Kind::RequestBody),
                    ("responses", Kind::Response),
                ] {
                    for (name, v) in entries(components.get(section)) {
                        let key = vec!["components".to_owned(), section.to_owned(), name];
                        out.push((key, child, v));
                    }
                }
            }
        }
        Kind::PathItem => {
            out.extend(nested("parameters", Kind::Parameter));
            out.extend(METHODS.iter().flat_map(|m| single(m, Kind::Operation)));
        }
        Kind::Operation => {
            out.extend(nested("parameters", Kind::Parameter));
            out.extend(single("requestBody", Kind::RequestBody));
            out.extend(nested("responses", Kind::Response));
        }
        Kind::Parameter | Kind::MediaType => out.extend(single("schema", Kind::Schema)),
        Kind::RequestBody | Kind::Response => out.extend(nested("content", Kind::MediaType)),
        Kind::Schema => {
            out.extend(nested("properties", Kind::Schema));
            for field in ["items", "not"] {
                out.extend(single(field, Kind::Schema));
            }
            if value
                .get("additionalProperties")
                .is_some_and(|v| v.is_mapping())
            {
                out.extend(single("additionalProperties", Kind::Schema));
            }
            for field in ["allOf", "anyOf", "oneOf"] {
                out.extend(nested(field, Kind::Schema));
            }
        }
    }
    out
}

/// Deserializes `value` as `kind`; on failure, the path inside it and serde's message.
fn deserialize_as(value: &serde_yaml::Value, kind: Kind) -> Result<(), (Vec<String>, String)> {
    use openapiv3::ReferenceOr as R;
    fn check<T: serde::de::DeserializeOwned>(
        value: &serde_yaml::Value,
    ) -> Result<(), (Vec<String>, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .map(|_| ())
            .map_err(|e| (segments_of(e.path()), e.inner().to_string()))
    }
    match kind {
        Kind::Document => check::<OpenAPI>(value),
        Kind::PathItem => check::<R<openapiv3::PathItem>>(value),
        Kind::Operation => check::<openapiv3::Operation>(value),
        Kind::Parameter => check::<R<openapiv3::Parameter>>(value),
        Kind::RequestBody => check::<R<openapiv3::RequestBody>>(value),
        Kind::Response => check::<R<openapiv3::Response>>(value),
        Kind::MediaType => check::<openapiv3::MediaType>(value),
        Kind::Schema => check::<R<openapiv3::Schema>>(value),
    }
}

/// Parses YAML, or JSON when the text starts like JSON: serde_json reads every
/// JSON escape (surrogate pairs included) that the YAML parser refuses.
fn parse_yaml(text: &str, sink: &mut Sink) -> Option<serde_yaml::Value> {
    let (result, kind) = if text.trim_start().starts_with('{') {
        let parsed = serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| (e.to_string(), Some((e.line(), e.column()))))
            .and_then(|json| serde_yaml::to_value(json).map_err(|e| (e.to_string(), None)));
        (parsed, "JSON")
    } else {
        let parsed = serde_yaml::from_str::<serde_yaml::Value>(text)
            .map_err(|e| (e.to_string(), e.location().map(|l| (l.line(), l.column()))));
        (parsed, "YAML")
    };
    match result {
        Ok(value) => Some(value),
        Err((message, line_column)) => {
            sink.push_diagnostic(Diagnostic {
                severity: Severity::Error,
                code: Code::Syntax,
                pointer: Pointer::root().to_string(),
                message: format!("the spec is not valid {kind}: {message}"),
                hint: Code::Syntax.default_hint().to_owned(),
                line_column,
            });
            None
        }
    }
}

/// The OpenAPI versions the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

fn check_version(value: &serde_yaml::Value, sink: &mut Sink) -> Option<Version> {
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
    match version.split('.').take(2).collect::<Vec<_>>().as_slice() {
        ["3", "0"] => Some(Version::V30),
        ["3", "1"] => Some(Version::V31),
        _ => {
            let message = format!(
                "OpenAPI version `{version}` is not supported; the generator reads 3.0 and 3.1"
            );
            sink.error(Code::UnsupportedVersion, &root.push("openapi"), message);
            None
        }
    }
}

fn scalar_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// serde's path of map keys and sequence indexes, as pointer segments.
fn segments_of(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

/// The entries of a mapping or sequence, keyed by pointer segment.
fn entries(value: Option<&serde_yaml::Value>) -> Vec<(String, &serde_yaml::Value)> {
    match value {
        Some(serde_yaml::Value::Mapping(m)) => m.iter().map(|(k, v)| (scalar_text(k), v)).collect(),
        Some(serde_yaml::Value::Sequence(s)) => s
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    }
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
