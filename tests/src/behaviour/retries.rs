//! Retries: which failures are retried, how often, how long the client waits
//! (`Retry-After`, `retry-after-ms`, backoff) and the `x-retry-count` header.
//!
//! Waits are checked with lower bounds only, from the arrival times the server
//! records. Where a test would wait for an hour if the client ignored a server's
//! `Retry-After`, [`no_hang`] turns that hang into a failure after a minute.

use std::future::Future;
use std::time::Duration;

use super::*;

/// A backoff so long that only obeying the server's wait keeps a test fast.
const HOUR: Duration = Duration::from_secs(3600);

/// A client with the default retry count and a 1 ms backoff.
async fn fast_retries(script: impl IntoIterator<Item = Reply>) -> (TestServer, Client) {
    setup_with(script, |b| b.retry_base_delay(Duration::from_millis(1))).await
}

/// A client whose own backoff is an hour, so every quick retry is the server's doing.
async fn slow_backoff(script: impl IntoIterator<Item = Reply>) -> (TestServer, Client) {
    setup_with(script, |b| b.retry_base_delay(HOUR).retry_max_delay(HOUR)).await
}

/// An error reply with the spec's error body.
fn error_reply(status: u16) -> Reply {
    let body = json!({"message": format!("failed with {status}"), "code": "SCRIPTED"});
    Reply::json(status, &body)
}

/// Awaits `future`, failing (instead of hanging) if it takes over a minute.
async fn no_hang<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .expect("the client should have retried at once, as the server asked")
}

/// Checks the number of requests and their `x-retry-count` headers (0, 1, 2, ...).
fn check_attempts(server: &TestServer, attempts: usize) {
    let requests = server.requests();
    let counts: Vec<Option<&str>> = requests.iter().map(|r| r.header("x-retry-count")).collect();
    let expected: Vec<String> = (0..attempts).map(|n| n.to_string()).collect();
    let expected: Vec<Option<&str>> = expected.iter().map(|n| Some(n.as_str())).collect();
    assert_eq!(counts, expected, "attempts and their x-retry-count headers");
}

/// How long after request `index - 1` request `index` arrived.
fn gap(server: &TestServer, index: usize) -> Duration {
    let requests = server.requests();
    requests[index]
        .arrived
        .duration_since(requests[index - 1].arrived)
}

/// Retrieves the room and expects the seed chat.
async fn retrieve_ok(client: &Client) {
    let chat = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect("the retry gets the chat");
    assert_eq!(chat.title, "Matt Wondra");
}

// ------------------------------------------------------- what the server asks

#[tokio::test]
async fn rate_limit_with_retry_after_zero_is_retried() {
    let limited = error_reply(429).header("Retry-After", "0");
    let (server, client) = fast_retries([limited, chat_reply(&seed_chat())]).await;
    retrieve_ok(&client).await;
    check_attempts(&server, 2);
    let requests = server.requests();
    assert_eq!(requests[0].request_line(), requests[1].request_line());
    check_common_headers(&requests[1]);
}

#[tokio::test]
async fn retry_after_as_a_past_http_date_means_now() {
    let limited = error_reply(429).header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
    let (server, client) = slow_backoff([limited, chat_reply(&seed_chat())]).await;
    no_hang(retrieve_ok(&client)).await;
    check_attempts(&server, 2);
}

#[tokio::test]
async fn retry_after_seconds_are_waited_instead_of_the_backoff() {
    let limited = error_reply(429).header("Retry-After", "1");
    let (server, client) = slow_backoff([limited, chat_reply(&seed_chat())]).await;
    no_hang(retrieve_ok(&client)).await;
    check_attempts(&server, 2);
    let waited = gap(&server, 1);
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
}

#[tokio::test]
async fn retry_after_ms_wins_over_retry_after_and_is_waited() {
    let limited = error_reply(429)
        .header("retry-after-ms", "150")
        .header("Retry-After", "3600");
    let (server, client) = slow_backoff([limited, chat_reply(&seed_chat())]).await;
    no_hang(retrieve_ok(&client)).await;
    check_attempts(&server, 2);
    let waited = gap(&server, 1);
    assert!(
        waited >= Duration::from_millis(150),
        "waited only {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_beyond_the_limit_returns_the_error_at_once() {
    let limited = error_reply(429).header("Retry-After", "5");
    let script = [limited, chat_reply(&seed_chat())];
    let (server, client) = setup_with(script, |b| b.max_retry_after(Duration::from_secs(1))).await;
    let result = client.chats().retrieve(ROOM_ID).send().await;
    assert!(matches!(result, Err(Error::RateLimit(_))), "{result:?}");
    check_attempts(&server, 1);
    assert_eq!(server.unused_replies(), 1);
}

#[tokio::test]
async fn should_retry_header_overrides_the_status() {
    let refused = error_reply(500).header("x-should-retry", "false");
    let (server, client) = fast_retries([refused, chat_reply(&seed_chat())]).await;
    let result = client.chats().retrieve(ROOM_ID).send().await;
    assert!(
        matches!(result, Err(Error::InternalServer(_))),
        "{result:?}"
    );
    check_attempts(&server, 1);

    let invited = error_reply(400).header("x-should-retry", "true");
    let (server, client) = fast_retries([invited, chat_reply(&seed_chat())]).await;
    retrieve_ok(&client).await;
    check_attempts(&server, 2);
}

// ------------------------------------------------------------- what is retried

#[tokio::test]
async fn server_errors_are_retried_twice_by_default() {
    let script = [error_reply(503), error_reply(503), error_reply(503)];
    let (server, client) = fast_retries(script).await;
    let result = client.chats().retrieve(ROOM_ID).send().await;
    assert_eq!(result.as_ref().err().and_then(Error::status), Some(503));
    assert!(
        matches!(result, Err(Error::InternalServer(_))),
        "{result:?}"
    );
    check_attempts(&server, 3);
}

#[tokio::test]
async fn retryable_statuses_are_retried() {
    for status in [408, 409, 429, 500, 502, 504] {
        let (server, client) = fast_retries([error_reply(status), chat_reply(&seed_chat())]).await;
        retrieve_ok(&client).await;
        assert_eq!(server.requests().len(), 2, "status {status} is retried");
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 418, 422] {
        let (server, client) = fast_retries([error_reply(status), chat_reply(&seed_chat())]).await;
        let result = client.chats().retrieve(ROOM_ID).send().await;
        assert_eq!(result.as_ref().err().and_then(Error::status), Some(status));
        assert_eq!(server.requests().len(), 1, "status {status} is not retried");
        assert_eq!(server.unused_replies(), 1);
    }
}

#[tokio::test]
async fn a_post_is_retried_with_the_same_body() {
    let sent = json!({"chatID": ROOM_ID, "pendingMessageID": "pending-1"});
    let (server, client) = fast_retries([error_reply(503), Reply::json(200, &sent)]).await;
    let chats = client.chats();
    let output = chats.messages().send(ROOM_ID).text("once").send().await;
    assert_eq!(
        output.expect("the retry succeeds").pending_message_id,
        "pending-1"
    );
    check_attempts(&server, 2);
    let requests = server.requests();
    assert_eq!(requests[0].request_line(), requests[1].request_line());
    assert_eq!(requests[1].body_json(), Ok(json!({"text": "once"})));
    assert_eq!(requests[0].body, requests[1].body);
}

// ---------------------------------------------------------------- how often

#[tokio::test]
async fn request_max_retries_zero_turns_retries_off() {
    let (server, client) = fast_retries([error_reply(503), chat_reply(&seed_chat())]).await;
    let result = client.chats().retrieve(ROOM_ID).max_retries(0).send().await;
    assert!(
        matches!(result, Err(Error::InternalServer(_))),
        "{result:?}"
    );
    check_attempts(&server, 1);
}

#[tokio::test]
async fn client_max_retries_is_respected_and_requests_override_it() {
    let script = [error_reply(503), error_reply(503), chat_reply(&seed_chat())];
    let fast_once = |b: ClientBuilder| b.retry_base_delay(Duration::from_millis(1)).max_retries(1);
    let (server, client) = setup_with(script.clone(), fast_once).await;
    let result = client.chats().retrieve(ROOM_ID).send().await;
    assert!(
        matches!(result, Err(Error::InternalServer(_))),
        "{result:?}"
    );
    check_attempts(&server, 2);
    assert_eq!(server.unused_replies(), 1);

    let (server, client) = setup_with(script, fast_once).await;
    let result = client.chats().retrieve(ROOM_ID).max_retries(3).send().await;
    assert!(result.is_ok(), "{result:?}");
    check_attempts(&server, 3);
}

// ---------------------------------------------------------- no server at all

#[tokio::test]
async fn connection_refused_is_a_retryable_connection_error_naming_the_url() {
    let url = closed_port_url();
    for retries in [0, 2] {
        let client = Client::builder()
            .base_url(&url)
            .token(TOKEN)
            .max_retries(retries)
            .retry_base_delay(Duration::from_millis(1))
            .build()
            .expect("the configuration is valid");
        let error = client
            .chats()
            .retrieve(ROOM_ID)
            .send()
            .await
            .expect_err("nothing listens on the port");
        assert!(error.is_retryable(), "{error:?}");
        assert_eq!(error.status(), None);
        let Error::Connection(connection) = &error else {
            panic!("expected Error::Connection, got {error:?}");
        };
        assert!(connection.url().starts_with(&url), "{}", connection.url());
        let text = error.to_string();
        assert!(text.contains(&url) && !text.contains(TOKEN), "{text}");
    }
}
