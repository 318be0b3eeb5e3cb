//! Behaviour tests of the generated `beeper-desktop-api` client against the scripted
//! server of [`crate::server`]: what goes on the wire (request line, headers, JSON
//! body) and what comes back (decoded types, unions, open enums, errors), and the
//! client's own behaviour: retries, timeouts, configuration, raw responses,
//! pagination streams and tri-state PATCH bodies.
//!
//! Every test starts its own server on `127.0.0.1:0`, so they run in parallel.
//! This module holds the shared helpers; the tests are split by concern below.

mod assets;
mod bodies;
mod config;
mod decoding;
mod endpoints;
mod errors;
mod nullable;
mod pagination;
mod requests;
mod responses;
mod retries;
mod statuses;
mod timeouts;

use beeper_desktop_api::types::{
    CapabilitySupportLevel, Chat, ChatCapabilitiesDisappearingTimerTypesItem, ChatType,
    IssuePathSegment, LastReadMessageSortKey, PaginationDirection, SearchChatsInbox,
    SearchChatsScope, SearchChatsType,
};
use beeper_desktop_api::{ApiError, Client, ClientBuilder, DecodeError, Error, PageStream};
use chrono::{DateTime, FixedOffset};
use serde_json::{json, Value};

use crate::server::{Recorded, Reply, TestServer};

/// The bearer token every test client uses; it must never show up in `Debug` output.
pub(super) const TOKEN: &str = "bdt_s3cret-token-7f3a9c";

/// A Matrix room ID as the API uses them.
pub(super) const ROOM_ID: &str = "!NCdzlIaMjZUmvmvyHU:beeper.com";

// ------------------------------------------------------------------ helpers

/// Starts a server with `script` and a client pointed at it, with retries off so
/// every scripted reply answers exactly one request (retries have their own tests).
pub(super) async fn setup(script: impl IntoIterator<Item = Reply>) -> (TestServer, Client) {
    let server = TestServer::start(script).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .max_retries(0)
        .build()
        .expect("the test client configuration is valid");
    (server, client)
}

/// Starts a server with `script` and a client pointed at it, configured further by
/// `configure` (retries stay on unless it turns them off).
pub(super) async fn setup_with(
    script: impl IntoIterator<Item = Reply>,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> (TestServer, Client) {
    let server = TestServer::start(script).await;
    let builder = Client::builder().base_url(server.base_url()).token(TOKEN);
    let client = configure(builder)
        .build()
        .expect("the test client configuration is valid");
    (server, client)
}

/// A `http://127.0.0.1:<port>` URL where nothing listens (the port was just freed).
pub(super) fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    let port = listener.local_addr().expect("a bound address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Every result of `stream` until it ends, polled by hand: `futures` is not a
/// dependency of this crate, and a `dyn Stream`'s methods need no import.
pub(super) async fn collect_stream<T>(mut stream: PageStream<T>) -> Vec<Result<T, Error>> {
    let mut results = Vec::new();
    while let Some(result) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        results.push(result);
    }
    results
}

/// The one request the server received; fails if there were more or fewer.
pub(super) fn only_request(server: &TestServer) -> Recorded {
    let mut requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:#?}"
    );
    assert_eq!(server.unused_replies(), 0, "every scripted reply was used");
    requests.pop().expect("length checked above")
}

/// The example chat of the `GET /v1/chats/{chatID}` docs (seed 000).
pub(super) fn seed_chat() -> Value {
    json!({
      "id": "!instagram_mattwondra:local-instagram.localhost",
      "accountID": "local-instagram_ba_eRfQMmnSNy_p7Ih7HL7RduRpKFU",
      "network": "Instagram",
      "participants": {
        "hasMore": false,
        "items": [
          {
            "id": "@mattwondra:local-instagram.localhost",
            "cannotMessage": false,
            "email": "email",
            "fullName": "Matt Wondra",
            "imgURL": "imgURL",
            "isSelf": false,
            "phoneNumber": "phoneNumber",
            "username": "mattwondra"
          },
          {
            "id": "@batuhan:local-instagram.localhost",
            "cannotMessage": false,
            "email": "email",
            "fullName": "Batuhan İçöz",
            "imgURL": "imgURL",
            "isSelf": true,
            "phoneNumber": "phoneNumber",
            "username": "batuhan"
          }
        ],
        "total": 2
      },
      "title": "Matt Wondra",
      "type": "single",
      "unreadCount": 0,
      "isArchived": false,
      "isMuted": false,
      "isPinned": false,
      "lastActivity": "2025-08-31T19:41:41.000Z",
      "lastReadMessageSortKey": 449706228480_i64,
      "localChatID": "1229391"
    })
}

/// The seed chat with `field` set to `value`, or removed when `value` is `None`.
pub(super) fn seed_chat_with(field: &str, value: Option<Value>) -> Value {
    let mut chat = seed_chat();
    let object = chat.as_object_mut().expect("the seed chat is an object");
    match value {
        Some(value) => object.insert(field.to_owned(), value),
        None => object.remove(field),
    };
    chat
}

/// A `200` reply carrying `chat`.
pub(super) fn chat_reply(chat: &Value) -> Reply {
    Reply::json(200, chat)
}

/// Parses an RFC 3339 instant for comparisons.
pub(super) fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("test instants are valid RFC 3339")
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space, `%XX` a byte).
pub(super) fn form_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = bytes
            .get(index + 1..index + 3)
            .filter(|_| bytes[index] == b'%')
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[index], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                index += 3;
                continue;
            }
            (b'+', None) => out.push(b' '),
            (byte, None) => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8(out).expect("decoded query values are UTF-8")
}

/// The request's query as decoded `(name, value)` pairs, stably sorted by name
/// (the order of different parameters carries no meaning; repeats keep theirs).
pub(super) fn decoded_query(request: &Recorded) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .query_pairs()
        .into_iter()
        .map(|(name, value)| (form_decode(&name), form_decode(&value)))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

/// Checks method, path and the decoded query of `request`, and that it has no body.
pub(super) fn check_get(request: &Recorded, path: &str, query: &[(&str, &str)]) {
    assert_eq!(request.method, "GET", "{}", request.request_line());
    assert_eq!(request.path(), path, "{}", request.request_line());
    let mut expected: Vec<(String, String)> = query
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        decoded_query(request),
        expected,
        "{}",
        request.request_line()
    );
    assert!(
        request.body.is_empty(),
        "a GET carries no body: {request:?}"
    );
}

/// Checks the headers every request must carry: bearer token and JSON `Accept`.
pub(super) fn check_common_headers(request: &Recorded) {
    assert_eq!(request.version, "HTTP/1.1");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str()),
        "headers: {:?}",
        request.headers
    );
    assert_eq!(request.header("accept"), Some("application/json"));
}

/// The API error inside `result`; fails on success or any other error.
pub(super) fn expect_api<T: std::fmt::Debug>(
    result: Result<T, Error>,
) -> ApiError<beeper_desktop_api::types::ErrorSchema> {
    match result {
        Err(
            Error::BadRequest(error)
            | Error::Authentication(error)
            | Error::PermissionDenied(error)
            | Error::NotFound(error)
            | Error::Conflict(error)
            | Error::UnprocessableEntity(error)
            | Error::RateLimit(error)
            | Error::InternalServer(error)
            | Error::Api(error),
        ) => error,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// The decode error inside `result`; fails on success or any other error.
pub(super) fn expect_decode<T: std::fmt::Debug>(result: Result<T, Error>) -> DecodeError {
    match result {
        Err(Error::Decode(error)) => error,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// Fails unless `result` is `Error::Build` naming `param`.
pub(super) fn expect_build<T: std::fmt::Debug>(result: Result<T, Error>, param: &str) {
    match result {
        Err(Error::Build(error)) => {
            let text = error.to_string();
            assert!(
                text.contains(param),
                "the build error should name `{param}`: {text}"
            );
        }
        other => panic!("expected Error::Build for `{param}`, got {other:?}"),
    }
}
