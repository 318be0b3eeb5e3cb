//! The operations that differ from the rest (the bare JSON array of
//! `accounts.list` and the unauthenticated `info.retrieve` are tested against
//! the mock: `mock::beeper`): a ranged download
//! with its 206, 304 and 416 answers (`assets.serve`), a base64 upload, and the
//! cross-chat message search with its `chats` map.

use super::*;
use beeper_desktop_api::types::ServeAssetSuccess;

#[tokio::test]
async fn accounts_list_reports_an_object_where_the_array_belongs() {
    let (_server, client) = setup([Reply::json(200, &json!({"items": []}))]).await;
    match client.accounts().list().send().await {
        Err(Error::Decode(error)) => assert_eq!(error.status, 200),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn serve_sends_the_range_and_returns_partial_content() {
    let bytes: Vec<u8> = (0..10).collect();
    let (server, client) = setup([Reply::raw(206, "application/octet-stream", bytes.clone())
        .header("content-range", "bytes 0-9/100")])
    .await;
    let response = client
        .assets()
        .serve("mxc://beeper.com/file")
        .range("bytes=0-9")
        .send_with_response()
        .await
        .expect("206 is an answer");
    assert_eq!(response.status, 206);
    assert_eq!(response.header("content-range"), Some("bytes 0-9/100"));
    assert_eq!(response.data, ServeAssetSuccess::PartialContent(bytes));
    let request = &server.requests()[0];
    assert_eq!(request.header("range"), Some("bytes=0-9"));
    assert_eq!(
        request.query_pairs(),
        [("url".to_owned(), "mxc%3A%2F%2Fbeeper.com%2Ffile".to_owned())]
    );
    assert_eq!(
        request.header("accept"),
        Some("application/octet-stream, application/json")
    );
}

#[tokio::test]
async fn serve_without_a_range_returns_the_whole_file() {
    let bytes: Vec<u8> = (0..=255).collect();
    let (server, client) =
        setup([Reply::raw(200, "application/octet-stream", bytes.clone())]).await;
    let answer = client
        .assets()
        .serve("mxc://x/y")
        .send()
        .await
        .expect("200");
    assert_eq!(answer, ServeAssetSuccess::Ok(bytes));
    assert_eq!(server.requests()[0].header("range"), None);
}

#[tokio::test]
async fn serve_304_is_an_answer_not_an_error() {
    let (_server, client) = setup([Reply::empty(304)]).await;
    let answer = client
        .assets()
        .serve("mxc://x/y")
        .header("if-none-match", "\"abc\"")
        .send()
        .await
        .expect("304 is declared, so it is an answer");
    assert_eq!(answer, ServeAssetSuccess::NotModified);
}

#[tokio::test]
async fn serve_416_is_an_api_error_with_its_status() {
    let (_server, client) = setup([Reply::empty(416).header("content-range", "bytes */100")]).await;
    match client
        .assets()
        .serve("mxc://x/y")
        .range("bytes=200-")
        .send()
        .await
    {
        Err(Error::Api(error)) => {
            assert_eq!(error.status, 416);
            assert_eq!(error.header("content-range"), Some("bytes */100"));
        }
        other => panic!("expected a 416 API error, got {other:?}"),
    }
}

#[tokio::test]
async fn upload_base64_sends_json_with_the_content() {
    let (server, client) = setup([Reply::json(
        200,
        &json!({"uploadID": "up_9", "fileName": "note.txt", "fileSize": 5}),
    )])
    .await;
    let uploaded = client
        .assets()
        .upload_base64("aGVsbG8=")
        .file_name("note.txt")
        .send()
        .await
        .expect("upload");
    assert_eq!(uploaded.upload_id.as_deref(), Some("up_9"));
    let request = &server.requests()[0];
    assert_eq!(
        request.request_line(),
        "POST /v1/assets/upload/base64 HTTP/1.1"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json(),
        Ok(json!({"content": "aGVsbG8=", "fileName": "note.txt"}))
    );
}

#[tokio::test]
async fn message_search_pages_and_keeps_the_chats_map() {
    let message = json!({
        "id": "$1", "chatID": ROOM_ID, "accountID": "whatsapp", "senderID": "u1",
        "timestamp": "2026-12-01T10:00:00Z", "sortKey": "1",
    });
    let page = json!({
        "items": [message], "hasMore": false, "oldestCursor": null, "newestCursor": null,
        "chats": {ROOM_ID: {"id": ROOM_ID, "accountID": "whatsapp", "network": "WhatsApp",
                  "title": "Alpha", "type": "single", "unreadCount": 0,
                  "participants": {"items": [], "hasMore": false, "total": 0}}},
    });
    let (server, client) = setup([Reply::json(200, &page)]).await;
    let found = client
        .messages()
        .search()
        .query("lunch")
        .limit(5)
        .send()
        .await
        .expect("search");
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.chats[ROOM_ID].title, "Alpha");
    let query = server.requests()[0].query_pairs();
    assert!(
        query.contains(&("query".to_owned(), "lunch".to_owned())),
        "{query:?}"
    );
    assert!(
        query.contains(&("limit".to_owned(), "5".to_owned())),
        "{query:?}"
    );
}
