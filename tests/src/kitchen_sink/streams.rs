//! Typed streams against the scripted server: Server-Sent Events written a byte
//! at a time, `[DONE]`, an item that does not decode, reconnection with
//! `Last-Event-ID`, JSON Lines with a partial last line, JSON text sequences,
//! the JSON-or-stream choice by `Accept`, and 3.2 event unions. The 100,000-event
//! memory bound is in `tests/memory`.

use std::time::Duration;

use futures_util::StreamExt;
use kitchen_sink_api::types::{CreateCompletionEvent, Progress};
use kitchen_sink_api::{Client, Error, StreamError};

use super::*;

fn sse(body: &str) -> Reply {
    Reply::raw(200, "text/event-stream", body)
}

/// Every item of a stream, as `Ok(n)` or the error's text.
async fn ticks_of(
    stream: kitchen_sink_api::ItemStream<kitchen_sink_api::SseEvent<kitchen_sink_api::types::Tick>>,
) -> Vec<Result<i64, String>> {
    stream
        .map(|item| item.map(|event| event.data.n).map_err(|e| e.to_string()))
        .collect()
        .await
}

#[tokio::test]
async fn events_written_a_byte_at_a_time_arrive_typed_after_the_status_and_headers() {
    let body = "\u{feff}: hello\r\nid: 1\r\ndata: {\"n\":\r\ndata: 1}\r\n\r\nevent: tick\rdata: {\"n\":2,\"note\":\"é\"}\r\rretry: 40\ndata: {\"n\":3}\n\ndata: half";
    let reply = sse(body).header("x-kind", "ticks").in_pieces(1);
    let (server, client) = setup([reply]).await;
    let mut stream = client
        .streams()
        .ticks()
        .count(3)
        .send()
        .await
        .expect("the stream's headers");
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.header("x-kind"), Some("ticks"));
    let first = stream.next().await.expect("an item").expect("it decodes");
    assert_eq!(
        (first.data.n, first.id(), first.kind()),
        (1, Some("1"), "message")
    );
    assert_eq!(first.raw.data, "{\"n\":\n1}");
    let second = stream.next().await.expect("an item").expect("it decodes");
    assert_eq!((second.data.n, second.kind()), (2, "tick"));
    assert_eq!(second.data.note.as_deref(), Some("é"));
    let third = stream.next().await.expect("an item").expect("it decodes");
    assert_eq!(third.raw.retry, Some(Duration::from_millis(40)));
    // The half event at the end is dropped, as WHATWG says.
    assert!(stream.next().await.is_none());
    let request = only_request(&server);
    assert_eq!(
        request.request_line(),
        "GET /streams/ticks?count=3 HTTP/1.1"
    );
    assert_eq!(
        request.header("accept"),
        Some("text/event-stream, application/json")
    );
}

#[tokio::test]
async fn done_ends_the_stream_and_an_item_that_does_not_decode_keeps_its_text() {
    let body = "data: {\"n\":1}\n\nevent: tick\ndata: {\"n\":\"one\"}\n\ndata: {\"n\":3}\n\ndata: [DONE]\n\ndata: {\"n\":4}\n\n";
    let (_server, client) = setup([sse(body)]).await;
    let mut stream = client
        .streams()
        .ticks()
        .send()
        .await
        .expect("the stream's headers");
    assert_eq!(
        stream.next().await.map(|item| item.map(|e| e.data.n).ok()),
        Some(Some(1))
    );
    match stream.next().await {
        Some(Err(StreamError::Item(error))) => {
            assert_eq!(error.raw, "{\"n\":\"one\"}");
            assert_eq!(error.event.as_deref(), Some("tick"));
            assert_eq!(error.path, "n");
        }
        other => panic!("expected an error item, got {other:?}"),
    }
    assert_eq!(
        stream.next().await.map(|item| item.map(|e| e.data.n).ok()),
        Some(Some(3))
    );
    assert!(stream.next().await.is_none(), "[DONE] ends the stream");
}

#[tokio::test]
async fn text_events_keep_their_data_as_it_came() {
    let (_server, client) = setup([sse("data: not json\ndata: \"at all\"\n\n")]).await;
    let stream = client
        .streams()
        .log()
        .send()
        .await
        .expect("the stream's headers");
    let lines: Vec<String> = stream
        .map(|e| e.expect("text always decodes").data)
        .collect()
        .await;
    assert_eq!(lines, ["not json\n\"at all\""]);
}

#[tokio::test]
async fn a_get_event_stream_reconnects_with_the_last_event_id_when_asked() {
    let script = [
        sse("retry: 5\nid: 7\ndata: {\"n\":1}\n\n"),
        // The connection breaks in the middle of the second answer.
        sse("id: 8\ndata: {\"n\":2}\n\ndata: {\"n\":").cut(),
        sse("data: {\"n\":3}\n\ndata: [DONE]\n\n"),
    ];
    let (server, client) = setup(script).await;
    let stream = client
        .streams()
        .ticks()
        .send()
        .await
        .expect("the stream's headers");
    assert!(stream.can_reconnect());
    let got = ticks_of(stream.reconnect(3)).await;
    assert_eq!(got, [Ok(1), Ok(2), Ok(3)]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].header("last-event-id"), None);
    assert_eq!(requests[1].header("last-event-id"), Some("7"));
    assert_eq!(requests[2].header("last-event-id"), Some("8"));
}

#[tokio::test]
async fn without_reconnect_a_broken_stream_ends_with_a_connection_error() {
    let (server, client) = setup([sse("data: {\"n\":1}\n\ndata: {").cut()]).await;
    let stream = client
        .streams()
        .ticks()
        .send()
        .await
        .expect("the stream's headers");
    let got = ticks_of(stream).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], Ok(1));
    assert!(
        got[1].as_ref().is_err_and(|e| e.contains("broke")),
        "{got:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn reconnecting_gives_up_after_the_attempts_allowed() {
    let script = [
        sse("retry: 1\ndata: {\"n\":1}\n\n"),
        Reply::empty(404),
        Reply::empty(404),
    ];
    let (server, client) = setup(script).await;
    let stream = client
        .streams()
        .ticks()
        .send()
        .await
        .expect("the stream's headers");
    let got = ticks_of(stream.reconnect(2)).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[1]
            .as_ref()
            .is_err_and(|e| e.contains("could not reconnect")),
        "{got:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_post_stream_never_reconnects() {
    let reply = Reply::raw(200, "application/x-ndjson", "{\"status\":\"a\"}\n");
    let (server, client) = setup([reply]).await;
    let stream = client
        .streams()
        .pull()
        .send()
        .await
        .expect("the stream's headers");
    assert!(!stream.can_reconnect());
    assert_eq!(stream.reconnect(5).count().await, 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn json_lines_decode_each_line_and_a_partial_last_line_is_an_error_item() {
    let body = "{\"status\":\"a\"}\r\n\n{\"status\":\"b\",\"completed\":2}\n{\"status\":\"c\"";
    let reply = Reply::raw(200, "application/x-ndjson", body).in_pieces(7);
    let (server, client) = setup([reply]).await;
    let items: Vec<_> = client
        .streams()
        .pull()
        .send()
        .await
        .expect("headers")
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    let progress = |status: &str, completed| Progress {
        status: status.to_owned(),
        completed,
    };
    assert_eq!(items[0].as_ref().ok(), Some(&progress("a", None)));
    assert_eq!(items[1].as_ref().ok(), Some(&progress("b", Some(2))));
    assert!(matches!(&items[2], Err(StreamError::Item(e)) if e.raw == "{\"status\":\"c\""));
    assert_eq!(
        only_request(&server).header("accept"),
        Some("application/x-ndjson, application/json")
    );

    // A complete last line without its line end is an item like the others.
    let reply = Reply::raw(
        200,
        "application/x-ndjson",
        "{\"status\":\"a\"}\n{\"status\":\"b\"}",
    );
    let (_server, client) = setup([reply]).await;
    let items: Vec<_> = client
        .streams()
        .pull()
        .send()
        .await
        .expect("headers")
        .collect()
        .await;
    assert!(
        items.iter().all(Result::is_ok) && items.len() == 2,
        "{items:?}"
    );
}

#[tokio::test]
async fn json_text_sequences_split_at_the_record_separator() {
    let body = "\u{1e}{\"status\":\"a\"}\n\u{1e}{\"status\":\"b\"}\n";
    let (_server, client) = setup([Reply::raw(200, "application/json-seq", body)]).await;
    let items: Vec<Progress> = client
        .streams()
        .records()
        .send()
        .await
        .expect("headers")
        .map(|item| item.expect("each record decodes"))
        .collect()
        .await;
    assert_eq!(
        items.iter().map(|p| p.status.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
}

#[tokio::test]
async fn the_plain_call_takes_json_and_the_stream_twin_asks_for_events() {
    let events =
        "event: delta\ndata: {\"text\":\"Hel\"}\n\nevent: delta\ndata: {\"text\":\"lo\"}\n\n\
                  event: usage\ndata: {\"tokens\":2}\n\nevent: note\ndata: plain text\n\n\
                  event: surprise\ndata: {}\n\ndata: [DONE]\n\n";
    let script = [
        Reply::json(200, &serde_json::json!({"text": "Hello"})),
        sse(events),
    ];
    let (server, client) = setup(script).await;
    let whole = client
        .streams()
        .complete("Say hello")
        .send()
        .await
        .expect("the JSON answer");
    assert_eq!(whole.text, "Hello");
    let stream = client
        .streams()
        .complete_stream("Say hello")
        .send()
        .await
        .expect("the headers");
    let items: Vec<_> = stream.collect().await;
    let data: Vec<&CreateCompletionEvent> = items
        .iter()
        .filter_map(|i| i.as_ref().ok())
        .map(|e| &e.data)
        .collect();
    assert_eq!(data.len(), 4, "{items:?}");
    let text: String = data
        .iter()
        .filter_map(|d| match d {
            CreateCompletionEvent::Delta(delta) => Some(delta.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(text, "Hello");
    assert!(matches!(data[2], CreateCompletionEvent::Usage(usage) if usage.tokens == 2));
    assert_eq!(
        *data[3],
        CreateCompletionEvent::Note("plain text".to_owned())
    );
    match &items[4] {
        Err(StreamError::Item(error)) => {
            assert_eq!(error.event.as_deref(), Some("surprise"));
            assert!(
                error.message.contains("delta, usage, note"),
                "{}",
                error.message
            );
        }
        other => panic!("an unknown kind is an error item, got {other:?}"),
    }
    assert_eq!(items.len(), 5);
    let requests = server.requests();
    assert_eq!(requests[0].header("accept"), Some("application/json"));
    assert_eq!(
        requests[1].header("accept"),
        Some("text/event-stream, application/json")
    );
    // The body's `stream` flag says the same as `Accept`, for servers that read it.
    let body = |i: usize| requests[i].body_json().expect("a JSON body");
    assert_eq!(
        body(0),
        serde_json::json!({"prompt": "Say hello", "stream": false})
    );
    assert_eq!(
        body(1),
        serde_json::json!({"prompt": "Say hello", "stream": true})
    );
}

#[tokio::test]
async fn a_stream_call_is_retried_until_the_headers_and_never_after_the_first_byte() {
    let server =
        TestServer::start([Reply::empty(503), sse("data: {\"n\":1}\n\ndata: {").cut()]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .max_retries(2)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .expect("a valid client");
    let got = ticks_of(
        client
            .streams()
            .ticks()
            .send()
            .await
            .expect("headers after a retry"),
    )
    .await;
    assert_eq!(got.len(), 2);
    assert_eq!(
        server.requests().len(),
        2,
        "the broken body was not retried"
    );

    let (_server, client) = setup([Reply::json(
        404,
        &serde_json::json!({"message": "no ticks"}),
    )])
    .await;
    let error = client
        .streams()
        .ticks()
        .send()
        .await
        .expect_err("a 404 is an error");
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
}
