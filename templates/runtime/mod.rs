//! HTTP runtime of the generated client: configuration, sending with retries and
//! timeouts, errors, struct decoding, parameter encoding, pagination streams,
//! typed streams of items (Server-Sent Events, JSON Lines) and tri-state fields.
//!
//! None of this depends on the spec. The generator copies these files verbatim into
//! `src/runtime/` of the generated crate, where they are compiled, linted and tested
//! like the rest. The few spec facts they need (default base URL, environment
//! variable names) are constants in the crate root, and the security schemes a
//! table in `src/auth.rs`, written by the generator.

pub(crate) mod auth;
mod builder;
mod client;
mod config;
mod custom;
mod decode;
mod enums;
mod error;
mod error_text;
mod fields;
mod form;
mod framing;
mod hooks;
mod items;
mod multipart;
mod nullable;
mod pagination;
mod params;
mod retry;
mod stream;
mod styles;
mod tagged;
mod trace;
mod untagged;

pub use auth::MissingCredentials;
pub use builder::{Operation, RequestBuilder};
pub use client::ApiResponse;
pub use client::Client;
pub use config::ClientBuilder;
pub use custom::CustomRoute;
pub use error::{ApiError, BuildError, ConfigError, ConnectionError, DecodeError, Error};
pub use framing::RawSseEvent;
pub use hooks::{AttemptInfo, AttemptOutcome, Hook};
pub use items::{ItemError, ItemStream, SseEvent, StreamError};
pub use multipart::FilePart;
pub use nullable::Nullable;
pub use pagination::{CursorPage, PageStream};
pub use stream::{Body, BoxError, ByteStream};

pub(crate) use client::client_with_credentials;
#[allow(unused_imports)] // Used only by specs with live events (`x-rust-events`).
pub(crate) use client::{cookie_header, USER_AGENT};
#[allow(unused_imports)] // A spec without operations builds no request.
pub(crate) use client::{Request, RequestOptions};
#[allow(unused_imports)] // Used only by operations with several answers or error bodies.
pub(crate) use decode::{decode_json, json_body, text_body, undeclared_status, ErrorBody};
#[allow(unused_imports)] // A spec may have no string enums.
pub(crate) use enums::{decode_string_enum, string_enum};
#[allow(unused_imports)] // Used only by specs with live events (`x-rust-events`).
pub(crate) use error_text::ErrorFields;
#[allow(unused_imports)] // A spec may have no structs.
pub(crate) use fields::{
    decode_struct, skip_value, struct_decoder, DecodeStruct, FieldKey, FieldOrName, Key, UNKNOWN,
};
#[allow(unused_imports)] // Used only by specs with non-default query styles.
pub(crate) use form::{push_styled, query_string, to_json_text, to_text, QueryString, QueryStyle};
#[allow(unused_imports)] // Used only by operations that answer with a stream.
pub(crate) use framing::Frame;
#[allow(unused_imports)] // Used only by operations that answer with a stream.
pub(crate) use items::{
    event_data, line_json, raw_event, sse_json, sse_text, unknown_event, OpenStream, Reopen,
};
#[allow(unused_imports)] // Used only by specs with multipart bodies.
pub(crate) use multipart::Multipart;
#[allow(unused_imports)] // Used only by specs with cursor-paginated operations.
pub(crate) use pagination::{items, pages, Direction, Paginated};
#[allow(unused_imports)] // Which encoders a crate uses depends on its parameters.
pub(crate) use params::{encode_path_segment, ParamList, ParamValue};
#[allow(unused_imports)] // Used only by specs with live events (`x-rust-events`).
pub(crate) use retry::{backoff, is_retryable_response, jitter};
#[allow(unused_imports)] // Used only by specs with lists or objects in paths or headers.
pub(crate) use styles::{path_segment, push_header, PathStyle};
#[allow(unused_imports)] // Used only by specs with discriminated unions.
pub(crate) use tagged::{from_tagged, serialize_tagged, tag_of};
#[allow(unused_imports)] // Used only by specs with unions without a discriminator.
pub(crate) use untagged::{decode_untagged, kinds, untagged_decoder, Shape, Variant};
