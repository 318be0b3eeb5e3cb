//! `multipart/form-data` bodies: [`FilePart`] for binary properties, text parts for
//! everything else. Parts are kept as buffered bytes and a fresh form is built for
//! every attempt, so a multipart request can be retried like any other.

use serde::Serialize;

use super::BuildError;

/// A file sent as one part of a multipart body: bytes, and optionally the file
/// name and media type the server should see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A part holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name sent with the part (`filename=` in its headers).
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The media type of the part, e.g. `image/png`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes of the file.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&[u8]> for FilePart {
    fn from(bytes: &[u8]) -> Self {
        FilePart::new(bytes)
    }
}

/// The parts of a multipart body, in order.
#[allow(dead_code)] // Used only by specs with multipart bodies.
#[derive(Debug, Clone, Default)]
pub(crate) struct Multipart {
    parts: Vec<(String, Part)>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    File(FilePart),
}

#[allow(dead_code)] // Used only by specs with multipart bodies.
impl Multipart {
    /// Adds file parts under `name` (none for `None`, one per item of a list).
    pub(crate) fn file(&mut self, name: &str, value: &impl Files) {
        for file in value.files() {
            self.parts.push((name.to_owned(), Part::File(file.clone())));
        }
    }

    /// Adds text parts under `name`: scalars as text, lists one part per item,
    /// objects as JSON; `None` adds nothing.
    pub(crate) fn text<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), BuildError> {
        let value = serde_json::to_value(value).map_err(|error| BuildError {
            message: format!("multipart part `{name}` cannot be encoded: {error}"),
        })?;
        let items = match value {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let text = match item {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            self.parts.push((name.to_owned(), Part::Text(text)));
        }
        Ok(())
    }

    /// A fresh `reqwest` form with every part (forms cannot be cloned or reused).
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, BuildError> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                Part::Text(text) => reqwest::multipart::Part::text(text.clone()),
                Part::File(file) => file_part(file)?,
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}

fn file_part(file: &FilePart) -> Result<reqwest::multipart::Part, BuildError> {
    let mut part = reqwest::multipart::Part::bytes(file.bytes.clone());
    if let Some(file_name) = &file.file_name {
        part = part.file_name(file_name.clone());
    }
    if let Some(content_type) = &file.content_type {
        part = part.mime_str(content_type).map_err(|_| BuildError {
            message: format!("{content_type:?} is not a media type"),
        })?;
    }
    Ok(part)
}

/// Values that hold zero or more files: a part, an optional part, a list of parts.
pub(crate) trait Files {
    /// The files, in order.
    fn files(&self) -> Vec<&FilePart>;
}

impl Files for FilePart {
    fn files(&self) -> Vec<&FilePart> {
        vec![self]
    }
}

impl<T: Files> Files for Option<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.as_ref().map(Files::files).unwrap_or_default()
    }
}

impl<T: Files> Files for Vec<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().flat_map(Files::files).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_keep_order_and_skip_what_is_unset() {
        let mut parts = Multipart::default();
        parts.file("file", &FilePart::new(b"abc".to_vec()).file_name("a.txt"));
        parts.file("none", &None::<FilePart>);
        assert!(parts.text("fileName", &Some("a.txt")).is_ok());
        assert!(parts.text("unset", &None::<String>).is_ok());
        assert!(parts.text("tags", &vec!["x", "y"]).is_ok());
        let names: Vec<&str> = parts.parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["file", "fileName", "tags", "tags"]);
        assert!(parts.to_form().is_ok());
        parts.file("bad", &FilePart::new(Vec::new()).content_type("not a type"));
        assert!(parts.to_form().is_err());
    }
}
