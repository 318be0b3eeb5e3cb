//! Schema keywords with a scalar value (`type`, text, flags, counts, bounds)
//! whose value has the wrong type or range, repaired in place during
//! normalization (the `load` phase), each with a located warning. The keywords
//! that shape a schema's structure are `structure`'s.
//!
//! Real specs carry the habits of other schema dialects: `type: String` or `type:
//! file`, `required: true` on a property (JSON Schema draft 3), `pattern: 0`, a
//! `discriminator` given as a bare property name (Swagger 2), bounds beyond 64 bits
//! on an integer. Each has one obvious reading; the schema is rewritten to it, so
//! `openapiv3` can read the document and the crate keeps the rest of the schema.

use serde_json::{Map, Number, Value};

use crate::diagnostics::{Code, Pointer, Sink};

type Mapping = Map<String, Value>;

/// Keywords whose value is text.
const TEXT: &[&str] = &["title", "description", "pattern", "format"];
/// Keywords whose value is a boolean.
const FLAGS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];
/// Keywords whose value is a count (a non-negative integer).
const COUNTS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// Whether `name` is one of the seven JSON Schema type names.
pub(super) fn is_type_name(name: &str) -> bool {
    matches!(
        name,
        "string" | "integer" | "number" | "boolean" | "object" | "array" | "null"
    )
}

/// Repairs the keywords of one schema object.
pub(super) fn repair(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    repair_type(map, at, sink);
    for keyword in TEXT {
        repair_text(map, keyword, at, sink);
    }
    for keyword in FLAGS {
        repair_flag(map, keyword, at, sink);
    }
    for keyword in COUNTS {
        repair_count(map, keyword, at, sink);
    }
    repair_bounds(map, at, sink);
}

pub(super) fn warn(sink: &mut Sink, code: Code, at: &Pointer, message: String, hint: &str) {
    sink.warning_with_hint(code, at, message, hint);
}

/// `type` as one of the seven JSON Schema names: other cases and the names of
/// other languages or Swagger 2 (`file`, `int`, `date-time`) are read as meant;
/// an unknown name is dropped, so the schema accepts any value.
fn repair_type(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let Some(Value::String(written)) = map.get("type") else {
        if map.get("type").is_some_and(|t| !t.is_array()) {
            let message = "`type` is not a type name; it is dropped".to_owned();
            map.shift_remove("type");
            warn(
                sink,
                Code::Shape,
                &at.push("type"),
                message,
                "write `type: string`, `integer`, `number`, `boolean`, `object` or `array`",
            );
        }
        return;
    };
    let written = written.clone();
    let lower = written.to_ascii_lowercase();
    let (ty, format) = match lower.as_str() {
        "string" | "integer" | "number" | "boolean" | "object" | "array" | "null" => {
            (Some(lower.as_str()), None)
        }
        "str" | "text" | "char" => (Some("string"), None),
        "int" | "long" | "int32" | "int64" | "short" | "uint" => (Some("integer"), None),
        "float" | "double" | "decimal" | "numeric" => (Some("number"), None),
        "bool" => (Some("boolean"), None),
        "file" | "binary" => (Some("string"), Some("binary")),
        "date" => (Some("string"), Some("date")),
        "date-time" | "datetime" | "timestamp" => (Some("string"), Some("date-time")),
        "dict" | "map" | "hash" | "json" => (Some("object"), None),
        "list" => (Some("array"), None),
        "any" => (None, None),
        _ => {
            map.shift_remove("type");
            let message = format!("`type: {written}` is not a JSON Schema type; it is dropped and any value is accepted");
            warn(
                sink,
                Code::Shape,
                &at.push("type"),
                message,
                "write `type: string`, `integer`, `number`, `boolean`, `object` or `array`",
            );
            return;
        }
    };
    if ty == Some(written.as_str()) {
        return;
    }
    match ty {
        Some(ty) => {
            map.insert("type".to_owned(), ty.into());
        }
        None => {
            map.shift_remove("type");
        }
    }
    if let Some(format) = format {
        map.entry("format").or_insert_with(|| format.into());
    }
    let read = match (ty, format) {
        (Some(ty), Some(format)) => format!("`type: {ty}, format: {format}`"),
        (Some(ty), None) => format!("`type: {ty}`"),
        (None, _) => "no `type` (any value)".to_owned(),
    };
    let message = format!("`type: {written}` is read as {read}");
    warn(
        sink,
        Code::Shape,
        &at.push("type"),
        message,
        "use one of the JSON Schema type names",
    );
}

/// A text keyword given a number or boolean is that value's text; any other
/// value is dropped.
fn repair_text(map: &mut Mapping, keyword: &str, at: &Pointer, sink: &mut Sink) {
    let text = match map.get(keyword) {
        None | Some(Value::String(_)) => return,
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(_) => None,
    };
    let at = at.push(keyword);
    match text {
        Some(text) => {
            let message = format!("`{keyword}` is not text; it is read as `\"{text}\"`");
            map.insert(keyword.to_owned(), text.into());
            warn(sink, Code::Shape, &at, message, "quote the value");
        }
        None => {
            map.shift_remove(keyword);
            let message = format!("`{keyword}` is not text; it is dropped");
            warn(sink, Code::Shape, &at, message, "give it a string value");
        }
    }
}

/// A boolean keyword given `"true"`/`"false"` (or 0/1) is that boolean; any
/// other value is dropped.
fn repair_flag(map: &mut Mapping, keyword: &str, at: &Pointer, sink: &mut Sink) {
    let flag = match map.get(keyword) {
        None | Some(Value::Bool(_)) => return,
        // Numeric `exclusiveMinimum` is the 3.1 form; `normalize` rewrote it first.
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Some(true),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Some(false),
        Some(Value::Null) => Some(false),
        Some(_) => None,
    };
    let at = at.push(keyword);
    match flag {
        Some(flag) => {
            map.insert(keyword.to_owned(), flag.into());
            let message = format!("`{keyword}` is not a boolean; it is read as `{flag}`");
            warn(sink, Code::Shape, &at, message, "write `true` or `false`");
        }
        None => {
            map.shift_remove(keyword);
            let message = format!("`{keyword}` is not a boolean; it is dropped");
            warn(sink, Code::Shape, &at, message, "write `true` or `false`");
        }
    }
}

/// A count (`maxLength`, `minItems`, …) is a non-negative integer: a whole float
/// or numeric text is read as one, a count beyond 64 bits is clamped, and a
/// negative or fractional one is dropped.
fn repair_count(map: &mut Mapping, keyword: &str, at: &Pointer, sink: &mut Sink) {
    let Some(value) = map.get(keyword) else {
        return;
    };
    if value.as_u64().is_some() {
        return;
    }
    let number = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let at = at.push(keyword);
    match number {
        Some(n) if n >= 0.0 && n.fract() == 0.0 => {
            // `as` saturates: a count beyond 64 bits becomes u64::MAX.
            let count = n as u64;
            map.insert(keyword.to_owned(), count.into());
            let code = if n > u64::MAX as f64 {
                Code::NumberRange
            } else {
                Code::Shape
            };
            let message = format!("`{keyword}` is read as the count {count}");
            warn(sink, code, &at, message, "write a non-negative integer");
        }
        _ => {
            map.shift_remove(keyword);
            let message = format!("`{keyword}` is not a non-negative integer; it is dropped");
            warn(
                sink,
                Code::NumberRange,
                &at,
                message,
                "write a non-negative integer",
            );
        }
    }
}

/// Bounds that do not fit the schema's type: on an integer, `minimum`,
/// `maximum` and `multipleOf` must be 64-bit integers (beyond, they are clamped;
/// a fraction is rounded inwards); on any type a non-numeric bound is dropped.
fn repair_bounds(map: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let integer = map.get("type").and_then(Value::as_str) == Some("integer");
    for keyword in ["minimum", "maximum", "multipleOf"] {
        let Some(value) = map.get(keyword).cloned() else {
            continue;
        };
        let at = at.push(keyword);
        let number = match &value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        };
        let Some(number) = number else {
            map.shift_remove(keyword);
            let message = format!("`{keyword}` is not a number; it is dropped");
            warn(sink, Code::Shape, &at, message, "write a number");
            continue;
        };
        if !integer {
            if value.is_string() {
                if let Some(n) = Number::from_f64(number) {
                    map.insert(keyword.to_owned(), Value::Number(n));
                }
                let message = format!("`{keyword}` is text; it is read as the number {number}");
                warn(
                    sink,
                    Code::Shape,
                    &at,
                    message,
                    "write the number without quotes",
                );
            }
            continue;
        }
        if value.as_i64().is_some() {
            continue;
        }
        // `minimum: 0.0` (as Pydantic writes it) is the integer it says.
        // (Strictly inside: -2^63 as a float is what `-9223372036854776000` reads as.)
        if number.fract() == 0.0 && number > i64::MIN as f64 && number < i64::MAX as f64 {
            map.insert(keyword.to_owned(), (number as i64).into());
            continue;
        }
        let rounded = match keyword {
            "minimum" => number.ceil(),
            "maximum" => number.floor(),
            _ => number,
        };
        if keyword == "multipleOf" && (rounded.fract() != 0.0 || rounded < 1.0) {
            map.shift_remove(keyword);
            let message =
                format!("`multipleOf: {value}` cannot constrain an integer; it is dropped");
            warn(
                sink,
                Code::NumberRange,
                &at,
                message,
                "write a positive integer",
            );
            continue;
        }
        // `as` saturates at the ends of `i64`.
        let clamped = rounded as i64;
        map.insert(keyword.to_owned(), clamped.into());
        let message =
            format!("`{keyword}: {value}` does not fit a 64-bit integer; it is read as {clamped}");
        warn(
            sink,
            Code::NumberRange,
            &at,
            message,
            "keep integer bounds within 64 bits, or use `type: number`",
        );
    }
}

/// `schema` after `repair`, and the code and pointer of each warning (for the
/// tests of the schema repairs).
#[cfg(test)]
pub(super) fn repaired_by(
    repair: fn(&mut Mapping, &Pointer, &mut Sink),
    schema: Value,
) -> (Value, Vec<(Code, String)>) {
    let mut sink = Sink::default();
    let mut value = schema;
    if let Some(map) = value.as_object_mut() {
        repair(map, &Pointer::root(), &mut sink);
    }
    let codes = sink
        .into_sorted()
        .into_iter()
        .map(|d| (d.code, d.pointer))
        .collect();
    (value, codes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repaired(schema: Value) -> (Value, Vec<(Code, String)>) {
        repaired_by(repair, schema)
    }

    #[test]
    fn keywords_of_the_wrong_type_are_read_as_meant() {
        let table = [
            (json!({"type": "String"}), json!({"type": "string"})),
            (
                json!({"type": "file"}),
                json!({"type": "string", "format": "binary"}),
            ),
            (json!({"type": "int"}), json!({"type": "integer"})),
            (json!({"type": "whatever"}), json!({})),
            (
                json!({"type": "string", "pattern": 0}),
                json!({"type": "string", "pattern": "0"}),
            ),
            (json!({"nullable": "true"}), json!({"nullable": true})),
            (json!({"maxLength": 10.0}), json!({"maxLength": 10})),
            (json!({"maxLength": -1}), json!({})),
            (json!({"minimum": "5"}), json!({"minimum": 5.0})),
        ];
        for (input, expected) in table {
            let (output, warnings) = repaired(input.clone());
            assert_eq!(output, expected, "{input}");
            assert!(!warnings.is_empty(), "{input} repairs with a warning");
        }
    }

    #[test]
    fn integer_bounds_beyond_64_bits_are_clamped() {
        let (output, warnings) = repaired(json!({
            "type": "integer",
            "minimum": -9223372036854776000.0,
            "maximum": 18446744073709551616.0,
            "multipleOf": 0.5
        }));
        assert_eq!(
            output,
            json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX})
        );
        assert!(warnings.iter().all(|(code, _)| *code == Code::NumberRange));
        assert_eq!(warnings.len(), 3);
    }

    #[test]
    fn valid_schemas_are_left_alone() {
        let schema = json!({
            "type": "integer", "minimum": 0, "maximum": 9, "nullable": true,
            "required": ["a"], "properties": {"a": {"type": "string", "pattern": "^a"}},
            "discriminator": {"propertyName": "a"}
        });
        assert_eq!(repaired(schema.clone()), (schema, Vec::new()));
    }
}
