//! OpenAPI 3.2's `itemSchema` (the schema of each item of a sequential media
//! type) rewritten into the form every version shares, for the `load` phase,
//! before `normalize`: the schema of a streamed answer describes one item.
//!
//! In 3.0 and 3.1 the schema on `text/event-stream` describes each event's
//! `data`, by common practice; in 3.2 `itemSchema` describes the whole event
//! (`event`, `data`, `id`, `retry`), with the JSON in `data` typed by
//! `contentSchema`, and kinds of events as `oneOf` branches keyed by a `const`
//! on `event`. An event stream's `itemSchema` becomes `schema: {oneOf: [the
//! data schema of each branch]}` with the branches' kinds beside it in
//! [`SSE_EVENTS`], so `lower` reads both versions with one code path and the
//! data schemas are normalized like any other.

use serde_json::{json, Map, Value};

use crate::diagnostics::{Code, Pointer, Sink};

/// The kinds of the branches of a rewritten event stream's `oneOf`, in order
/// (`null` for a branch that takes every other kind).
pub const SSE_EVENTS: &str = "x-generator-sse-events";

/// How deep `$ref`s are followed before giving up (a cycle of references).
const MAX_REF_DEPTH: usize = 32;

/// Rewrites every media type with an `itemSchema` in `document`.
pub fn rewrite_item_schemas(document: &mut Value, sink: &mut Sink) {
    let mut found = Vec::new();
    find_media_types(document, &Pointer::root(), &mut found);
    for at in found {
        let rewrite = {
            let Some(media) = value_at(document, &at) else {
                continue;
            };
            plan(document, media, &at, sink)
        };
        if let Some(Value::Object(media)) = value_at_mut(document, &at) {
            apply(media, rewrite);
        }
    }
}

/// What a media type becomes.
struct Rewrite {
    schema: Value,
    events: Option<Vec<Value>>,
}

/// The pointers of every media type object that has an `itemSchema`: entries of
/// a `content` map whose keys look like media types.
fn find_media_types(value: &Value, at: &Pointer, found: &mut Vec<Pointer>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(content)) = map.get("content") {
                for (media_type, media) in content {
                    let is_media = media_type.contains('/') && media.get("itemSchema").is_some();
                    if is_media {
                        found.push(at.push("content").push(media_type));
                    }
                }
            }
            for (key, child) in map {
                find_media_types(child, &at.push(key), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                find_media_types(child, &at.push(index), found);
            }
        }
        _ => {}
    }
}

/// The rewrite of one media type: its item schema, read as an event for an
/// event stream.
fn plan(document: &Value, media: &Value, at: &Pointer, sink: &mut Sink) -> Rewrite {
    let item = media
        .get("itemSchema")
        .cloned()
        .unwrap_or(Value::Bool(true));
    let media_type = at.segments().last().map(String::as_str).unwrap_or_default();
    if !is_event_stream(media_type) {
        return Rewrite {
            schema: item,
            events: None,
        };
    }
    match event_branches(document, &item) {
        Some(branches) => {
            let (events, data): (Vec<Value>, Vec<Value>) = branches.into_iter().unzip();
            Rewrite {
                schema: json!({ "oneOf": data }),
                events: Some(events),
            }
        }
        None => {
            sink.warning_with_hint(
                Code::Unsupported,
                &at.push("itemSchema"),
                "this event schema has no `data` property; each event's data is read as text",
                "describe the event as an object with `data` (and `event` for its kind)",
            );
            Rewrite {
                schema: json!({ "type": "string" }),
                events: Some(vec![Value::Null]),
            }
        }
    }
}

fn apply(media: &mut Map<String, Value>, rewrite: Rewrite) {
    for key in ["itemSchema", "itemEncoding", "prefixEncoding"] {
        media.shift_remove(key);
    }
    media.insert("schema".to_owned(), rewrite.schema);
    if let Some(events) = rewrite.events {
        media.insert(SSE_EVENTS.to_owned(), Value::Array(events));
    }
}

fn is_event_stream(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/event-stream")
}

/// Each branch's kind (`null` for any) and data schema, or `None` when no
/// branch has a `data` property.
fn event_branches(document: &Value, item: &Value) -> Option<Vec<(Value, Value)>> {
    let item = resolve(document, item);
    let branches: Vec<&Value> = match item.get("oneOf").or_else(|| item.get("anyOf")) {
        Some(Value::Array(branches)) => branches.iter().map(|b| resolve(document, b)).collect(),
        _ => vec![item],
    };
    let read: Vec<(Value, Option<Value>)> = branches
        .into_iter()
        .map(|branch| (event_kind(document, branch), data_schema(document, branch)))
        .collect();
    if read.iter().all(|(_, data)| data.is_none()) {
        return None;
    }
    // An event without `data` (a ping) is dispatched with empty text.
    let text = json!({ "type": "string" });
    Some(
        read.into_iter()
            .map(|(kind, data)| (kind, data.unwrap_or_else(|| text.clone())))
            .collect(),
    )
}

/// The properties of an event object, its `allOf` members' included.
fn property<'a>(document: &'a Value, schema: &'a Value, name: &str) -> Option<&'a Value> {
    if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
        return Some(found);
    }
    let members = schema.get("allOf")?.as_array()?;
    members
        .iter()
        .find_map(|member| property(document, resolve(document, member), name))
}

/// The one value `event` takes in a branch (`const`, or an enum of one).
fn event_kind(document: &Value, branch: &Value) -> Value {
    let Some(event) = property(document, branch, "event") else {
        return Value::Null;
    };
    let event = resolve(document, event);
    if let Some(Value::String(kind)) = event.get("const") {
        return Value::String(kind.clone());
    }
    match event
        .get("enum")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([Value::String(kind)]) => Value::String(kind.clone()),
        _ => Value::Null,
    }
}

/// The schema of a branch's `data`: its `contentSchema` when the text is JSON,
/// text when it is another media type, else the schema as written.
fn data_schema(document: &Value, branch: &Value) -> Option<Value> {
    let written = property(document, branch, "data")?;
    let data = resolve(document, written);
    let media_type = data.get("contentMediaType").and_then(Value::as_str);
    let is_json = media_type.is_none_or(|m| m.contains("json"));
    match data.get("contentSchema") {
        Some(schema) if is_json => Some(schema.clone()),
        _ if media_type.is_some() && !is_json => Some(json!({ "type": "string" })),
        _ => Some(written.clone()),
    }
}

/// `value`, or what its internal `$ref` points to (followed a bounded number of times).
fn resolve<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..MAX_REF_DEPTH {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        let Some(pointer) = target.strip_prefix('#') else {
            return value;
        };
        match document.pointer(pointer) {
            Some(found) => value = found,
            None => return value,
        }
    }
    value
}

/// The value at `at` (a pointer prints as `#/…`; serde_json reads `/…`).
fn value_at<'a>(document: &'a Value, at: &Pointer) -> Option<&'a Value> {
    document.pointer(at.to_string().trim_start_matches('#'))
}

fn value_at_mut<'a>(document: &'a mut Value, at: &Pointer) -> Option<&'a mut Value> {
    document.pointer_mut(at.to_string().trim_start_matches('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(document: Value) -> (Value, Sink) {
        let mut document = document;
        let mut sink = Sink::default();
        rewrite_item_schemas(&mut document, &mut sink);
        (document, sink)
    }

    #[test]
    fn an_event_union_becomes_data_schemas_with_their_kinds() {
        let document = json!({
            "paths": {"/chat": {"post": {"responses": {"200": {"content": {
                "text/event-stream": {"itemSchema": {"$ref": "#/components/schemas/Event"}},
                "application/jsonl": {"itemSchema": {"type": "integer"}}
            }}}}}},
            "components": {"schemas": {
                "Event": {"oneOf": [
                    {"properties": {"event": {"const": "delta"}, "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": {"$ref": "#/components/schemas/Delta"}}}},
                    {"allOf": [{"properties": {"event": {"enum": ["done"]}}}], "properties": {"data": {"type": "string"}}},
                    {"properties": {"event": {"type": "string"}}}
                ]},
                "Delta": {"type": "object"}
            }}
        });
        let (document, sink) = rewritten(document);
        assert!(sink.into_sorted().is_empty());
        let content = &document["paths"]["/chat"]["post"]["responses"]["200"]["content"];
        assert_eq!(
            content["text/event-stream"],
            json!({
                "schema": {"oneOf": [{"$ref": "#/components/schemas/Delta"}, {"type": "string"}, {"type": "string"}]},
                SSE_EVENTS: ["delta", "done", null]
            })
        );
        assert_eq!(
            content["application/jsonl"],
            json!({"schema": {"type": "integer"}})
        );
    }

    #[test]
    fn an_event_schema_without_data_is_text_with_a_warning() {
        let document = json!({"paths": {"/e": {"get": {"responses": {"200": {"content": {
            "text/event-stream; charset=utf-8": {"itemSchema": {"type": "object"}}
        }}}}}}});
        let (document, sink) = rewritten(document);
        let diagnostics = sink.into_sorted();
        assert_eq!(diagnostics.len(), 1);
        let pointer = &diagnostics[0].pointer;
        assert!(pointer.ends_with("itemSchema"), "{pointer}");
        let media = &document["paths"]["/e"]["get"]["responses"]["200"]["content"]
            ["text/event-stream; charset=utf-8"];
        assert_eq!(media["schema"], json!({"type": "string"}));
    }
}
