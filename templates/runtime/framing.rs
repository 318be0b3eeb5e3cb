//! Cutting a streamed body into items, as its media type frames them: Server-Sent
//! Events (`text/event-stream`) by the WHATWG rules, one JSON value per line
//! (`application/x-ndjson`, `application/jsonl`), and JSON text sequences
//! (`application/json-seq`, RFC 7464). [`super::items::ItemStream`] feeds it the
//! chunks as they arrive and hands its frames to the operation's decoder.
//!
//! A framer holds only the item being read: a chunk's complete items go out at
//! once, so memory follows the largest item, not the length of the stream. An
//! item larger than the limit stops the stream rather than growing without end.

use std::collections::VecDeque;
use std::time::Duration;

/// One Server-Sent Event as it came: the fields the WHATWG rules keep.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawSseEvent {
    /// The `event` field: the event's kind, `None` when not given (a `message`).
    pub event: Option<String>,
    /// The `data` lines, joined with `\n`.
    pub data: String,
    /// The last event ID the stream has set (`id`), carried by every event after it.
    pub id: Option<String>,
    /// The `retry` field of this event: how long to wait before reconnecting.
    pub retry: Option<Duration>,
}

impl RawSseEvent {
    /// The event's kind as the WHATWG rules name it: its `event` field, or `message`.
    pub fn kind(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

/// What a framer cut out of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Frame {
    /// A Server-Sent Event.
    Event(RawSseEvent),
    /// A line of JSON Lines, or a record of a JSON text sequence, as text.
    Text(String),
    /// `data: [DONE]`: the stream is over (OpenAI's convention).
    Done,
}

#[allow(dead_code)] // Used only by operations that answer with a stream.
/// How a body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// `text/event-stream`.
    Sse,
    /// `application/x-ndjson`, `application/jsonl`: one value per line.
    Lines,
    /// `application/json-seq`: each value after an RS byte (0x1E).
    JsonSeq,
}

/// An item would be larger than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge {
    pub limit: usize,
}

/// The record separator of RFC 7464.
const RS: u8 = 0x1e;
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Cuts a body into [`Frame`]s as its chunks arrive.
#[derive(Debug)]
pub(crate) struct Framer {
    framing: Framing,
    limit: usize,
    /// The unfinished line (or record).
    line: Vec<u8>,
    /// The line before ended with CR: an LF first in the next chunk belongs to it.
    after_cr: bool,
    /// Bytes seen at the start of the body, while a BOM may still be coming.
    at_start: bool,
    event: EventFields,
    /// The WHATWG "last event ID buffer": kept from event to event.
    last_id: Option<String>,
}

/// The fields of the Server-Sent Event being read.
#[derive(Debug, Default)]
struct EventFields {
    kind: Option<String>,
    data: String,
    has_data: bool,
    retry: Option<Duration>,
}

impl Framer {
    #[allow(dead_code)] // Used only by operations that answer with a stream.
    pub(crate) fn new(framing: Framing, limit: usize) -> Self {
        Framer {
            framing,
            limit,
            line: Vec::new(),
            after_cr: false,
            at_start: true,
            event: EventFields::default(),
            last_id: None,
        }
    }

    /// Sets the largest item it reads.
    pub(crate) fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
    }

    /// The ID of the last event with one (`Last-Event-ID` for a reconnection).
    pub(crate) fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// A new connection of the same stream: what was half read is dropped, the
    /// last event ID is kept.
    pub(crate) fn restart(&mut self) {
        self.line.clear();
        self.after_cr = false;
        self.at_start = true;
        self.event = EventFields::default();
    }

    /// Reads `chunk`, adding every frame it completes to `out`.
    pub(crate) fn push(
        &mut self,
        mut chunk: &[u8],
        out: &mut VecDeque<Frame>,
    ) -> Result<(), TooLarge> {
        if self.at_start && self.framing == Framing::Sse {
            // The BOM may itself arrive split: hold the first bytes until they
            // tell whether they are one.
            let held = self.line.len();
            let wanted = (BOM.len() - held).min(chunk.len());
            self.line.extend_from_slice(&chunk[..wanted]);
            chunk = &chunk[wanted..];
            if self.line.len() < BOM.len() && BOM.starts_with(&self.line) {
                return Ok(());
            }
            self.at_start = false;
            let start = std::mem::take(&mut self.line);
            let start = start.strip_prefix(BOM).unwrap_or(&start);
            self.scan(start, out)?;
        }
        self.at_start = false;
        self.scan(chunk, out)
    }

    /// The body ended: a JSON line or record without its end is still an item;
    /// a Server-Sent Event without its blank line is dropped, as WHATWG says.
    pub(crate) fn finish(&mut self, out: &mut VecDeque<Frame>) {
        let rest = std::mem::take(&mut self.line);
        match self.framing {
            Framing::Sse => {
                self.event = EventFields::default();
            }
            Framing::Lines | Framing::JsonSeq => self.text_frame(&rest, out),
        }
        self.after_cr = false;
    }

    fn scan(&mut self, mut chunk: &[u8], out: &mut VecDeque<Frame>) -> Result<(), TooLarge> {
        if self.after_cr && chunk.first() == Some(&b'\n') {
            chunk = &chunk[1..];
        }
        self.after_cr = false;
        while let Some(end) = chunk.iter().position(|b| self.ends_line(*b)) {
            let ending = chunk[end];
            self.grow(&chunk[..end])?;
            chunk = &chunk[end + 1..];
            if ending == b'\r' {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, out)?;
            self.line = line;
            self.line.clear();
        }
        self.grow(chunk)
    }

    fn ends_line(&self, byte: u8) -> bool {
        match self.framing {
            Framing::Sse => byte == b'\n' || byte == b'\r',
            Framing::Lines => byte == b'\n',
            Framing::JsonSeq => byte == RS,
        }
    }

    fn grow(&mut self, bytes: &[u8]) -> Result<(), TooLarge> {
        if self.line.len() + self.event.data.len() + bytes.len() > self.limit {
            return Err(TooLarge { limit: self.limit });
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    fn line_done(&mut self, line: &[u8], out: &mut VecDeque<Frame>) -> Result<(), TooLarge> {
        match self.framing {
            Framing::Sse => return self.sse_line(line, out),
            Framing::Lines => self.text_frame(line.strip_suffix(b"\r").unwrap_or(line), out),
            // What comes before the first RS is empty, so no record.
            Framing::JsonSeq => self.text_frame(line, out),
        }
        Ok(())
    }

    /// A line or record as text, unless it is only whitespace.
    fn text_frame(&self, bytes: &[u8], out: &mut VecDeque<Frame>) {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        out.push_back(Frame::Text(String::from_utf8_lossy(bytes).into_owned()));
    }

    /// One line of an event stream, by the WHATWG "interpret" steps.
    fn sse_line(&mut self, line: &[u8], out: &mut VecDeque<Frame>) -> Result<(), TooLarge> {
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.find(':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (&line[..], ""),
        };
        match field {
            "event" => self.event.kind = Some(value.to_owned()),
            "data" => {
                if self.event.data.len() + value.len() + 1 > self.limit {
                    return Err(TooLarge { limit: self.limit });
                }
                self.event.data.push_str(value);
                self.event.data.push('\n');
                self.event.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(millis) = value.parse::<u64>() {
                    self.event.retry = Some(Duration::from_millis(millis));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A blank line: the event read so far goes out, if it has data.
    fn dispatch(&mut self, out: &mut VecDeque<Frame>) {
        let mut fields = std::mem::take(&mut self.event);
        if !fields.has_data {
            return;
        }
        fields.data.pop();
        if fields.data == "[DONE]" {
            out.push_back(Frame::Done);
            return;
        }
        out.push_back(Frame::Event(RawSseEvent {
            event: fields.kind.filter(|kind| !kind.is_empty()),
            data: fields.data,
            id: self.last_id.clone().filter(|id| !id.is_empty()),
            retry: fields.retry,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(framing: Framing, chunks: &[&[u8]]) -> Vec<Frame> {
        let mut framer = Framer::new(framing, 1 << 20);
        let mut out = VecDeque::new();
        for chunk in chunks {
            framer.push(chunk, &mut out).expect("within the limit");
        }
        framer.finish(&mut out);
        out.into_iter().collect()
    }

    /// The frames of `body` fed whole, then cut at every byte boundary (and
    /// byte by byte) must be the same.
    fn frames_at_every_cut(framing: Framing, body: &[u8]) -> Vec<Frame> {
        let whole = frames(framing, &[body]);
        for cut in 0..=body.len() {
            let (a, b) = body.split_at(cut);
            assert_eq!(frames(framing, &[a, b]), whole, "cut at byte {cut}");
        }
        let bytes: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(frames(framing, &bytes), whole, "byte by byte");
        whole
    }

    fn event(kind: Option<&str>, data: &str, id: Option<&str>) -> Frame {
        Frame::Event(RawSseEvent {
            event: kind.map(str::to_owned),
            data: data.to_owned(),
            id: id.map(str::to_owned),
            retry: None,
        })
    }

    #[test]
    fn event_stream_follows_the_whatwg_rules_however_it_is_cut() {
        let body = "\u{feff}: a comment\r\nevent: delta\r\ndata: {\"a\":\r\ndata:1}\r\nid: 7\r\n\r\n\
                    data\rdata:  two spaces\r\rid\n\nevent: x\nretry: 2500\ndata: é\n\nretry: soon\nfield without colon\n\n\
                    data: half an event";
        let got = frames_at_every_cut(Framing::Sse, body.as_bytes());
        let mut with_retry = event(Some("x"), "é", None);
        if let Frame::Event(raw) = &mut with_retry {
            raw.retry = Some(Duration::from_millis(2500));
        }
        assert_eq!(
            got,
            vec![
                event(Some("delta"), "{\"a\":\n1}", Some("7")),
                // An empty `data` line, then one whose value keeps its second space;
                // `id` alone resets the last event ID.
                event(None, "\n two spaces", Some("7")),
                with_retry,
            ]
        );
    }

    #[test]
    fn done_ends_and_a_bom_is_dropped_only_at_the_start() {
        let got = frames_at_every_cut(Framing::Sse, b"data: 1\n\ndata: [DONE]\n\n");
        assert_eq!(got, vec![event(None, "1", None), Frame::Done]);
        let got = frames(
            Framing::Sse,
            &[b"\xef\xbb", b"\xbfdata: a\n\n\xef\xbb\xbfdata: b\n\n"],
        );
        // The second BOM is part of a field name, which is no field.
        assert_eq!(got, vec![event(None, "a", None)]);
        assert_eq!(frames(Framing::Sse, &[b"\xef\xbb"]), vec![]);
    }

    #[test]
    fn json_lines_keep_a_last_line_without_its_end_and_skip_blank_ones() {
        let got = frames_at_every_cut(
            Framing::Lines,
            b"{\"a\":1}\r\n\n  \n{\"b\":\"\xc3\xa9\"}\n{\"c\":",
        );
        let texts = ["{\"a\":1}", "{\"b\":\"é\"}", "{\"c\":"];
        assert_eq!(got, texts.map(|t| Frame::Text(t.to_owned())).to_vec());
    }

    #[test]
    fn json_text_sequences_split_at_the_record_separator() {
        let got = frames_at_every_cut(Framing::JsonSeq, b"\x1e{\"a\":1}\n\x1e2\n\x1e\n\x1e\"x\"");
        let texts = ["{\"a\":1}\n", "2\n", "\"x\""];
        assert_eq!(got, texts.map(|t| Frame::Text(t.to_owned())).to_vec());
    }

    #[test]
    fn an_item_over_the_limit_is_refused() {
        let mut framer = Framer::new(Framing::Lines, 8);
        let mut out = VecDeque::new();
        assert!(framer.push(b"1234\n5678", &mut out).is_ok());
        assert_eq!(framer.push(b"90123", &mut out), Err(TooLarge { limit: 8 }));
        // An event counts its data so far and the line being read.
        let mut framer = Framer::new(Framing::Sse, 16);
        assert!(framer.push(b"data: 1234\ndata: 5678\n", &mut out).is_ok());
        assert!(framer.push(b"data: 9999\n", &mut out).is_err());
    }

    #[test]
    fn a_new_connection_keeps_the_last_event_id_and_drops_the_half_event() {
        let mut framer = Framer::new(Framing::Sse, 1 << 20);
        let mut out = VecDeque::new();
        framer
            .push(b"id: 3\ndata: a\n\ndata: hal", &mut out)
            .expect("small");
        framer.restart();
        framer
            .push(b"\xef\xbb\xbfdata: b\n\n", &mut out)
            .expect("small");
        assert_eq!(framer.last_event_id(), Some("3"));
        let got: Vec<Frame> = out.into_iter().collect();
        assert_eq!(
            got,
            vec![event(None, "a", Some("3")), event(None, "b", Some("3"))]
        );
    }
}
