//! [`Client`] and the request path every builder ends in: build the HTTP request,
//! send it with a per-attempt timeout, retry what may succeed on a second try,
//! sort failures into [`Error`] variants and decode the body.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::config::ClientBuilder;
use super::decode::ErrorBody;
use super::error::{ApiError, BuildError, ConfigError, ConnectionError, DecodeError, Error};
use super::retry::{self, RetryPolicy, Wait};

/// The `User-Agent` of every request: this crate's name and version.
pub(crate) const USER_AGENT: &str = concat!(
    env!("CARGO_PKG_NAME"),
    "/",
    env!("CARGO_PKG_VERSION"),
    " (Rust)"
);

/// The request header that tells the server which retry this is (0 for the first try).
const RETRY_COUNT_HEADER: &str = "x-retry-count";

/// A client for the API. Cloning is cheap; clones share configuration and connections.
///
/// `Debug` never shows the access token.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Config>,
}

/// What a [`ClientBuilder`] produced.
pub(crate) struct Config {
    pub(crate) base_url: String,
    pub(crate) token: Option<String>,
    pub(crate) http: reqwest::Client,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) retry: RetryPolicy,
    pub(crate) headers: HeaderMap,
}

impl Client {
    /// A client for the server at `base_url` (such as [`crate::DEFAULT_BASE_URL`])
    /// with `token`, and the default timeout and retries. A malformed `base_url` is
    /// reported by each request as `Error::Build`; [`Client::builder`] reports it at once.
    pub fn new(base_url: impl Into<String>, token: impl Into<String>) -> Self {
        let config = Config {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            token: Some(token.into()),
            http: reqwest::Client::new(),
            timeout: super::config::DEFAULT_TIMEOUT,
            max_retries: super::config::DEFAULT_MAX_RETRIES,
            retry: RetryPolicy::default(),
            headers: HeaderMap::new(),
        };
        Client {
            inner: Arc::new(config),
        }
    }

    /// A builder for every setting: token, base URL, timeout, retries, headers, HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment: the token from the crate's token
    /// variable (an error names it when it is missing) and the base URL from its
    /// base-URL variable, else the spec's server.
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::new().from_env().build()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` (retrying as configured) and decodes the success body with
    /// `decode`, the operation's own: JSON, text, bytes, or an enum by status.
    pub(crate) async fn send_operation<T, E>(
        &self,
        request: Request,
        decode: fn(u16, Vec<u8>) -> Result<T, DecodeError>,
    ) -> Result<ApiResponse<T>, Error<E>>
    where
        E: ErrorBody,
    {
        let raw = self.execute(request).await?;
        let data = decode(raw.status, raw.body)?;
        Ok(ApiResponse {
            status: raw.status,
            headers: raw.headers,
            data,
        })
    }

    /// Sends with retries; a final non-2xx status becomes an API error.
    async fn execute<E: ErrorBody>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        let config = &self.inner;
        let max_retries = request.options.max_retries.unwrap_or(config.max_retries);
        let timeout = request.options.timeout.unwrap_or(config.timeout);
        let prepared = self.prepare(&request)?;
        let mut attempt = 0;
        loop {
            let outcome = self.attempt(&request, &prepared, attempt, timeout).await;
            let retryable = match &outcome {
                Ok(raw) if raw.status < 300 || request.answers.contains(&raw.status) => {
                    return outcome
                }
                Ok(raw) => retry::is_retryable_response(raw.status, &raw.headers),
                Err(_) => true,
            };
            let headers = outcome.as_ref().ok().map(|raw| &raw.headers);
            let wait = retry::wait_before_retry(
                headers,
                attempt,
                &config.retry,
                SystemTime::now(),
                retry::jitter(),
            );
            match wait {
                Wait::Retry(delay) if retryable && attempt < max_retries && request.replayable => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                _ => {
                    let raw = outcome?;
                    return Err(Error::from_api(ApiError::new(
                        raw.status,
                        raw.headers,
                        &raw.body,
                    )));
                }
            }
        }
    }

    /// The URL and headers of a request, checked once before the first attempt.
    fn prepare(&self, request: &Request) -> Result<Prepared, BuildError> {
        let config = &self.inner;
        let url = format!("{}{}", config.base_url, request.path);
        let url = reqwest::Url::parse(&url).map_err(|e| BuildError {
            message: format!("invalid request URL {url:?} (check the base URL): {e}"),
        })?;
        let mut headers = config.headers.clone();
        let cookie = cookie_header(&request.cookies);
        let options = request.options.headers.iter().map(|(n, v)| (n.as_str(), v));
        let params = request.headers.iter().map(|(n, v)| (n.as_str(), v));
        let cookies = cookie.iter().map(|v| ("cookie", v));
        for (name, value) in options.chain(params).chain(cookies) {
            let name_value = HeaderName::from_bytes(name.as_bytes());
            let header_value = HeaderValue::from_str(value);
            match (name_value, header_value) {
                (Ok(name), Ok(value)) => {
                    headers.insert(name, value);
                }
                _ => {
                    let message = format!("header {name:?} has an invalid name or value");
                    return Err(BuildError { message });
                }
            }
        }
        Ok(Prepared { url, headers })
    }

    /// One try: no retries here, transport failures become connection errors.
    async fn attempt<E>(
        &self,
        request: &Request,
        prepared: &Prepared,
        attempt: u32,
        timeout: Duration,
    ) -> Result<RawResponse, Error<E>> {
        let config = &self.inner;
        let mut builder = config
            .http
            .request(request.method.clone(), prepared.url.clone())
            .timeout(timeout)
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .header(reqwest::header::ACCEPT, request.accept.as_str())
            .header(RETRY_COUNT_HEADER, attempt)
            .headers(prepared.headers.clone());
        if let Some(token) = config.token.as_ref().filter(|_| request.authenticated) {
            builder = builder.bearer_auth(token);
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        match &request.body {
            Some(Payload::Bytes(body, content_type)) => {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                    .body(body.clone());
            }
            // reqwest sets the content type with the boundary.
            Some(Payload::Multipart(parts)) => builder = builder.multipart(parts.to_form()?),
            None => {}
        }
        let failed = |source: reqwest::Error| {
            let url = prepared.url.to_string();
            if source.is_timeout() {
                Error::Timeout(ConnectionError {
                    url,
                    timeout: Some(timeout),
                    source,
                })
            } else {
                Error::Connection(ConnectionError {
                    url,
                    timeout: None,
                    source,
                })
            }
        };
        let response = builder.send().await.map_err(failed)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(failed)?.to_vec();
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field("token", &config.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &config.timeout)
            .field("max_retries", &config.max_retries)
            .finish_non_exhaustive()
    }
}

/// A decoded response with its status and headers (`send_with_response`).
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers; [`ApiResponse::header`] reads one as text.
    pub headers: HeaderMap,
    /// The decoded body.
    pub data: T,
}

impl<T> ApiResponse<T> {
    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The decoded body, without status and headers.
    pub fn into_data(self) -> T {
        self.data
    }
}

/// Per-request settings a builder can override.
// `pub` in a private module: `Operation` names it, but users cannot.
#[allow(dead_code)] // A spec without operations builds no request.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
}

/// A request as the builders describe it, before it meets the HTTP client.
// `pub` in a private module, like `RequestOptions`.
#[derive(Debug)]
pub struct Request {
    method: reqwest::Method,
    path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    body: Option<Payload>,
    /// The `Accept` header: JSON unless the operation answers with text or bytes.
    accept: String,
    /// Buffered bodies can be sent again; a streaming body could not, and must not be retried.
    replayable: bool,
    /// Whether the token goes with the request (not for operations with `security: []`).
    authenticated: bool,
    /// Statuses outside 2xx the operation declares as answers (`304 Not Modified`).
    answers: &'static [u16],
    options: RequestOptions,
}

impl Request {
    /// A request for `path` (already percent-encoded) with the builder's options.
    #[allow(dead_code)] // A spec without operations builds no request.
    pub(crate) fn new(method: reqwest::Method, path: String, options: RequestOptions) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: "application/json".to_owned(),
            replayable: true,
            authenticated: true,
            answers: &[],
            options,
        }
    }

    /// Leaves the token out: the operation needs no authentication.
    #[allow(dead_code)] // Used only by specs with unauthenticated operations.
    pub(crate) fn without_token(&mut self) {
        self.authenticated = false;
    }

    /// Treats these declared non-2xx statuses (such as 304) as answers, not errors.
    #[allow(dead_code)] // Used only by operations that declare 304 or 300.
    pub(crate) fn answers(&mut self, statuses: &'static [u16]) {
        self.answers = statuses;
    }

    /// Sets a JSON body.
    #[allow(dead_code)] // Used only by operations with a request body.
    pub(crate) fn json<T: serde::Serialize>(
        &mut self,
        body: &T,
        content_type: &str,
    ) -> Result<(), BuildError> {
        let bytes = serde_json::to_vec(body).map_err(|error| BuildError {
            message: format!("the request body cannot be encoded as JSON: {error}"),
        })?;
        self.body = Some(Payload::Bytes(bytes, content_type.to_owned()));
        Ok(())
    }

    /// Asks for other media types than JSON (operations with text or binary answers).
    #[allow(dead_code)] // Used only by operations with text or binary responses.
    pub(crate) fn accept(&mut self, accept: &str) {
        self.accept = accept.to_owned();
    }

    /// Sets a body sent as is, with its media type (text and binary bodies).
    #[allow(dead_code)] // Used only by operations with text or binary bodies.
    pub(crate) fn raw(&mut self, body: &[u8], content_type: &str) {
        self.body = Some(Payload::Bytes(body.to_vec(), content_type.to_owned()));
    }

    /// Sets a `multipart/form-data` body.
    #[allow(dead_code)] // Used only by operations with multipart bodies.
    pub(crate) fn multipart(&mut self, parts: super::multipart::Multipart) {
        self.body = Some(Payload::Multipart(parts));
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    #[allow(dead_code)] // Used only by operations with a form body.
    pub(crate) fn form<T: serde::Serialize>(&mut self, body: &T) -> Result<(), BuildError> {
        let bytes = super::form::encode_form(body)?;
        let content_type = "application/x-www-form-urlencoded".to_owned();
        self.body = Some(Payload::Bytes(bytes, content_type));
        Ok(())
    }
}

/// A request body, buffered so every attempt can send it again.
#[derive(Debug)]
enum Payload {
    /// Encoded bytes and their content type.
    Bytes(Vec<u8>, String),
    /// Multipart parts; the form is built anew for each attempt.
    Multipart(super::multipart::Multipart),
}

struct Prepared {
    url: reqwest::Url,
    headers: HeaderMap,
}

struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// Characters a cookie value may not hold (RFC 6265: controls, space, `"`, `,`, `;`,
/// `\\`), plus `%` so the encoding can be undone: a value can never add a cookie.
const COOKIE_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// `a=1; b=2` from cookie parameters, or nothing when there are none.
fn cookie_header(cookies: &[(String, String)]) -> Option<String> {
    let pairs: Vec<String> = cookies
        .iter()
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, COOKIE_VALUE)))
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("; "))
}
