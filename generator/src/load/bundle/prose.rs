//! Prose by reference, for the bundler: `description: {$ref: ./intro.md}`
//! (Redocly's habit of keeping long text in Markdown files) becomes the text of
//! the file, where `load` would otherwise try to parse it as a document.

use serde_json::Value;

use super::super::parse;
use super::super::tree::is_prose_place;
use super::access::Unread;
use super::{pointer_of, Bundler};
use crate::diagnostics::{Code, Sink};

impl Bundler<'_> {
    /// The text a `$ref` names where prose is expected, when `value` is one: a
    /// whole file (no fragment) at a `description` or `summary`, or at an
    /// extension when the file's name says it is text. Redocly's documented habit
    /// keeps long descriptions in Markdown files this way, so those are read
    /// without a word; a YAML or JSON file holding one string gives that string;
    /// any other file is taken as written, with a warning. Where a schema,
    /// parameter or response is expected the reference is parsed as a document.
    pub(super) fn prose(
        &mut self,
        value: &Value,
        document: usize,
        path: &[String],
        sink: &mut Sink,
    ) -> Option<String> {
        let Value::Object(map) = value else {
            return None;
        };
        let reference = map.get("$ref").and_then(Value::as_str)?;
        let text_file = is_text_file(reference);
        let extension = path.last().is_some_and(|key| key.starts_with("x-"));
        if map.len() != 1
            || reference.is_empty()
            || reference.contains('#')
            || !(is_prose_place(path) || (extension && text_file))
        {
            return None;
        }
        let reference = reference.to_owned();
        let read = match self.locate(&reference, document) {
            Some(located) => self.read_allowed(&located, document, &reference, path, sink),
            None => Err(Unread::Failed("the spec was given as text".to_owned())),
        };
        let text = match read {
            Ok(text) => text,
            // The guard reported it.
            Err(Unread::Refused) => return Some(String::new()),
            Err(Unread::Failed(reason)) => {
                sink.warning_with_hint(
                    Code::BadReference,
                    &pointer_of(path),
                    format!("`$ref: {reference}` names text that cannot be read ({reason}); the value is left empty"),
                    "point the `$ref` at an existing file beside the spec",
                );
                return Some(String::new());
            }
        };
        if text_file {
            return Some(text);
        }
        if let Ok(parse::Parsed {
            value: Value::String(string),
            ..
        }) = parse::parse(&text)
        {
            return Some(string);
        }
        sink.warning_with_hint(
            Code::Shape,
            &pointer_of(path),
            format!("`$ref: {reference}` names a file that is not text by its name and holds no string; its whole text is taken as the value"),
            "give the file a `.md` or `.txt` name, or make it a YAML document holding one string",
        );
        Some(text)
    }
}

/// Whether a referenced file is text by its name: Markdown, plain text or HTML.
fn is_text_file(reference: &str) -> bool {
    let lower = reference.to_ascii_lowercase();
    [".md", ".markdown", ".txt", ".html", ".htm"]
        .iter()
        .any(|extension| lower.ends_with(extension))
}
