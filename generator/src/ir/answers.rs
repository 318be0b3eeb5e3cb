//! What operations answer, in the IR: the success response (JSON, text,
//! bytes, a stream of items, or an enum by status), the variants of enums by
//! status, and the kinds of events of a Server-Sent Events stream.

use super::{TypeId, TypeRef};

/// One kind of event of [`TypeKind::Events`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventVariant {
    /// The `event` field that selects it; `None` for the variant that takes
    /// every kind the others do not.
    pub kind: Option<String>,
    /// Variant name in Rust.
    pub rust: String,
    /// What its `data` is.
    pub data: EventData,
    /// The payload is large, so it is a `Box` (see `lower::sizes`).
    pub boxed: bool,
}

/// What the `data` of a Server-Sent Event holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventData {
    /// JSON of this type.
    Json(TypeRef),
    /// Text, taken as it came.
    Text,
}

/// One answer the spec declares for an operation, success or error, with what
/// its body decodes into: what the mock's typed responders answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredAnswer {
    /// The status key (`200`, `4XX`, `default`).
    pub status: StatusMatch,
    /// The body; `Empty` for an error answer without a JSON one.
    pub body: Response,
    /// Whether the client reports it as an error.
    pub error: bool,
}

/// One answer of [`TypeKind::Responses`] or [`TypeKind::ErrorBodies`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusVariant {
    /// The statuses it answers.
    pub status: StatusMatch,
    /// Variant name in Rust (`Created`, `NotFound`, `Status299`).
    pub rust: String,
    /// What the body decodes into (never [`Response::ByStatus`]; always
    /// [`Response::Json`] for error bodies).
    pub body: Response,
    /// The response's description.
    pub doc: Option<String>,
    /// The payload is large, so it is a `Box` (see `lower::sizes`).
    pub boxed: bool,
}

/// Which statuses a response of the spec covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status, like `201`.
    Code(u16),
    /// A class, like `4XX` (the hundreds digit).
    Range(u16),
    /// `default`: every status not listed otherwise.
    Default,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// A JSON body decoded into this type.
    Json(TypeRef),
    /// No body (for example 204); the call returns `()`.
    Empty,
    /// A `text/*` body, returned as a `String`; the media type is asked for in `Accept`.
    Text(String),
    /// Any other body, returned as bytes; the media type is asked for in `Accept`.
    Bytes(String),
    /// Several different success answers: the [`TypeKind::Responses`] enum here.
    ByStatus(TypeId),
    /// A sequence of items read as they arrive; the media type is asked for in `Accept`.
    Stream(StreamResponse),
}

/// An answer whose media type is a sequence of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamResponse {
    /// The media type, as the spec writes it.
    pub media_type: String,
    /// How the body is cut into items.
    pub framing: Framing,
    /// What each item decodes into.
    pub item: StreamItem,
}

/// How a streamed body is cut into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `text/event-stream`: Server-Sent Events.
    Sse,
    /// `application/x-ndjson`, `application/jsonl`: one JSON value per line.
    Lines,
    /// `application/json-seq`: JSON texts after a record separator.
    JsonSeq,
}

/// What each item of a stream decodes into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamItem {
    /// For lines and records, the item; for events, their `data`.
    Data(EventData),
    /// Events of several kinds: the [`TypeKind::Events`] enum of their data.
    Events(TypeId),
}
