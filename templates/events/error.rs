//! The errors of a live-event stream: why it failed ([`EventError`]), a
//! connection that could not be made ([`SocketError`]), a frame that did not
//! decode ([`FrameError`]) and a close frame that ended it ([`CloseError`]).
//! Copied verbatim beside `socket.rs`, the engine that makes them.

use std::fmt;
use std::time::Duration;

use tokio_tungstenite::tungstenite;

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
    /// The server closed the connection with a code that says not to come back:
    /// 1008 (policy violation) or an application code from 4000 to 4999, such
    /// as an expired token. Ends the stream; other codes reconnect.
    Closed(CloseError),
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
            EventError::Closed(error) => fmt::Display::fmt(error, f),
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
            EventError::Closed(_) => None,
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
    pub(super) source: Option<Box<tungstenite::Error>>,
}

impl SocketError {
    pub(super) fn reason(&self) -> String {
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

/// A close frame: the code and the reason the server gave (code 1005 when it
/// gave none, as RFC 6455 says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseError {
    /// The close code, such as 1008 (policy violation) or 4001.
    pub code: u16,
    /// The reason text; empty when the server gave none.
    pub reason: String,
}

impl fmt::Display for CloseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server closed the event stream with code {}",
            self.code
        )?;
        match self.reason.is_empty() {
            true => Ok(()),
            false => write!(f, ": {}", self.reason),
        }
    }
}

impl std::error::Error for CloseError {}
