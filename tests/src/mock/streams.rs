//! Mocked streams: typed items in each framing, a scripted stream cut in the
//! middle, an event union scripted kind by kind, and a reconnect that sends
//! `Last-Event-ID` back to a second expectation.

use std::time::Duration;

use futures_util::StreamExt;
use kitchen_sink_api::mock::{MockServer, MockStream};
use kitchen_sink_api::types::{CreateCompletionEvent, Progress, Tick};
use kitchen_sink_api::StreamError;
use serde_json::json;

fn tick(n: i64) -> Tick {
    Tick { n, note: None }
}

fn progress(status: &str) -> Progress {
    serde_json::from_value(json!({"status": status})).expect("a progress line")
}

#[tokio::test]
async fn typed_items_arrive_in_each_framing() {
    let server = MockServer::start().await;
    server
        .streams()
        .ticks()
        .count(2)
        .respond_ok([tick(1), tick(2)]);
    server
        .streams()
        .pull()
        .respond_ok([progress("pulling"), progress("done")]);
    server.streams().records().respond_ok([progress("a")]);
    server
        .streams()
        .log()
        .respond_ok(["first line", "second\nline"]);
    let client = server.client();
    let ticks: Vec<i64> = client
        .streams()
        .ticks()
        .count(2)
        .send()
        .await
        .expect("the stream")
        .map(|event| event.expect("a tick").data.n)
        .collect()
        .await;
    assert_eq!(ticks, [1, 2]);
    let pulls: Vec<String> = client
        .streams()
        .pull()
        .send()
        .await
        .expect("the stream")
        .map(|line| line.expect("a line").status)
        .collect()
        .await;
    assert_eq!(pulls, ["pulling", "done"]);
    let records = client.streams().records().send().await.expect("the stream");
    assert_eq!(records.collect::<Vec<_>>().await.len(), 1);
    let log: Vec<String> = client
        .streams()
        .log()
        .send()
        .await
        .expect("the stream")
        .map(|event| event.expect("text").data)
        .collect()
        .await;
    assert_eq!(log, ["first line", "second\nline"]);
    server.verify();
}

#[tokio::test]
async fn a_scripted_cut_ends_the_stream_with_a_connection_error() {
    let server = MockServer::start().await;
    server.streams().ticks().respond_script(
        200,
        MockStream::sse()
            .item(&tick(1))
            .pause(Duration::from_millis(20))
            .raw(": a comment\n\n")
            .cut(),
    );
    let mut stream = server
        .client()
        .streams()
        .ticks()
        .send()
        .await
        .expect("the stream");
    assert_eq!(
        stream.next().await.map(|e| e.map(|e| e.data.n).ok()),
        Some(Some(1))
    );
    let end = stream.next().await.expect("an error, not the end");
    assert!(matches!(end, Err(StreamError::Connection(_))), "{end:?}");
}

#[tokio::test]
async fn an_event_stream_reconnects_to_the_next_expectation_with_the_last_event_id() {
    let server = MockServer::start().await;
    let first = server
        .streams()
        .ticks()
        .times(1)
        .respond_script(200, MockStream::sse().retry(5).id("7").item(&tick(1)).cut());
    let second = server
        .streams()
        .ticks()
        .header("last-event-id", "7")
        .respond_script(200, MockStream::sse().item(&tick(2)).done());
    let stream = server
        .client()
        .streams()
        .ticks()
        .send()
        .await
        .expect("the stream");
    let got: Vec<i64> = stream
        .reconnect(2)
        .map(|event| event.expect("a tick").data.n)
        .collect()
        .await;
    assert_eq!(got, [1, 2]);
    assert_eq!((first.hits(), second.hits()), (1, 1));
    server.verify();
}

#[tokio::test]
async fn an_event_union_is_scripted_kind_by_kind() {
    let server = MockServer::start().await;
    server.streams().complete_stream().prompt("hi").respond_ok(
        MockStream::sse()
            .event("delta", &json!({"text": "Hel"}))
            .event("delta", &json!({"text": "lo"}))
            .done(),
    );
    let events: Vec<CreateCompletionEvent> = server
        .client()
        .streams()
        .complete_stream("hi")
        .send()
        .await
        .expect("the stream")
        .map(|event| event.expect("a known kind").data)
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    assert!(matches!(&events[0], CreateCompletionEvent::Delta(delta) if delta.text == "Hel"));
}
