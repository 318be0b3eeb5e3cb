//! The one error type of the client, [`Error`], and the details each kind carries.
//!
//! API errors are split by status the way the official SDKs split them
//! (`NotFound`, `RateLimit`, …) so a caller can match on what happened; each keeps
//! the status, the headers, the decoded error body and the raw text. Nothing here
//! ever contains a credential.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::auth::MissingCredentials;
use super::decode::ErrorBody;
use super::error_text::{self, ErrorFields};
use super::retry;

/// How many bytes of a response body an error message quotes.
const BODY_SNIPPET_LEN: usize = 512;

/// Everything that can go wrong with a request.
///
/// `B` is the type error bodies decode into: by default the spec's common error
/// schema (`crate::Error`), or an operation's own enum of error bodies by status.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<B> {
    /// 400: the request was malformed.
    BadRequest(ApiError<B>),
    /// 401: the credentials are missing, invalid or expired.
    Authentication(ApiError<B>),
    /// 403: the credentials are valid but lack the permission (scope) for this call.
    PermissionDenied(ApiError<B>),
    /// 404: the resource does not exist (or is not visible with these credentials).
    NotFound(ApiError<B>),
    /// 409: the request conflicts with the current state.
    Conflict(ApiError<B>),
    /// 422: the request was well-formed but failed validation.
    UnprocessableEntity(ApiError<B>),
    /// 429: too many requests; see the `Retry-After` header.
    RateLimit(ApiError<B>),
    /// 500 and above: the server failed.
    InternalServer(ApiError<B>),
    /// Any other non-2xx status.
    Api(ApiError<B>),
    /// The server could not be reached, or the connection broke.
    Connection(ConnectionError),
    /// An attempt took longer than the timeout.
    Timeout(ConnectionError),
    /// A 2xx response whose body does not match the spec.
    Decode(DecodeError),
    /// The request could not be built from the values given; nothing was sent.
    Build(BuildError),
    /// The client configuration is incomplete or invalid.
    Config(ConfigError),
    /// The operation needs credentials the client was not given; nothing was sent.
    MissingCredentials(MissingCredentials),
}

impl<B> Error<B> {
    /// Sorts a non-2xx response into its variant.
    pub(crate) fn from_api(error: ApiError<B>) -> Self {
        match error.status {
            400 => Error::BadRequest(error),
            401 => Error::Authentication(error),
            403 => Error::PermissionDenied(error),
            404 => Error::NotFound(error),
            409 => Error::Conflict(error),
            422 => Error::UnprocessableEntity(error),
            429 => Error::RateLimit(error),
            500.. => Error::InternalServer(error),
            _ => Error::Api(error),
        }
    }

    /// The same error with its decoded body turned into another type (or dropped,
    /// with `|_| None`), so that the errors of operations with error bodies of
    /// their own can be returned as the crate's `Error`. The raw body is kept.
    pub fn map_body<C>(self, f: impl FnOnce(B) -> Option<C>) -> Error<C> {
        match self {
            Error::BadRequest(e) => Error::BadRequest(e.map_body(f)),
            Error::Authentication(e) => Error::Authentication(e.map_body(f)),
            Error::PermissionDenied(e) => Error::PermissionDenied(e.map_body(f)),
            Error::NotFound(e) => Error::NotFound(e.map_body(f)),
            Error::Conflict(e) => Error::Conflict(e.map_body(f)),
            Error::UnprocessableEntity(e) => Error::UnprocessableEntity(e.map_body(f)),
            Error::RateLimit(e) => Error::RateLimit(e.map_body(f)),
            Error::InternalServer(e) => Error::InternalServer(e.map_body(f)),
            Error::Api(e) => Error::Api(e.map_body(f)),
            Error::Connection(e) => Error::Connection(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Decode(e) => Error::Decode(e),
            Error::Build(e) => Error::Build(e),
            Error::Config(e) => Error::Config(e),
            Error::MissingCredentials(e) => Error::MissingCredentials(e),
        }
    }

    /// The API error, whatever its status, when the server answered non-2xx.
    pub fn api(&self) -> Option<&ApiError<B>> {
        match self {
            Error::BadRequest(e)
            | Error::Authentication(e)
            | Error::PermissionDenied(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::UnprocessableEntity(e)
            | Error::RateLimit(e)
            | Error::InternalServer(e)
            | Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode(error) => Some(error.status),
            other => other.api().map(|e| e.status),
        }
    }

    /// Whether sending the same request again may succeed: connection errors,
    /// timeouts, and statuses 408, 409, 429 and 5xx unless the server's
    /// `x-should-retry` header says otherwise.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection(_) | Error::Timeout(_) => true,
            other => other
                .api()
                .is_some_and(|e| retry::is_retryable_response(e.status, &e.headers)),
        }
    }
}

impl<B> fmt::Display for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(error) = self.api() {
            return fmt::Display::fmt(error, f);
        }
        match self {
            Error::Connection(error) => {
                write!(
                    f,
                    "could not reach {} ({}); is the server running and the base URL right?",
                    error.url,
                    error.cause()
                )?;
                write_not_retried(f, error.not_retried)
            }
            Error::Timeout(error) => {
                write!(
                    f,
                    "no answer from {} within {:?}; raise the timeout or retry later",
                    error.url,
                    error.timeout.unwrap_or_default()
                )?;
                write_not_retried(f, error.not_retried)
            }
            Error::Decode(error) => fmt::Display::fmt(error, f),
            Error::Build(error) => fmt::Display::fmt(error, f),
            Error::Config(error) => fmt::Display::fmt(error, f),
            Error::MissingCredentials(error) => fmt::Display::fmt(error, f),
            _ => Ok(()),
        }
    }
}

impl<B: fmt::Debug> std::error::Error for Error<B> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection(error) | Error::Timeout(error) => error
                .source
                .as_ref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
            Error::Decode(error) => Some(error),
            Error::Build(error) => Some(error),
            Error::Config(error) => Some(error),
            Error::MissingCredentials(error) => Some(error),
            _ => None,
        }
    }
}

impl<B> From<BuildError> for Error<B> {
    fn from(error: BuildError) -> Self {
        Error::Build(error)
    }
}

impl<B> From<DecodeError> for Error<B> {
    fn from(error: DecodeError) -> Self {
        Error::Decode(error)
    }
}

impl<B> From<MissingCredentials> for Error<B> {
    fn from(error: MissingCredentials) -> Self {
        Error::MissingCredentials(error)
    }
}

impl<B> From<ConfigError> for Error<B> {
    fn from(error: ConfigError) -> Self {
        Error::Config(error)
    }
}

/// A non-2xx response.
#[derive(Debug, Clone)]
pub struct ApiError<B> {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body decoded as the spec's error schema, or `None` if it does not decode.
    pub body: Option<B>,
    /// The body as received (lossily decoded as UTF-8).
    pub raw: String,
    json: Option<serde_json::Value>,
    message: Option<String>,
    code: Option<String>,
    not_retried: Option<&'static str>,
}

impl<B> ApiError<B> {
    /// Builds the error from a response, decoding the body as the spec says;
    /// `fields` names where the operation's error schemas keep the message and
    /// the code.
    pub(crate) fn new(status: u16, headers: HeaderMap, body: &[u8], fields: &ErrorFields) -> Self
    where
        B: ErrorBody,
    {
        let raw = String::from_utf8_lossy(body).into_owned();
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        ApiError {
            status,
            headers,
            body: B::from_response(status, body),
            message: error_text::message_of(json.as_ref(), &raw, fields),
            code: error_text::code_of(json.as_ref(), fields),
            raw,
            json,
            not_retried: None,
        }
    }

    /// The same error, saying why it was not retried although its status allows it.
    pub(crate) fn not_retried(mut self, reason: &'static str) -> Self {
        self.not_retried = Some(reason);
        self
    }
}

impl<B> ApiError<B> {
    /// The same error with its decoded body turned into another type (as `Error::map_body` does).
    pub fn map_body<C>(self, f: impl FnOnce(B) -> Option<C>) -> ApiError<C> {
        ApiError {
            status: self.status,
            headers: self.headers,
            body: self.body.and_then(f),
            raw: self.raw,
            json: self.json,
            message: self.message,
            code: self.code,
            not_retried: self.not_retried,
        }
    }

    /// Why the request was not sent again although its status allows a retry
    /// (its body was a one-shot stream), if that is what happened.
    pub fn not_retried_because(&self) -> Option<&str> {
        self.not_retried
    }

    /// What the error body says went wrong, for people: its `message`, or
    /// wherever the spec's error schema or the API's habit keeps it
    /// (`error_description`, `detail`, Matrix's `error`, a nested
    /// `error.message`, a plain text body, …).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The machine-readable code of the error body: its `code`, or wherever the
    /// spec's error schema or the API's habit keeps it (`errcode`, OAuth's
    /// `error`, RFC 7807's `type`, a nested `error.code`, …).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The `details` of the error body, if it has any.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.json_field("details").filter(|v| !v.is_null())
    }

    /// A response header as text, such as `retry-after`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json_field(&self, name: &str) -> Option<&serde_json::Value> {
        self.json.as_ref().and_then(|json| json.get(name))
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        write!(f, "the API answered {} {reason}", self.status)?;
        match (self.message(), self.code()) {
            (Some(message), Some(code)) => write!(f, ": {message} (code {code})"),
            (Some(message), None) => write!(f, ": {message}"),
            _ if self.raw.trim().is_empty() => Ok(()),
            _ => write!(f, ": {}", snippet(&self.raw)),
        }?;
        write_not_retried(f, self.not_retried)
    }
}

/// "; not retried: …" after a message, when a retry was ruled out.
fn write_not_retried(f: &mut fmt::Formatter<'_>, reason: Option<&str>) -> fmt::Result {
    match reason {
        Some(reason) => write!(f, "; not retried: {reason}"),
        None => Ok(()),
    }
}

/// The request never got a complete answer: no connection, a broken one, or a timeout.
#[derive(Debug)]
pub struct ConnectionError {
    pub(crate) url: String,
    pub(crate) timeout: Option<Duration>,
    /// `None` for a timeout the client measured itself (the wait for the headers
    /// of a streamed answer).
    pub(crate) source: Option<reqwest::Error>,
    pub(crate) not_retried: Option<&'static str>,
}

impl ConnectionError {
    /// The URL the request went to (it never contains a credential).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The HTTP client's error, the root cause (`None` for a timeout measured by
    /// this client rather than by the HTTP client).
    pub fn source_error(&self) -> Option<&reqwest::Error> {
        self.source.as_ref()
    }

    /// Why the request was not sent again although the error allows a retry
    /// (its body was a one-shot stream), if that is what happened.
    pub fn not_retried_because(&self) -> Option<&str> {
        self.not_retried
    }

    /// The innermost cause, for messages: "Connection refused" rather than a chain.
    fn cause(&self) -> String {
        let Some(source) = &self.source else {
            return "timed out".to_owned();
        };
        let mut cause: &dyn std::error::Error = source;
        while let Some(next) = cause.source() {
            cause = next;
        }
        cause.to_string()
    }
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.timeout {
            Some(timeout) => write!(f, "no answer from {} within {timeout:?}", self.url)?,
            None => write!(
                f,
                "the connection to {} failed ({})",
                self.url,
                self.cause()
            )?,
        }
        write_not_retried(f, self.not_retried)
    }
}

impl std::error::Error for ConnectionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A 2xx response whose body does not match the expected type.
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// The HTTP status of the response.
    pub status: u16,
    /// Where in the JSON decoding failed, e.g. `items[3].timestamp` (`.` for the root).
    pub path: String,
    /// What serde reported.
    pub message: String,
    /// The whole body as received.
    pub body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} response could not be decoded at `{}`: {}; body starts with: {}",
            self.status,
            self.path,
            self.message,
            snippet(&self.body)
        )
    }
}

impl std::error::Error for DecodeError {}

/// A request that could not be built from the values given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub(crate) message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

/// The client cannot be built from the configuration given.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A default header has an invalid name or value.
    InvalidHeader {
        /// The header name as given.
        name: String,
    },
    /// The HTTP client could not be built (its TLS setup failed).
    Http {
        /// What reqwest reported.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL {url:?}: {reason}")
            }
            ConfigError::Http { reason } => write!(f, "the HTTP client cannot be built: {reason}"),
            ConfigError::InvalidHeader { name } => {
                write!(
                    f,
                    "invalid default header {name:?}: name or value is not allowed in HTTP"
                )
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// The first [`BODY_SNIPPET_LEN`] bytes of `text`, cut at a character boundary.
fn snippet(text: &str) -> &str {
    if text.len() <= BODY_SNIPPET_LEN {
        return text;
    }
    let mut end = BODY_SNIPPET_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
