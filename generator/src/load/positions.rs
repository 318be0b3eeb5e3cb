//! Where each part of the spec text is: a map from JSON pointer to line and column,
//! so diagnostics can point into the file the user edits.
//!
//! serde's YAML model has no positions, so the text is read a second time as a
//! stream of YAML events, tracking the pointer of each node. JSON (which is YAML
//! too) gets the same events from a scanner of its own, which is much faster on
//! the multi-megabyte specs that are mostly JSON.
//! Keys of mappings are where a pointer is reported: that is the line a person
//! looks for (`  /v1/chats:`), not the first character of the value below it.

use std::collections::{BTreeMap, BTreeSet};

use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Event;

/// 1-based line and column of every node, by JSON pointer (`#/paths/~1v1~1chats`).
#[derive(Debug, Default, Clone)]
pub struct Positions {
    by_pointer: BTreeMap<String, (usize, usize)>,
}

impl Positions {
    /// Indexes `text`; a text that does not parse gives an empty index.
    pub fn index(text: &str) -> Self {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        // A parse error leaves what was indexed so far; the syntax error itself is
        // reported (with its own position) by `load`.
        let _ = parser.load(&mut walker, false);
        Positions {
            by_pointer: walker.positions,
        }
    }

    /// Indexes only what [`Positions::find`] needs for `wanted` (the pointers
    /// and their ancestors), and stops reading once every one is found: a few
    /// diagnostics on Stripe's 6 MB spec no longer index its every node.
    pub fn index_for<'w>(text: &str, wanted: impl IntoIterator<Item = &'w str>) -> Self {
        let targets: BTreeSet<&str> = wanted.into_iter().collect();
        let mut prefixes: BTreeSet<String> = BTreeSet::new();
        for target in &targets {
            let mut current = *target;
            prefixes.insert(current.to_owned());
            while let Some(end) = current.rfind('/') {
                current = &current[..end];
                prefixes.insert(current.to_owned());
            }
        }
        let fresh = || Walker {
            keep: Some(prefixes.clone()),
            targets: targets.iter().map(|t| (*t).to_owned()).collect(),
            ..Walker::default()
        };
        // JSON, the form of most large specs, is read by a scanner of its own:
        // the YAML reader took a tenth of generating Stripe to place one warning.
        if text.trim_start().starts_with('{') {
            let mut walker = fresh();
            let read = json_events(text, |event, at| {
                walker.on_event_at(event, at);
                walker.found < walker.targets.len()
            });
            if read.is_some() {
                return Positions {
                    by_pointer: walker.positions,
                };
            }
        }
        let mut walker = fresh();
        let mut parser = Parser::new_from_str(text);
        while let Ok((event, mark)) = parser.next_token() {
            if event == Event::StreamEnd {
                break;
            }
            walker.on_event_at(event, (mark.line(), mark.col()));
            if walker.found == walker.targets.len() {
                break;
            }
        }
        Positions {
            by_pointer: walker.positions,
        }
    }

    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn find(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut current = pointer;
        loop {
            if let Some(found) = self.by_pointer.get(current) {
                return Some(*found);
            }
            current = &current[..current.rfind('/')?];
        }
    }
}

/// One open mapping or sequence while walking the events.
enum Frame {
    /// A mapping; `key` is the key whose value comes next, if a key was just read.
    Map {
        pointer: String,
        key: Option<String>,
    },
    /// A sequence and the index of its next item.
    Seq { pointer: String, next: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    positions: BTreeMap<String, (usize, usize)>,
    /// When set, only these pointers are recorded.
    keep: Option<BTreeSet<String>>,
    /// The pointers asked for, and how many of them have been recorded.
    targets: BTreeSet<String>,
    found: usize,
}

impl Walker {
    fn record(&mut self, pointer: String, at: (usize, usize)) {
        if !self
            .keep
            .as_ref()
            .is_none_or(|keep| keep.contains(&pointer))
        {
            return;
        }
        if let std::collections::btree_map::Entry::Vacant(entry) = self.positions.entry(pointer) {
            self.found += usize::from(self.targets.contains(entry.key()));
            entry.insert(at);
        }
    }
}

impl Walker {
    /// The pointer of the node that starts now; `None` when the node is a mapping key.
    /// Mappings are positioned at their first key (see [`Walker::on_event`]), since a
    /// block mapping's own marker sits after its first key.
    fn next_node(&mut self, (line, col): (usize, usize), record: bool) -> Option<String> {
        let pointer = match self.stack.last_mut() {
            None => "#".to_owned(),
            Some(Frame::Map { key: None, .. }) => return None,
            Some(Frame::Map { pointer, key }) => {
                format!("{pointer}/{}", escape(&key.take().unwrap_or_default()))
            }
            Some(Frame::Seq { pointer, next }) => {
                *next += 1;
                format!("{pointer}/{}", *next - 1)
            }
        };
        if record {
            self.record(pointer.clone(), (line, col + 1));
        }
        Some(pointer)
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        self.on_event_at(event, (mark.line(), mark.col()));
    }
}

impl Walker {
    /// Takes one event that starts at 1-based `line`, 0-based column `col`.
    fn on_event_at(&mut self, event: Event, mark: (usize, usize)) {
        match event {
            // A key: remember it, and report the value's pointer (and the mapping's,
            // for its first key) at the key.
            Event::Scalar(text, ..) if self.next_node(mark, true).is_none() => {
                if let Some(Frame::Map { pointer, key }) = self.stack.last_mut() {
                    let at = (mark.0, mark.1 + 1);
                    let (map, entry) = (pointer.clone(), format!("{pointer}/{}", escape(&text)));
                    *key = Some(text);
                    self.record(map, at);
                    self.record(entry, at);
                }
            }
            Event::MappingStart(..) => {
                let pointer = self.next_node(mark, false).unwrap_or_default();
                self.stack.push(Frame::Map { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.next_node(mark, true).unwrap_or_default();
                self.stack.push(Frame::Seq { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                self.next_node(mark, true);
            }
            _ => {}
        }
    }
}

/// Feeds the events of a JSON text to `on`, each with its 1-based line and
/// 0-based column in characters (as the YAML reader marks them), until `on`
/// returns `false`. `None` when the text is not JSON this scanner reads (the
/// YAML reader then does).
fn json_events(text: &str, mut on: impl FnMut(Event, (usize, usize)) -> bool) -> Option<()> {
    let bytes = text.as_bytes();
    let (mut i, mut line, mut col) = (0, 1, 0);
    while i < bytes.len() {
        let at = (line, col);
        let event = match bytes[i] {
            b'\n' => {
                (i, line, col) = (i + 1, line + 1, 0);
                continue;
            }
            b' ' | b'\t' | b'\r' | b',' | b':' => {
                (i, col) = (i + 1, col + 1);
                continue;
            }
            b'{' => Event::MappingStart(0, None),
            b'}' => Event::MappingEnd,
            b'[' => Event::SequenceStart(0, None),
            b']' => Event::SequenceEnd,
            b'"' => {
                let end = string_end(bytes, i)?;
                let value: String = serde_json::from_str(&text[i..=end]).ok()?;
                col += text[i..=end].chars().count();
                i = end + 1;
                let scalar = Event::Scalar(value, TScalarStyle::DoubleQuoted, 0, None);
                if !on(scalar, at) {
                    return Some(());
                }
                continue;
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                    .map_or(bytes.len(), |n| i + n);
                let scalar = Event::Scalar(text[i..end].to_owned(), TScalarStyle::Plain, 0, None);
                (col, i) = (col + (end - i), end);
                if !on(scalar, at) {
                    return Some(());
                }
                continue;
            }
            _ => return None,
        };
        (i, col) = (i + 1, col + 1);
        if !on(event, at) {
            return Some(());
        }
    }
    Some(())
}

/// The index of the quote that closes the JSON string opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys_and_items_have_positions() {
        let text = "openapi: 3.0.3\npaths:\n  /v1/chats:\n    get:\n      parameters:\n        - name: a\n        - name: b\n";
        let positions = Positions::index(text);
        assert_eq!(positions.find("#/openapi"), Some((1, 1)));
        assert_eq!(positions.find("#/paths/~1v1~1chats"), Some((3, 3)));
        assert_eq!(
            positions.find("#/paths/~1v1~1chats/get/parameters/1"),
            Some((7, 11))
        );
        assert_eq!(
            positions.find("#/paths/~1v1~1chats/get/parameters/1/name"),
            Some((7, 11))
        );
        assert_eq!(
            positions.find("#/paths/~1v1~1chats/get/missing/deeper"),
            Some((4, 5))
        );
    }

    #[test]
    fn an_index_for_some_pointers_finds_them_as_the_full_index_does() {
        let text = "openapi: 3.0.3\npaths:\n  /v1/chats:\n    get:\n      parameters:\n        - name: a\n        - name: b\n  /v2:\n    put: {}\n";
        let full = Positions::index(text);
        let wanted = [
            "#/paths/~1v1~1chats/get/parameters/1/name",
            "#/paths/~1v1~1chats/get/missing/deeper",
            "#/openapi",
        ];
        let some = Positions::index_for(text, wanted);
        for pointer in wanted {
            assert_eq!(some.find(pointer), full.find(pointer), "{pointer}");
        }
        // Nothing else is kept.
        assert_eq!(some.find("#/paths/~1v2/put"), some.find("#/paths"));
    }

    #[test]
    fn the_json_scanner_places_pointers_as_the_yaml_reader_does() {
        let text = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a~b\": {\"get\": {\"x\": [1, -2.5e3, true, null, \"\\u00e9t\\\"\u{e9}\", {\"k\": false}]}},\n    \"\u{e9}\u{e9}\": [ [], {} ]\n  }\n}\n";
        let full = Positions::index(text);
        let wanted = [
            "#/openapi",
            "#/paths/~1a~0b/get/x/4",
            "#/paths/~1a~0b/get/x/5/k",
            "#/paths/\u{e9}\u{e9}/1",
            "#/paths/\u{e9}\u{e9}/0",
            "#/paths/missing/deeper",
        ];
        assert!(
            json_events(text, |_, _| true).is_some(),
            "the scanner reads it"
        );
        let fast = Positions::index_for(text, wanted);
        for pointer in wanted {
            assert!(full.find(pointer).is_some(), "{pointer}");
            assert_eq!(fast.find(pointer), full.find(pointer), "{pointer}");
        }
    }

    #[test]
    fn json_has_positions_too() {
        let text =
            "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a\": {\"get\": {}}\n  }\n}\n";
        let positions = Positions::index(text);
        assert_eq!(positions.find("#/paths/~1a/get"), Some((4, 12)));
    }
}
