//! The mock of the live-events socket: [`MockServer::events`] makes the
//! server accept the client's WebSocket upgrade on the channel's path, and
//! each connection reaches the test as a [`MockConnection`], which reads the
//! subscription the client sends, sends typed events, closes with a code, or
//! cuts the connection so the client's reconnect can be tested.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
use tokio_tungstenite::tungstenite::Message;

use super::server::Body;
use super::{MockServer, Received};

type Upgraded = hyper_util::rt::TokioIo<hyper::upgrade::Upgraded>;

/// How long [`MockEvents::accept`] waits for the client to connect.
const ACCEPT_TIMEOUT: Duration = Duration::from_secs(10);

impl MockServer {
    /// Accepts the client's live-events connections (the WebSocket at the
    /// spec's channel path) from now on; each reaches [`MockEvents::accept`].
    /// A second call takes the connections over from the first handle.
    pub fn events(&self) -> MockEvents {
        let (sender, connections) = mpsc::unbounded_channel();
        self.set_upgrade(Arc::new(move |request| upgrade(&sender, request)));
        MockEvents { connections }
    }
}

/// The live-events connections the client opens, in order.
#[derive(Debug)]
pub struct MockEvents {
    connections: mpsc::UnboundedReceiver<MockConnection>,
}

impl MockEvents {
    /// The next connection the client opens.
    ///
    /// # Panics
    ///
    /// When none is opened within 10 s (see [`MockEvents::try_accept`]).
    pub async fn accept(&mut self) -> MockConnection {
        match self.try_accept(ACCEPT_TIMEOUT).await {
            Some(connection) => connection,
            None => panic!(
                "the client opened no live-events connection to the mock server within {} s",
                ACCEPT_TIMEOUT.as_secs()
            ),
        }
    }

    /// The next connection the client opens within `timeout`, or `None`.
    pub async fn try_accept(&mut self, timeout: Duration) -> Option<MockConnection> {
        tokio::time::timeout(timeout, self.connections.recv())
            .await
            .ok()
            .flatten()
    }
}

/// One live-events connection of the client.
pub struct MockConnection {
    socket: tokio_tungstenite::WebSocketStream<Upgraded>,
    request: Received,
}

/// The client left, or the connection failed, before a frame could be sent
/// or read.
#[derive(Debug, Clone)]
pub struct SocketClosed {
    reason: String,
}

impl fmt::Display for SocketClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the live-events connection is closed: {}", self.reason)
    }
}

impl std::error::Error for SocketClosed {}

impl MockConnection {
    /// The upgrade request the client sent (its headers carry the credentials).
    pub fn request(&self) -> &Received {
        &self.request
    }

    /// The next text frame the client sends, as it came.
    pub async fn next_text(&mut self) -> Result<String, SocketClosed> {
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Text(text))) => return Ok(text.as_str().to_owned()),
                Some(Ok(Message::Close(frame))) => {
                    let reason = match frame {
                        Some(frame) => format!("the client closed it ({})", u16::from(frame.code)),
                        None => "the client closed it".to_owned(),
                    };
                    return Err(SocketClosed { reason });
                }
                // Pings are answered by the socket itself; binary frames are not the protocol's.
                Some(Ok(_)) => continue,
                Some(Err(error)) => {
                    return Err(SocketClosed {
                        reason: error.to_string(),
                    })
                }
                None => {
                    return Err(SocketClosed {
                        reason: "the client left".to_owned(),
                    })
                }
            }
        }
    }

    /// The IDs of the next subscription frame the client sends; an error
    /// says what came instead.
    pub async fn subscription(&mut self) -> Result<Vec<String>, String> {
        let text = self.next_text().await.map_err(|error| error.to_string())?;
        crate::events::read_subscription(&text)
            .ok_or_else(|| format!("the client sent {text:?}, which is not a subscription"))
    }

    /// Checks that the next frame the client sends subscribes to exactly `ids`.
    ///
    /// # Panics
    ///
    /// With what the client sent instead.
    pub async fn expect_subscription(&mut self, ids: &[&str]) {
        let got = self.subscription().await;
        match &got {
            Ok(got) if got.iter().map(String::as_str).eq(ids.iter().copied()) => {}
            Ok(got) => panic!("the client subscribed to {got:?}, expected {ids:?}"),
            Err(why) => panic!("expected a subscription to {ids:?}: {why}"),
        }
    }

    /// Sends `event` as the server would.
    pub async fn send(&mut self, event: &crate::events::Event) -> Result<(), SocketClosed> {
        let text = serde_json::to_string(event).map_err(|error| SocketClosed {
            reason: format!("the event could not be encoded: {error}"),
        })?;
        self.send_text(&text).await
    }

    /// Sends a text frame as it is (a malformed event, an unknown kind).
    pub async fn send_text(&mut self, text: &str) -> Result<(), SocketClosed> {
        self.socket
            .send(Message::text(text))
            .await
            .map_err(|error| SocketClosed {
                reason: error.to_string(),
            })
    }

    /// Closes the connection with `code` and `reason`, as the server would.
    pub async fn close(mut self, code: u16, reason: &str) -> Result<(), SocketClosed> {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: reason.to_owned().into(),
        };
        self.socket
            .close(Some(frame))
            .await
            .map_err(|error| SocketClosed {
                reason: error.to_string(),
            })
    }

    /// Drops the connection without a close frame, as a crashed server or a
    /// lost network would.
    pub fn cut(self) {
        drop(self);
    }
}

impl fmt::Debug for MockConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockConnection")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

/// Takes over `request` when it opens the live-events socket and the test
/// asked for one ([`MockServer::events`]); hands it back otherwise.
fn upgrade(
    sender: &mpsc::UnboundedSender<MockConnection>,
    mut request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Body>, Box<hyper::Request<Incoming>>> {
    let wants_socket = request
        .headers()
        .get(hyper::header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let key = request.headers().get("sec-websocket-key").cloned();
    let sender = sender.clone();
    let (Some(key), true, true) = (
        key,
        wants_socket,
        request.uri().path() == crate::events::CHANNEL.path,
    ) else {
        return Err(Box::new(request));
    };
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    let response = hyper::Response::builder()
        .status(hyper::StatusCode::SWITCHING_PROTOCOLS)
        .header(hyper::header::CONNECTION, "Upgrade")
        .header(hyper::header::UPGRADE, "websocket")
        .header("sec-websocket-accept", accept)
        .body(Empty::new().map_err(|never| match never {}).boxed());
    let Ok(response) = response else {
        return Err(Box::new(request));
    };
    let seen = super::server::received(
        request.method(),
        request.uri(),
        request.headers(),
        Bytes::new(),
    );
    let on_upgrade = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else {
            return;
        };
        let io = hyper_util::rt::TokioIo::new(upgraded);
        let socket =
            tokio_tungstenite::WebSocketStream::from_raw_socket(io, Role::Server, None).await;
        // A test that stopped listening leaves the connection to be dropped.
        let _ = sender.send(MockConnection {
            socket,
            request: seen,
        });
    });
    Ok(response)
}
