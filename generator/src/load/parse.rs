//! Spec text into a JSON value tree, the first step of the `load` phase.
//!
//! JSON goes through serde_json. YAML goes through yaml-rust2's event parser
//! (maintained, pure Rust), and the tree is built here, so that
//!
//! * every number is read: integers beyond 64 bits become floats instead of failing
//!   the document (`minimum: -9223372036854776000`), and infinities are clamped;
//! * mapping keys are the text the author wrote (`200:` is the key `"200"`);
//! * a key written twice keeps its last value, with a warning, where a strict
//!   parser refuses the whole document;
//! * anchors, aliases and `<<` merge keys work, with a bound on how much aliases
//!   may expand (a "billion laughs" document is refused, not expanded).
//!
//! Keys stay in document order (serde_json's `preserve_order`), which later phases
//! rely on for field and operation order.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::Pointer;

/// The most values aliases may add to a document: far above any real spec, far
/// below what exhausts memory.
const ALIAS_BUDGET: usize = 10_000_000;

/// A text that is neither JSON nor YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What the parser says.
    pub message: String,
    /// 1-based line and column, where the parser knows them.
    pub line_column: Option<(usize, usize)>,
    /// `"JSON"` or `"YAML"`: which reading failed.
    pub format: &'static str,
}

/// A parsed document, with what was repaired while reading it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document.
    pub value: Value,
    /// Keys given twice in one mapping: where, and the key.
    pub duplicate_keys: Vec<Pointer>,
    /// Whether flow collections indented less than YAML 1.2 allows had to be
    /// read leniently.
    pub lenient_flows: bool,
}

/// Parses JSON when the text starts like JSON (serde_json reads every JSON escape,
/// surrogate pairs included), else YAML; a JSON text that serde_json refuses is
/// tried as YAML too (JSON is YAML), which reads numbers beyond `f64`.
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    if text.trim_start().starts_with('{') {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => Ok(Parsed {
                value,
                duplicate_keys: Vec::new(),
                lenient_flows: false,
            }),
            Err(json_error) => parse_yaml(text).map_err(|_| SyntaxError {
                message: json_error.to_string(),
                line_column: Some((json_error.line(), json_error.column())),
                format: "JSON",
            }),
        }
    } else {
        parse_yaml(text)
    }
}

/// Parses the first YAML document of `text`.
///
/// A multi-line flow collection whose lines (often the closing `}`) sit at or
/// left of its key's column is outside YAML 1.2 but common (PyYAML and libyaml
/// accept it). When the strict reading fails on indentation, the text is read
/// again with those lines indented past the key, and the repair is reported.
pub fn parse_yaml(text: &str) -> Result<Parsed, SyntaxError> {
    match parse_yaml_strict(text) {
        Err(error) if error.message.contains("indentation") => {
            let Some(indented) = super::flows::indent_flow_lines(text) else {
                return Err(error);
            };
            let mut parsed = parse_yaml_strict(&indented).map_err(|_| error)?;
            parsed.lenient_flows = true;
            Ok(parsed)
        }
        other => other,
    }
}

fn parse_yaml_strict(text: &str) -> Result<Parsed, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let syntax = |message: String, mark: Option<&Marker>| SyntaxError {
        message,
        line_column: mark.map(|m| (m.line(), m.col() + 1)),
        format: "YAML",
    };
    parser
        .load(&mut builder, false)
        .map_err(|e| syntax(e.info().to_owned(), Some(e.marker())))?;
    if let Some((message, mark)) = builder.failure {
        return Err(syntax(message, Some(&mark)));
    }
    Ok(Parsed {
        value: builder.root.unwrap_or(Value::Null),
        duplicate_keys: builder.duplicate_keys,
        lenient_flows: false,
    })
}

/// An open mapping or sequence, with the segment it sits under in its parent.
enum Frame {
    Map {
        map: Map<String, Value>,
        /// The key whose value comes next.
        key: Option<String>,
        /// Mappings named by `<<` keys, merged in when the mapping ends.
        merges: Vec<Value>,
        anchor: usize,
        segment: String,
    },
    Seq {
        items: Vec<Value>,
        anchor: usize,
        segment: String,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    root: Option<Value>,
    /// Values still allowed to be added by aliases.
    spent: usize,
    duplicate_keys: Vec<Pointer>,
    /// The first problem the parser itself does not see (alias bombs, bad aliases).
    failure: Option<(String, Marker)>,
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.failure.is_some() {
            return;
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    self.set_key(text);
                } else {
                    let value = scalar(text, style, tag.as_ref());
                    self.remember(anchor, &value);
                    self.add(value);
                }
            }
            Event::MappingStart(anchor, _) => {
                let segment = self.take_segment();
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    key: None,
                    merges: Vec::new(),
                    anchor,
                    segment,
                });
            }
            Event::SequenceStart(anchor, _) => {
                let segment = self.take_segment();
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                    segment,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            Event::Alias(id) => self.alias(id, mark),
            _ => {}
        }
    }
}

impl Builder {
    /// Whether the next scalar is a mapping key.
    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn set_key(&mut self, text: String) {
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = Some(text);
        }
    }

    /// The pointer segment of the value that starts now (before it is pushed).
    fn take_segment(&mut self) -> String {
        match self.stack.last() {
            Some(Frame::Map { key: Some(key), .. }) => key.clone(),
            // A mapping or sequence used as a key: its text becomes the key later.
            Some(Frame::Map { key: None, .. }) => String::new(),
            Some(Frame::Seq { items, .. }) => items.len().to_string(),
            None => String::new(),
        }
    }

    /// The pointer of the innermost open container.
    fn pointer(&self) -> Pointer {
        self.stack
            .iter()
            .skip(1)
            .fold(Pointer::root(), |pointer, frame| match frame {
                Frame::Map { segment, .. } | Frame::Seq { segment, .. } => pointer.push(segment),
            })
    }

    fn remember(&mut self, anchor: usize, value: &Value) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
    }

    fn alias(&mut self, id: usize, mark: Marker) {
        let Some(value) = self.anchors.get(&id).cloned() else {
            self.failure = Some(("an alias names no anchor".to_owned(), mark));
            return;
        };
        self.spent = self.spent.saturating_add(size_of_value(&value));
        if self.spent > ALIAS_BUDGET {
            let message = format!("aliases expand to more than {ALIAS_BUDGET} values");
            self.failure = Some((message, mark));
            return;
        }
        if self.expects_key() {
            self.set_key(key_of(&value));
        } else {
            self.add(value);
        }
    }

    /// Closes the innermost container and adds it to its parent.
    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (value, anchor) = match frame {
            Frame::Map {
                mut map,
                merges,
                anchor,
                ..
            } => {
                merge_into(&mut map, merges);
                (Value::Object(map), anchor)
            }
            Frame::Seq { items, anchor, .. } => (Value::Array(items), anchor),
        };
        self.remember(anchor, &value);
        if self.expects_key() {
            // A complex key (`? [a, b]`): its JSON text is the key.
            self.set_key(key_of(&value));
        } else {
            self.add(value);
        }
    }

    /// Adds a finished value to the innermost container (or as the document).
    fn add(&mut self, value: Value) {
        let duplicate = match self.stack.last_mut() {
            None => {
                self.root = Some(value);
                None
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(value);
                None
            }
            Some(Frame::Map {
                map, key, merges, ..
            }) => match key.take() {
                Some(key) if key == "<<" && !matches!(value, Value::String(_)) => {
                    merges.push(value);
                    None
                }
                Some(key) => map.insert(key.clone(), value).map(|_| key),
                None => None,
            },
        };
        // The pointer is only worked out for the rare duplicate.
        if let Some(key) = duplicate {
            let pointer = self.pointer().push(&key);
            self.duplicate_keys.push(pointer);
        }
    }
}

/// YAML's merge keys: entries of the merged mappings that the mapping does not set
/// itself, earlier merges first.
fn merge_into(map: &mut Map<String, Value>, merges: Vec<Value>) {
    for merged in merges {
        let sources = match merged {
            Value::Array(items) => items,
            other => vec![other],
        };
        for source in sources {
            if let Value::Object(entries) = source {
                for (key, value) in entries {
                    map.entry(key).or_insert(value);
                }
            }
        }
    }
}

/// The key text of a value used as a mapping key.
fn key_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn size_of_value(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(size_of_value).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(size_of_value).sum::<usize>(),
        _ => 1,
    }
}

/// A scalar as the YAML 1.2 core schema reads it: quoted and block scalars and
/// `!!str` are strings; plain ones may be null, booleans or numbers.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    let tag = tag.filter(|t| t.handle == "!!" || t.handle == "tag:yaml.org,2002:");
    match tag.map(|t| t.suffix.as_str()) {
        Some("str") => return Value::String(text),
        Some("int" | "float") => return number(&text).unwrap_or(Value::String(text)),
        Some("bool") => return boolean(&text).map_or(Value::String(text), Value::Bool),
        Some("null") => return Value::Null,
        _ => {}
    }
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        _ => boolean(&text)
            .map(Value::Bool)
            .or_else(|| number(&text))
            .unwrap_or(Value::String(text)),
    }
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A plain scalar as a number: decimal, `0x`/`0o` integers, decimals with
/// exponent, `.inf` and `.nan`. Integers beyond 64 bits become floats, and floats
/// beyond `f64` are clamped to its largest finite value; `.nan` is null.
fn number(text: &str) -> Option<Value> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let radix = |prefix: &str, radix: u32| {
        let digits = unsigned.strip_prefix(prefix)?;
        let magnitude = u64::from_str_radix(digits, radix).ok()?;
        Some(integer(negative, magnitude))
    };
    if let Some(value) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Some(value);
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            let max = if negative { f64::MIN } else { f64::MAX };
            return Number::from_f64(max).map(Value::Number);
        }
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Null),
        _ => {}
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(magnitude) = unsigned.parse::<u64>() {
            return Some(integer(negative, magnitude));
        }
    } else if !is_decimal(unsigned) {
        return None;
    }
    let float = text.parse::<f64>().ok()?;
    Number::from_f64(float.clamp(f64::MIN, f64::MAX)).map(Value::Number)
}

/// `magnitude` with its sign, as an `i64` or `u64` where it fits, else a float.
fn integer(negative: bool, magnitude: u64) -> Value {
    if !negative {
        return Value::Number(magnitude.into());
    }
    match i64::try_from(magnitude) {
        Ok(n) => Value::Number((-n).into()),
        Err(_) if magnitude == 1 << 63 => Value::Number(i64::MIN.into()),
        Err(_) => Number::from_f64(-(magnitude as f64)).map_or(Value::Null, Value::Number),
    }
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float form.
fn is_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match fraction {
        Some(fraction) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !whole.is_empty() && digits(whole),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(text: &str) -> Value {
        match parse_yaml(text) {
            Ok(parsed) => parsed.value,
            Err(error) => panic!("{text:?} does not parse: {error:?}"),
        }
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let table: &[(&str, Value)] = &[
            ("a: 1", json!({"a": 1})),
            ("a: -1", json!({"a": -1})),
            ("a: 1.5", json!({"a": 1.5})),
            ("a: 1e3", json!({"a": 1000.0})),
            ("a: .5", json!({"a": 0.5})),
            ("a: 0x1F", json!({"a": 31})),
            ("a: 0o17", json!({"a": 15})),
            ("a: true", json!({"a": true})),
            ("a: False", json!({"a": false})),
            ("a: yes", json!({"a": "yes"})),
            ("a: ~", json!({"a": null})),
            ("a:", json!({"a": null})),
            ("a: '1'", json!({"a": "1"})),
            ("a: \"true\"", json!({"a": "true"})),
            ("a: !!str 12", json!({"a": "12"})),
            ("a: 1.0.3", json!({"a": "1.0.3"})),
            ("a: inf", json!({"a": "inf"})),
            ("a: 1_000", json!({"a": "1_000"})),
            ("a: |\n  text\n", json!({"a": "text\n"})),
        ];
        for (text, expected) in table {
            assert_eq!(&yaml(text), expected, "{text}");
        }
    }

    #[test]
    fn numbers_beyond_64_bits_are_read() {
        let value = yaml("min: -9223372036854776000\nmax: 18446744073709551616\nu: 18446744073709551615\nlow: -9223372036854775808\nhuge: 1e400\nneg: -.inf\n");
        assert_eq!(value["min"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(value["max"].as_f64(), Some(18446744073709551616.0));
        assert_eq!(value["u"].as_u64(), Some(u64::MAX));
        assert_eq!(value["low"].as_i64(), Some(i64::MIN));
        assert_eq!(value["huge"].as_f64(), Some(f64::MAX));
        assert_eq!(value["neg"].as_f64(), Some(f64::MIN));
        // The same numbers in JSON: serde_json refuses 1e400, the YAML reading does not.
        let json = parse("{\"huge\": 1e400, \"min\": -9223372036854776000}").map(|p| p.value);
        assert_eq!(
            json.ok().and_then(|v| v["huge"].as_f64()),
            Some(f64::MAX),
            "JSON beyond f64"
        );
    }

    #[test]
    fn keys_keep_their_text_and_order() {
        let value = yaml("z: 1\n200: ok\na: 2\n1.10: v\n");
        let keys: Vec<&String> = value
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["z", "200", "a", "1.10"]);
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_and_are_reported() {
        let parsed = parse_yaml("a:\n  b: 1\n  b: 2\n").ok();
        let parsed = parsed.as_ref();
        assert_eq!(
            parsed.map(|p| p.value.clone()),
            Some(json!({"a": {"b": 2}}))
        );
        assert_eq!(
            parsed.map(|p| p
                .duplicate_keys
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()),
            Some(vec!["#/a/b".to_owned()])
        );
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let value =
            yaml("base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  y: 3\nlist: [&i 7, *i]\n");
        assert_eq!(value["use"], json!({"x": 1, "y": 2}));
        assert_eq!(value["merged"], json!({"y": 3, "x": 1}));
        assert_eq!(value["list"], json!([7, 7]));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let j = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}]\n"
            ));
        }
        let error = parse_yaml(&text).err();
        assert!(
            error
                .as_ref()
                .is_some_and(|e| e.message.contains("aliases expand")),
            "{error:?}"
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let error = parse_yaml("a: [1, 2\nb: c\n").err();
        assert!(error.is_some_and(|e| e.line_column.is_some()));
        let error = parse("{\"a\": [1,}").err();
        assert_eq!(error.map(|e| e.format), Some("JSON"));
    }
}
