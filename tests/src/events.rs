//! The live-events stream of the generated Beeper crate (`client.events()`)
//! against a real WebSocket server on 127.0.0.1 ([`crate::ws_server`]): the
//! upgrade request, subscriptions, typed and unknown events, pings both ways,
//! a silent peer, close frames and their codes, reconnects and their growing
//! backoff, a slow reader, refusals, frames that do not decode, timeouts and
//! closing on drop.
//!
//! Retries wait a millisecond here, and every wait is bounded.

use std::time::Duration;

use beeper_desktop_api::events::{Event, EventError, EventStream, Item};
use beeper_desktop_api::{Client, Error};
use futures_util::StreamExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use crate::ws_server::{within, WsServer};

const READY: &str = r#"{"type":"ready","version":1,"chatIDs":[]}"#;

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .token("test-token")
        .max_retries(1)
        .retry_base_delay(Duration::from_millis(1))
        .retry_max_delay(Duration::from_millis(5))
        .build()
        .expect("a valid client")
}

fn header<'a>(
    headers: &'a tokio_tungstenite::tungstenite::http::HeaderMap,
    name: &str,
) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn next(stream: &mut EventStream<Event>) -> Result<Item<Event>, EventError> {
    within("an item from the event stream", stream.next())
        .await
        .expect("the stream ended early")
}

async fn next_event(stream: &mut EventStream<Event>) -> Event {
    match next(stream).await {
        Ok(Item::Event(event)) => event,
        other => panic!("expected an event, got {other:?}"),
    }
}

fn domain_event(kind: &str, seq: u64) -> String {
    json!({
        "type": kind,
        "seq": seq,
        "ts": "2026-12-01T10:00:00Z",
        "chatID": "!chat:beeper.com",
        "ids": ["$m1", "$m2"],
    })
    .to_string()
}

#[tokio::test]
async fn ready_then_subscription_then_typed_events() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    // Nothing connects before the first poll.
    let polled = tokio::spawn(async move {
        let first = next_event(&mut stream).await;
        (stream, first)
    });
    let mut connection = server.accept().await;
    assert_eq!(connection.path, "/v1/ws");
    assert_eq!(
        header(&connection.headers, "authorization"),
        Some("Bearer test-token")
    );
    let agent = header(&connection.headers, "user-agent").unwrap_or_default();
    assert!(agent.starts_with("beeper-desktop-api/"), "{agent}");
    connection.send_text(READY).await;
    let subscribe = connection.next_json().await;
    assert_eq!(
        subscribe,
        json!({"type": "subscriptions.set", "chatIDs": ["*"]})
    );
    let (mut stream, first) = within("the first event", polled).await.expect("task");
    assert!(
        matches!(&first, Event::Ready(ready) if ready.chat_ids.is_empty()),
        "{first:?}"
    );

    connection
        .send_text(r#"{"type":"subscriptions.updated","chatIDs":["*"]}"#)
        .await;
    let updated = next_event(&mut stream).await;
    assert!(matches!(&updated, Event::SubscriptionsUpdated(u) if u.chat_ids == ["*"]));
    for (seq, kind) in [
        "chat.upserted",
        "chat.deleted",
        "message.upserted",
        "message.deleted",
    ]
    .into_iter()
    .enumerate()
    {
        connection.send_text(&domain_event(kind, seq as u64)).await;
    }
    match next_event(&mut stream).await {
        Event::ChatUpserted(e) => {
            assert_eq!((e.seq, e.chat_id.as_str()), (0, "!chat:beeper.com"));
            assert_eq!(e.ts.to_rfc3339(), "2026-12-01T10:00:00+00:00");
        }
        other => panic!("expected chat.upserted, got {other:?}"),
    }
    assert!(matches!(next_event(&mut stream).await, Event::ChatDeleted(e) if e.seq == 1));
    match next_event(&mut stream).await {
        Event::MessageUpserted(e) => assert_eq!(e.ids, ["$m1", "$m2"]),
        other => panic!("expected message.upserted, got {other:?}"),
    }
    assert!(matches!(next_event(&mut stream).await, Event::MessageDeleted(e) if e.seq == 3));
    connection
        .send_text(r#"{"type":"error","code":"NOT_SUBSCRIBED","message":"no such chat"}"#)
        .await;
    assert!(
        matches!(next_event(&mut stream).await, Event::Error(e) if e.message == "no such chat")
    );

    // A new subscription on the live stream goes out at once.
    stream.set_subscription(["!a:beeper.com", "!b:beeper.com"]);
    let changed = connection.next_json().await;
    assert_eq!(
        changed["chatIDs"],
        json!(["!a:beeper.com", "!b:beeper.com"])
    );
}

#[tokio::test]
async fn an_unknown_event_type_is_kept_as_other() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    let reader = tokio::spawn(async move { next_event(&mut stream).await });
    let mut connection = server.accept().await;
    let unknown = r#"{"type":"app.state.updated","state":"locked"}"#;
    connection.send_text(unknown).await;
    match within("the unknown event", reader).await.expect("task") {
        Event::Other(value) => {
            assert_eq!(
                value,
                serde_json::from_str::<serde_json::Value>(unknown).expect("json")
            )
        }
        other => panic!("expected Other, got {other:?}"),
    }
}

#[tokio::test]
async fn a_frame_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    let reader = tokio::spawn(async move {
        let bad = next(&mut stream).await;
        let wrong_shape = next(&mut stream).await;
        let good = next_event(&mut stream).await;
        (bad, wrong_shape, good)
    });
    let mut connection = server.accept().await;
    connection.send_text("this is not {json").await;
    // The right tag with a field of the wrong type.
    connection
        .send_text(r#"{"type":"chat.deleted","seq":"first","ts":"x","chatID":"c","ids":[]}"#)
        .await;
    connection.send_text(READY).await;
    let (bad, wrong_shape, good) = within("three items", reader).await.expect("task");
    match bad {
        Err(EventError::Decode(frame)) => {
            assert_eq!(frame.raw, "this is not {json");
            assert!(frame.to_string().contains("this is not {json"), "{frame}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(matches!(&wrong_shape, Err(EventError::Decode(f)) if f.raw.contains("\"first\"")));
    assert!(matches!(good, Event::Ready(_)));
}

#[tokio::test]
async fn a_dropped_connection_reconnects_resubscribes_and_says_so() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url)
        .events()
        .subscribe(["!a:beeper.com"]);
    let reader = tokio::spawn(async move {
        let first = next_event(&mut stream).await;
        (stream, first)
    });
    let mut first = server.accept().await;
    assert_eq!(first.next_json().await["chatIDs"], json!(["!a:beeper.com"]));
    first.send_text(&domain_event("chat.upserted", 7)).await;
    let (mut stream, event) = within("the first event", reader).await.expect("task");
    assert!(matches!(event, Event::ChatUpserted(e) if e.seq == 7));

    // The subscription changes, then the server goes away without a close frame.
    stream.set_subscription(["!b:beeper.com"]);
    assert_eq!(first.next_json().await["chatIDs"], json!(["!b:beeper.com"]));
    first.drop_abruptly();
    let reader = tokio::spawn(async move {
        let reconnected = next(&mut stream).await;
        let after = next_event(&mut stream).await;
        (stream, reconnected, after)
    });
    let mut second = server.accept().await;
    assert_eq!(
        header(&second.headers, "authorization"),
        Some("Bearer test-token")
    );
    // The current subscription is sent again on the new connection.
    assert_eq!(
        second.next_json().await["chatIDs"],
        json!(["!b:beeper.com"])
    );
    second.send_text(&domain_event("message.upserted", 0)).await;
    let (_stream, reconnected, after) = within("reconnect", reader).await.expect("task");
    assert!(
        matches!(reconnected, Ok(Item::Reconnected { attempts: 1 })),
        "{reconnected:?}"
    );
    // Sequence numbers start again on the new connection.
    assert!(matches!(after, Event::MessageUpserted(e) if e.seq == 0));
    assert_eq!(server.attempts(), 2);
}

/// A close frame with `code` and `reason`.
fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    }))
}

#[tokio::test]
async fn a_close_frame_reaches_the_caller_and_the_stream_reconnects() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    let reader = tokio::spawn(async move { (next(&mut stream).await, next(&mut stream).await) });
    let mut first = server.accept().await;
    first.next_json().await;
    first.send(close(1001, "restarting")).await;
    let mut second = server.accept().await;
    second.next_json().await;
    let (closed, reconnected) = within("the close and the reconnect", reader)
        .await
        .expect("task");
    assert!(
        matches!(&closed, Ok(Item::Closed { code: 1001, reason }) if reason == "restarting"),
        "{closed:?}"
    );
    assert!(
        matches!(reconnected, Ok(Item::Reconnected { .. })),
        "{reconnected:?}"
    );
}

#[tokio::test]
async fn policy_and_application_close_codes_end_the_stream_with_a_typed_error() {
    for (code, reason) in [(1008, "token revoked"), (4001, "unauthorized")] {
        let mut server = WsServer::start().await;
        let mut stream = client(&server.base_url).events().subscribe(["*"]);
        let reader = tokio::spawn(async move {
            let item = next(&mut stream).await;
            let end = within("the end of the stream", stream.next()).await;
            (item, end.is_none())
        });
        let mut connection = server.accept().await;
        connection.next_json().await;
        connection.send(close(code, reason)).await;
        let (item, ended) = within("the close", reader).await.expect("task");
        match item {
            Err(EventError::Closed(close)) => {
                assert_eq!((close.code, close.reason.as_str()), (code, reason));
                let text = EventError::Closed(close).to_string();
                assert!(
                    text.contains(&code.to_string()) && text.contains(reason),
                    "{text}"
                );
            }
            other => panic!("expected a close error for {code}, got {other:?}"),
        }
        assert!(ended, "the stream ends after {code}");
        assert_eq!(server.attempts(), 1, "{code} is not reconnected");
    }
}

#[tokio::test]
async fn a_silent_peer_is_noticed_by_its_missing_pongs_and_the_stream_reconnects() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url)
        .events()
        .keepalive(Duration::from_millis(50))
        .idle_timeout(Duration::from_millis(300))
        .subscribe(["*"]);
    let reader = tokio::spawn(async move {
        let item = next(&mut stream).await;
        (stream, item)
    });
    // The first server reads the subscription, then neither reads nor writes
    // again: the TCP connection stays open, and pings go unanswered.
    let mut silent = server.accept().await;
    silent.next_json().await;
    let mut second = server.accept().await;
    second.next_json().await;
    let (_stream, item) = within("the reconnect", reader).await.expect("task");
    assert!(matches!(item, Ok(Item::Reconnected { .. })), "{item:?}");
    // The client pings the new connection too.
    let frame = second.next().await;
    assert!(matches!(frame, Some(Message::Ping(_))), "{frame:?}");
    drop(silent);
}

#[tokio::test]
async fn a_server_that_accepts_and_drops_is_asked_less_and_less_often() {
    let mut server = WsServer::start().await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .token("test-token")
        .retry_base_delay(Duration::from_millis(20))
        .retry_max_delay(Duration::from_secs(2))
        .build()
        .expect("a valid client");
    let mut stream = client.events().subscribe(["*"]);
    let reader = tokio::spawn(async move {
        // Closed and Reconnected for each of the drops.
        for _ in 0..8 {
            let _ = next(&mut stream).await;
        }
        stream
    });
    let mut accepted = Vec::new();
    for _ in 0..5 {
        let mut connection = server.accept().await;
        accepted.push(std::time::Instant::now());
        connection.next_json().await;
        connection.send(close(1000, "")).await;
    }
    let gaps: Vec<Duration> = accepted.windows(2).map(|w| w[1] - w[0]).collect();
    // Waits of 20, 40, 80 and 160 ms (less up to a quarter of jitter), where
    // a backoff that started over at each successful upgrade waited 20 ms each time.
    assert!(gaps[3] >= Duration::from_millis(110), "{gaps:?}");
    assert!(gaps[3] > gaps[0] * 2, "{gaps:?}");
    drop(within("the items", reader).await);
}

#[tokio::test]
async fn a_slow_reader_does_not_stop_pongs_from_being_answered() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let reader = tokio::spawn(async move {
        let first = next_event(&mut stream).await;
        // Holds the stream without reading it until the test is done.
        let _ = stopped.await;
        (stream, first)
    });
    let mut connection = server.accept().await;
    connection.next_json().await;
    connection.send_text(READY).await;
    // Far more than the stream buffers, then a ping.
    for seq in 0..300 {
        connection
            .send_text(&domain_event("chat.upserted", seq))
            .await;
    }
    connection
        .send(Message::Ping(b"still there?".to_vec().into()))
        .await;
    loop {
        match connection.next().await {
            Some(Message::Pong(payload)) => {
                assert_eq!(&payload[..], b"still there?");
                break;
            }
            Some(Message::Ping(_)) => continue,
            other => panic!("expected a pong, got {other:?}"),
        }
    }
    let _ = stop.send(());
    let (mut stream, first) = within("the reader", reader).await.expect("task");
    assert!(matches!(first, Event::Ready(_)));
    // Nothing was lost meanwhile: the held events come in order.
    for seq in 0..300 {
        assert!(matches!(next_event(&mut stream).await, Event::ChatUpserted(e) if e.seq == seq));
    }
}

#[tokio::test]
async fn a_refused_upgrade_is_a_typed_authentication_error_and_is_not_retried() {
    let body = r#"{"message":"bad token","code":"UNAUTHORIZED"}"#;
    let server = WsServer::refusing(401, body).await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    let item = within("the refusal", stream.next()).await;
    match item {
        Some(Err(EventError::Rejected(error))) => {
            let Error::Authentication(api) = *error else {
                panic!("expected Authentication, got {error:?}");
            };
            assert_eq!(api.status, 401);
            assert_eq!(api.message(), Some("bad token"));
            assert_eq!(api.raw, body);
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert!(within("the end of the stream", stream.next())
        .await
        .is_none());
    assert_eq!(server.attempts(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn a_503_upgrade_is_retried_with_backoff_then_reported() {
    let server = WsServer::refusing(503, r#"{"message":"starting","code":"BUSY"}"#).await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    let item = within("the refusal", stream.next()).await;
    assert!(
        matches!(&item, Some(Err(EventError::Rejected(e))) if matches!(**e, Error::InternalServer(_))),
        "{item:?}"
    );
    // max_retries(1): the first attempt and one retry.
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn pings_are_answered() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    let reader = tokio::spawn(async move { next_event(&mut stream).await });
    let mut connection = server.accept().await;
    connection.next_json().await;
    connection
        .send(Message::Ping(b"are you there".to_vec().into()))
        .await;
    match connection.next().await {
        Some(Message::Pong(payload)) => assert_eq!(&payload[..], b"are you there"),
        other => panic!("expected a pong, got {other:?}"),
    }
    connection.send_text(READY).await;
    assert!(matches!(
        within("ready", reader).await.expect("task"),
        Event::Ready(_)
    ));
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let mut server = WsServer::start().await;
    let mut stream = client(&server.base_url).events().subscribe(["*"]);
    let reader = tokio::spawn(async move {
        let event = next_event(&mut stream).await;
        drop(stream);
        event
    });
    let mut connection = server.accept().await;
    connection.next_json().await;
    connection.send_text(READY).await;
    within("ready", reader).await.expect("task");
    // The client says goodbye with a close frame, not by hanging up.
    let frame = connection.next().await;
    assert!(matches!(frame, Some(Message::Close(_))), "{frame:?}");
    assert_eq!(
        server.attempts(),
        1,
        "no reconnect after the stream is dropped"
    );
}

#[tokio::test]
async fn no_server_is_a_connection_error_after_the_retries() {
    // A port that was free a moment ago: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let mut stream = client(&format!("http://{address}"))
        .events()
        .subscribe(["*"]);
    let item = within("the connection error", stream.next()).await;
    match item {
        Some(Err(error @ EventError::Connection(_))) => {
            let text = error.to_string();
            assert!(text.contains(&format!("ws://{address}/v1/ws")), "{text}");
        }
        other => panic!("expected a connection error, got {other:?}"),
    }
    assert!(within("the end", stream.next()).await.is_none());
}

#[tokio::test]
async fn a_silent_server_is_a_timeout() {
    // Accepts TCP connections and never answers the upgrade.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mut stream = client(&format!("http://{address}"))
        .events()
        .connect_timeout(Duration::from_millis(50))
        .subscribe(["*"]);
    let item = within("the timeout", stream.next()).await;
    assert!(
        matches!(&item, Some(Err(EventError::Timeout(e))) if e.timeout == Some(Duration::from_millis(50))),
        "{item:?}"
    );
    hold.abort();
}

#[tokio::test]
async fn the_events_feature_uses_the_base_url_path_and_https_becomes_wss() {
    // A base URL with a path keeps it; nothing listens, so the error names the URL.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let base = format!("http://{address}/prefix/");
    let mut stream = client(&base).events().subscribe(Vec::<String>::new());
    let item = within("the connection error", stream.next()).await;
    let Some(Err(error)) = item else {
        panic!("expected an error, got {item:?}");
    };
    let text = error.to_string();
    assert!(
        text.contains(&format!("ws://{address}/prefix/v1/ws")),
        "{text}"
    );
}

#[test]
fn polled_outside_a_tokio_runtime_the_stream_ends_with_an_error_not_a_panic() {
    use futures_util::Stream;
    use std::task::{Context, Poll, Waker};

    let mut stream = client("http://127.0.0.1:9").events().subscribe(["*"]);
    let mut context = Context::from_waker(Waker::noop());
    let mut poll = || std::pin::Pin::new(&mut stream).poll_next(&mut context);
    match poll() {
        Poll::Ready(Some(Err(EventError::Build(error)))) => {
            assert!(error.to_string().contains("tokio runtime"), "{error}")
        }
        other => panic!("expected a build error, got {other:?}"),
    }
    assert!(matches!(poll(), Poll::Ready(None)));
}
