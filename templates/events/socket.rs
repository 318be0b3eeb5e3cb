//! The WebSocket engine behind [`super`]: connects with the client's base URL,
//! credentials, headers and retry backoff, sends the subscription, decodes
//! frames into the spec's server-message type, answers pings, pings the server
//! to notice a dead peer, and reconnects when the connection drops, with a
//! backoff that grows while connections keep dropping soon after they open.
//! A close frame reaches the caller; a policy or application close code ends
//! the stream.
//!
//! Nothing here depends on the spec: the generated module passes in the path and
//! how a subscription is written. One background task per stream owns the socket;
//! the stream and the task talk over channels, so dropping the stream closes the
//! socket even while the caller is not polling.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use super::connect::connect;
use super::error::{CloseError, EventError, FrameError};

/// How many decoded items wait in the channel to the caller.
const BUFFER: usize = 64;

/// How many more items are held while the caller is slow, so the socket is
/// still read (and the server's pings answered); past that, reading pauses.
const HELD: usize = 1024;

/// How often the server is pinged by default.
const KEEPALIVE: Duration = Duration::from_secs(20);

/// How long a connection may stay silent (no frame, not even a pong) before it
/// counts as dropped, by default.
const IDLE_TIMEOUT: Duration = Duration::from_secs(45);

/// How long a connection must last before the reconnect backoff starts over, by default.
const HEALTHY_AFTER: Duration = Duration::from_secs(30);

pub(super) type Socket =
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
pub(super) struct Settings {
    pub(super) client: crate::Client,
    pub(super) channel: Channel,
    pub(super) connect_timeout: Duration,
    max_reconnects: Option<u32>,
    subscription: Vec<String>,
    /// How often to ping; `None`: never (and no idle timeout).
    keepalive: Option<Duration>,
    idle_timeout: Duration,
    healthy_after: Duration,
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
                keepalive: Some(KEEPALIVE),
                idle_timeout: IDLE_TIMEOUT,
                healthy_after: HEALTHY_AFTER,
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

    /// How often the server is pinged (every 20 s by default), so that a peer
    /// that stopped answering but left the connection open is noticed.
    pub fn keepalive(mut self, interval: Duration) -> Self {
        self.settings.keepalive = Some(interval);
        self
    }

    /// Never pings the server, and waits for frames however long they take.
    pub fn without_keepalive(mut self) -> Self {
        self.settings.keepalive = None;
        self
    }

    /// How long the connection may stay silent, with keepalive on (no frame, not
    /// even the answer to a ping), before it counts as dropped and the stream
    /// reconnects; 45 s by default.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.settings.idle_timeout = timeout;
        self
    }

    /// How long a connection must last before the reconnect backoff starts over
    /// (30 s by default): a server that accepts and then drops at once is asked
    /// again less and less often, up to the client's longest retry delay.
    pub fn healthy_after(mut self, duration: Duration) -> Self {
        self.settings.healthy_after = duration;
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
    /// The server closed the connection with this code and reason, which do not
    /// end the stream (1000, 1001, 1011, …): a reconnect follows.
    Closed {
        /// The close code; 1005 when the frame had none.
        code: u16,
        /// The reason text; empty when the server gave none.
        reason: String,
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

/// The task behind a stream: connect, subscribe, pump frames, reconnect.
async fn run<E: DeserializeOwned>(
    mut settings: Settings,
    mut commands: mpsc::UnboundedReceiver<Vec<String>>,
    items: mpsc::Sender<Result<Item<E>, EventError>>,
) {
    let mut reconnecting = false;
    // Connections in a row that dropped before they were healthy.
    let mut short_lived = 0;
    loop {
        let (limit, first) = match reconnecting {
            // A pause before each reconnect, growing while connections keep
            // dropping soon after they open, so such a server is not hammered.
            true => (settings.max_reconnects, short_lived.max(1)),
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
        let opened = Instant::now();
        while let Ok(ids) = commands.try_recv() {
            settings.subscription = ids;
        }
        let subscribe = (settings.channel.subscribe)(&settings.subscription);
        if socket.send(Message::text(subscribe)).await.is_err() {
            reconnecting = true;
            short_lived += 1;
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
        let ended = pump(&mut socket, &mut settings, &mut commands, &items).await;
        short_lived = match opened.elapsed() >= settings.healthy_after {
            true => 1,
            false => short_lived + 1,
        };
        match ended {
            Pumped::Dropped => {}
            // A clean close: the server is told, and the task ends.
            Pumped::Finished => {
                let _ = socket.close(None).await;
                return;
            }
            Pumped::Closed(close) if ends_stream(close.code) => {
                let _ = items.send(Err(EventError::Closed(close))).await;
                return;
            }
            Pumped::Closed(CloseError { code, reason }) => {
                if items.send(Ok(Item::Closed { code, reason })).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Whether a close code says not to come back: a policy violation (1008) or an
/// application's own code (4000-4999, where servers put "unauthorized" and the
/// like).
fn ends_stream(code: u16) -> bool {
    code == 1008 || (4000..5000).contains(&code)
}

/// How a connection's life ended.
enum Pumped {
    /// The connection broke or went silent: reconnect.
    Dropped,
    /// The server sent a close frame.
    Closed(CloseError),
    /// The stream was dropped: close and stop.
    Finished,
}

/// Forwards frames to the stream and subscriptions to the server until either
/// ends; pings the server and counts a silent connection as dropped.
async fn pump<E: DeserializeOwned>(
    socket: &mut Socket,
    settings: &mut Settings,
    commands: &mut mpsc::UnboundedReceiver<Vec<String>>,
    items: &mpsc::Sender<Result<Item<E>, EventError>>,
) -> Pumped {
    let keepalive = settings.keepalive;
    let mut pings = keepalive.map(|every| {
        let mut pings = tokio::time::interval_at(Instant::now() + every, every);
        pings.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        pings
    });
    let silence = tokio::time::sleep(settings.idle_timeout);
    tokio::pin!(silence);
    // Items the caller has not taken while the channel was full: the socket is
    // still read meanwhile, so the server's pings get their pongs.
    let mut held: VecDeque<Result<Item<E>, EventError>> = VecDeque::new();
    loop {
        tokio::select! {
            permit = items.reserve(), if !held.is_empty() => match (permit, held.pop_front()) {
                (Ok(permit), Some(item)) => permit.send(item),
                _ => return Pumped::Finished,
            },
            frame = socket.next(), if held.len() < HELD => {
                silence.as_mut().reset(Instant::now() + settings.idle_timeout);
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
                    Some(Ok(Message::Close(frame))) => {
                        let (code, reason) = match frame {
                            Some(frame) => (u16::from(frame.code), frame.reason.as_str().to_owned()),
                            None => (1005, String::new()),
                        };
                        return Pumped::Closed(CloseError { code, reason });
                    }
                    Some(Err(_)) | None => return Pumped::Dropped,
                };
                let item = decode(text);
                if !held.is_empty() {
                    held.push_back(item);
                    continue;
                }
                match items.try_send(item) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(item)) => held.push_back(item),
                    Err(mpsc::error::TrySendError::Closed(_)) => return Pumped::Finished,
                }
            }
            _ = tick(pings.as_mut()) => {
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    return Pumped::Dropped;
                }
            }
            () = &mut silence, if keepalive.is_some() => return Pumped::Dropped,
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

/// The next ping time, or never without keepalive.
async fn tick(pings: Option<&mut tokio::time::Interval>) {
    match pings {
        Some(pings) => {
            pings.tick().await;
        }
        None => std::future::pending().await,
    }
}

fn decode<E: DeserializeOwned>(raw: String) -> Result<Item<E>, EventError> {
    match serde_json::from_str(&raw) {
        Ok(event) => Ok(Item::Event(event)),
        Err(source) => Err(EventError::Decode(FrameError { raw, source })),
    }
}
