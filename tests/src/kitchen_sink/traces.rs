//! The `tracing` spans and events of the client, captured by a layer of the
//! test's own: each call is a `request` span with its operation, method, path
//! template, attempt, status and duration; each retry an event with its reason
//! and wait; the token never appears and IDs only at `debug`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use super::*;

/// One span or event as the layer saw it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    kind: &'static str,
    name: String,
    level: Level,
    fields: BTreeMap<String, String>,
}

/// Every span and event seen, for tests that look for what must not be there.
#[derive(Clone, Default)]
pub(super) struct Capture {
    spans: Arc<Mutex<BTreeMap<u64, Seen>>>,
    events: Arc<Mutex<Vec<Seen>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Capture {
    /// Every field of every span and event, as text.
    pub(super) fn everything(&self) -> String {
        let spans = self.spans.lock().unwrap_or_else(PoisonError::into_inner);
        let events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        format!("{:?} {:?}", spans.values().collect::<Vec<_>>(), *events)
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let seen = Seen {
            kind: "span",
            name: attrs.metadata().name().to_owned(),
            level: *attrs.metadata().level(),
            fields,
        };
        let mut spans = self.spans.lock().unwrap_or_else(PoisonError::into_inner);
        spans.insert(id.into_u64(), seen);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut spans = self.spans.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(seen) = spans.get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut seen.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let seen = Seen {
            kind: "event",
            name: event.metadata().name().to_owned(),
            level: *event.metadata().level(),
            fields,
        };
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(seen);
    }
}

#[tokio::test]
async fn each_call_is_a_span_and_each_retry_an_event_without_the_token_or_ids_at_info() {
    let server = TestServer::start([
        Reply::empty(503).header("retry-after-ms", "5"),
        Reply::raw(200, "application/octet-stream", "stored"),
    ])
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .expect("a valid client");
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let answer = client
        .blobs()
        .put("secret-id-42", b"x".to_vec())
        .send()
        .await
        .expect("the retry answers");
    assert_eq!(answer, b"stored");

    let spans: Vec<Seen> = capture
        .spans
        .lock()
        .expect("not poisoned")
        .values()
        .cloned()
        .collect();
    let [span] = &spans[..] else {
        panic!("one span per call: {spans:#?}");
    };
    assert_eq!((span.name.as_str(), span.level), ("request", Level::INFO));
    let field = |name: &str| span.fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("putBlob"));
    assert_eq!(field("method"), Some("PUT"));
    assert_eq!(field("path"), Some("/blobs/{name}"));
    assert_eq!(field("attempt"), Some("1"));
    assert_eq!(field("status"), Some("200"));
    let duration: u64 = field("duration_ms")
        .and_then(|d| d.parse().ok())
        .expect("a duration");
    assert!(
        duration >= 5,
        "the call waited 5 ms before its retry: {duration}"
    );

    let events = capture.events.lock().expect("not poisoned").clone();
    let retries: Vec<&Seen> = events
        .iter()
        .filter(|e| e.fields.get("message").is_some_and(|m| m == "retrying"))
        .collect();
    let [retry] = &retries[..] else {
        panic!("one retry event: {events:#?}");
    };
    assert_eq!(retry.level, Level::INFO);
    assert_eq!(
        retry.fields.get("reason").map(String::as_str),
        Some("status 503")
    );
    assert_eq!(retry.fields.get("wait_ms").map(String::as_str), Some("5"));
    assert_eq!(retry.fields.get("attempt").map(String::as_str), Some("1"));

    let everything: Vec<&Seen> = spans.iter().chain(&events).collect();
    for seen in &everything {
        for value in seen.fields.values() {
            assert!(!value.contains(TOKEN), "the token leaked: {seen:?}");
        }
        if seen.level != Level::DEBUG && seen.level != Level::TRACE {
            let text = format!("{:?}", seen.fields);
            assert!(
                !text.contains("secret-id-42"),
                "an ID above debug: {seen:?}"
            );
        }
    }
    assert!(
        events.iter().any(|e| e.level == Level::DEBUG
            && e.fields
                .get("url")
                .is_some_and(|u| u.contains("/blobs/secret-id-42"))),
        "the URL with its ID is a debug event: {events:#?}"
    );
}
