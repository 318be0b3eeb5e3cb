//! [`Client`] and the request path every builder ends in: build the HTTP request,
//! send it with a per-attempt timeout, retry what may succeed on a second try,
//! sort failures into [`Error`] variants and decode the body.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::auth::{self, Credentials, MissingCredentials, Security};
use super::config::ClientBuilder;
use super::decode::ErrorBody;
use super::error::{ApiError, BuildError, ConfigError, ConnectionError, DecodeError, Error};
use super::error_text::ErrorFields;
use super::hooks::{AttemptInfo, AttemptOutcome, Hook};
use super::retry::{self, RetryPolicy, Wait};
use super::stream::{Body, ByteStream};
use super::trace::Trace;

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
/// `Debug` names the credentials that are set, never their values.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Config>,
}

/// What a [`ClientBuilder`] produced.
pub(crate) struct Config {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) http: reqwest::Client,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) retry: RetryPolicy,
    pub(crate) headers: HeaderMap,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
}

/// A client for `base_url` with `credentials` and the default timeout and
/// retries: what the generated `Client::new` builds. A free function for the
/// reason `impl Config` below gives.
pub(crate) fn client_with_credentials(base_url: String, credentials: Credentials) -> Client {
    let config = Config {
        base_url: base_url.trim_end_matches('/').to_owned(),
        credentials,
        // As `reqwest::Client::new` does, which panics when its TLS setup
        // fails; `Client::builder` reports that as an error instead.
        http: {
            super::config::install_crypto_provider();
            reqwest::Client::new()
        },
        timeout: super::config::DEFAULT_TIMEOUT,
        max_retries: super::config::DEFAULT_MAX_RETRIES,
        retry: RetryPolicy::default(),
        headers: HeaderMap::new(),
        hooks: Vec::new(),
    };
    Client {
        inner: Arc::new(config),
    }
}

impl Client {
    /// A builder for every setting: credentials, base URL, timeout, retries, headers, HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment: each credential from its
    /// variable (an operation that needs one that is unset fails with
    /// `Error::MissingCredentials`, naming it) and the base URL from its
    /// base-URL variable, else the spec's server.
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::new().from_env().build()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

// The request path lives on `Config`, not `Client`: the client's inherent
// methods share one namespace with the accessors generated from the spec
// (`client.chats()`), so it keeps only public ones (`naming::CLIENT_METHODS`).
impl Config {
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
        let raw = match self.execute(request, Reading::Whole).await? {
            Answer::Whole(raw) => raw,
            // Only asked for with `Reading::Streamed`.
            Answer::Streamed(stream) => RawResponse {
                status: stream.status(),
                headers: stream.headers().clone(),
                body: stream.read_to_end().await.map_err(Error::Connection)?,
            },
        };
        let data = decode(raw.status, raw.body)?;
        Ok(ApiResponse {
            status: raw.status,
            headers: raw.headers,
            data,
        })
    }

    /// Sends `request` (retrying until an answer's headers are in) and hands the
    /// success body over as it arrives.
    pub(crate) async fn send_streamed<E: ErrorBody>(
        &self,
        request: Request,
    ) -> Result<ByteStream, Error<E>> {
        match self.execute(request, Reading::Streamed).await? {
            Answer::Streamed(stream) => Ok(stream),
            // A declared answer without a body to stream (`304`) comes whole.
            Answer::Whole(raw) => Ok(ByteStream::whole(raw.status, raw.headers, raw.body)),
        }
    }

    /// Sends with retries inside the call's trace span; a final non-2xx status
    /// becomes an API error.
    async fn execute<E: ErrorBody>(
        &self,
        mut request: Request,
        reading: Reading,
    ) -> Result<Answer, Error<E>> {
        request.apply_extras()?;
        let trace = Trace::start(request.operation, &request.method, request.template);
        let outcome = trace.run(self.retry_loop(&request, reading, &trace)).await;
        let status = match &outcome {
            Ok(answer) => Some(answer.status()),
            Err(error) => error.status(),
        };
        trace.finish(status);
        outcome
    }

    async fn retry_loop<E: ErrorBody>(
        &self,
        request: &Request,
        reading: Reading,
        trace: &Trace,
    ) -> Result<Answer, Error<E>> {
        let config = self;
        let max_retries = request.options.max_retries.unwrap_or(config.max_retries);
        let timeout = request.options.timeout.unwrap_or(config.timeout);
        let prepared = self.prepare(request)?;
        let mut attempt = 0;
        loop {
            trace.attempt(attempt, &prepared.url);
            let outcome = self
                .attempt(request, &prepared, attempt, timeout, reading)
                .await;
            let reason = match &outcome {
                Ok(answer) if answer.is_success(request.answers) => return outcome,
                Ok(answer) => answer
                    .retryable()
                    .then(|| format!("status {}", answer.status())),
                Err(Error::Timeout(_)) => Some("timeout".to_owned()),
                Err(Error::Connection(_)) => Some("connection failed".to_owned()),
                Err(_) => None,
            };
            let headers = outcome.as_ref().ok().map(Answer::headers);
            let wait = retry::wait_before_retry(
                headers,
                attempt,
                &config.retry,
                SystemTime::now(),
                retry::jitter(),
            );
            match (wait, reason) {
                (Wait::Retry(delay), Some(reason))
                    if attempt < max_retries && request.replayable =>
                {
                    trace.retry(attempt + 1, &reason, delay);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                (wait, reason) => {
                    // Only the body stood in the way of a retry.
                    let one_shot = !request.replayable
                        && attempt < max_retries
                        && reason.is_some()
                        && matches!(wait, Wait::Retry(_));
                    let note = one_shot.then_some(ONE_SHOT);
                    return Err(final_error(outcome, note, &request.error_fields).await);
                }
            }
        }
    }

    /// The URL, headers and credentials of a request, checked once before the
    /// first attempt; credentials the operation needs and the client lacks stop
    /// it here.
    fn prepare(&self, request: &Request) -> Result<Prepared, Unprepared> {
        let config = self;
        let url = format!("{}{}", config.base_url, request.path);
        let url = reqwest::Url::parse(&url).map_err(|e| BuildError {
            message: format!("invalid request URL {url:?} (check the base URL): {e}"),
        })?;
        let chosen = config
            .credentials
            .choose(crate::auth::SCHEMES, &request.security)
            .map_err(Unprepared::Missing)?;
        let credentials = auth::place(&chosen).map_err(|message| BuildError { message })?;
        let mut headers = config.headers.clone();
        let secret_cookie = !credentials.cookies.is_empty();
        let mut cookies = request.cookies.clone();
        cookies.extend(credentials.cookies);
        let cookie = cookie_header(&cookies);
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
                    return Err(BuildError { message }.into());
                }
            }
        }
        for (name, value) in credentials.headers {
            headers.insert(name, value);
        }
        if secret_cookie {
            if let Some(value) = headers.get_mut(reqwest::header::COOKIE) {
                value.set_sensitive(true);
            }
        }
        Ok(Prepared {
            url,
            headers,
            query: credentials.query,
        })
    }

    /// One try: no retries here, transport failures become connection errors.
    async fn attempt<E>(
        &self,
        request: &Request,
        prepared: &Prepared,
        attempt: u32,
        timeout: Duration,
        reading: Reading,
    ) -> Result<Answer, Error<E>> {
        let config = self;
        let mut builder = config
            .http
            .request(request.method.clone(), prepared.url.clone())
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .header(reqwest::header::ACCEPT, request.accept.as_str())
            .header(RETRY_COUNT_HEADER, attempt)
            .headers(prepared.headers.clone());
        // reqwest's timeout runs until the body is read: right for a buffered
        // answer, wrong for a stream, whose wait for the headers is timed here.
        if reading == Reading::Whole {
            builder = builder.timeout(timeout);
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if !prepared.query.is_empty() {
            builder = builder.query(&prepared.query);
        }
        match &request.body {
            Some(Payload::Bytes(body, content_type)) => {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                    .body(body.clone());
            }
            Some(Payload::Body(body, content_type)) => {
                let (body, length) = body.open().await?;
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type.as_str());
                if let Some(length) = length {
                    builder = builder.header(reqwest::header::CONTENT_LENGTH, length);
                }
                builder = builder.body(body);
            }
            // reqwest sets the content type with the boundary.
            Some(Payload::Multipart(parts)) => builder = builder.multipart(parts.to_form().await?),
            None => {}
        }
        let url = || prepared.url.to_string();
        let failed = |source: reqwest::Error| connection_error(url(), timeout, source);
        // What reqwest refuses to build (a token with a line break) is no reason to retry.
        let mut http_request = builder.build().map_err(|error| BuildError {
            message: format!("the request cannot be built: {error}"),
        })?;
        let info = AttemptInfo {
            operation: request.operation,
            path: request.template,
            attempt,
        };
        for hook in &config.hooks {
            hook.before_send(&mut http_request, &info)
                .map_err(|message| BuildError { message })?;
        }
        let started = Instant::now();
        let sent = config.http.execute(http_request);
        let response = match reading {
            Reading::Whole => sent.await.map_err(failed),
            Reading::Streamed => match tokio::time::timeout(timeout, sent).await {
                Ok(response) => response.map_err(failed),
                Err(_) => Err(timed_out(url(), timeout)),
            },
        };
        let outcome = AttemptOutcome {
            response: response
                .as_ref()
                .ok()
                .map(|r| (r.status().as_u16(), r.headers())),
            elapsed: started.elapsed(),
        };
        for hook in &config.hooks {
            hook.after_response(&outcome, &info);
        }
        let response = response?;
        let status = response.status().as_u16();
        let streams = reading == Reading::Streamed
            && (status < 300 || request.answers.contains(&status))
            && status != 304;
        if streams {
            return Ok(Answer::Streamed(ByteStream::new(response, url())));
        }
        let headers = response.headers().clone();
        let body = match reading {
            Reading::Whole => response.bytes().await.map_err(failed)?,
            // No reqwest timeout runs for a stream: an error body gets the
            // request's timeout here, so a stalled one cannot hang the call.
            Reading::Streamed => match tokio::time::timeout(timeout, response.bytes()).await {
                Ok(body) => body.map_err(failed)?,
                Err(_) => return Err(timed_out(url(), timeout)),
            },
        };
        let body = Vec::from(body);
        Ok(Answer::Whole(RawResponse {
            status,
            headers,
            body,
        }))
    }
}

/// Why a failure that allows a retry was not retried.
const ONE_SHOT: &str = "the request body is a one-shot stream (Body::from_reader or \
Body::from_stream) that cannot be sent again; give bytes or Body::from_path to allow retries";

/// The error a call ends with: the attempt's own, or the API error of its answer.
async fn final_error<E: ErrorBody>(
    outcome: Result<Answer, Error<E>>,
    note: Option<&'static str>,
    fields: &ErrorFields,
) -> Error<E> {
    let answer = match outcome {
        Ok(answer) => answer,
        Err(Error::Connection(mut error)) => {
            error.not_retried = note;
            return Error::Connection(error);
        }
        Err(Error::Timeout(mut error)) => {
            error.not_retried = note;
            return Error::Timeout(error);
        }
        Err(other) => return other,
    };
    let raw = match answer {
        Answer::Whole(raw) => raw,
        Answer::Streamed(stream) => {
            let (status, headers) = (stream.status(), stream.headers().clone());
            match stream.read_to_end().await {
                Ok(body) => RawResponse {
                    status,
                    headers,
                    body,
                },
                Err(error) => return Error::Connection(error),
            }
        }
    };
    let error = ApiError::new(raw.status, raw.headers, &raw.body, fields);
    Error::from_api(match note {
        Some(note) => error.not_retried(note),
        None => error,
    })
}

/// A timeout the client measured itself (a streamed call's wait), with no
/// reqwest error behind it.
fn timed_out<E>(url: String, timeout: Duration) -> Error<E> {
    Error::Timeout(ConnectionError {
        url,
        timeout: Some(timeout),
        source: None,
        not_retried: None,
    })
}

fn connection_error<E>(url: String, timeout: Duration, source: reqwest::Error) -> Error<E> {
    // The URL is kept apart, without the credentials a query may carry.
    let source = source.without_url();
    if source.is_timeout() {
        Error::Timeout(ConnectionError {
            url,
            timeout: Some(timeout),
            source: Some(source),
            not_retried: None,
        })
    } else {
        Error::Connection(ConnectionError {
            url,
            timeout: None,
            source: Some(source),
            not_retried: None,
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field("credentials", &config.credentials)
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
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
    /// Query parameters the spec does not list, sent after the operation's own.
    pub(crate) query: Vec<(String, String)>,
    /// JSON body fields the spec does not list, merged into the body's object.
    pub(crate) body_fields: Vec<(String, serde_json::Value)>,
}

/// A request as the builders describe it, before it meets the HTTP client.
// `pub` in a private module, like `RequestOptions`.
#[derive(Debug)]
pub struct Request {
    method: reqwest::Method,
    path: String,
    /// The spec's operationId, for traces and hooks.
    operation: &'static str,
    /// The path template, for traces and hooks (no IDs in it).
    template: &'static str,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    body: Option<Payload>,
    /// The `Accept` header: JSON unless the operation answers with text or bytes.
    accept: String,
    /// Whether the body can be sent again: not when it is a one-shot stream.
    replayable: bool,
    /// Which credentials go with the request: the operation's security requirements.
    security: Security,
    /// Statuses outside 2xx the operation declares as answers (`304 Not Modified`).
    answers: &'static [u16],
    /// Where the operation's error schemas keep the message and the code.
    error_fields: ErrorFields,
    options: RequestOptions,
}

impl Request {
    /// A request for `path` (already percent-encoded) with the builder's options.
    pub(crate) fn new(method: reqwest::Method, path: String, options: RequestOptions) -> Self {
        Request {
            method,
            path,
            operation: "request",
            template: "",
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: "application/json".to_owned(),
            replayable: true,
            security: Security::NONE,
            answers: &[],
            error_fields: ErrorFields::default(),
            options,
        }
    }

    /// Names the operation (its operationId and path template) for traces and hooks.
    pub(crate) fn describe(&mut self, operation: &'static str, template: &'static str) {
        self.operation = operation;
        self.template = template;
    }

    /// Puts the extra query parameters and body fields of the options on the request.
    fn apply_extras(&mut self) -> Result<(), BuildError> {
        self.query.append(&mut self.options.query);
        let fields = std::mem::take(&mut self.options.body_fields);
        if fields.is_empty() {
            return Ok(());
        }
        let (mut object, content_type) = match self.body.take() {
            None => (serde_json::Map::new(), "application/json".to_owned()),
            Some(Payload::Bytes(bytes, content_type)) if content_type.contains("json") => {
                match serde_json::from_slice(&bytes) {
                    Ok(serde_json::Value::Object(object)) => (object, content_type),
                    _ => return Err(extra_fields_need_object()),
                }
            }
            Some(_) => return Err(extra_fields_need_object()),
        };
        object.extend(fields);
        let bytes = serde_json::to_vec(&object).map_err(|error| BuildError {
            message: format!("the request body cannot be encoded as JSON: {error}"),
        })?;
        self.body = Some(Payload::Bytes(bytes, content_type));
        Ok(())
    }

    /// The operation's security requirements: alternatives of schemes (indexes
    /// into `crate::auth::SCHEMES`), and whether it may go without any.
    #[allow(dead_code)] // A spec may have no security requirements.
    pub(crate) fn security(&mut self, alternatives: &'static [&'static [usize]], optional: bool) {
        self.security = Security {
            alternatives,
            optional,
        };
    }

    /// Where the operation's error schemas keep the message and the code: paths
    /// of keys, tried in order before the common keys.
    #[allow(dead_code)] // A spec may have no error schemas.
    pub(crate) fn error_fields(
        &mut self,
        message: &'static [&'static [&'static str]],
        code: &'static [&'static [&'static str]],
    ) {
        self.error_fields = ErrorFields { message, code };
    }

    /// Treats these declared non-2xx statuses (such as 304) as answers, not errors.
    #[allow(dead_code)] // Used only by operations that declare 304 or 300.
    pub(crate) fn answers(&mut self, statuses: &'static [u16]) {
        self.answers = statuses;
    }

    /// Sets a JSON body.
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

    /// Sets a body sent as is, with its media type (text bodies).
    #[allow(dead_code)] // Used only by operations with text bodies.
    pub(crate) fn raw(&mut self, body: &[u8], content_type: &str) {
        self.body = Some(Payload::Bytes(body.to_vec(), content_type.to_owned()));
    }

    /// Sets a binary body: bytes, a file or a stream; a one-shot stream makes the
    /// request one that is not retried.
    #[allow(dead_code)] // Used only by operations with binary bodies.
    pub(crate) fn binary(&mut self, body: &Body, content_type: &str) {
        self.replayable &= body.is_replayable();
        self.body = Some(Payload::Body(body.clone(), content_type.to_owned()));
    }

    /// Sets a `multipart/form-data` body.
    #[allow(dead_code)] // Used only by operations with multipart bodies.
    pub(crate) fn multipart(&mut self, parts: super::multipart::Multipart) {
        self.replayable &= parts.is_replayable();
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

fn extra_fields_need_object() -> BuildError {
    BuildError {
        message: "extra body fields need a JSON object body (or none)".to_owned(),
    }
}

/// A request body; each attempt sends it anew.
#[derive(Debug)]
enum Payload {
    /// Encoded bytes and their content type.
    Bytes(Vec<u8>, String),
    /// A binary body (bytes, a file or a stream) and its content type.
    Body(Body, String),
    /// Multipart parts; the form is built anew for each attempt.
    Multipart(super::multipart::Multipart),
}

/// How an attempt takes a success body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Read whole, under the request's timeout (`send`).
    Whole,
    /// Handed over as it arrives (`send_stream`).
    Streamed,
}

/// An attempt's answer.
enum Answer {
    Whole(RawResponse),
    Streamed(ByteStream),
}

impl Answer {
    fn status(&self) -> u16 {
        match self {
            Answer::Whole(raw) => raw.status,
            Answer::Streamed(stream) => stream.status(),
        }
    }

    fn headers(&self) -> &HeaderMap {
        match self {
            Answer::Whole(raw) => &raw.headers,
            Answer::Streamed(stream) => stream.headers(),
        }
    }

    /// A 2xx, or a status outside 2xx that the operation declares as an answer.
    fn is_success(&self, answers: &[u16]) -> bool {
        self.status() < 300 || answers.contains(&self.status())
    }

    fn retryable(&self) -> bool {
        retry::is_retryable_response(self.status(), self.headers())
    }
}

/// Why a request was not sent: it cannot be built, or credentials it needs are not set.
enum Unprepared {
    Build(BuildError),
    Missing(MissingCredentials),
}

impl From<BuildError> for Unprepared {
    fn from(error: BuildError) -> Self {
        Unprepared::Build(error)
    }
}

impl<E> From<Unprepared> for Error<E> {
    fn from(error: Unprepared) -> Self {
        match error {
            Unprepared::Build(error) => Error::Build(error),
            Unprepared::Missing(error) => Error::MissingCredentials(error),
        }
    }
}

struct Prepared {
    /// Without the credentials that go in the query: it is shown in traces and errors.
    url: reqwest::Url,
    headers: HeaderMap,
    /// Credentials that go in the query.
    query: Vec<(String, String)>,
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
pub(crate) fn cookie_header(cookies: &[(String, String)]) -> Option<String> {
    let pairs: Vec<String> = cookies
        .iter()
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, COOKIE_VALUE)))
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("; "))
}
