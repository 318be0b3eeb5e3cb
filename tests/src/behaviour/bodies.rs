//! Request bodies: JSON sent by the builders, and 204 answers.

use super::*;

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
