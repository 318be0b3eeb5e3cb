//! The server behind [`MockServer`]: hyper's HTTP/1 server on 127.0.0.1 and a
//! free port, one task per connection. Each request goes to the first
//! registered expectation that matches it and still has room; a request that
//! matches none is answered `501 Not Implemented` with a body that says which
//! expectation came closest and how the request differed, and is kept for
//! [`MockServer::verify`].

use std::convert::Infallible;
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};

use super::plan::{lock, Registered};
use super::respond::{MockBody, Step};
use super::{MockResponse, Received};

/// The token [`MockServer::client`] sends for every scheme that takes one;
/// HTTP basic sends [`TEST_USERNAME`] and [`TEST_PASSWORD`].
pub const TEST_TOKEN: &str = "mock-token";

/// The user name [`MockServer::client`] sends for HTTP basic.
pub const TEST_USERNAME: &str = "mock-user";

/// The password [`MockServer::client`] sends for HTTP basic.
pub const TEST_PASSWORD: &str = "mock-password";

/// How long a scripted cut waits, so the pieces before it are written first.
const CUT_GRACE: std::time::Duration = std::time::Duration::from_millis(30);

/// A mock of the API on 127.0.0.1, for tests: register what it should
/// expect and answer through the typed methods (`server.chats().list()`,
/// mirroring the client), point a client at it with [`MockServer::client`],
/// and check with [`MockServer::verify`].
///
/// Dropping it stops the server.
#[derive(Clone)]
pub struct MockServer {
    shared: Arc<Shared>,
}

pub(super) struct Shared {
    url: String,
    expectations: Mutex<Vec<Arc<Registered>>>,
    unmatched: Mutex<Vec<Unmatched>>,
    received: Mutex<Vec<Received>>,
    /// What takes over an upgrade request (the live-events socket), when set.
    upgrade: Mutex<Option<Upgrade>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A request no expectation matched, with the closest one's differences.
#[derive(Clone)]
struct Unmatched {
    line: String,
    closest: Option<(String, Vec<String>)>,
}

impl Unmatched {
    fn message(&self) -> String {
        match &self.closest {
            None => format!("{}: no expectation is registered", self.line),
            Some((name, differences)) => format!(
                "{}: the closest expectation, {name}, differs in {}",
                self.line,
                differences.join("; ")
            ),
        }
    }
}

impl MockServer {
    /// Starts a server on 127.0.0.1 on a free port. It must be called inside a
    /// tokio runtime (such as `#[tokio::test]`).
    ///
    /// # Panics
    ///
    /// When no port on 127.0.0.1 can be bound, which leaves a test nothing to run.
    pub async fn start() -> MockServer {
        match Self::try_start().await {
            Ok(server) => server,
            Err(error) => panic!("the mock server could not listen on 127.0.0.1: {error}"),
        }
    }

    /// [`MockServer::start`], reporting a failure to bind instead of panicking.
    pub async fn try_start() -> std::io::Result<MockServer> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new_cyclic(|weak: &std::sync::Weak<Shared>| {
            let weak = weak.clone();
            let task = tokio::spawn(async move {
                while let Ok((tcp, _)) = listener.accept().await {
                    let Some(shared) = weak.upgrade() else {
                        return;
                    };
                    tokio::spawn(serve(tcp, shared));
                }
            });
            Shared {
                url,
                expectations: Mutex::new(Vec::new()),
                unmatched: Mutex::new(Vec::new()),
                received: Mutex::new(Vec::new()),
                upgrade: Mutex::new(None),
                task,
            }
        });
        Ok(MockServer { shared })
    }

    /// The server's base URL, such as `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.shared.url
    }

    /// A client for this server with a test credential for every security
    /// scheme ([`TEST_TOKEN`], or [`TEST_USERNAME`] and [`TEST_PASSWORD`]) and
    /// retries off, so each call is one request.
    pub fn client(&self) -> crate::Client {
        match self.client_builder().max_retries(0).build() {
            Ok(client) => client,
            // The builder holds a valid URL and nothing else that can fail.
            Err(error) => panic!("the mock server's client could not be built: {error}"),
        }
    }

    /// A [`crate::ClientBuilder`] with this server's URL and the test
    /// credentials, for tests that configure more (retries, hooks).
    pub fn client_builder(&self) -> crate::ClientBuilder {
        crate::Client::builder()
            .base_url(self.url())
            .test_credentials()
    }

    /// An expectation for a route the spec does not describe (or any route):
    /// `method` and a path template such as `/v1/things/{id}`.
    pub fn expect(&self, method: &str, template: &str) -> super::Expect<()> {
        let label = format!("{method} {template}");
        super::Expect::new(self, &label, method, template)
    }

    /// Every request the server received, in order, matched or not.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }

    /// Removes every expectation and forgets every request.
    pub fn reset(&self) {
        lock(&self.shared.expectations).clear();
        lock(&self.shared.unmatched).clear();
        lock(&self.shared.received).clear();
    }

    /// Checks that every expectation matched as many requests as it should
    /// and that no request went unmatched.
    ///
    /// # Panics
    ///
    /// With the list of unmet expectations and of unmatched requests, each
    /// with the closest expectation and how it differed (see [`MockServer::try_verify`]).
    #[track_caller]
    pub fn verify(&self) {
        if let Err(error) = self.try_verify() {
            panic!("{error}");
        }
    }

    /// [`MockServer::verify`] as a `Result`.
    pub fn try_verify(&self) -> Result<(), VerifyError> {
        let unmet: Vec<String> = lock(&self.shared.expectations)
            .iter()
            .filter_map(|e| e.unmet())
            .collect();
        let unmatched: Vec<String> = lock(&self.shared.unmatched)
            .iter()
            .map(Unmatched::message)
            .collect();
        match unmet.is_empty() && unmatched.is_empty() {
            true => Ok(()),
            false => Err(VerifyError { unmet, unmatched }),
        }
    }

    pub(super) fn add(&self, expectation: Arc<Registered>) {
        lock(&self.shared.expectations).push(expectation);
    }

    /// Hands requests to `upgrade` first (the live-events socket's mock).
    #[allow(dead_code)] // Used only by specs with live events (`x-rust-events`).
    pub(super) fn set_upgrade(&self, upgrade: Upgrade) {
        *lock(&self.shared.upgrade) = Some(upgrade);
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.shared.url)
            .field("expectations", &lock(&self.shared.expectations).len())
            .finish()
    }
}

/// What [`MockServer::try_verify`] found wrong.
#[derive(Debug, Clone)]
pub struct VerifyError {
    /// Each expectation that matched too few or too many requests.
    pub unmet: Vec<String>,
    /// Each request that matched no expectation, with the closest one.
    pub unmatched: Vec<String>,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the mock server's expectations were not met")?;
        if !self.unmet.is_empty() {
            write!(f, "\nexpectations not met:")?;
            for line in &self.unmet {
                write!(f, "\n- {line}")?;
            }
        }
        if !self.unmatched.is_empty() {
            write!(f, "\nrequests that matched no expectation:")?;
            for line in &self.unmatched {
                write!(f, "\n- {line}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}

pub(super) type Body = BoxBody<Bytes, std::io::Error>;

/// Takes over a request and answers it, or hands it back.
pub(super) type Upgrade = Arc<
    dyn Fn(hyper::Request<Incoming>) -> Result<hyper::Response<Body>, Box<hyper::Request<Incoming>>>
        + Send
        + Sync,
>;

/// Why a connection is closed without an answer.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the expectation drops the connection")
    }
}

impl std::error::Error for Dropped {}

async fn serve(tcp: tokio::net::TcpStream, shared: Arc<Shared>) {
    let io = hyper_util::rt::TokioIo::new(tcp);
    let service = hyper::service::service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move { answer(&shared, request).await }
    });
    // A connection the client or an expectation drops ends here; nothing to report.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .with_upgrades()
        .await;
}

async fn answer(
    shared: &Arc<Shared>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Body>, Dropped> {
    let upgrade = lock(&shared.upgrade).clone();
    let request = match upgrade {
        Some(upgrade) => match upgrade(request) {
            Ok(response) => return Ok(response),
            Err(request) => *request,
        },
        None => request,
    };
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(Dropped),
    };
    let received = received(&parts.method, &parts.uri, &parts.headers, body);
    lock(&shared.received).push(received.clone());
    let Some(expectation) = choose(shared, &received) else {
        return Ok(unmatched(shared, received));
    };
    let delay = expectation.plan.delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match expectation.reply.answer(&received) {
        Some(response) => Ok(respond(response)),
        None => Err(Dropped),
    }
}

/// The request as the expectations see it.
pub(super) fn received(
    method: &hyper::Method,
    uri: &hyper::Uri,
    headers: &hyper::HeaderMap,
    body: Bytes,
) -> Received {
    // The query decoded as a form, as reqwest's `query` writes it.
    let query = match uri.query() {
        Some(query) => reqwest::Url::parse(&format!("http://mock/?{query}"))
            .map(|url| {
                url.query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let headers = headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    Received {
        method: method.as_str().to_owned(),
        path: uri.path().to_owned(),
        query,
        headers,
        body,
    }
}

/// The first expectation that matches and has room, counted as hit.
fn choose(shared: &Shared, request: &Received) -> Option<Arc<Registered>> {
    let expectations = lock(&shared.expectations);
    let chosen = expectations
        .iter()
        .find(|e| e.has_room() && e.plan.differences(request).is_empty())?;
    chosen.hits.fetch_add(1, Ordering::SeqCst);
    lock(&chosen.received).push(request.clone());
    Some(Arc::clone(chosen))
}

/// The 501 for a request no expectation matched, kept for `verify`.
fn unmatched(shared: &Shared, request: Received) -> hyper::Response<Body> {
    let closest = {
        let expectations = lock(&shared.expectations);
        expectations
            .iter()
            .map(|e| (e, e.plan.differences(&request)))
            .min_by_key(|(e, differences)| distance(e, differences))
            .map(|(e, differences)| match differences.is_empty() {
                // It matches, but has answered as many times as it should.
                true => (
                    e.plan.describe(),
                    vec![format!(
                        "nothing, but it has already matched the {} requests it expects",
                        e.hits.load(Ordering::SeqCst)
                    )],
                ),
                false => (e.plan.describe(), differences),
            })
    };
    let unmatched = Unmatched {
        line: request.line(),
        closest,
    };
    let message = format!(
        "no expectation of the mock server matched {}",
        unmatched.message()
    );
    lock(&shared.unmatched).push(unmatched);
    let body = serde_json::json!({ "message": message, "code": "mock_unmatched" });
    respond(MockResponse::json(501, &body))
}

/// How far an expectation is from a request: a wrong route weighs more than
/// any number of wrong values.
fn distance(expectation: &Registered, differences: &[String]) -> usize {
    let route = differences
        .iter()
        .filter(|d| d.starts_with("method:") || d.starts_with("path:"))
        .count();
    let full = usize::from(!expectation.has_room());
    route * 1000 + differences.len() * 2 + full
}

fn respond(response: MockResponse) -> hyper::Response<Body> {
    let body: Body = match response.body {
        MockBody::Bytes(bytes) => Full::new(bytes).map_err(|never| match never {}).boxed(),
        MockBody::Stream(steps) => BodyExt::boxed(StreamBody::new(stream_of(steps))),
    };
    let mut builder = hyper::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder.body(body).unwrap_or_else(|error| {
        let text = format!("the mock's answer is not a valid HTTP response: {error}");
        let mut fallback = hyper::Response::new(
            Full::new(Bytes::from(text))
                .map_err(|never: Infallible| match never {})
                .boxed(),
        );
        *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

/// The body frames of a scripted stream; a cut is an error, which makes
/// hyper close the connection mid-body.
fn stream_of(
    steps: Vec<Step>,
) -> impl futures_util::Stream<Item = Result<Frame<Bytes>, std::io::Error>> + Send {
    futures_util::stream::iter(steps)
        .then(|step| async move {
            match step {
                Step::Send(bytes) => Some(Ok(Frame::data(bytes))),
                Step::Pause(delay) => {
                    tokio::time::sleep(delay).await;
                    None
                }
                Step::Cut => {
                    // What was sent before the cut reaches the client first.
                    tokio::time::sleep(CUT_GRACE).await;
                    Some(Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "the mock cuts the stream here",
                    )))
                }
            }
        })
        .filter_map(|frame| async move { frame })
}
