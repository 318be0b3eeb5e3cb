//! The WebSocket engine behind [`super`]: connects with the client's base URL,
//! token, headers and retry backoff, sends the subscription, decodes frames into
//! the spec's server-message type, answers pings, and reconnects when the
//! connection drops.
//!
//! Nothing here depends on the spec: the generated module passes in the path and
//! how a subscription is written. One background task per stream owns the socket;
//! the stream and the task talk over channels, so dropping the stream closes the
//! socket even while the caller is not polling.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, http, Message};

use crate::runtime::{backoff, is_retryable_response, jitter, USER_AGENT};

/// How many decoded items wait for the caller before reading the socket pauses.
const BUFFER: usize = 64;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The spec's facts about the channel, written by the generator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Channel {
    /// Path of the upgrade request, relative to the base URL.
    pub(crate) path: &'static str,
    /// The text frame that sets the subscription to these IDs.
    pub(crate) subscribe: fn(&[String]) -> String,
}

/// Opens live-event streams; get one from the client's `events()`.
///
/// `E` is what the server sends, the spec's server-message type.
#[derive(Debug, Clone)]
pub struct Events<E> {
    settings: Settings,
    event: std::marker::PhantomData<fn() -> E>,
}

#[derive(Debug, Clone)]
struct Settings {
    client: crate::Client,
    channel: Channel,
    connect_timeout: Duration,
    max_reconnects: Option<u32>,
    subscription: Vec<String>,
}

impl<E> Events<E> {
    /// Events for `client` on `channel`, with the client's timeout for connecting.
    pub(crate) fn new(client: crate::Client, channel: Channel) -> Self {
        let connect_timeout = client.inner.timeout;
        Events {
            settings: Settings {
                client,
                channel,
                connect_timeout,
                max_reconnects: None,
                subscription: Vec::new(),
            },
            event: std::marker::PhantomData,
        }
    }

    /// How long one connection attempt (TCP, TLS and the upgrade) may take;
    /// the client's request timeout by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// How many connection attempts in a row the stream makes after the
    /// connection drops before it gives up with the last error; unlimited by
    /// default. The first connection gets the client's `max_retries` retries.
    pub fn max_reconnects(mut self, attempts: u32) -> Self {
        self.settings.max_reconnects = Some(attempts);
        self
    }

    /// A stream of the events for `ids`. Nothing happens until it is first
    /// polled; then it connects, sends the subscription, and yields what the
    /// server sends. Dropping the stream closes the connection.
    pub fn subscribe<I, S>(mut self, ids: I) -> EventStream<E>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.subscription = ids.into_iter().map(Into::into).collect();
        EventStream {
            state: State::Idle(Box::new(self.settings)),
            event: std::marker::PhantomData,
        }
    }
}

/// What a live-event stream yields besides errors.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Item<E> {
    /// A message from the server, decoded.
    Event(E),
    /// The connection dropped and is back, with the subscription sent again.
    /// Events in between are lost (delivery is at most once) and sequence
    /// numbers start again, so refetch what matters over HTTP.
    Reconnected {
        /// How many attempts the new connection took.
        attempts: u32,
    },
}

/// A live stream of events; see [`Events::subscribe`].
///
/// Yields `Ok` items and errors. [`EventError::Decode`] is a frame that could
/// not be read, and the stream goes on after it; any other error ends the stream.
pub struct EventStream<E> {
    state: State<E>,
    event: std::marker::PhantomData<fn() -> E>,
}

enum State<E> {
    /// Not polled yet: nothing is connected.
    Idle(Box<Settings>),
    /// A task owns the socket.
    Running {
        items: mpsc::Receiver<Result<Item<E>, EventError>>,
        commands: mpsc::UnboundedSender<Vec<String>>,
    },
    /// The task ended; only `None` is left.
    Done,
}

impl<E> EventStream<E> {
    /// Replaces the subscription with `ids`, now and after any reconnect.
    pub fn set_subscription<I, S>(&mut self, ids: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        match &mut self.state {
            State::Idle(settings) => settings.subscription = ids,
            // A task that has ended has nothing to subscribe; the stream yields `None`.
            State::Running { commands, .. } => {
                let _ = commands.send(ids);
            }
            State::Done => {}
        }
    }
}

impl<E> fmt::Debug for EventStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Idle(_) => "idle",
            State::Running { .. } => "running",
            State::Done => "done",
        };
        f.debug_struct("EventStream")
            .field("state", &state)
            .finish()
    }
}

impl<E: DeserializeOwned + Send + 'static> futures_util::Stream for EventStream<E> {
    type Item = Result<Item<E>, EventError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let State::Idle(settings) = &this.state {
            // Spawned on first poll, on the runtime that polls; without one
            // (tokio::spawn would panic) the stream ends with an error.
            let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                this.state = State::Done;
                let message = "the event stream needs a tokio runtime to run on".to_owned();
                return Poll::Ready(Some(Err(EventError::Build(crate::BuildError { message }))));
            };
            let (item_tx, items) = mpsc::channel(BUFFER);
            let (commands, command_rx) = mpsc::unbounded_channel();
            runtime.spawn(run::<E>((**settings).clone(), command_rx, item_tx));
            this.state = State::Running { items, commands };
        }
        let State::Running { items, .. } = &mut this.state else {
            return Poll::Ready(None);
        };
        let next = items.poll_recv(cx);
        if let Poll::Ready(None) = next {
            this.state = State::Done;
        }
        next
    }
}

/// Why a live-event stream failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventError {
    /// The server answered the upgrade request with an error status, sorted like
    /// an HTTP error (`Error::Authentication` for 401). Ends the stream; it is
    /// not retried unless the status is one HTTP requests retry (429, 5xx).
    Rejected(Box<crate::Error>),
    /// The server could not be reached, or the connection could not be made
    /// again after it dropped. Ends the stream.
    Connection(SocketError),
    /// Connecting took longer than the connect timeout, on every attempt. Ends the stream.
    Timeout(SocketError),
    /// A frame that is not a message of the spec. The stream goes on.
    Decode(FrameError),
    /// The upgrade request could not be built (a bad base URL or header). Ends the stream.
    Build(crate::BuildError),
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::Rejected(error) => write!(f, "the event stream was refused: {error}"),
            EventError::Connection(error) => write!(
                f,
                "could not connect to the event stream at {} ({}); is the server running?",
                error.url,
                error.reason()
            ),
            EventError::Timeout(error) => write!(
                f,
                "connecting to the event stream at {} took too long",
                error.url
            ),
            EventError::Decode(error) => fmt::Display::fmt(error, f),
            EventError::Build(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl std::error::Error for EventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventError::Rejected(error) => Some(&**error),
            EventError::Connection(error) | EventError::Timeout(error) => {
                error.source.as_deref().map(|e| e as _)
            }
            EventError::Decode(error) => Some(&error.source),
            EventError::Build(error) => Some(error),
        }
    }
}

/// A connection failure: where, and what the WebSocket library said.
#[derive(Debug)]
pub struct SocketError {
    /// The WebSocket URL (`ws://…` or `wss://…`).
    pub url: String,
    /// The connect timeout, when that is what ran out.
    pub timeout: Option<Duration>,
    source: Option<Box<tungstenite::Error>>,
}

impl SocketError {
    fn reason(&self) -> String {
        match (&self.source, self.timeout) {
            (Some(source), _) => source.to_string(),
            (None, Some(timeout)) => format!("no answer within {timeout:?}"),
            (None, None) => "the connection closed".to_owned(),
        }
    }
}

/// A frame that did not decode; the text is kept as it came.
#[derive(Debug)]
pub struct FrameError {
    /// The frame's text (binary frames: with invalid UTF-8 replaced).
    pub raw: String,
    /// What did not match.
    pub source: serde_json::Error,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut snippet: String = self.raw.chars().take(200).collect();
        if snippet.len() < self.raw.len() {
            snippet.push('…');
        }
        write!(
            f,
            "an event frame did not decode ({}): {snippet}",
            self.source
        )
    }
}

/// One connection attempt's failure: give up, or try again after a backoff.
enum Failure {
    Fatal(EventError),
    Retry(EventError),
}

/// The task behind a stream: connect, subscribe, pump frames, reconnect.
async fn run<E: DeserializeOwned>(
    mut settings: Settings,
    mut commands: mpsc::UnboundedReceiver<Vec<String>>,
    items: mpsc::Sender<Result<Item<E>, EventError>>,
) {
    let mut reconnecting = false;
    loop {
        let (limit, first) = match reconnecting {
            // A pause before the first reconnect, so a server that accepts and
            // drops at once is not asked again in a tight loop.
            true => (settings.max_reconnects, 1),
            false => (Some(settings.client.inner.max_retries), 0),
        };
        let connected = tokio::select! {
            result = connect(&settings, limit, first) => result,
            () = items.closed() => return,
        };
        let (mut socket, attempts) = match connected {
            Ok(connected) => connected,
            Err(error) => {
                let _ = items.send(Err(error)).await;
                return;
            }
        };
        while let Ok(ids) = commands.try_recv() {
            settings.subscription = ids;
        }
        let subscribe = (settings.channel.subscribe)(&settings.subscription);
        if socket.send(Message::text(subscribe)).await.is_err() {
            reconnecting = true;
            continue;
        }
        // Said once the subscription is on its way, so the caller can refetch
        // knowing that new changes will arrive.
        let announced = Item::Reconnected { attempts };
        if reconnecting && items.send(Ok(announced)).await.is_err() {
            let _ = socket.close(None).await;
            return;
        }
        reconnecting = true;
        if let Pumped::Finished = pump(&mut socket, &mut settings, &mut commands, &items).await {
            // A clean close: the server is told, and the task ends.
            let _ = socket.close(None).await;
            return;
        }
    }
}

/// How a connection's life ended.
enum Pumped {
    /// The connection broke or the server closed it: reconnect.
    Dropped,
    /// The stream was dropped: close and stop.
    Finished,
}

/// Forwards frames to the stream and subscriptions to the server until either ends.
async fn pump<E: DeserializeOwned>(
    socket: &mut Socket,
    settings: &mut Settings,
    commands: &mut mpsc::UnboundedReceiver<Vec<String>>,
    items: &mpsc::Sender<Result<Item<E>, EventError>>,
) -> Pumped {
    loop {
        tokio::select! {
            frame = socket.next() => {
                let text = match frame {
                    Some(Ok(Message::Text(text))) => text.as_str().to_owned(),
                    Some(Ok(Message::Binary(bytes))) => String::from_utf8_lossy(&bytes).into_owned(),
                    // The library queued the pong; flushing sends it now.
                    Some(Ok(Message::Ping(_))) => {
                        if socket.flush().await.is_err() {
                            return Pumped::Dropped;
                        }
                        continue;
                    }
                    Some(Ok(Message::Pong(_) | Message::Frame(_))) => continue,
                    Some(Ok(Message::Close(_)) | Err(_)) | None => return Pumped::Dropped,
                };
                if items.send(decode(text)).await.is_err() {
                    return Pumped::Finished;
                }
            }
            command = commands.recv() => match command {
                Some(ids) => {
                    settings.subscription = ids;
                    let subscribe = (settings.channel.subscribe)(&settings.subscription);
                    if socket.send(Message::text(subscribe)).await.is_err() {
                        return Pumped::Dropped;
                    }
                }
                None => return Pumped::Finished,
            },
            () = items.closed() => return Pumped::Finished,
        }
    }
}

fn decode<E: DeserializeOwned>(raw: String) -> Result<Item<E>, EventError> {
    match serde_json::from_str(&raw) {
        Ok(event) => Ok(Item::Event(event)),
        Err(source) => Err(EventError::Decode(FrameError { raw, source })),
    }
}

/// Connects, retrying with the HTTP backoff; `limit` bounds the retries (`None`:
/// no bound) and `first` is the backoff step to wait before the first attempt
/// (0: none). Returns the socket and how many attempts it took.
async fn connect(
    settings: &Settings,
    limit: Option<u32>,
    first: u32,
) -> Result<(Socket, u32), EventError> {
    let policy = &settings.client.inner.retry;
    let mut failures = 0;
    if first > 0 {
        tokio::time::sleep(backoff(first - 1, policy, jitter())).await;
    }
    loop {
        match connect_once(settings).await {
            Ok(socket) => return Ok((socket, failures + 1)),
            Err(Failure::Fatal(error)) => return Err(error),
            Err(Failure::Retry(error)) => {
                if limit.is_some_and(|limit| failures >= limit) {
                    return Err(error);
                }
                tokio::time::sleep(backoff(failures, policy, jitter())).await;
                failures += 1;
            }
        }
    }
}

async fn connect_once(settings: &Settings) -> Result<Socket, Failure> {
    let (url, request) = upgrade_request(settings).map_err(Failure::Fatal)?;
    let timeout = settings.connect_timeout;
    let attempt = tokio_tungstenite::connect_async(request);
    match tokio::time::timeout(timeout, attempt).await {
        Ok(Ok((socket, _))) => Ok(socket),
        Ok(Err(tungstenite::Error::Http(response))) => Err(refused(&response)),
        Ok(Err(source)) => Err(Failure::Retry(EventError::Connection(SocketError {
            url,
            timeout: None,
            source: Some(Box::new(source)),
        }))),
        Err(_) => Err(Failure::Retry(EventError::Timeout(SocketError {
            url,
            timeout: Some(timeout),
            source: None,
        }))),
    }
}

/// A non-101 answer to the upgrade, as the HTTP error it is.
fn refused(response: &http::Response<Option<Vec<u8>>>) -> Failure {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.body().as_deref().unwrap_or_default();
    let retryable = is_retryable_response(status, &headers);
    let error: crate::Error = crate::runtime::Error::from_api(crate::ApiError::new(
        status,
        headers,
        body,
        &crate::runtime::ErrorFields::default(),
    ));
    match retryable {
        true => Failure::Retry(EventError::Rejected(Box::new(error))),
        false => Failure::Fatal(EventError::Rejected(Box::new(error))),
    }
}

/// The upgrade request: the base URL as `ws`/`wss`, the client's default
/// headers, its `User-Agent` and its credentials.
fn upgrade_request(settings: &Settings) -> Result<(String, http::Request<()>), EventError> {
    let config = &settings.client.inner;
    let url = websocket_url(&config.base_url, settings.channel.path)?;
    let invalid = |message: String| EventError::Build(crate::BuildError { message });
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| invalid(format!("invalid event stream URL {url:?}: {e}")))?;
    let headers = request.headers_mut();
    for (name, value) in &config.headers {
        headers.insert(name.clone(), value.clone());
    }
    headers.insert(
        http::header::USER_AGENT,
        http::HeaderValue::from_static(USER_AGENT),
    );
    // The spec does not say what the socket needs: the credentials of its root
    // requirement go along when they are set.
    let chosen = config
        .credentials
        .choose(crate::auth::SCHEMES, &crate::auth::UNDECLARED)
        .unwrap_or_default();
    let placed = crate::runtime::auth::place(&chosen).map_err(invalid)?;
    for (name, value) in placed.headers {
        headers.insert(name, value);
    }
    if !placed.cookies.is_empty() {
        let cookies: Vec<String> = placed
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        let mut value = http::HeaderValue::from_str(&cookies.join("; "))
            .map_err(|_| invalid("a cookie credential is not a valid header value".to_owned()))?;
        value.set_sensitive(true);
        headers.insert(http::header::COOKIE, value);
    }
    if !placed.query.is_empty() {
        // The URL returned for messages stays without the credentials.
        let mut with_keys = reqwest::Url::parse(&url)
            .map_err(|e| invalid(format!("invalid event stream URL {url:?}: {e}")))?;
        with_keys.query_pairs_mut().extend_pairs(&placed.query);
        *request.uri_mut() = with_keys.as_str().parse().map_err(|_| {
            invalid("the event stream URL with its query credentials is not valid".to_owned())
        })?;
    }
    Ok((url, request))
}

/// `http://host/base` + `/ws` → `ws://host/base/ws` (and https → wss).
fn websocket_url(base_url: &str, path: &str) -> Result<String, EventError> {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("", base_url));
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => {
            let message =
                format!("the base URL {base_url:?} is not http(s), so it has no WebSocket address");
            return Err(EventError::Build(crate::BuildError { message }));
        }
    };
    Ok(format!("{scheme}://{}{path}", rest.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::websocket_url;

    #[test]
    fn websocket_urls_follow_the_base_url() {
        let cases = [
            ("http://localhost:23373", "ws://localhost:23373/v1/ws"),
            ("https://example.com/api/", "wss://example.com/api/v1/ws"),
            ("HTTP://h", "ws://h/v1/ws"),
            ("wss://h", "wss://h/v1/ws"),
        ];
        for (base, expected) in cases {
            assert_eq!(
                websocket_url(base, "/v1/ws").ok().as_deref(),
                Some(expected)
            );
        }
        assert!(websocket_url("ftp://h", "/v1/ws").is_err());
        assert!(websocket_url("localhost", "/v1/ws").is_err());
    }
}
