//! Raw responses: `send_with_response` gives the status and headers along with
//! the decoded body, for JSON and for 204 operations.

use super::*;

/// The version header every Beeper Desktop response carries.
const VERSION_HEADER: &str = "X-Beeper-Desktop-Version";

#[tokio::test]
async fn send_with_response_keeps_status_headers_and_data() {
    let reply = chat_reply(&seed_chat())
        .header(VERSION_HEADER, "4.2.808")
        .header("X-Request-Id", "req-1");
    let (server, client) = setup([reply]).await;
    let response = client
        .chats()
        .retrieve(ROOM_ID)
        .send_with_response()
        .await
        .expect("the seed chat decodes");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("x-beeper-desktop-version"), Some("4.2.808"));
    assert_eq!(
        response
            .headers
            .get("x-request-id")
            .map(|v| v.to_str().ok()),
        Some(Some("req-1"))
    );
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("x-absent"), None);
    assert_eq!(
        response.data.id,
        "!instagram_mattwondra:local-instagram.localhost"
    );
    assert_eq!(response.into_data().title, "Matt Wondra");
    only_request(&server);
}

#[tokio::test]
async fn send_with_response_of_a_no_content_operation() {
    let reply = Reply::empty(204).header(VERSION_HEADER, "4.2.809");
    let (server, client) = setup([reply]).await;
    let response = client
        .chats()
        .archive(ROOM_ID)
        .send_with_response()
        .await
        .expect("204 is a success");
    assert_eq!(response.status, 204);
    assert_eq!(response.header("x-beeper-desktop-version"), Some("4.2.809"));
    let () = response.data;
    assert_eq!(only_request(&server).method, "POST");
}

#[tokio::test]
async fn send_with_response_of_a_list_keeps_the_page() {
    let page = json!({
        "items": [seed_chat()], "hasMore": true, "oldestCursor": "o1", "newestCursor": "n1"
    });
    let reply = Reply::json(200, &page).header(VERSION_HEADER, "4.2.810");
    let (_server, client) = setup([reply]).await;
    let response = client
        .chats()
        .list()
        .send_with_response()
        .await
        .expect("the page decodes");
    assert_eq!(response.status, 200);
    assert_eq!(response.header(VERSION_HEADER), Some("4.2.810"));
    assert_eq!(response.data.items.len(), 1);
    assert_eq!(response.data.oldest_cursor.as_deref(), Some("o1"));
}
