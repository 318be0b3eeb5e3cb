//! Raw bodies: text and octet-stream requests go out as given, with their content
//! type, and text and byte answers come back as they were sent.

use super::*;

#[tokio::test]
async fn a_text_body_goes_out_as_is_and_a_text_answer_comes_back() {
    let (server, client) = setup([Reply::raw(200, "text/html", "<p>héllo &amp; bye</p>")]).await;
    let html = client
        .notes()
        .put("n 1", "héllo & bye\nsecond line")
        .send()
        .await
        .expect("the answer is text");
    assert_eq!(html, "<p>héllo &amp; bye</p>");
    let request = only_request(&server);
    assert_eq!(request.request_line(), "PUT /notes/n%201 HTTP/1.1");
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(
        request.header("accept"),
        Some("text/html, application/json")
    );
    assert_eq!(request.body, "héllo & bye\nsecond line".as_bytes());
}

#[tokio::test]
async fn bytes_go_out_and_come_back_unchanged() {
    // Every byte value, including ones that are not valid UTF-8.
    let bytes: Vec<u8> = (0..=255).collect();
    let (server, client) =
        setup([Reply::raw(200, "application/octet-stream", bytes.clone())]).await;
    let stored = client
        .blobs()
        .put("all-bytes.bin", bytes.clone())
        .send()
        .await
        .expect("the answer is bytes");
    assert_eq!(stored, bytes);
    let request = only_request(&server);
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, bytes);
}
