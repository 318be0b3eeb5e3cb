//! Where each part of the spec text is: a map from JSON pointer to line and column,
//! so diagnostics can point into the file the user edits.
//!
//! serde's YAML model has no positions, so the text is read a second time as a
//! stream of YAML events (JSON is YAML too), tracking the pointer of each node.
//! Keys of mappings are where a pointer is reported: that is the line a person
//! looks for (`  /v1/chats:`), not the first character of the value below it.

use std::collections::{BTreeMap, BTreeSet};

use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
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
        let mut walker = Walker {
            keep: Some(prefixes),
            targets: targets.iter().map(|t| (*t).to_owned()).collect(),
            ..Walker::default()
        };
        let mut parser = Parser::new_from_str(text);
        while let Ok((event, mark)) = parser.next_token() {
            if event == Event::StreamEnd {
                break;
            }
            walker.on_event(event, mark);
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
    fn next_node(&mut self, mark: Marker, record: bool) -> Option<String> {
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
            self.record(pointer.clone(), (mark.line(), mark.col() + 1));
        }
        Some(pointer)
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            // A key: remember it, and report the value's pointer (and the mapping's,
            // for its first key) at the key.
            Event::Scalar(text, ..) if self.next_node(mark, true).is_none() => {
                if let Some(Frame::Map { pointer, key }) = self.stack.last_mut() {
                    let at = (mark.line(), mark.col() + 1);
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
    fn json_has_positions_too() {
        let text =
            "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a\": {\"get\": {}}\n  }\n}\n";
        let positions = Positions::index(text);
        assert_eq!(positions.find("#/paths/~1a/get"), Some((4, 12)));
    }
}
