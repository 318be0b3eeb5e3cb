//! Timeouts: per request and per client, against a server that never answers
//! (`Reply::stall`) or answers late (`Reply::after`), with and without retries.

use std::time::Duration;

use super::*;

/// The short timeout the tests give the client.
const SHORT: Duration = Duration::from_millis(100);

/// Checks that `result` is a timeout of [`SHORT`] naming the server's URL.
fn expect_timeout<T: std::fmt::Debug>(result: Result<T, Error>, server: &TestServer) {
    let error = result.expect_err("a stalled server cannot answer in time");
    let Error::Timeout(connection) = &error else {
        panic!("expected Error::Timeout, got {error:?}");
    };
    assert!(
        connection
            .source_error()
            .is_some_and(reqwest::Error::is_timeout),
        "{connection:?}"
    );
    assert!(
        connection.url().starts_with(&server.base_url()),
        "{connection:?}"
    );
    assert!(error.is_retryable(), "a timeout may succeed on a retry");
    assert_eq!(error.status(), None);
    let text = error.to_string();
    assert!(
        text.contains(&server.base_url()) && text.contains("100ms"),
        "the message names the URL and the timeout: {text}"
    );
    assert!(
        text.contains("timeout"),
        "the message says what to do: {text}"
    );
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn request_timeout_against_a_stalled_server() {
    let (server, client) = setup([Reply::stall()]).await;
    let result = client.chats().retrieve(ROOM_ID).timeout(SHORT).send().await;
    expect_timeout(result, &server);
    assert_eq!(server.requests().len(), 1, "max_retries(0): one attempt");
}

#[tokio::test]
async fn client_timeout_against_a_stalled_server() {
    let configure = |b: ClientBuilder| b.timeout(SHORT).max_retries(0);
    let (server, client) = setup_with([Reply::stall()], configure).await;
    let result = client.chats().list().send().await;
    expect_timeout(result, &server);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn request_timeout_overrides_a_shorter_client_timeout() {
    let late = chat_reply(&seed_chat()).after(Duration::from_millis(300));
    let configure = |b: ClientBuilder| b.timeout(SHORT).max_retries(0);
    let (server, client) = setup_with([late], configure).await;
    let chat = client
        .chats()
        .retrieve(ROOM_ID)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("the request's own timeout is long enough");
    assert_eq!(chat.title, "Matt Wondra");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_stall_then_a_quick_answer_succeeds_through_a_retry() {
    let script = [Reply::stall(), chat_reply(&seed_chat())];
    let configure = |b: ClientBuilder| b.timeout(SHORT).retry_base_delay(Duration::from_millis(1));
    let (server, client) = setup_with(script, configure).await;
    let chat = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect("the retry after the timeout succeeds");
    assert_eq!(chat.title, "Matt Wondra");
    let requests = server.requests();
    let counts: Vec<_> = requests.iter().map(|r| r.header("x-retry-count")).collect();
    assert_eq!(counts, [Some("0"), Some("1")]);
    // The first attempt's clock started a little before its request arrived, so
    // only part of the timeout is a safe lower bound for the gap.
    let waited = requests[1].arrived.duration_since(requests[0].arrived);
    assert!(
        waited >= SHORT / 2,
        "the first attempt timed out after {waited:?}"
    );
}

#[tokio::test]
async fn every_attempt_that_times_out_is_retried() {
    let script = [Reply::stall(), Reply::stall(), Reply::stall()];
    let configure = |b: ClientBuilder| b.timeout(SHORT).retry_base_delay(Duration::from_millis(1));
    let (server, client) = setup_with(script, configure).await;
    let result = client.chats().retrieve(ROOM_ID).send().await;
    expect_timeout(result, &server);
    assert_eq!(server.requests().len(), 3, "1 attempt + 2 retries");
}
