//! Error responses, decode errors, and secrets kept out of `Debug`.

use super::*;

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
    assert_eq!(error.status, 200);
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
