//! Behaviour tests of the generated `beeper-desktop-api` client against the scripted
//! server of [`crate::server`]: what goes on the wire (request line, headers, JSON
//! body) and what comes back (decoded types, unions, open enums, errors).
//!
//! Every test starts its own server on `127.0.0.1:0`, so they run in parallel.

use beeper_desktop_api::types::{
    CapabilitySupportLevel, Chat, ChatCapabilitiesDisappearingTimerTypesItem, ChatType,
    IssuePathSegment, LastReadMessageSortKey, PaginationDirection, SearchChatsInbox,
    SearchChatsScope, SearchChatsType,
};
use beeper_desktop_api::{ApiError, Client, DecodeError, Error};
use chrono::{DateTime, FixedOffset};
use serde_json::{json, Value};

use crate::server::{Recorded, Reply, TestServer};

/// The bearer token every test client uses; it must never show up in `Debug` output.
const TOKEN: &str = "bdt_s3cret-token-7f3a9c";

/// A Matrix room ID as the API uses them.
const ROOM_ID: &str = "!NCdzlIaMjZUmvmvyHU:beeper.com";

// ------------------------------------------------------------------ helpers

/// Starts a server with `script` and a client pointed at it.
async fn setup(script: impl IntoIterator<Item = Reply>) -> (TestServer, Client) {
    let server = TestServer::start(script).await;
    let client = Client::new(server.base_url(), TOKEN);
    (server, client)
}

/// The one request the server received; fails if there were more or fewer.
fn only_request(server: &TestServer) -> Recorded {
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
fn seed_chat() -> Value {
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
fn seed_chat_with(field: &str, value: Option<Value>) -> Value {
    let mut chat = seed_chat();
    let object = chat.as_object_mut().expect("the seed chat is an object");
    match value {
        Some(value) => object.insert(field.to_owned(), value),
        None => object.remove(field),
    };
    chat
}

/// A `200` reply carrying `chat`.
fn chat_reply(chat: &Value) -> Reply {
    Reply::json(200, chat)
}

/// Parses an RFC 3339 instant for comparisons.
fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("test instants are valid RFC 3339")
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space, `%XX` a byte).
fn form_decode(raw: &str) -> String {
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
fn decoded_query(request: &Recorded) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .query_pairs()
        .into_iter()
        .map(|(name, value)| (form_decode(&name), form_decode(&value)))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

/// Checks method, path and the decoded query of `request`, and that it has no body.
fn check_get(request: &Recorded, path: &str, query: &[(&str, &str)]) {
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
fn check_common_headers(request: &Recorded) {
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
fn expect_api<T: std::fmt::Debug>(
    result: Result<T, Error>,
) -> ApiError<beeper_desktop_api::types::Error> {
    match result {
        Err(Error::Api(error)) => error,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// The decode error inside `result`; fails on success or any other error.
fn expect_decode<T: std::fmt::Debug>(result: Result<T, Error>) -> DecodeError {
    match result {
        Err(Error::Decode(error)) => error,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// Fails unless `result` is `Error::Build` naming `param`.
fn expect_build<T: std::fmt::Debug>(result: Result<T, Error>, param: &str) {
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

// ------------------------------------------------- decoding the seed chat

#[tokio::test]
async fn retrieve_decodes_the_seed_chat() {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    let chat = client
        .chats()
        .retrieve("!instagram_mattwondra:local-instagram.localhost")
        .send()
        .await
        .expect("the seed chat decodes");
    only_request(&server);

    assert_eq!(chat.id, "!instagram_mattwondra:local-instagram.localhost");
    assert_eq!(
        chat.account_id,
        "local-instagram_ba_eRfQMmnSNy_p7Ih7HL7RduRpKFU"
    );
    assert_eq!(chat.network, "Instagram");
    assert_eq!(chat.title, "Matt Wondra");
    assert_eq!(chat.r#type, ChatType::Single);
    assert_eq!(chat.unread_count, 0);
    assert_eq!(chat.is_archived, Some(false));
    assert_eq!(chat.is_muted, Some(false));
    assert_eq!(chat.is_pinned, Some(false));
    assert_eq!(chat.local_chat_id.as_deref(), Some("1229391"));
    assert_eq!(chat.last_activity, Some(instant("2025-08-31T19:41:41Z")));
    assert_eq!(chat.description, None);
    assert_eq!(chat.capabilities, None);
    assert_eq!(
        chat.last_read_message_sort_key,
        Some(LastReadMessageSortKey::Integer(449_706_228_480))
    );

    let participants = &chat.participants;
    assert!(!participants.has_more);
    assert_eq!(participants.total, 2);
    assert_eq!(participants.items.len(), 2);
    let (matt, me) = (&participants.items[0], &participants.items[1]);
    assert_eq!(matt.id, "@mattwondra:local-instagram.localhost");
    assert_eq!(matt.username.as_deref(), Some("mattwondra"));
    assert_eq!(matt.is_self, Some(false));
    assert_eq!(matt.cannot_message, Some(false));
    assert_eq!(me.id, "@batuhan:local-instagram.localhost");
    assert_eq!(me.full_name.as_deref(), Some("Batuhan İçöz"));
    assert_eq!(me.is_self, Some(true));
    assert_eq!(me.phone_number.as_deref(), Some("phoneNumber"));
    assert_eq!(me.img_url.as_deref(), Some("imgURL"));
    assert_eq!(me.is_admin, None);
}

#[tokio::test]
async fn seed_chat_reserializes_to_the_same_json() {
    let (_server, client) = setup([chat_reply(&seed_chat())]).await;
    let chat = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect("decodes");
    let mut back = serde_json::to_value(&chat).expect("a chat serializes");
    // The instant may be written in another RFC 3339 spelling; compare it as an instant.
    let written = back["lastActivity"]
        .as_str()
        .expect("lastActivity is a string");
    assert_eq!(instant(written), instant("2025-08-31T19:41:41.000Z"));
    back["lastActivity"] = json!("2025-08-31T19:41:41.000Z");
    assert_eq!(back, seed_chat());
}

// ----------------------------------------- lastReadMessageSortKey union

/// Serves the seed chat with `lastReadMessageSortKey` set to `wire` (absent for
/// `None`), checks the decoded value and that re-serializing gives `wire` back.
async fn check_sort_key(wire: Option<Value>, expected: Option<LastReadMessageSortKey>) {
    let body = seed_chat_with("lastReadMessageSortKey", wire.clone());
    let (_server, client) = setup([chat_reply(&body)]).await;
    let chat = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        chat.last_read_message_sort_key, expected,
        "wire value {wire:?}"
    );

    if let Some(key) = &chat.last_read_message_sort_key {
        let key_json = serde_json::to_value(key).expect("the union serializes");
        assert_eq!(Some(key_json), wire, "the union re-serializes unchanged");
    }
    // Null and absent both mean "unknown"; re-serializing may leave the field out.
    let back = serde_json::to_value(&chat).expect("a chat serializes");
    let expected_back = wire.filter(|value| !value.is_null());
    assert_eq!(back.get("lastReadMessageSortKey").cloned(), expected_back);
}

#[tokio::test]
async fn sort_key_as_integer() {
    check_sort_key(
        Some(json!(449_706_228_480_i64)),
        Some(LastReadMessageSortKey::Integer(449_706_228_480)),
    )
    .await;
}

#[tokio::test]
async fn sort_key_as_string() {
    check_sort_key(
        Some(json!("449706228480")),
        Some(LastReadMessageSortKey::String("449706228480".to_owned())),
    )
    .await;
    check_sort_key(
        Some(json!("AAB7-opaque")),
        Some(LastReadMessageSortKey::String("AAB7-opaque".to_owned())),
    )
    .await;
}

#[tokio::test]
async fn sort_key_null_and_absent_are_none() {
    check_sort_key(Some(Value::Null), None).await;
    check_sort_key(None, None).await;
}

#[test]
fn sort_key_display_from_and_accessors() {
    let integer = LastReadMessageSortKey::from(449_706_228_480_i64);
    assert_eq!(integer, LastReadMessageSortKey::Integer(449_706_228_480));
    assert_eq!(integer.to_string(), "449706228480");
    assert_eq!(integer.as_integer(), Some(449_706_228_480));
    assert_eq!(integer.as_string(), None);

    let string = LastReadMessageSortKey::from("k-42");
    assert_eq!(string, LastReadMessageSortKey::String("k-42".to_owned()));
    assert_eq!(LastReadMessageSortKey::from("k-42".to_owned()), string);
    assert_eq!(string.to_string(), "k-42");
    assert_eq!(string.as_string(), Some("k-42"));
    assert_eq!(string.as_integer(), None);
}

// ------------------------------------------------ path and query encoding

/// Retrieves `chat_id` (answered with the seed chat) and returns the request.
async fn retrieve_request(chat_id: &str) -> Recorded {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    client
        .chats()
        .retrieve(chat_id)
        .send()
        .await
        .expect("the seed chat decodes");
    only_request(&server)
}

#[tokio::test]
async fn retrieve_sends_the_exact_request_line() {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    client
        .chats()
        .retrieve(ROOM_ID)
        .max_participant_count(50)
        .send()
        .await
        .expect("decodes");
    let request = only_request(&server);
    assert_eq!(
        request.request_line(),
        "GET /v1/chats/!NCdzlIaMjZUmvmvyHU:beeper.com?maxParticipantCount=50 HTTP/1.1"
    );
    check_common_headers(&request);
    assert_eq!(
        request.header("content-type"),
        None,
        "a GET has no content type"
    );
    assert!(request.body.is_empty());

    let all = retrieve_request_with_count(-1).await;
    assert_eq!(
        all.target,
        "/v1/chats/!NCdzlIaMjZUmvmvyHU:beeper.com?maxParticipantCount=-1"
    );
    let plain = retrieve_request(ROOM_ID).await;
    assert_eq!(plain.target, "/v1/chats/!NCdzlIaMjZUmvmvyHU:beeper.com");
}

/// Retrieves [`ROOM_ID`] with `maxParticipantCount` = `count`; returns the request.
async fn retrieve_request_with_count(count: i64) -> Recorded {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    client
        .chats()
        .retrieve(ROOM_ID)
        .max_participant_count(count)
        .send()
        .await
        .expect("decodes");
    only_request(&server)
}

#[tokio::test]
async fn hostile_chat_id_stays_one_path_segment() {
    let cases = [
        (
            "a/b?c#d%e f\u{e9}\u{1F600}",
            "/v1/chats/a%2Fb%3Fc%23d%25e%20f%C3%A9%F0%9F%98%80",
        ),
        ("../admin", "/v1/chats/..%2Fadmin"),
        ("x/../../y", "/v1/chats/x%2F..%2F..%2Fy"),
        ("%2e%2e", "/v1/chats/%252e%252e"),
        ("back\\slash", "/v1/chats/back%5Cslash"),
        (
            "q?maxParticipantCount=1",
            "/v1/chats/q%3FmaxParticipantCount=1",
        ),
    ];
    for (chat_id, target) in cases {
        let request = retrieve_request(chat_id).await;
        assert_eq!(
            request.request_line(),
            format!("GET {target} HTTP/1.1"),
            "chat ID {chat_id:?}"
        );
    }
}

#[tokio::test]
async fn matrix_ids_keep_bang_and_colon_raw() {
    let request = retrieve_request("!room:beeper.com").await;
    assert_eq!(request.target, "/v1/chats/!room:beeper.com");

    let (server, client) = setup([Reply::empty(204)]).await;
    client
        .chats()
        .messages()
        .delete("!room:beeper.com", "$event:beeper.com")
        .send()
        .await
        .expect("a 204 is success");
    assert_eq!(
        only_request(&server).request_line(),
        "DELETE /v1/chats/!room:beeper.com/messages/$event:beeper.com HTTP/1.1"
    );
}

#[tokio::test]
async fn dot_and_empty_ids_are_refused_before_sending() {
    let (server, client) = setup([]).await;
    for chat_id in ["", ".", ".."] {
        expect_build(client.chats().retrieve(chat_id).send().await, "chatID");
        expect_build(client.chats().archive(chat_id).send().await, "chatID");
        expect_build(
            client
                .chats()
                .messages()
                .send(chat_id)
                .text("hi")
                .send()
                .await,
            "chatID",
        );
        expect_build(
            client
                .chats()
                .messages()
                .delete("!room:beeper.com", chat_id)
                .send()
                .await,
            "messageID",
        );
        expect_build(
            client
                .chats()
                .messages()
                .reactions()
                .delete("!room:beeper.com", "m1", chat_id)
                .send()
                .await,
            "reactionKey",
        );
    }
    assert_eq!(server.connections(), 0, "nothing may reach the server");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn base_url_trailing_slash_and_path_prefix() {
    let server = TestServer::start([chat_reply(&seed_chat()), chat_reply(&seed_chat())]).await;
    let slash = Client::new(format!("{}/", server.base_url()), TOKEN);
    slash.chats().retrieve("c1").send().await.expect("decodes");
    let prefixed = Client::new(format!("{}/desktop/", server.base_url()), TOKEN);
    prefixed
        .chats()
        .retrieve("c2")
        .send()
        .await
        .expect("decodes");
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/v1/chats/c1", "/desktop/v1/chats/c2"]);
}

/// A search or list page holding the seed chat.
fn page_reply() -> Reply {
    Reply::json(
        200,
        &json!({
            "items": [seed_chat()],
            "hasMore": false,
            "oldestCursor": null,
            "newestCursor": "1725489123456|c29tZUltc2dQYWdl"
        }),
    )
}

#[tokio::test]
async fn array_query_params_repeat_the_key() {
    let (server, client) = setup([page_reply(), page_reply(), page_reply()]).await;
    let page = client
        .chats()
        .search()
        .account_ids(["a", "b"])
        .send()
        .await
        .expect("the page decodes");
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        page.newest_cursor.as_deref(),
        Some("1725489123456|c29tZUltc2dQYWdl")
    );
    assert_eq!(page.oldest_cursor, None);
    client
        .chats()
        .list()
        .account_ids(vec![
            "matrix".to_owned(),
            "local-whatsapp_ba_E+v/=".to_owned(),
        ])
        .send()
        .await
        .expect("the page decodes");
    client
        .chats()
        .list()
        .account_ids(Vec::<String>::new())
        .send()
        .await
        .expect("the page decodes");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].target,
        "/v1/chats/search?accountIDs=a&accountIDs=b"
    );
    check_common_headers(&requests[0]);
    check_get(
        &requests[1],
        "/v1/chats",
        &[
            ("accountIDs", "matrix"),
            ("accountIDs", "local-whatsapp_ba_E+v/="),
        ],
    );
    check_get(&requests[2], "/v1/chats", &[]);
}

#[tokio::test]
async fn enum_and_date_time_query_params_are_encoded() {
    let (server, client) = setup([page_reply()]).await;
    client
        .chats()
        .search()
        .cursor("1725489123456|c29tZUltc2dQYWdl")
        .direction(PaginationDirection::Before)
        .inbox(SearchChatsInbox::LowPriority)
        .unread_only(true)
        .limit(10)
        .r#type(SearchChatsType::Group)
        .query("Matt & Co=1+2 #x")
        .scope(SearchChatsScope::Participants)
        .last_activity_before(instant("2025-08-31T19:41:41Z"))
        .last_activity_after(instant("2025-01-02T03:04:05.250+02:00"))
        .account_ids(["matrix"])
        .include_muted(false)
        .send()
        .await
        .expect("the page decodes");
    let request = only_request(&server);
    check_get(
        &request,
        "/v1/chats/search",
        &[
            ("cursor", "1725489123456|c29tZUltc2dQYWdl"),
            ("direction", "before"),
            ("inbox", "low-priority"),
            ("unreadOnly", "true"),
            ("limit", "10"),
            ("type", "group"),
            ("query", "Matt & Co=1+2 #x"),
            ("scope", "participants"),
            ("lastActivityBefore", "2025-08-31T19:41:41Z"),
            ("lastActivityAfter", "2025-01-02T03:04:05.250+02:00"),
            ("accountIDs", "matrix"),
            ("includeMuted", "false"),
        ],
    );
    // The `+` of the offset must be escaped, or the server reads it as a space.
    assert!(
        request
            .target
            .contains("lastActivityAfter=2025-01-02T03%3A04%3A05.250%2B02%3A00"),
        "{}",
        request.target
    );
}

#[tokio::test]
async fn unknown_enum_values_are_sent_as_given() {
    let (server, client) = setup([page_reply()]).await;
    client
        .chats()
        .search()
        .r#type(SearchChatsType::from("channel"))
        .inbox(SearchChatsInbox::Other("spam".to_owned()))
        .send()
        .await
        .expect("the page decodes");
    check_get(
        &only_request(&server),
        "/v1/chats/search",
        &[("inbox", "spam"), ("type", "channel")],
    );
}

// ------------------------------------------------------------ error responses

#[tokio::test]
async fn not_found_gives_api_error_with_body_and_headers() {
    let body = json!({"message": "Chat not found", "code": "NOT_FOUND"});
    let reply = Reply::json(404, &body).header("X-Beeper-Desktop-Version", "4.2.808");
    let (_server, client) = setup([reply]).await;
    let result = client.chats().retrieve(ROOM_ID).send().await;
    let status = result.as_ref().err().and_then(Error::status);
    let error = expect_api(result);
    assert_eq!(status, Some(404));
    assert_eq!(error.status, 404);
    let decoded = error.body.as_ref().expect("the error body decodes");
    assert_eq!(decoded.message, "Chat not found");
    assert_eq!(decoded.code, "NOT_FOUND");
    assert_eq!(decoded.details, None);
    assert_eq!(
        error
            .headers
            .get("x-beeper-desktop-version")
            .map(|v| v.to_str().ok()),
        Some(Some("4.2.808"))
    );
    assert_eq!(serde_json::from_str::<Value>(&error.raw).ok(), Some(body));
    let text = error.to_string();
    assert!(
        text.contains("404") && text.contains("Chat not found"),
        "{text}"
    );
}

#[tokio::test]
async fn validation_error_details_decode() {
    let body = json!({
        "message": "Invalid request",
        "code": "VALIDATION_ERROR",
        "details": {"issues": [
            {"code": "too_big", "message": "at most 500", "path": ["maxParticipantCount", 0]}
        ]}
    });
    let (_server, client) = setup([Reply::json(422, &body)]).await;
    let error = expect_api(
        client
            .chats()
            .retrieve(ROOM_ID)
            .max_participant_count(9000)
            .send()
            .await,
    );
    assert_eq!(error.status, 422);
    let decoded = error.body.expect("the error body decodes");
    let details = decoded.details.expect("details are present");
    let validation = details
        .as_validation()
        .expect("details are the validation form");
    assert_eq!(validation.issues.len(), 1);
    assert_eq!(validation.issues[0].code, "too_big");
    assert_eq!(
        validation.issues[0].path,
        [
            IssuePathSegment::from("maxParticipantCount"),
            IssuePathSegment::Integer(0)
        ]
    );
}

#[tokio::test]
async fn server_error_with_text_body_keeps_raw_text() {
    let text = "<html>upstream exploded</html>";
    let (_server, client) = setup([Reply::raw(500, "text/html", text)]).await;
    let error = expect_api(client.chats().archive(ROOM_ID).send().await);
    assert_eq!(error.status, 500);
    assert!(
        error.body.is_none(),
        "a non-JSON body does not decode: {:?}",
        error.body
    );
    assert_eq!(error.raw, text);
    assert_eq!(
        error.headers.get("content-type").map(|v| v.to_str().ok()),
        Some(Some("text/html"))
    );
}

// ------------------------------------------------------------- request bodies

/// Checks a JSON request: method, exact target, content type, headers and body.
fn check_json_request(request: &Recorded, method: &str, target: &str, body: &Value) {
    assert_eq!(
        request.request_line(),
        format!("{method} {target} HTTP/1.1")
    );
    check_common_headers(request);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(&request.body_json().expect("the body is JSON"), body);
}

#[tokio::test]
async fn send_message_posts_json() {
    let sent = json!({"chatID": "!room:beeper.com", "pendingMessageID": "pending-1"});
    let (server, client) = setup([Reply::json(200, &sent), Reply::json(200, &sent)]).await;
    let output = client
        .chats()
        .messages()
        .send("!room:beeper.com")
        .text("hi")
        .send()
        .await
        .expect("the output decodes");
    assert_eq!(output.chat_id, "!room:beeper.com");
    assert_eq!(output.pending_message_id, "pending-1");
    client
        .chats()
        .messages()
        .send("!room:beeper.com")
        .text("héllo \"there\"")
        .reply_to_message_id("$ev:beeper.com")
        .send()
        .await
        .expect("the output decodes");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let target = "/v1/chats/!room:beeper.com/messages";
    check_json_request(&requests[0], "POST", target, &json!({"text": "hi"}));
    check_json_request(
        &requests[1],
        "POST",
        target,
        &json!({"text": "héllo \"there\"", "replyToMessageID": "$ev:beeper.com"}),
    );
}

#[tokio::test]
async fn no_content_operations_return_unit() {
    let script = (0..4).map(|_| Reply::empty(204));
    let (server, client) = setup(script).await;
    let chats = client.chats();
    let results: [Result<(), Error>; 4] = [
        chats.archive(ROOM_ID).send().await,
        chats.archive(ROOM_ID).archived(false).send().await,
        chats.reminders().delete(ROOM_ID).send().await,
        chats
            .messages()
            .delete(ROOM_ID, "1343993")
            .for_everyone(false)
            .send()
            .await,
    ];
    for result in results {
        assert!(matches!(result, Ok(())), "{result:?}");
    }

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let archive = format!("/v1/chats/{ROOM_ID}/archive");
    check_json_request(&requests[0], "POST", &archive, &json!({}));
    check_json_request(&requests[1], "POST", &archive, &json!({"archived": false}));
    assert_eq!(
        requests[2].request_line(),
        format!("DELETE /v1/chats/{ROOM_ID}/reminders HTTP/1.1")
    );
    assert!(requests[2].body.is_empty());
    assert_eq!(
        requests[3].request_line(),
        format!("DELETE /v1/chats/{ROOM_ID}/messages/1343993?forEveryone=false HTTP/1.1")
    );
    for request in &requests {
        check_common_headers(request);
    }
}

// -------------------------------------------------------------- open enums

#[tokio::test]
async fn unknown_enum_values_decode_into_other_and_round_trip() {
    let capabilities = json!({
        "reaction": 7,
        "edit": -2,
        "formatting": {"bold": 2, "spoiler": 9},
        "disappearingTimer": {"types": ["afterRead", "onView"]}
    });
    let mut body = seed_chat_with("type", Some(json!("channel")));
    body["capabilities"] = capabilities.clone();
    let (_server, client) = setup([chat_reply(&body)]).await;
    let chat: Chat = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect("decodes");

    assert_eq!(chat.r#type, ChatType::Other("channel".to_owned()));
    assert_eq!(chat.r#type.as_str(), "channel");
    assert_eq!(chat.r#type.to_string(), "channel");
    let caps = chat.capabilities.as_ref().expect("capabilities decode");
    assert_eq!(caps.reaction, Some(CapabilitySupportLevel::Other(7)));
    assert_eq!(caps.reaction.map(CapabilitySupportLevel::value), Some(7));
    assert_eq!(caps.edit, Some(CapabilitySupportLevel::Rejected));
    let formatting = caps.formatting.as_ref().expect("formatting decodes");
    assert_eq!(formatting.get("bold"), Some(&CapabilitySupportLevel::Full));
    assert_eq!(
        formatting.get("spoiler"),
        Some(&CapabilitySupportLevel::Other(9))
    );
    let timer = caps.disappearing_timer.as_ref().expect("timer decodes");
    assert_eq!(
        timer.types.as_deref(),
        Some(
            &[
                ChatCapabilitiesDisappearingTimerTypesItem::AfterRead,
                ChatCapabilitiesDisappearingTimerTypesItem::Other("onView".to_owned()),
            ][..]
        )
    );

    let back = serde_json::to_value(&chat).expect("a chat serializes");
    assert_eq!(back["type"], json!("channel"));
    assert_eq!(back["capabilities"], capabilities);
}

#[test]
fn open_enum_conversions() {
    assert_eq!(ChatType::from("single"), ChatType::Single);
    assert_eq!(
        ChatType::from("channel".to_owned()),
        ChatType::Other("channel".to_owned())
    );
    assert_eq!("group".parse::<ChatType>(), Ok(ChatType::Group));
    assert_eq!(
        CapabilitySupportLevel::from(1),
        CapabilitySupportLevel::Partial
    );
    assert_eq!(
        CapabilitySupportLevel::from(42),
        CapabilitySupportLevel::Other(42)
    );
    assert_eq!(CapabilitySupportLevel::Other(42).to_string(), "42");
    assert_eq!(CapabilitySupportLevel::Dropped.to_string(), "-1");
}

// ----------------------------------------------------------- decode errors

/// Serves `body` with status 200 to a retrieve and checks the decode error.
async fn check_decode_error(body: &str, path: &str, message_part: &str) {
    let (_server, client) = setup([Reply::raw(200, "application/json", body)]).await;
    let error = expect_decode(client.chats().retrieve(ROOM_ID).send().await);
    assert_eq!(error.path, path, "decode error path for {body}: {error}");
    assert!(
        error.message.contains(message_part),
        "message should mention {message_part:?}: {}",
        error.message
    );
    assert_eq!(error.status.as_u16(), 200);
    assert_eq!(error.body, body, "the body is kept whole");
    let text = error.to_string();
    assert!(text.contains(path), "Display names the path: {text}");
}

#[tokio::test]
async fn mismatched_json_reports_where_decoding_failed() {
    let mut chat = seed_chat();
    chat["participants"]["items"][0]["id"] = json!(42);
    check_decode_error(&chat.to_string(), "participants.items[0].id", "42").await;

    let chat = seed_chat_with("lastActivity", Some(json!("yesterday")));
    check_decode_error(&chat.to_string(), "lastActivity", "").await;

    let chat = seed_chat_with("unreadCount", Some(json!("3")));
    check_decode_error(&chat.to_string(), "unreadCount", "string").await;

    let chat = seed_chat_with("lastReadMessageSortKey", Some(json!(true)));
    check_decode_error(&chat.to_string(), "lastReadMessageSortKey", "").await;

    let mut chat = seed_chat();
    chat["capabilities"] = json!({"reaction": "full"});
    check_decode_error(&chat.to_string(), "capabilities.reaction", "full").await;

    let chat = seed_chat_with("title", None);
    check_decode_error(&chat.to_string(), ".", "title").await;
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    check_decode_error("not json at all", ".", "expected").await;
    check_decode_error("", ".", "EOF").await;
}

// ------------------------------------------------------------ deprecated v0

#[tokio::test]
async fn v0_get_chat_sends_chat_id_as_query() {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    #[allow(deprecated)]
    let chat = client
        .v0()
        .get_chat(ROOM_ID)
        .max_participant_count(50)
        .send()
        .await
        .expect("the seed chat decodes");
    assert_eq!(chat.id, "!instagram_mattwondra:local-instagram.localhost");
    let request = only_request(&server);
    check_common_headers(&request);
    check_get(
        &request,
        "/v0/get-chat",
        &[("chatID", ROOM_ID), ("maxParticipantCount", "50")],
    );
}

// ------------------------------------------------------------------ secrets

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let (server, client) = setup([]).await;
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(TOKEN), "{client_debug}");
    assert!(client_debug.contains(&server.base_url()), "{client_debug}");
    let builder_debug = format!("{:?}", client.chats().messages().send(ROOM_ID).text("hi"));
    assert!(!builder_debug.contains(TOKEN), "{builder_debug}");
    assert_eq!(server.connections(), 0);
}
