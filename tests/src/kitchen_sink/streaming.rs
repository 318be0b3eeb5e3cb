//! Streamed bodies against local servers: answers taken as a stream of chunks
//! (`send_stream`), binary bodies and file parts from files and one-shot
//! streams, and what retries do with each. The memory bounds are in
//! `tests/memory`.

use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use kitchen_sink_api::{Body, Client, Error};

use super::*;
use crate::stream_server::StreamServer;

/// A client of `base_url` with `retries` retries after 1 ms.
fn retrying_client(base_url: String, retries: u32) -> Client {
    Client::builder()
        .base_url(base_url)
        .token(TOKEN)
        .max_retries(retries)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .expect("a valid client")
}

#[tokio::test]
async fn a_streamed_answer_comes_in_chunks_after_its_status_and_headers() {
    let bytes: Vec<u8> = (0..=255).cycle().take(300_000).collect();
    let reply = Reply::raw(200, "application/octet-stream", bytes.clone()).header("x-kind", "blob");
    let (server, client) = setup([reply]).await;
    let mut stream = client
        .blobs()
        .put("b", vec![1])
        .send_stream()
        .await
        .expect("the headers");
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.header("x-kind"), Some("blob"));
    assert_eq!(stream.content_length(), Some(300_000));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.expect("a chunk"));
        chunks += 1;
    }
    assert_eq!(received, bytes);
    assert!(chunks >= 1);
    assert_eq!(only_request(&server).body, [1]);
}

#[tokio::test]
async fn a_streamed_call_is_retried_until_an_answer_has_its_headers() {
    let server = TestServer::start([
        Reply::empty(503),
        Reply::raw(200, "application/octet-stream", "second"),
    ])
    .await;
    let client = retrying_client(server.base_url(), 2);
    let stream = client
        .blobs()
        .put("b", Vec::new())
        .send_stream()
        .await
        .expect("the second answer");
    assert_eq!(stream.read_to_end().await.expect("the body"), b"second");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_status_is_an_error_with_its_body_when_streaming() {
    let body = serde_json::json!({"message": "no such blob", "code": "missing"});
    let (_server, client) = setup([Reply::json(404, &body)]).await;
    let error = client
        .blobs()
        .put("b", Vec::new())
        .send_stream()
        .await
        .expect_err("404 is an error");
    let Error::NotFound(api) = &error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert_eq!(api.message(), Some("no such blob"));
    assert!(api.raw.contains("missing"), "{}", api.raw);
}

#[tokio::test]
async fn the_timeout_of_a_streamed_call_covers_the_wait_for_its_headers() {
    let (_server, client) = setup([Reply::stall()]).await;
    let error = client
        .blobs()
        .put("b", Vec::new())
        .timeout(Duration::from_millis(150))
        .send_stream()
        .await
        .expect_err("no headers come");
    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert!(timeout.source_error().is_none(), "measured by the client");
    assert!(error.to_string().contains("150ms"), "{error}");
}

#[tokio::test]
async fn a_file_body_is_sent_with_its_length_and_opened_again_for_a_retry() {
    let path = std::env::temp_dir().join(format!("ks-body-{}.bin", std::process::id()));
    std::fs::write(&path, b"file content").expect("a temporary file");
    let server = TestServer::start([
        Reply::empty(503),
        Reply::raw(200, "application/octet-stream", "ok"),
    ])
    .await;
    let client = retrying_client(server.base_url(), 1);
    let answer = client
        .blobs()
        .put("b", Body::from_path(&path))
        .send()
        .await
        .expect("the retry succeeds");
    std::fs::remove_file(&path).expect("removing the temporary file");
    assert_eq!(answer, b"ok");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body, b"file content");
        assert_eq!(request.header("content-length"), Some("12"));
        assert_eq!(
            request.header("content-type"),
            Some("application/octet-stream")
        );
    }
}

#[tokio::test]
async fn a_missing_file_fails_the_call_before_anything_is_sent() {
    let (server, client) = setup([]).await;
    let error = client
        .blobs()
        .put("b", Body::from_path("/nonexistent/body.bin"))
        .send()
        .await
        .expect_err("no such file");
    assert!(matches!(error, Error::Build(_)), "{error:?}");
    assert!(
        error.to_string().contains("/nonexistent/body.bin"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_one_shot_stream_is_sent_once_and_the_error_says_why_it_was_not_retried() {
    let server = StreamServer::start().await;
    let client = retrying_client(server.base_url(), 2);
    let chunks = futures_util::stream::iter(
        ["one ", "shot"].map(|text| Ok::<_, std::io::Error>(Bytes::from(text))),
    );
    let error = client
        .blobs()
        .put("b", Body::from_stream(chunks))
        .header("x-answer-status", "503")
        .send()
        .await
        .expect_err("503 every time");
    let Error::InternalServer(api) = &error else {
        panic!("expected a 503, got {error:?}");
    };
    assert_eq!(server.requests(), 1, "not retried");
    assert!(api
        .not_retried_because()
        .is_some_and(|why| why.contains("one-shot")));
    assert!(error.to_string().contains("not retried"), "{error}");
    // The same call with bytes is retried as configured.
    let error = client
        .blobs()
        .put("b", b"bytes".to_vec())
        .header("x-answer-status", "503")
        .send()
        .await
        .expect_err("503 every time");
    assert_eq!(server.requests(), 1 + 3, "retried twice");
    assert!(error
        .api()
        .is_some_and(|e| e.not_retried_because().is_none()));
}

#[tokio::test]
async fn a_reader_body_streams_its_content() {
    let server = StreamServer::start().await;
    let client = retrying_client(server.base_url(), 0);
    let reader = std::io::Cursor::new(vec![7u8; 100_000]);
    let answer = client
        .blobs()
        .put("b", Body::from_reader(reader))
        .send()
        .await
        .expect("stored");
    let json: serde_json::Value = serde_json::from_slice(&answer).expect("JSON");
    assert_eq!(json["received"], 100_000);
}
