//! A WebSocket server on 127.0.0.1 for the live-events tests.
//!
//! [`WsServer::start`] binds a free port and upgrades every connection, handing
//! each to the test as a [`WsConnection`] (with the upgrade request's headers)
//! so the test decides what the server says, when it drops the connection and
//! what it expects to hear. [`WsServer::refusing`] answers every upgrade with an
//! HTTP error instead, and counts the attempts. Every wait is bounded by
//! [`WAIT`]; nothing sleeps.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::handshake::server::{
    Callback, ErrorResponse, Request, Response,
};
use tokio_tungstenite::tungstenite::http::{HeaderMap, StatusCode};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// The longest any test waits for something that should happen at once.
pub const WAIT: Duration = Duration::from_secs(10);

/// Awaits `future` for at most [`WAIT`], failing the test with `what` if it takes longer.
pub async fn within<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(WAIT, future).await {
        Ok(value) => value,
        Err(_) => panic!("timed out after {WAIT:?} waiting for {what}"),
    }
}

/// The server; it stops when dropped.
pub struct WsServer {
    /// `http://127.0.0.1:PORT`, the base URL to give the client.
    pub base_url: String,
    connections: mpsc::UnboundedReceiver<WsConnection>,
    attempts: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

/// One upgraded connection, driven by the test.
pub struct WsConnection {
    /// The path of the upgrade request.
    pub path: String,
    /// The headers of the upgrade request.
    pub headers: HeaderMap,
    socket: WebSocketStream<TcpStream>,
}

impl WsServer {
    /// A server that upgrades every connection.
    pub async fn start() -> Self {
        Self::spawn(None).await
    }

    /// A server that answers every upgrade request with `status` and `body`.
    pub async fn refusing(status: u16, body: &'static str) -> Self {
        Self::spawn(Some((status, body))).await
    }

    async fn spawn(refusal: Option<(u16, &'static str)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let (sender, connections) = mpsc::unbounded_channel();
        let attempts = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&attempts);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let sender = sender.clone();
                tokio::spawn(async move {
                    if let Some(connection) = upgrade(stream, refusal).await {
                        let _ = sender.send(connection);
                    }
                });
            }
        });
        WsServer {
            base_url,
            connections,
            attempts,
            task,
        }
    }

    /// The next upgraded connection.
    pub async fn accept(&mut self) -> WsConnection {
        within("a WebSocket connection", self.connections.recv())
            .await
            .expect("the server stopped")
    }

    /// How many TCP connections the server has accepted so far.
    pub fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }
}

impl Drop for WsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn upgrade(stream: TcpStream, refusal: Option<(u16, &'static str)>) -> Option<WsConnection> {
    let mut seen = None;
    let callback = Upgrade {
        seen: &mut seen,
        refusal,
    };
    let socket = tokio_tungstenite::accept_hdr_async(stream, callback)
        .await
        .ok()?;
    let (path, headers) = seen?;
    Some(WsConnection {
        path,
        headers,
        socket,
    })
}

/// Records the upgrade request, then accepts it or answers with the refusal.
struct Upgrade<'a> {
    seen: &'a mut Option<(String, HeaderMap)>,
    refusal: Option<(u16, &'static str)>,
}

impl Callback for Upgrade<'_> {
    fn on_request(self, request: &Request, response: Response) -> Result<Response, ErrorResponse> {
        *self.seen = Some((request.uri().path().to_owned(), request.headers().clone()));
        let Some((status, body)) = self.refusal else {
            return Ok(response);
        };
        let mut refused = ErrorResponse::new(Some(body.to_owned()));
        *refused.status_mut() = StatusCode::from_u16(status).expect("valid status");
        refused.headers_mut().insert(
            "content-type",
            "application/json".parse().expect("valid header"),
        );
        Err(refused)
    }
}

impl WsConnection {
    /// Sends a text frame.
    pub async fn send_text(&mut self, text: &str) {
        within("sending a frame", self.socket.send(Message::text(text)))
            .await
            .expect("send a text frame");
    }

    /// Sends any frame.
    pub async fn send(&mut self, message: Message) {
        within("sending a frame", self.socket.send(message))
            .await
            .expect("send a frame");
    }

    /// The next frame from the client (`None` once the connection is gone).
    pub async fn next(&mut self) -> Option<Message> {
        within("a frame from the client", self.socket.next())
            .await
            .and_then(Result::ok)
    }

    /// The next text frame from the client, parsed as JSON; other frames are skipped.
    pub async fn next_json(&mut self) -> serde_json::Value {
        loop {
            match self.next().await {
                Some(Message::Text(text)) => {
                    return serde_json::from_str(text.as_str()).expect("the client sends JSON")
                }
                Some(_) => continue,
                None => panic!("the connection closed before a text frame came"),
            }
        }
    }

    /// Drops the TCP connection without a closing handshake, as a crash would.
    pub fn drop_abruptly(self) {
        // Dropping the stream drops the TCP connection; no close frame is sent.
        drop(self.socket);
    }
}
