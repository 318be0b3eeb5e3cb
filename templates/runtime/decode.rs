//! Response bodies into values: JSON with the path where decoding failed, text,
//! the success enums chosen by status, and error bodies ([`ErrorBody`]).
//!
//! The generated `from_response` functions of operations with several answers call
//! these helpers; the client calls them for everything else.

use serde::de::DeserializeOwned;

use super::error::DecodeError;

/// How a non-2xx body is read into the type an operation's errors carry: the
/// crate's error schema decodes any status as JSON, and an operation with error
/// bodies of its own has a generated enum that picks the type by status.
pub trait ErrorBody: Sized {
    /// The body of a `status` answer, or `None` when it is not what the spec says.
    fn from_response(status: u16, body: &[u8]) -> Option<Self>;
}

impl<T: DeserializeOwned> ErrorBody for T {
    fn from_response(_status: u16, body: &[u8]) -> Option<Self> {
        json_body(body)
    }
}

/// Decodes a JSON body, saying where it failed.
pub(crate) fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| DecodeError {
        status,
        path: error.path().to_string(),
        message: error.inner().to_string(),
        body: String::from_utf8_lossy(body).into_owned(),
    })
}

/// A JSON body, or `None` when it does not decode (for error bodies, which keep
/// their raw text anyway).
pub(crate) fn json_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// A text body; invalid UTF-8 is replaced rather than refused.
pub(crate) fn text_body(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

/// The error for a 2xx status that an operation with several answers does not list.
#[allow(dead_code)] // Used only by operations with several success answers.
pub(crate) fn undeclared_status(status: u16, body: &[u8], declared: &[&str]) -> DecodeError {
    DecodeError {
        status,
        path: ".".to_owned(),
        message: format!(
            "the spec lists no {status} answer for this operation (it lists {})",
            declared.join(", ")
        ),
        body: text_body(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undeclared_statuses_name_the_declared_ones() {
        let error = undeclared_status(299, b"{}", &["200", "201"]);
        assert_eq!(error.status, 299);
        assert_eq!(error.body, "{}");
        assert!(error.message.contains("no 299 answer"), "{}", error.message);
        assert!(error.message.contains("200, 201"), "{}", error.message);
    }

    #[test]
    fn error_bodies_decode_as_json_or_not_at_all() {
        assert_eq!(
            <serde_json::Value as ErrorBody>::from_response(500, br#"{"a":1}"#),
            Some(serde_json::json!({"a": 1}))
        );
        assert_eq!(<Vec<u8> as ErrorBody>::from_response(500, b"oops"), None);
    }
}
