//! First phase: spec text (YAML or JSON) into the `openapiv3` object model.
//!
//! The text is parsed into a JSON value tree first ([`parse`]), so that a syntax
//! error gets a line and column and a missing or foreign version gets a clear
//! message. Then `normalize` repairs what has one obvious reading (3.1 forms,
//! Swagger 2 habits, keywords of the wrong type), `hoist` moves schemas that
//! `$ref`s point inside of into `components/schemas`, and `shape` deserializes
//! into `openapiv3`, dropping the smallest parts that still do not fit, each with
//! its JSON pointer.

pub mod bundle;
mod distribute;
mod flows;
mod forms;
pub(crate) mod hoist;
mod keywords;
mod normalize;
mod objects;
pub(crate) mod openapi32;
pub mod parse;
pub mod positions;
mod references;
pub(crate) mod sequences;
mod shape;
mod structure;
mod tree;

use openapiv3::OpenAPI;

use crate::diagnostics::{Code, Diagnostic, Pointer, Severity, Sink};
use crate::sources::{Access, NoReader, Reader};
use bundle::{Bundled, Document};

/// Parses `text` into an OpenAPI 3.0 document, or records why it cannot; other
/// documents its references name are not read.
pub fn load(text: &str, sink: &mut Sink) -> Option<OpenAPI> {
    let root = Document {
        name: "spec".to_owned(),
        location: None,
        text: text.to_owned(),
    };
    load_documents(root, &NoReader, Access::default(), sink).0
}

/// Loads the spec `root` and every document its references name, read through
/// `reader` as `access` allows; also returns what was read, for diagnostics.
pub fn load_documents(
    root: Document,
    reader: &dyn Reader,
    access: Access,
    sink: &mut Sink,
) -> (Option<OpenAPI>, Bundled) {
    let nothing_read = |root: Document| Bundled {
        documents: vec![root],
        origins: Vec::new(),
        unresolved: Default::default(),
        refused: Default::default(),
    };
    let Some(mut value) = parse_text(&root.text, sink) else {
        return (None, nothing_read(root));
    };
    let Some(version) = check_version(&value, sink) else {
        return (None, nothing_read(root));
    };
    let bundled = bundle::bundle(&mut value, root, reader, access, sink);
    sequences::rewrite_item_schemas(&mut value, sink);
    openapi32::carry(&mut value, sink);
    normalize::normalize(&mut value, version, sink);
    hoist::hoist_inner_refs(&mut value);
    references::repair_references(&mut value, &bundled, sink);
    distribute::distribute_unions(&mut value);
    (shape::deserialize_repairing(value, sink), bundled)
}

/// The warning for YAML whose multi-line flow collections YAML 1.2 refuses.
pub(crate) const LENIENT_FLOWS: &str = "multi-line `{…}`/`[…]` values are indented at or left of their key, which YAML 1.2 does not allow; they are read as if indented further";
/// Its hint.
pub(crate) const LENIENT_FLOWS_HINT: &str = "indent the lines of a flow collection past its key";

/// Parses the text, or records the syntax error; keys written twice are warned about.
fn parse_text(text: &str, sink: &mut Sink) -> Option<serde_json::Value> {
    match parse::parse(text) {
        Ok(parsed) => {
            if parsed.lenient_flows {
                sink.warning_with_hint(
                    Code::Syntax,
                    &Pointer::root(),
                    LENIENT_FLOWS,
                    LENIENT_FLOWS_HINT,
                );
            }
            for pointer in &parsed.duplicate_keys {
                sink.warning_with_hint(
                    Code::Syntax,
                    pointer,
                    "this key is given twice in one mapping; the last value is used",
                    "remove one of the two entries",
                );
            }
            Some(parsed.value)
        }
        Err(error) => {
            sink.push_diagnostic(Diagnostic {
                severity: Severity::Error,
                code: Code::Syntax,
                pointer: Pointer::root().to_string(),
                message: format!("the spec is not valid {}: {}", error.format, error.message),
                hint: Code::Syntax.default_hint().to_owned(),
                line_column: error.line_column,
                file: None,
                source_line: None,
            });
            None
        }
    }
}

/// The OpenAPI versions the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    V30,
    V31,
    /// 3.2 keeps 3.1's schemas (JSON Schema 2020-12) and adds fields around them.
    V32,
}

impl Version {
    /// Whether schemas are JSON Schema 2020-12 (`type: [string, "null"]`, `const`,
    /// boolean schemas) by right, so those forms need no warning.
    pub(super) fn reads_2020_12(self) -> bool {
        matches!(self, Version::V31 | Version::V32)
    }

    /// Whether a response must have a `description` (3.2 made it optional).
    pub(super) fn requires_response_description(self) -> bool {
        self != Version::V32
    }
}

fn check_version(value: &serde_json::Value, sink: &mut Sink) -> Option<Version> {
    let root = Pointer::root();
    if !value.is_object() {
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
        ["3", "2"] => Some(Version::V32),
        _ => {
            let message = format!(
                "OpenAPI version `{version}` is not supported; the generator reads 3.0, 3.1 and 3.2"
            );
            sink.error(Code::UnsupportedVersion, &root.push("openapi"), message);
            None
        }
    }
}

fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
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
    fn version_3_2_is_read_with_3_1_schemas() {
        assert_eq!(
            check_version(
                &serde_json::json!({"openapi": "3.2.0"}),
                &mut Sink::default()
            ),
            Some(Version::V32)
        );
        // 2020-12 forms are 3.2's own: read without a version warning.
        let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: [string, 'null'], const: x}\n";
        let mut sink = Sink::default();
        let api = load(text, &mut sink).expect("3.2 loads");
        assert!(sink.into_sorted().is_empty());
        let get = api.paths.paths["/a"].as_item().and_then(|p| p.get.as_ref());
        let response = get
            .expect("the operation is there")
            .responses
            .responses
            .values();
        let content = &response
            .into_iter()
            .next()
            .and_then(|r| r.as_item())
            .expect("a response")
            .content;
        let schema = content["application/json"]
            .schema
            .as_ref()
            .and_then(|s| s.as_item());
        let schema = schema.expect("an inline schema");
        assert!(schema.schema_data.nullable);
        assert!(errors_of("openapi: 3.3.0\n")[0].message.contains("3.2"));
    }

    #[test]
    fn query_and_additional_operations_are_checked_and_kept_in_extensions() {
        let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    query:\n      parameters: 7\n      responses: {'204': {}}\n    additionalOperations:\n      PURGE: {responses: {'204': {description: gone}}}\n";
        let mut sink = Sink::default();
        let api = load(text, &mut sink).expect("loads");
        // The shape problem has its own pointer; a 3.2 response needs no description.
        let pointers: Vec<String> = sink.into_sorted().into_iter().map(|d| d.pointer).collect();
        assert_eq!(pointers, ["#/paths/~1a/query/parameters"]);
        let item = api.paths.paths["/a"].as_item().expect("an item");
        assert!(item.get.is_none());
        assert_eq!(
            item.extensions[openapi32::QUERY]["responses"]["204"]["description"],
            ""
        );
        let purge = &item.extensions[openapi32::ADDITIONAL]["PURGE"];
        assert_eq!(purge["responses"]["204"]["description"], "gone");
    }

    /// Files from memory, by absolute path.
    struct Memory(Vec<(&'static str, &'static str)>);

    impl Reader for Memory {
        fn read(&self, location: &crate::sources::Location) -> Result<String, String> {
            let crate::sources::Location::File(path) = location else {
                return Err("not a file".to_owned());
            };
            self.0
                .iter()
                .find(|(name, _)| std::path::Path::new(name) == path)
                .map(|(_, text)| (*text).to_owned())
                .ok_or_else(|| "no such file".to_owned())
        }
    }

    #[test]
    fn prose_by_reference_is_the_text_of_the_file_wherever_prose_goes() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1', description: {$ref: intro.md}}\ntags: [{name: a, description: {$ref: tag.md}}]\npaths:\n  /a:\n    get:\n      summary: {$ref: 'summary.yaml'}\n      x-note: {$ref: note.txt}\n      x-data: {$ref: data.yaml}\n      responses: {'204': {description: ok}}\n";
        let files = Memory(vec![
            ("/s/intro.md", "# Intro\n\nLong text.\n"),
            ("/s/tag.md", "About a.\n"),
            ("/s/summary.yaml", "'Get an a'\n"),
            ("/s/note.txt", "A note.\n"),
        ]);
        let root = Document {
            name: "openapi.yaml".to_owned(),
            location: Some(crate::sources::Location::File("/s/openapi.yaml".into())),
            text: spec.to_owned(),
        };
        let mut sink = Sink::default();
        let (api, _) = load_documents(root, &files, Access::default(), &mut sink);
        let api = api.expect("loads");
        assert!(sink.into_sorted().is_empty());
        assert_eq!(
            api.info.description.as_deref(),
            Some("# Intro\n\nLong text.\n")
        );
        assert_eq!(api.tags[0].description.as_deref(), Some("About a.\n"));
        let get = api.paths.paths["/a"].as_item().and_then(|p| p.get.as_ref());
        let get = get.expect("the operation is there");
        assert_eq!(get.summary.as_deref(), Some("Get an a"));
        assert_eq!(get.extensions["x-note"], "A note.\n");
        // An extension naming a file that is not text by its name is data: untouched.
        assert_eq!(get.extensions["x-data"]["$ref"], "data.yaml");
    }

    #[test]
    fn shape_problems_are_dropped_with_a_located_warning() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: 7\n      responses: {}\n";
        let mut sink = Sink::default();
        assert!(load(text, &mut sink).is_some());
        let warnings = sink.into_sorted();
        assert_eq!(warnings[0].code, Code::Shape);
        assert_eq!(warnings[0].severity, Severity::Warning);
        assert_eq!(warnings[0].pointer, "#/paths/~1a/get/parameters");
    }
}
