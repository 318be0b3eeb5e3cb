//! `multipart/form-data` bodies: [`FilePart`] for binary properties, text parts for
//! everything else. A fresh form is built for every attempt (a file part from a
//! path opens its file again), so a multipart request can be retried like any
//! other unless a part is a one-shot stream.

use serde::Serialize;

use super::stream::Body;
use super::BuildError;

/// A file sent as one part of a multipart body: its content (bytes, a file read
/// as it is sent, or a stream), and optionally the file name and media type the
/// server should see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    body: Body,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A part holding `content`: bytes, or any [`Body`].
    pub fn new(content: impl Into<Body>) -> Self {
        FilePart {
            body: content.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// A part read from the file at `path` as the request is sent (opened again
    /// for a retry), named after the file unless [`FilePart::file_name`] says otherwise.
    pub fn from_path(path: impl Into<std::path::PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        FilePart {
            body: Body::from_path(path),
            file_name,
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

    /// The content, when it is held in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        self.body.as_bytes()
    }

    /// The content.
    pub fn body(&self) -> &Body {
        &self.body
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Body> for FilePart {
    fn from(body: Body) -> Self {
        FilePart::new(body)
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

    /// Whether every part can be sent again (no one-shot streams).
    pub(crate) fn is_replayable(&self) -> bool {
        self.parts.iter().all(|(_, part)| match part {
            Part::Text(_) => true,
            Part::File(file) => file.body.is_replayable(),
        })
    }

    /// A fresh `reqwest` form with every part (forms cannot be cloned or reused).
    pub(crate) async fn to_form(&self) -> Result<reqwest::multipart::Form, BuildError> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                Part::Text(text) => reqwest::multipart::Part::text(text.clone()),
                Part::File(file) => file_part(file).await?,
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}

async fn file_part(file: &FilePart) -> Result<reqwest::multipart::Part, BuildError> {
    let (body, length) = file.body.open().await?;
    let mut part = match length {
        Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
        None => reqwest::multipart::Part::stream(body),
    };
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

    #[tokio::test]
    async fn parts_keep_order_and_skip_what_is_unset() {
        let mut parts = Multipart::default();
        parts.file("file", &FilePart::new(b"abc".to_vec()).file_name("a.txt"));
        parts.file("none", &None::<FilePart>);
        assert!(parts.text("fileName", &Some("a.txt")).is_ok());
        assert!(parts.text("unset", &None::<String>).is_ok());
        assert!(parts.text("tags", &vec!["x", "y"]).is_ok());
        let names: Vec<&str> = parts.parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["file", "fileName", "tags", "tags"]);
        assert!(parts.to_form().await.is_ok());
        assert!(parts.is_replayable());
        parts.file("bad", &FilePart::new(Vec::new()).content_type("not a type"));
        assert!(parts.to_form().await.is_err());
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::new())]);
        parts.file("once", &FilePart::new(Body::from_stream(chunks)));
        assert!(!parts.is_replayable());
    }
}
