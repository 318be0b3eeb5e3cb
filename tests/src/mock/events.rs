//! Beeper's mocked live-events socket: the subscription the client sends is
//! checked, typed events arrive typed, a cut connection is reconnected with the
//! subscription sent again, and a close code reaches the stream.

use std::time::Duration;

use beeper_desktop_api::events::{Event, EventError, EventStream, Item};
use beeper_desktop_api::mock::{MockServer, TEST_TOKEN};
use futures_util::StreamExt;
use serde_json::json;

use crate::ws_server::within;

fn ready() -> Event {
    serde_json::from_value(json!({"type": "ready", "version": 1, "chatIDs": []})).expect("ready")
}

fn upserted(seq: u64) -> Event {
    serde_json::from_value(json!({
        "type": "message.upserted",
        "seq": seq,
        "ts": "2026-12-01T10:00:00Z",
        "chatID": "!chat:beeper.com",
        "ids": ["$m1"],
    }))
    .expect("message.upserted")
}

async fn next(stream: &mut EventStream<Event>) -> Result<Item<Event>, EventError> {
    within("an item from the event stream", stream.next())
        .await
        .expect("the stream ended early")
}

/// A client whose reconnects do not wait.
fn client(server: &MockServer) -> beeper_desktop_api::Client {
    server
        .client_builder()
        .max_retries(2)
        .retry_base_delay(Duration::from_millis(1))
        .retry_max_delay(Duration::from_millis(5))
        .build()
        .expect("a valid client")
}

#[tokio::test]
async fn the_mock_socket_checks_the_subscription_and_sends_typed_events() {
    let server = MockServer::start().await;
    let mut socket = server.events();
    let mut stream = client(&server).events().subscribe(["!chat:beeper.com"]);
    let polled = tokio::spawn(async move {
        let first = next(&mut stream).await;
        (stream, first)
    });
    let mut connection = socket.accept().await;
    assert_eq!(connection.request().path(), "/v1/ws");
    assert_eq!(
        connection.request().header("authorization"),
        Some(format!("Bearer {TEST_TOKEN}").as_str())
    );
    connection.send(&ready()).await.expect("ready goes out");
    connection.expect_subscription(&["!chat:beeper.com"]).await;
    let (mut stream, first) = within("the first event", polled).await.expect("task");
    assert!(
        matches!(first, Ok(Item::Event(Event::Ready(_)))),
        "{first:?}"
    );
    connection
        .send(&upserted(1))
        .await
        .expect("an event goes out");
    match next(&mut stream).await {
        Ok(Item::Event(Event::MessageUpserted(event))) => assert_eq!(event.seq, 1),
        other => panic!("expected message.upserted, got {other:?}"),
    }
    connection
        .send_text(r#"{"type":"message.upserted","seq":"not a number"}"#)
        .await
        .expect("a bad frame goes out");
    assert!(matches!(
        next(&mut stream).await,
        Err(EventError::Decode(_))
    ));
}

#[tokio::test]
async fn a_cut_connection_is_reconnected_and_the_subscription_sent_again() {
    let server = MockServer::start().await;
    let mut socket = server.events();
    let mut stream = client(&server).events().subscribe(["*"]);
    let polled = tokio::spawn(async move {
        let first = next(&mut stream).await;
        (stream, first)
    });
    let mut connection = socket.accept().await;
    connection.send(&ready()).await.expect("ready goes out");
    connection.expect_subscription(&["*"]).await;
    let (mut stream, _ready) = within("the first event", polled).await.expect("task");
    connection.cut();
    let mut again = socket.accept().await;
    again.send(&ready()).await.expect("ready goes out again");
    again.expect_subscription(&["*"]).await;
    let mut reconnected = false;
    for _ in 0..3 {
        if let Ok(Item::Reconnected { .. }) = next(&mut stream).await {
            reconnected = true;
            break;
        }
    }
    assert!(reconnected, "the stream says it reconnected");
    again
        .send(&upserted(2))
        .await
        .expect("an event after the reconnect");
    let event = loop {
        match next(&mut stream).await {
            Ok(Item::Event(Event::MessageUpserted(event))) => break event,
            Ok(_) => continue,
            Err(error) => panic!("unexpected {error:?}"),
        }
    };
    assert_eq!(event.seq, 2);
}

#[tokio::test]
async fn an_application_close_code_ends_the_stream() {
    let server = MockServer::start().await;
    let mut socket = server.events();
    let mut stream = client(&server).events().subscribe(["*"]);
    let polled = tokio::spawn(async move {
        let first = next(&mut stream).await;
        (stream, first)
    });
    let mut connection = socket.accept().await;
    connection.send(&ready()).await.expect("ready goes out");
    connection.expect_subscription(&["*"]).await;
    let (mut stream, _ready) = within("the first event", polled).await.expect("task");
    connection
        .close(4001, "token revoked")
        .await
        .expect("the close goes out");
    match next(&mut stream).await {
        Err(EventError::Closed(close)) => assert_eq!(close.code, 4001),
        other => panic!("expected the close to end the stream, got {other:?}"),
    }
}

#[tokio::test]
async fn without_a_mocked_socket_the_upgrade_is_answered_501() {
    let server = MockServer::start().await;
    let mut stream = server.client().events().max_reconnects(0).subscribe(["*"]);
    let end = next(&mut stream).await;
    assert!(end.is_err(), "{end:?}");
    assert_eq!(server.received()[0].path(), "/v1/ws");
}
