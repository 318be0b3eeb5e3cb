//! What an expectation answers: a [`MockResponse`] (status, headers, a body
//! or a scripted stream), an answer computed from the request, or a dropped
//! connection, each after an optional delay.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::Received;

/// An answer of the mock server.
#[derive(Debug, Clone)]
pub struct MockResponse {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: MockBody,
}

#[derive(Debug, Clone)]
pub(super) enum MockBody {
    Bytes(Bytes),
    Stream(Vec<Step>),
}

impl MockResponse {
    /// An answer with `status` and no body.
    pub fn status(status: u16) -> Self {
        MockResponse {
            status,
            headers: Vec::new(),
            body: MockBody::Bytes(Bytes::new()),
        }
    }

    /// An answer with `status` and `value` as its JSON body.
    pub fn json(status: u16, value: &impl serde::Serialize) -> Self {
        Self::json_as(status, "application/json", value)
    }

    /// An answer with `status` and `value` as its JSON body, under `content_type`.
    pub fn json_as(status: u16, content_type: &str, value: &impl serde::Serialize) -> Self {
        // Generated types and `serde_json::Value` always encode; a user type that
        // refuses is answered with its error, which the client then reports.
        let body = serde_json::to_vec(value).unwrap_or_else(|error| {
            format!("the mock could not encode its JSON: {error}").into_bytes()
        });
        Self::bytes(status, content_type, body)
    }

    /// An answer with `status` and `body` as it is, under `content_type`.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self::status(status)
            .header("content-type", content_type)
            .with_body(MockBody::Bytes(body.into()))
    }

    /// An answer with `status` and a body sent piece by piece as `stream` says.
    pub fn stream(status: u16, stream: MockStream) -> Self {
        Self::status(status)
            .header("content-type", &stream.content_type)
            .with_body(MockBody::Stream(stream.steps))
    }

    /// Adds a header (a second one of the same name is sent too).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn with_body(mut self, body: MockBody) -> Self {
        self.body = body;
        self
    }
}

/// A streamed body, item by item: Server-Sent Events, JSON Lines or JSON
/// text sequences, with pauses and a cut connection where the test wants them.
#[derive(Debug, Clone)]
pub struct MockStream {
    framing: Framing,
    content_type: String,
    steps: Vec<Step>,
    next_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Sse,
    Lines,
    JsonSeq,
}

#[derive(Debug, Clone)]
pub(super) enum Step {
    Send(Bytes),
    Pause(Duration),
    Cut,
}

impl MockStream {
    /// Server-Sent Events (`text/event-stream`).
    pub fn sse() -> Self {
        Self::new(Framing::Sse, "text/event-stream")
    }

    /// JSON Lines (`application/x-ndjson`).
    pub fn lines() -> Self {
        Self::new(Framing::Lines, "application/x-ndjson")
    }

    /// JSON text sequences (`application/json-seq`, RFC 7464).
    pub fn json_seq() -> Self {
        Self::new(Framing::JsonSeq, "application/json-seq")
    }

    fn new(framing: Framing, content_type: &str) -> Self {
        MockStream {
            framing,
            content_type: content_type.to_owned(),
            steps: Vec::new(),
            next_id: None,
        }
    }

    /// Sends the stream under another media type (such as the spec's own).
    pub fn content_type(mut self, content_type: &str) -> Self {
        self.content_type = content_type.to_owned();
        self
    }

    /// One item as JSON: an event's `data`, a line or a sequence record.
    pub fn item(self, value: &impl serde::Serialize) -> Self {
        let text = serde_json::to_string(value)
            .unwrap_or_else(|error| format!("the mock could not encode its JSON: {error}"));
        self.text(&text)
    }

    /// One item as text: an event's `data` (a line each), a line or a record.
    pub fn text(self, text: &str) -> Self {
        self.frame(None, text)
    }

    /// A Server-Sent Event of kind `event` whose `data` is `value` as JSON.
    pub fn event(self, event: &str, value: &impl serde::Serialize) -> Self {
        let text = serde_json::to_string(value)
            .unwrap_or_else(|error| format!("the mock could not encode its JSON: {error}"));
        self.frame(Some(event), &text)
    }

    /// Gives the next Server-Sent Event this `id` (what a reconnecting client
    /// sends back as `Last-Event-ID`).
    pub fn id(mut self, id: &str) -> Self {
        self.next_id = Some(id.to_owned());
        self
    }

    /// Tells a Server-Sent Events client to wait `millis` before reconnecting.
    pub fn retry(self, millis: u64) -> Self {
        self.raw(&format!("retry: {millis}\n\n"))
    }

    /// `data: [DONE]`, the end marker of OpenAI-style streams.
    pub fn done(self) -> Self {
        self.text("[DONE]")
    }

    /// Bytes sent as they are, outside any framing (a comment, a broken line).
    pub fn raw(mut self, text: &str) -> Self {
        self.steps.push(Step::Send(Bytes::from(text.to_owned())));
        self
    }

    /// Waits before sending the next piece.
    pub fn pause(mut self, delay: Duration) -> Self {
        self.steps.push(Step::Pause(delay));
        self
    }

    /// Cuts the connection here, mid-body, as a failing server would.
    pub fn cut(mut self) -> Self {
        self.steps.push(Step::Cut);
        self
    }

    fn frame(mut self, event: Option<&str>, text: &str) -> Self {
        let framed = match self.framing {
            Framing::Sse => {
                let mut out = String::new();
                if let Some(id) = self.next_id.take() {
                    out.push_str(&format!("id: {id}\n"));
                }
                if let Some(event) = event {
                    out.push_str(&format!("event: {event}\n"));
                }
                for line in text.split('\n') {
                    out.push_str(&format!("data: {line}\n"));
                }
                out.push('\n');
                out
            }
            Framing::Lines => format!("{text}\n"),
            Framing::JsonSeq => format!("\u{1e}{text}\n"),
        };
        self.steps.push(Step::Send(Bytes::from(framed)));
        self
    }
}

/// How an expectation answers.
#[derive(Clone)]
pub(super) enum Reply {
    Fixed(MockResponse),
    With(Arc<dyn Fn(&Received) -> MockResponse + Send + Sync>),
    Drop,
}

impl Reply {
    /// The answer to `request`, or `None` to drop the connection.
    pub(super) fn answer(&self, request: &Received) -> Option<MockResponse> {
        match self {
            Reply::Fixed(response) => Some(response.clone()),
            Reply::With(make) => Some(make(request)),
            Reply::Drop => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MockBody, MockResponse, MockStream, Step};

    fn sent(stream: MockStream) -> String {
        let MockBody::Stream(steps) = MockResponse::stream(200, stream).body else {
            unreachable!("a stream answer has a stream body")
        };
        steps
            .iter()
            .map(|step| match step {
                Step::Send(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                Step::Pause(_) => "<pause>".to_owned(),
                Step::Cut => "<cut>".to_owned(),
            })
            .collect()
    }

    #[test]
    fn each_framing_writes_its_items() {
        let sse = MockStream::sse()
            .id("7")
            .event("delta", &serde_json::json!({"a": 1}))
            .text("two\nlines")
            .done()
            .cut();
        assert_eq!(
            sent(sse),
            "id: 7\nevent: delta\ndata: {\"a\":1}\n\ndata: two\ndata: lines\n\ndata: [DONE]\n\n<cut>"
        );
        let lines = MockStream::lines().item(&1).item(&"x");
        assert_eq!(sent(lines), "1\n\"x\"\n");
        let seq = MockStream::json_seq().item(&true);
        assert_eq!(sent(seq), "\u{1e}true\n");
    }
}
