//! Typed streams: the answer of an operation whose media type is a sequence
//! (Server-Sent Events, JSON Lines, JSON text sequences), read item by item as
//! the body arrives. [`ItemStream`] cuts the body with [`super::framing`] and
//! decodes each item with the operation's decoder; a decoder is one of the
//! functions here, or one the generator wrote for a union of events.
//!
//! An item that does not decode is an error item that keeps its raw text, and
//! the stream goes on; a broken connection ends it, unless a GET event stream
//! was asked to [`ItemStream::reconnect`], which sends the request again with
//! `Last-Event-ID` after the server's `retry` delay.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::ConnectionError;
use super::framing::{Frame, Framer, Framing, RawSseEvent};
use super::stream::ByteStream;

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// The largest item a stream reads by default (see [`ItemStream::max_item_bytes`]).
const DEFAULT_MAX_ITEM_BYTES: usize = 16 * 1024 * 1024;
/// How long a reconnection waits when the server has not said (`retry`).
const DEFAULT_RETRY: Duration = Duration::from_secs(3);

/// A Server-Sent Event with its `data` decoded, and the event as it came.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent<D> {
    /// The decoded `data`.
    pub data: D,
    /// The event as it came: kind, data text, last event ID and `retry`.
    pub raw: RawSseEvent,
}

impl<D> SseEvent<D> {
    /// The event's kind: its `event` field, or `message`.
    pub fn kind(&self) -> &str {
        self.raw.kind()
    }

    /// The stream's last event ID when this event came.
    pub fn id(&self) -> Option<&str> {
        self.raw.id.as_deref()
    }
}

/// An item of a stream that does not decode; the stream goes on after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    /// The item's text as it came (an event's `data`, a line, a record).
    pub raw: String,
    /// The event's kind, for a Server-Sent Event.
    pub event: Option<String>,
    /// Where in the JSON decoding failed, e.g. `choices[0].delta` (`.` for the root).
    pub path: String,
    /// Why it does not decode.
    pub message: String,
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw: String = self.raw.chars().take(200).collect();
        match &self.event {
            Some(event) => write!(
                f,
                "a `{event}` event does not decode at `{}`: {}; its data: {raw}",
                self.path, self.message
            ),
            None => write!(
                f,
                "a stream item does not decode at `{}`: {}; it reads: {raw}",
                self.path, self.message
            ),
        }
    }
}

impl std::error::Error for ItemError {}

/// What can go wrong while a stream is read.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// One item does not decode; the stream goes on.
    Item(ItemError),
    /// The connection broke; the stream ends (unless it reconnects).
    Connection(ConnectionError),
    /// An item is larger than [`ItemStream::max_item_bytes`]; the stream ends.
    TooLarge {
        /// The limit it passed.
        limit: usize,
    },
    /// Reconnecting failed as many times as allowed, the last time with this; the stream ends.
    Reconnect(String),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Item(error) => error.fmt(f),
            StreamError::Connection(error) => write!(f, "the stream broke: {error}"),
            StreamError::TooLarge { limit } => write!(
                f,
                "a stream item is larger than {limit} bytes; the stream was stopped"
            ),
            StreamError::Reconnect(why) => write!(f, "the stream could not reconnect: {why}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Item(error) => Some(error),
            StreamError::Connection(error) => Some(error),
            StreamError::TooLarge { .. } | StreamError::Reconnect(_) => None,
        }
    }
}

/// Sends the request of a stream again, with the last event ID when there is one.
pub(crate) type Reopen = Box<
    dyn FnMut(Option<String>) -> Pin<Box<dyn Future<Output = Result<ByteStream, String>> + Send>>
        + Send,
>;

/// Opens the stream of an operation's items over its body, given a way to send
/// the request again.
pub(crate) type OpenStream<T> = fn(ByteStream, Option<Reopen>) -> T;

/// Decodes one frame of a stream into its item.
pub(crate) type Decoder<T> = fn(Frame) -> Result<T, ItemError>;

enum State {
    Reading,
    Waiting(Pin<Box<tokio::time::Sleep>>),
    Reopening(Pin<Box<dyn Future<Output = Result<ByteStream, String>> + Send>>),
    Ended,
}

struct Reconnect {
    reopen: Reopen,
    /// How many failed attempts in a row are allowed.
    attempts: u32,
    /// Failed attempts since the last item.
    failed: u32,
    delay: Duration,
}

/// The items of a streamed answer, decoded as they arrive, with the status and
/// headers, which came first.
///
/// A [`Stream`] of `Result<T, StreamError>`: read it with
/// `futures::StreamExt::next`. Memory holds one item at a time (up to
/// [`ItemStream::max_item_bytes`]), however long the stream runs; retries of the
/// request ended when its headers came.
pub struct ItemStream<T> {
    status: u16,
    headers: HeaderMap,
    body: ByteStream,
    framer: Framer,
    decode: Decoder<T>,
    pending: VecDeque<Frame>,
    state: State,
    reopen: Option<Reopen>,
    reconnect: Option<Reconnect>,
}

impl<T> ItemStream<T> {
    #[allow(dead_code)] // Used only by operations that answer with a stream.
    fn new(body: ByteStream, framing: Framing, decode: Decoder<T>, reopen: Option<Reopen>) -> Self {
        ItemStream {
            status: body.status(),
            headers: body.headers().clone(),
            body,
            framer: Framer::new(framing, DEFAULT_MAX_ITEM_BYTES),
            decode,
            pending: VecDeque::new(),
            state: State::Reading,
            reopen,
            reconnect: None,
        }
    }

    #[allow(dead_code)] // Used only by operations that answer with a stream.
    /// A stream of Server-Sent Events; `reopen` sends the request again (GET only).
    pub(crate) fn sse(body: ByteStream, decode: Decoder<T>, reopen: Option<Reopen>) -> Self {
        Self::new(body, Framing::Sse, decode, reopen)
    }

    #[allow(dead_code)] // Used only by operations that answer with a stream.
    /// A stream of JSON Lines (`application/x-ndjson`, `application/jsonl`).
    pub(crate) fn lines(body: ByteStream, decode: Decoder<T>) -> Self {
        Self::new(body, Framing::Lines, decode, None)
    }

    #[allow(dead_code)] // Used only by operations that answer with a stream.
    /// A JSON text sequence (`application/json-seq`).
    pub(crate) fn json_seq(body: ByteStream, decode: Decoder<T>) -> Self {
        Self::new(body, Framing::JsonSeq, decode, None)
    }

    /// The HTTP status of the answer (of the last connection, after a reconnection).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The answer's headers (of the last connection, after a reconnection).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The ID of the last event that set one (Server-Sent Events).
    pub fn last_event_id(&self) -> Option<&str> {
        self.framer.last_event_id()
    }

    /// Sets the largest item the stream reads (16 MiB by default); a larger one
    /// ends the stream with [`StreamError::TooLarge`] instead of filling memory.
    pub fn max_item_bytes(mut self, limit: usize) -> Self {
        self.framer.set_limit(limit);
        self
    }

    /// Whether [`ItemStream::reconnect`] can work here: a Server-Sent Events
    /// answer to a GET request (sending another method again could repeat its
    /// effect).
    pub fn can_reconnect(&self) -> bool {
        self.reopen.is_some() || self.reconnect.is_some()
    }

    /// When the connection ends or breaks before `data: [DONE]`, sends the
    /// request again with `Last-Event-ID`, after the server's last `retry` delay
    /// (3 s until it gives one), up to `attempts` failures in a row (an item
    /// resets the count). A `204` answer ends the stream, as WHATWG says. Only a
    /// GET event stream reconnects ([`ItemStream::can_reconnect`]); on any other
    /// stream this does nothing.
    pub fn reconnect(mut self, attempts: u32) -> Self {
        if let Some(reopen) = self.reopen.take() {
            self.reconnect = Some(Reconnect {
                reopen,
                attempts,
                failed: 0,
                delay: DEFAULT_RETRY,
            });
        }
        self
    }

    /// The connection ended or broke: wait and reconnect, if allowed.
    fn try_reconnect(&mut self) -> bool {
        match &mut self.reconnect {
            Some(reconnect) if reconnect.failed < reconnect.attempts => {
                reconnect.failed += 1;
                self.state = State::Waiting(Box::pin(tokio::time::sleep(reconnect.delay)));
                true
            }
            _ => false,
        }
    }

    /// A frame out: the next item, or the end at `[DONE]`.
    fn take_frame(&mut self, frame: Frame) -> Option<Result<T, StreamError>> {
        match frame {
            Frame::Done => {
                self.pending.clear();
                self.state = State::Ended;
                None
            }
            frame => {
                if let Some(reconnect) = &mut self.reconnect {
                    reconnect.failed = 0;
                    if let Frame::Event(RawSseEvent {
                        retry: Some(retry), ..
                    }) = &frame
                    {
                        reconnect.delay = *retry;
                    }
                }
                Some((self.decode)(frame).map_err(StreamError::Item))
            }
        }
    }
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the futures are boxed).
        let this = self.get_mut();
        loop {
            if let Some(frame) = this.pending.pop_front() {
                return Poll::Ready(this.take_frame(frame));
            }
            match &mut this.state {
                State::Ended => return Poll::Ready(None),
                State::Reading => match Pin::new(&mut this.body).poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(chunk))) => {
                        if let Err(too_large) = this.framer.push(&chunk, &mut this.pending) {
                            this.pending.clear();
                            this.state = State::Ended;
                            return Poll::Ready(Some(Err(StreamError::TooLarge {
                                limit: too_large.limit,
                            })));
                        }
                    }
                    Poll::Ready(Some(Err(error))) => {
                        // What was half read when it broke is no item.
                        this.framer.restart();
                        if !this.try_reconnect() {
                            this.state = State::Ended;
                            return Poll::Ready(Some(Err(StreamError::Connection(error))));
                        }
                    }
                    Poll::Ready(None) => {
                        this.framer.finish(&mut this.pending);
                        if !this.try_reconnect() {
                            this.state = State::Ended;
                        }
                    }
                },
                State::Waiting(sleep) => {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    let Some(reconnect) = this.reconnect.as_mut() else {
                        this.state = State::Ended;
                        continue;
                    };
                    let last_id = this.framer.last_event_id().map(str::to_owned);
                    this.state = State::Reopening((reconnect.reopen)(last_id));
                }
                State::Reopening(future) => match future.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(body)) => {
                        this.status = body.status();
                        this.headers = body.headers().clone();
                        this.framer.restart();
                        this.state = if body.status() == 204 {
                            State::Ended
                        } else {
                            State::Reading
                        };
                        this.body = body;
                    }
                    Poll::Ready(Err(why)) => {
                        if !this.try_reconnect() {
                            this.state = State::Ended;
                            return Poll::Ready(Some(Err(StreamError::Reconnect(why))));
                        }
                    }
                },
            }
        }
    }
}

impl<T> fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("status", &self.status)
            .field("last_event_id", &self.framer.last_event_id())
            .field("reconnects", &self.reconnect.is_some())
            .finish_non_exhaustive()
    }
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// Decodes JSON text, saying where it failed.
fn decode_json_text<T: DeserializeOwned>(text: &str, event: Option<&str>) -> Result<T, ItemError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let failed = |path: String, message: String| ItemError {
        raw: text.to_owned(),
        event: event.map(str::to_owned),
        path,
        message,
    };
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| failed(error.path().to_string(), error.inner().to_string()))?;
    // Text after the value (two values on one line) is no item of this type.
    deserializer
        .end()
        .map_err(|error| failed(".".to_owned(), error.to_string()))?;
    Ok(value)
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// The event of a frame (only an event stream gives events).
fn event_of(frame: Frame) -> Result<RawSseEvent, ItemError> {
    match frame {
        Frame::Event(raw) => Ok(raw),
        Frame::Text(raw) => Err(ItemError {
            raw,
            event: None,
            path: ".".to_owned(),
            message: "a line where an event was expected".to_owned(),
        }),
        Frame::Done => Err(ItemError {
            raw: "[DONE]".to_owned(),
            event: None,
            path: ".".to_owned(),
            message: "the end of the stream".to_owned(),
        }),
    }
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// An event whose `data` is JSON of type `D`.
pub(crate) fn sse_json<D: DeserializeOwned>(frame: Frame) -> Result<SseEvent<D>, ItemError> {
    let raw = event_of(frame)?;
    let data = decode_json_text(&raw.data, raw.event.as_deref())?;
    Ok(SseEvent { data, raw })
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// An event whose `data` is text, taken as it came.
pub(crate) fn sse_text(frame: Frame) -> Result<SseEvent<String>, ItemError> {
    let raw = event_of(frame)?;
    Ok(SseEvent {
        data: raw.data.clone(),
        raw,
    })
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// The `data` of `raw` decoded as JSON of type `D` (a decoder of a union of
/// events, written by the generator, calls it once it knows the kind).
pub(crate) fn event_data<D: DeserializeOwned>(raw: &RawSseEvent) -> Result<D, ItemError> {
    decode_json_text(&raw.data, raw.event.as_deref())
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// The error for an event of a kind the union does not list.
pub(crate) fn unknown_event(raw: RawSseEvent, kinds: &[&str]) -> ItemError {
    ItemError {
        message: format!(
            "the spec lists no `{}` event (it lists {})",
            raw.kind(),
            kinds.join(", ")
        ),
        event: raw.event,
        raw: raw.data,
        path: ".".to_owned(),
    }
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// The event of a frame, for a decoder of a union of events.
pub(crate) fn raw_event(frame: Frame) -> Result<RawSseEvent, ItemError> {
    event_of(frame)
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// A line (or record) of JSON of type `T`.
pub(crate) fn line_json<T: DeserializeOwned>(frame: Frame) -> Result<T, ItemError> {
    match frame {
        Frame::Text(text) => decode_json_text(&text, None),
        Frame::Event(raw) => decode_json_text(&raw.data, raw.event.as_deref()),
        Frame::Done => Err(ItemError {
            raw: "[DONE]".to_owned(),
            event: None,
            path: ".".to_owned(),
            message: "the end of the stream".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn body(chunks: &[&'static [u8]]) -> ByteStream {
        ByteStream::chunks(
            200,
            chunks
                .iter()
                .map(|c| bytes::Bytes::from_static(c))
                .collect(),
        )
    }

    #[tokio::test]
    async fn a_bad_item_keeps_its_text_and_the_stream_goes_on_to_done() {
        let stream = ItemStream::sse(
            body(&[
                b"data: {\"n\":1}\n\nevent: tick\ndata: {\"n\":\"x\"}\n",
                b"\ndata: 3\n\ndata: [DONE]\n\ndata: 4\n\n",
            ]),
            sse_json::<serde_json::Map<String, serde_json::Value>>,
            None,
        );
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[0].as_ref().expect("decodes").data["n"], 1);
        match &items[1] {
            Ok(event) => assert_eq!(event.kind(), "tick"),
            Err(error) => panic!("{error}"),
        }
        match &items[2] {
            Err(StreamError::Item(error)) => {
                assert_eq!(error.raw, "3");
                assert!(error.to_string().contains("does not decode"), "{error}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn lines_decode_and_a_partial_last_line_is_an_error_item() {
        let stream = ItemStream::lines(body(&[b"1\n2\n", b"[3"]), line_json::<u32>);
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_ref().ok(), Some(&1));
        assert_eq!(items[1].as_ref().ok(), Some(&2));
        assert!(matches!(&items[2], Err(StreamError::Item(e)) if e.raw == "[3"));
    }

    #[tokio::test]
    async fn an_item_over_the_limit_ends_the_stream() {
        let stream =
            ItemStream::lines(body(&[b"1\n", b"22222222222"]), line_json::<u64>).max_item_bytes(4);
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 2);
        assert!(matches!(items[1], Err(StreamError::TooLarge { limit: 4 })));
    }

    #[test]
    fn text_events_take_data_as_it_came() {
        let raw = RawSseEvent {
            data: "not \"json\"".to_owned(),
            ..RawSseEvent::default()
        };
        let event = sse_text(Frame::Event(raw)).expect("any text");
        assert_eq!(event.data, "not \"json\"");
        assert_eq!(event.kind(), "message");
    }
}
