//! Repairs of OpenAPI objects other than schemas, for the normalization step of
//! the `load` phase: required fields the generator does not need, filled in
//! empty; and the Swagger 2 ways of writing parameters and bodies that converted
//! or hand-written 3.0 documents still carry, read as their author meant.

use serde_json::{Map, Value};

use crate::diagnostics::{Code, Pointer, Sink};

type Mapping = Map<String, Value>;

/// Keywords a Swagger 2 parameter writes beside `name` and `in`, which OpenAPI 3
/// writes inside its `schema`.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

/// `info` with a text `title` and `version`: a missing one is empty (the crate
/// name then comes from the file name), a number is its text.
pub(super) fn repair_info(document: &mut Mapping, sink: &mut Sink) {
    let at = Pointer::root().push("info");
    let info = document
        .entry("info")
        .or_insert_with(|| Value::Object(Mapping::new()));
    if !info.is_object() {
        *info = Value::Object(Mapping::new());
    }
    let Value::Object(info) = info else { return };
    let title = info.get("title").and_then(Value::as_str);
    if title.is_some_and(|t| !t.chars().any(char::is_alphanumeric)) {
        sink.warning_with_hint(
            Code::MissingField,
            &at.push("title"),
            "`info.title` has no letters or digits to name the crate after; it is named after the spec's file",
            "give the API a title, or set `x-rust-crate-name`",
        );
    }
    for field in ["title", "version"] {
        let text = match info.get(field) {
            Some(Value::String(_)) => continue,
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        let message = match &text {
            Some(text) => format!("`info.{field}` is not text; it is read as `\"{text}\"`"),
            None => format!("`info.{field}` is missing; it is taken as empty"),
        };
        info.insert(field.to_owned(), text.unwrap_or_default().into());
        sink.warning_with_hint(
            Code::MissingField,
            &at.push(field),
            message,
            format!("give `info.{field}` a string value"),
        );
    }
}

/// Response keys as OpenAPI writes them: `200`, `2XX` or `default`. `2xx` and
/// `Default` are read as meant, and a key with a status in front (`200 OK`) as
/// that status; a key that names no status is dropped.
pub(super) fn repair_status_keys(responses: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let keys: Vec<String> = responses.keys().cloned().collect();
    for key in keys {
        if key.starts_with("x-") || is_status_key(&key) {
            continue;
        }
        let at = at.push(&key);
        let fixed = status_key(&key).filter(|k| !responses.contains_key(k));
        let entries: Vec<(String, Value)> = std::mem::take(responses).into_iter().collect();
        for (k, v) in entries {
            match (&fixed, k == key) {
                (Some(fixed), true) => {
                    responses.insert(fixed.clone(), v);
                }
                (None, true) => {}
                (_, false) => {
                    responses.insert(k, v);
                }
            }
        }
        let message = match &fixed {
            Some(fixed) => format!("the response key `{key}` is read as `{fixed}`"),
            None => format!("the response key `{key}` names no status; the response is dropped"),
        };
        sink.warning_with_hint(
            Code::Shape,
            &at,
            message,
            "key responses by status (`200`), class (`2XX`) or `default`",
        );
    }
}

fn is_status_key(key: &str) -> bool {
    key == "default"
        || (key.len() == 3
            && key.as_bytes()[0].is_ascii_digit()
            && (key.bytes().all(|b| b.is_ascii_digit()) || &key[1..] == "XX"))
}

/// The status key a malformed one means, if any.
fn status_key(key: &str) -> Option<String> {
    let trimmed = key.trim();
    if trimmed.eq_ignore_ascii_case("default") {
        return Some("default".to_owned());
    }
    let lead: String = trimmed.chars().take(3).collect();
    let upper = lead.to_ascii_uppercase();
    let candidate = if upper.len() == 3 && upper[1..].eq("XX") {
        upper
    } else {
        lead
    };
    // `200 OK`, `200-ok`: a status followed by words.
    let rest_ok = trimmed.get(3..).is_none_or(|rest| {
        rest.is_empty() || rest.starts_with(|c: char| !c.is_ascii_alphanumeric())
    });
    (is_status_key(&candidate) && candidate != "default" && rest_ok).then_some(candidate)
}

/// A response without a `description` (which OpenAPI requires before 3.2;
/// `required` says whether it does here) gets an empty one.
pub(super) fn fill_description(
    response: &mut Mapping,
    at: &Pointer,
    required: bool,
    sink: &mut Sink,
) {
    if response.contains_key("$ref") || response.get("description").is_some_and(Value::is_string) {
        return;
    }
    let text = match response.get("description") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    };
    // openapiv3 requires the field; OpenAPI 3.2 does not, so leaving it out is no defect there.
    let absent = !response.contains_key("description");
    response.insert("description".to_owned(), text.into());
    if absent && !required {
        return;
    }
    sink.warning_with_hint(
        Code::MissingField,
        &at.push("description"),
        "the response has no text `description`, which OpenAPI requires; it is taken as empty",
        "describe the response",
    );
}

/// A parameter or header written the Swagger 2 way, with `type`, `format`,
/// `items`, … beside `name` instead of in a `schema`: those move into `schema`.
/// One with neither `schema` nor `content` accepts any value.
pub(super) fn swagger2_parameter(parameter: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    if parameter.contains_key("$ref")
        || parameter.contains_key("schema")
        || parameter.contains_key("content")
    {
        return;
    }
    let mut schema = Mapping::new();
    for keyword in SCHEMA_KEYWORDS {
        if let Some(value) = parameter.shift_remove(*keyword) {
            schema.insert((*keyword).to_owned(), value);
        }
    }
    let message = if schema.is_empty() {
        "the parameter has neither `schema` nor `content`; it accepts any value".to_owned()
    } else {
        let keys: Vec<&str> = schema.keys().map(String::as_str).collect();
        format!(
            "`{}` beside the parameter's name is the Swagger 2 form; it is read as its `schema`",
            keys.join("`, `")
        )
    };
    let code = if schema.is_empty() {
        Code::MissingField
    } else {
        Code::VersionHabit
    };
    parameter.insert("schema".to_owned(), Value::Object(schema));
    sink.warning_with_hint(code, at, message, "give the parameter a `schema`");
}

/// Swagger 2's `in: body` and `in: formData` parameters of an operation become its
/// `requestBody` (JSON, or a form with one property per parameter; multipart when
/// one is a file), unless it has one already, in which case they are dropped.
pub(super) fn swagger2_body(operation: &mut Mapping, at: &Pointer, sink: &mut Sink) {
    let Some(Value::Array(parameters)) = operation.get_mut("parameters") else {
        return;
    };
    let location = |p: &Value| p.get("in").and_then(Value::as_str).map(str::to_owned);
    let is_body = |p: &Value| matches!(location(p).as_deref(), Some("body" | "formData"));
    if !parameters.iter().any(is_body) {
        return;
    }
    let (moved, kept): (Vec<Value>, Vec<Value>) = parameters.drain(..).partition(is_body);
    *parameters = kept;
    let at = at.push("parameters");
    if operation.contains_key("requestBody") {
        let message =
            "`in: body`/`in: formData` parameters (Swagger 2) beside a `requestBody` are dropped";
        sink.warning_with_hint(
            Code::VersionHabit,
            &at,
            message,
            "describe the body once, in `requestBody`",
        );
        return;
    }
    let body = match moved
        .iter()
        .find(|p| location(p).as_deref() == Some("body"))
    {
        Some(parameter) => json_body(parameter),
        None => form_body(&moved),
    };
    operation.insert("requestBody".to_owned(), body);
    sink.warning_with_hint(
        Code::VersionHabit,
        &at,
        "`in: body`/`in: formData` parameters are the Swagger 2 form; they are read as the `requestBody`",
        "describe the body in `requestBody`",
    );
}

fn json_body(parameter: &Value) -> Value {
    let schema = parameter
        .get("schema")
        .cloned()
        .unwrap_or_else(|| Value::Object(Mapping::new()));
    let required = parameter
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    body_of(
        "application/json",
        schema,
        required,
        parameter.get("description"),
    )
}

fn form_body(parameters: &[Value]) -> Value {
    let mut properties = Mapping::new();
    let mut required = Vec::new();
    let mut has_file = false;
    for parameter in parameters {
        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
            continue;
        };
        let mut schema = Mapping::new();
        for keyword in SCHEMA_KEYWORDS {
            if let Some(value) = parameter.get(*keyword) {
                schema.insert((*keyword).to_owned(), value.clone());
            }
        }
        if let Some(schema_value) = parameter.get("schema").and_then(Value::as_object) {
            schema.extend(schema_value.clone());
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            has_file = true;
            schema.insert("type".to_owned(), "string".into());
            schema.insert("format".to_owned(), "binary".into());
        }
        if let Some(description) = parameter.get("description") {
            schema
                .entry("description")
                .or_insert_with(|| description.clone());
        }
        if parameter.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(name.to_owned()));
        }
        properties.insert(name.to_owned(), Value::Object(schema));
    }
    let is_required = !required.is_empty();
    let mut schema = Mapping::new();
    schema.insert("type".to_owned(), "object".into());
    schema.insert("properties".to_owned(), Value::Object(properties));
    if is_required {
        schema.insert("required".to_owned(), Value::Array(required));
    }
    let media = if has_file {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    body_of(media, Value::Object(schema), is_required, None)
}

fn body_of(media: &str, schema: Value, required: bool, description: Option<&Value>) -> Value {
    let mut media_type = Mapping::new();
    media_type.insert("schema".to_owned(), schema);
    let mut content = Mapping::new();
    content.insert(media.to_owned(), Value::Object(media_type));
    let mut body = Mapping::new();
    if let Some(description) = description.filter(|d| d.is_string()) {
        body.insert("description".to_owned(), description.clone());
    }
    body.insert("content".to_owned(), Value::Object(content));
    body.insert("required".to_owned(), required.into());
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn with_sink<T>(f: impl FnOnce(&mut Sink) -> T) -> (T, Vec<Code>) {
        let mut sink = Sink::default();
        let out = f(&mut sink);
        (
            out,
            sink.into_sorted().into_iter().map(|d| d.code).collect(),
        )
    }

    #[test]
    fn swagger2_parameters_get_a_schema() {
        let mut parameter = json!({"name": "n", "in": "query", "type": "integer", "minimum": 1});
        let (_, codes) = with_sink(|sink| {
            if let Some(map) = parameter.as_object_mut() {
                swagger2_parameter(map, &Pointer::root(), sink);
            }
        });
        assert_eq!(
            parameter,
            json!({"name": "n", "in": "query", "schema": {"type": "integer", "minimum": 1}})
        );
        assert_eq!(codes, [Code::VersionHabit]);
    }

    #[test]
    fn body_and_form_data_parameters_become_the_request_body() {
        let mut operation = json!({"parameters": [
            {"name": "q", "in": "query", "schema": {"type": "string"}},
            {"name": "file", "in": "formData", "type": "file", "required": true},
            {"name": "note", "in": "formData", "type": "string"}
        ]});
        let (_, codes) = with_sink(|sink| {
            if let Some(map) = operation.as_object_mut() {
                swagger2_body(map, &Pointer::root(), sink);
            }
        });
        assert_eq!(
            operation["parameters"],
            json!([{"name": "q", "in": "query", "schema": {"type": "string"}}])
        );
        let schema = &operation["requestBody"]["content"]["multipart/form-data"]["schema"];
        assert_eq!(
            schema["properties"]["file"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(schema["required"], json!(["file"]));
        assert_eq!(codes, [Code::VersionHabit]);
    }

    #[test]
    fn response_keys_are_read_as_statuses() {
        let mut responses = json!({"200 OK": {}, "4xx": {}, "Default": {}, "ok": {}, "201": {}})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let (_, codes) =
            with_sink(|sink| repair_status_keys(&mut responses, &Pointer::root(), sink));
        let keys: Vec<&String> = responses.keys().collect();
        assert_eq!(keys, ["200", "4XX", "default", "201"]);
        assert_eq!(codes.len(), 4);
    }

    #[test]
    fn missing_descriptions_and_titles_are_filled_in() {
        let mut response = json!({"content": {}});
        let (_, codes) = with_sink(|sink| {
            if let Some(map) = response.as_object_mut() {
                fill_description(map, &Pointer::root(), true, sink);
            }
        });
        assert_eq!(response["description"], json!(""));
        assert_eq!(codes, [Code::MissingField]);
        let mut document = json!({"info": {"version": 1.5}});
        let (_, codes) = with_sink(|sink| {
            if let Some(map) = document.as_object_mut() {
                repair_info(map, sink);
            }
        });
        assert_eq!(document["info"], json!({"version": "1.5", "title": ""}));
        assert_eq!(codes.len(), 2);
    }
}
