//! Errors sorted by status: each status lands in its own `Error` variant that
//! keeps status, headers, message, code, details, raw text and decoded body; what
//! `Display` shows (never the token); and the `source` of transport errors.

use std::error::Error as _;

use super::*;

/// The variant name of an error, for comparisons.
fn variant(error: &Error) -> &'static str {
    match error {
        Error::BadRequest(_) => "BadRequest",
        Error::Authentication(_) => "Authentication",
        Error::PermissionDenied(_) => "PermissionDenied",
        Error::NotFound(_) => "NotFound",
        Error::Conflict(_) => "Conflict",
        Error::UnprocessableEntity(_) => "UnprocessableEntity",
        Error::RateLimit(_) => "RateLimit",
        Error::InternalServer(_) => "InternalServer",
        Error::Api(_) => "Api",
        Error::Connection(_) => "Connection",
        Error::Timeout(_) => "Timeout",
        Error::Decode(_) => "Decode",
        Error::Build(_) => "Build",
        Error::Config(_) => "Config",
        _ => "unknown",
    }
}

/// Answers a retrieve with an error body for `status`; checks everything the error keeps.
async fn check_status(status: u16, expected_variant: &str, retryable: bool) {
    let message = format!("scripted failure {status}");
    let code = format!("CODE_{status}");
    let body = json!({"message": message, "code": code, "details": {"status": status}});
    let reply = Reply::json(status, &body).header("X-Beeper-Desktop-Version", "4.2.808");
    let (server, client) = setup([reply]).await;
    let error = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect_err("an error status fails");
    assert_eq!(variant(&error), expected_variant, "status {status}");
    assert_eq!(error.status(), Some(status));
    assert_eq!(error.is_retryable(), retryable, "status {status}");
    assert_eq!(server.requests().len(), 1);

    let text = error.to_string();
    assert!(
        text.contains(&status.to_string()) && text.contains(&message),
        "Display shows status and message: {text}"
    );
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!format!("{error:?}").contains(TOKEN), "{error:?}");

    let api = error.api().expect("an API error");
    assert_eq!(api.status, status);
    assert_eq!(api.header("x-beeper-desktop-version"), Some("4.2.808"));
    assert_eq!(
        api.headers.get("content-type").map(|v| v.to_str().ok()),
        Some(Some("application/json"))
    );
    assert_eq!(api.message(), Some(message.as_str()));
    assert_eq!(api.code(), Some(code.as_str()));
    assert_eq!(api.details(), Some(&json!({"status": status})));
    assert_eq!(serde_json::from_str::<Value>(&api.raw).ok(), Some(body));
    let decoded = api
        .body
        .as_ref()
        .expect("the body decodes as the error schema");
    assert_eq!(
        (decoded.message.as_str(), decoded.code.as_str()),
        (message.as_str(), code.as_str())
    );
    assert!(decoded.details.is_some(), "{decoded:?}");
    assert_eq!(expect_api(Err::<(), _>(error)).status, status);
}

#[tokio::test]
async fn each_status_has_its_variant() {
    let cases = [
        (400, "BadRequest", false),
        (401, "Authentication", false),
        (403, "PermissionDenied", false),
        (404, "NotFound", false),
        (409, "Conflict", true),
        (422, "UnprocessableEntity", false),
        (429, "RateLimit", true),
        (500, "InternalServer", true),
        (503, "InternalServer", true),
        (418, "Api", false),
    ];
    for (status, expected_variant, retryable) in cases {
        check_status(status, expected_variant, retryable).await;
    }
}

#[tokio::test]
async fn error_without_a_body_has_no_message_but_a_status() {
    let (_server, client) = setup([Reply::empty(401)]).await;
    let error = client.chats().list().send().await.expect_err("401 fails");
    assert_eq!(variant(&error), "Authentication");
    let api = error.api().expect("an API error");
    assert_eq!(
        (api.message(), api.code(), api.details()),
        (None, None, None)
    );
    assert!(api.body.is_none() && api.raw.is_empty(), "{api:?}");
    let text = error.to_string();
    assert!(text.contains("401") && !text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn null_details_are_none_and_no_output_shows_the_token() {
    let body = json!({"message": "bad cursor", "code": "BAD_CURSOR", "details": null});
    let (server, client) = setup([Reply::json(400, &body)]).await;
    let error = client
        .chats()
        .list()
        .cursor("nope")
        .send()
        .await
        .expect_err("400 fails");
    let request = only_request(&server);
    check_common_headers(&request);
    assert_eq!(
        error.api().and_then(|api| api.details()),
        None,
        "null details"
    );
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[tokio::test]
async fn source_of_a_connection_error_is_the_http_error() {
    let client = Client::builder()
        .base_url(closed_port_url())
        .token(TOKEN)
        .max_retries(0)
        .build()
        .expect("the configuration is valid");
    let error = client
        .chats()
        .list()
        .send()
        .await
        .expect_err("nothing listens on the port");
    let Error::Connection(connection) = &error else {
        panic!("expected Error::Connection, got {error:?}");
    };
    let source = error.source().expect("a connection error has a source");
    let http = connection
        .source_error()
        .expect("a refused connection has reqwest's error");
    assert!(
        std::ptr::addr_eq(source as *const dyn std::error::Error, http as *const _),
        "source() is the reqwest error itself"
    );
    assert_eq!(source.to_string(), http.to_string());
    assert!(http.is_connect(), "{http:?}");

    let (_server, client) = setup([Reply::empty(404)]).await;
    let not_found = client.chats().list().send().await.expect_err("404 fails");
    assert!(not_found.source().is_none(), "an API error has no source");
}
