//! HTTP runtime of the generated client: the [`Client`], the error types, and the
//! encoding helpers every request builder uses.
//!
//! This file does not depend on the spec. The generator copies it verbatim into
//! `src/runtime.rs` of the generated crate, where it is compiled, linted and tested
//! like the rest; spec-specific code lives in the other generated modules.

use std::fmt;
use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::de::DeserializeOwned;

/// How many bytes of a response body an error message quotes.
const BODY_SNIPPET_LEN: usize = 512;

/// Characters percent-encoded in a path segment: everything but RFC 3986 `pchar`.
///
/// `/`, `?`, `#` and `%` are in the set, so a value can never end its segment,
/// start a query or fragment, or smuggle in a pre-encoded sequence.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A client for the API: a base URL, a bearer token and a connection pool.
///
/// Cloning is cheap and clones share the pool. `Debug` never shows the token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    token: String,
    http: reqwest::Client,
}

impl Client {
    /// A client for the server at `base_url` (e.g. `http://localhost:23373`) using `token`.
    pub fn new(base_url: impl Into<String>, token: impl Into<String>) -> Self {
        Self::with_http_client(base_url, token, reqwest::Client::new())
    }

    /// Like [`Client::new`], with a `reqwest::Client` configured by the caller.
    pub fn with_http_client(
        base_url: impl Into<String>,
        token: impl Into<String>,
        http: reqwest::Client,
    ) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        let inner = Inner {
            base_url,
            token: token.into(),
            http,
        };
        Client {
            inner: Arc::new(inner),
        }
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` and decodes a JSON success body.
    // Every helper the builders call is allowed to be unused: which ones a crate
    // needs depends on its spec (a spec with no 204 never calls `send_empty`).
    #[allow(dead_code)]
    pub(crate) async fn send_json<T, E>(&self, request: Request) -> Result<T, Error<E>>
    where
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        let response = self.send_checked(request).await?;
        decode(response.status, &response.body)
    }

    /// Sends `request` and ignores the success body.
    #[allow(dead_code)] // Used only by operations without a success body.
    pub(crate) async fn send_empty<E>(&self, request: Request) -> Result<(), Error<E>>
    where
        E: DeserializeOwned,
    {
        self.send_checked(request).await.map(|_| ())
    }

    /// Sends `request`; a non-2xx status becomes [`Error::Api`].
    async fn send_checked<E>(&self, request: Request) -> Result<RawResponse, Error<E>>
    where
        E: DeserializeOwned,
    {
        let response = self.send_raw(request).await?;
        if response.status.is_success() {
            Ok(response)
        } else {
            Err(Error::Api(ApiError::from_response(response)))
        }
    }

    async fn send_raw<E>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method, url)
            .bearer_auth(&self.inner.token)
            .header(reqwest::header::ACCEPT, "application/json");
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let response = builder.send().await.map_err(Error::Request)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Request)?.to_vec();
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A request as the builders describe it, before it meets the HTTP client.
#[derive(Debug)]
pub(crate) struct Request {
    method: reqwest::Method,
    path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

impl Request {
    /// A request for `path` (already percent-encoded) with no parameters yet.
    pub(crate) fn new(method: reqwest::Method, path: String) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Sets a JSON body.
    #[allow(dead_code)] // Used only by operations with a request body.
    pub(crate) fn json<T: serde::Serialize>(&mut self, body: &T) -> Result<(), BuildError> {
        let bytes = serde_json::to_vec(body).map_err(|error| BuildError {
            message: format!("the request body cannot be encoded as JSON: {error}"),
        })?;
        self.body = Some(bytes);
        Ok(())
    }
}

struct RawResponse {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

/// Percent-encodes one path parameter so that it stays one path segment.
///
/// Values that a URL parser would treat as something else than a segment of text
/// (empty, `.` or `..`, in any encoding) are refused rather than sent, since no
/// encoding can make them reach the server unchanged.
#[allow(dead_code)] // Used only by operations with path parameters.
pub(crate) fn encode_path_segment(name: &str, value: &str) -> Result<String, BuildError> {
    if value.is_empty() || value == "." || value == ".." {
        let message =
            format!("path parameter `{name}` cannot be {value:?}: it would change the route");
        return Err(BuildError { message });
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// A value that can be written into a path segment, query string or header.
#[allow(dead_code)] // Used only by operations with parameters.
pub(crate) trait ParamValue {
    /// The value as text, before any percent-encoding.
    fn to_param(&self) -> String;
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for i32 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for i64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for f64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for chrono::DateTime<chrono::FixedOffset> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }
}

/// Something that adds zero or more `name=value` pairs to a query or header list.
///
/// Optional parameters add nothing when unset; arrays add one pair per item
/// (`ids=a&ids=b`), the `form` style with `explode: true` that OpenAPI defaults to.
#[allow(dead_code)] // Used only by operations with query or header parameters.
pub(crate) trait ParamList {
    /// Appends this value's pairs under `name`.
    fn push_to(&self, name: &'static str, list: &mut Vec<(&'static str, String)>);
}

impl<T: ParamValue> ParamList for T {
    fn push_to(&self, name: &'static str, list: &mut Vec<(&'static str, String)>) {
        list.push((name, self.to_param()));
    }
}

impl<T: ParamValue> ParamList for Vec<T> {
    fn push_to(&self, name: &'static str, list: &mut Vec<(&'static str, String)>) {
        list.extend(self.iter().map(|item| (name, item.to_param())));
    }
}

impl<T: ParamList> ParamList for Option<T> {
    fn push_to(&self, name: &'static str, list: &mut Vec<(&'static str, String)>) {
        if let Some(value) = self {
            value.push_to(name, list);
        }
    }
}

/// Decodes a JSON body, saying where it failed.
fn decode<T: DeserializeOwned, E>(status: reqwest::StatusCode, body: &[u8]) -> Result<T, Error<E>> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        Error::Decode(DecodeError {
            status,
            path: error.path().to_string(),
            message: error.inner().to_string(),
            body: String::from_utf8_lossy(body).into_owned(),
        })
    })
}

/// Everything that can go wrong with a request.
///
/// `B` is the type API error bodies decode into; the crate root fixes it to the
/// spec's error schema (see `crate::Error`).
#[derive(Debug)]
pub enum Error<B> {
    /// The server answered with a status outside 2xx.
    Api(ApiError<B>),
    /// The request could not be sent or the response not received (connection, timeout, TLS).
    Request(reqwest::Error),
    /// The server answered 2xx, but the body is not what the spec describes.
    Decode(DecodeError),
    /// The request could not be built from the values given; nothing was sent.
    Build(BuildError),
}

impl<B> Error<B> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode(error) => Some(error.status.as_u16()),
            Error::Request(error) => error.status().map(|s| s.as_u16()),
            Error::Build(_) => None,
        }
    }

    /// The API error, when the server answered with a non-2xx status.
    pub fn api(&self) -> Option<&ApiError<B>> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }
}

impl<B> fmt::Display for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => fmt::Display::fmt(error, f),
            Error::Request(error) => write!(f, "request failed: {error}"),
            Error::Decode(error) => fmt::Display::fmt(error, f),
            Error::Build(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl<B: fmt::Debug> std::error::Error for Error<B> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Request(error) => Some(error),
            _ => None,
        }
    }
}

impl<B> From<BuildError> for Error<B> {
    fn from(error: BuildError) -> Self {
        Error::Build(error)
    }
}

/// A non-2xx response: status, headers, the decoded error body if it decodes, and the raw text.
#[derive(Debug, Clone)]
pub struct ApiError<B> {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body decoded as the spec's error schema, or `None` if it does not decode.
    pub body: Option<B>,
    /// The body as received (lossily decoded as UTF-8).
    pub raw: String,
}

impl<B: DeserializeOwned> ApiError<B> {
    fn from_response(response: RawResponse) -> Self {
        ApiError {
            status: response.status.as_u16(),
            body: serde_json::from_slice(&response.body).ok(),
            raw: String::from_utf8_lossy(&response.body).into_owned(),
            headers: response.headers,
        }
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        write!(f, "the API answered {} {reason}", self.status)?;
        if !self.raw.is_empty() {
            write!(f, ": {}", snippet(&self.raw))?;
        }
        Ok(())
    }
}

/// A 2xx response whose body does not match the expected type.
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// The HTTP status of the response.
    pub status: reqwest::StatusCode,
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
            self.status.as_u16(),
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
    message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

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
