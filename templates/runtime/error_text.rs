//! What an error body says, for [`ApiError`](super::ApiError): the human
//! message and the machine code, wherever the API keeps them.
//!
//! APIs disagree on the keys: `message` and `code` (most), `error` and
//! `errcode` (Matrix), `error_description` and `error` (OAuth 2), `detail`,
//! `title` and `type` (RFC 7807 problem details), a nested `error` object
//! (Stripe, Google), a list of `errors`, or a plain string. The generator reads
//! each operation's error schemas and names the properties that carry them
//! ([`ErrorFields`]); those are tried first, then the common keys below, on the
//! object, in its `error` object and in the first of its `errors`.

use serde_json::Value;

/// The properties of an operation's error bodies that carry the message and
/// the code, as paths of keys (an index for an array item), in the order tried.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ErrorFields {
    pub(crate) message: &'static [&'static [&'static str]],
    pub(crate) code: &'static [&'static [&'static str]],
}

/// Keys that hold the message, most telling first.
const MESSAGE_KEYS: &[&str] = &[
    "message",
    "error_description",
    "detail",
    "errorMessage",
    "error_message",
    "msg",
    "description",
    "error",
    "title",
    "reason",
];

/// Keys that hold the code, most specific first; `error` only when it did not
/// hold the message (OAuth 2's `invalid_grant` beside its `error_description`).
const CODE_KEYS: &[&str] = &[
    "code",
    "errcode",
    "error_code",
    "errorCode",
    "type",
    "status",
    "reason",
    "error",
];

/// The message of a body: `json` when it parsed, else its text.
pub(crate) fn message_of(json: Option<&Value>, text: &str, fields: &ErrorFields) -> Option<String> {
    let Some(json) = json else {
        return plain_text(text);
    };
    if let Value::String(message) = json {
        return non_empty(message);
    }
    found_at(json, fields.message, as_message)
        .or_else(|| common(json, MESSAGE_KEYS, None, as_message).map(|(_, m)| m))
}

/// The code of a body, when it has one.
pub(crate) fn code_of(json: Option<&Value>, fields: &ErrorFields) -> Option<String> {
    let json = json?;
    if let Some(code) = found_at(json, fields.code, as_code) {
        return Some(code);
    }
    // The key that held the message is not also the code.
    let message_key = common(json, MESSAGE_KEYS, None, as_message).map(|(key, _)| key);
    common(json, CODE_KEYS, message_key, as_code).map(|(_, c)| c)
}

/// The first of `paths` that leads to a value `read` accepts.
fn found_at(json: &Value, paths: &[&[&str]], read: Read) -> Option<String> {
    paths.iter().find_map(|path| {
        let value = path.iter().try_fold(json, |value, key| match value {
            Value::Array(items) => items.get(key.parse::<usize>().ok()?),
            _ => value.get(key),
        })?;
        read("", value)
    })
}

/// Reads the value under a key (empty for a path the spec named) as text.
type Read = fn(&str, &Value) -> Option<String>;

/// The first of `keys` (not `skip`) that `read` accepts, on the object, then in
/// its `error` object, then in the first of its `errors`; with the key found.
fn common(
    json: &Value,
    keys: &[&'static str],
    skip: Option<&'static str>,
    read: Read,
) -> Option<(&'static str, String)> {
    let nested = [
        Some(json),
        json.get("error").filter(|e| e.is_object()),
        json.get("errors")
            .and_then(|e| e.get(0))
            .filter(|e| e.is_object()),
    ];
    nested
        .into_iter()
        .flatten()
        .enumerate()
        .find_map(|(depth, object)| {
            keys.iter()
                .filter(|key| depth > 0 || Some(**key) != skip)
                .find_map(|key| Some((*key, read(key, object.get(key)?)?)))
        })
}

/// A message: a string, or a list of strings (joined).
fn as_message(_key: &str, value: &Value) -> Option<String> {
    match value {
        Value::String(text) => non_empty(text),
        Value::Array(items) => {
            let texts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!texts.is_empty() && texts.len() == items.len()).then(|| texts.join("; "))
        }
        _ => None,
    }
}

/// A code: a string or a number. RFC 7807's `about:blank` says nothing, a
/// numeric `status` repeats the HTTP status, and an `error` with spaces is a
/// phrase ("Bad Request"), not a code.
fn as_code(key: &str, value: &Value) -> Option<String> {
    match value {
        Value::String(text) if text == "about:blank" => None,
        Value::String(text) if key == "error" && text.contains(char::is_whitespace) => None,
        Value::Number(_) if key == "status" => None,
        Value::String(text) => non_empty(text),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A body that is not JSON is its own message when it reads as one: a line or
/// a few of text, not an HTML or XML page.
fn plain_text(text: &str) -> Option<String> {
    let text = text.trim();
    let markup = text.starts_with('<');
    (!text.is_empty() && !markup && text.len() <= 1024).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(message, code)` of a body, with no fields from the spec.
    fn said(body: &str) -> (Option<String>, Option<String>) {
        let json: Option<Value> = serde_json::from_str(body).ok();
        let fields = ErrorFields::default();
        (
            message_of(json.as_ref(), body, &fields),
            code_of(json.as_ref(), &fields),
        )
    }

    fn pair(message: &str, code: Option<&str>) -> (Option<String>, Option<String>) {
        (Some(message.to_owned()), code.map(str::to_owned))
    }

    #[test]
    fn the_common_shapes_say_their_message_and_code() {
        let table = [
            (
                r#"{"message": "Chat not found", "code": "NOT_FOUND"}"#,
                pair("Chat not found", Some("NOT_FOUND")),
            ),
            (
                r#"{"errcode": "M_FORBIDDEN", "error": "You are not invited to this room"}"#,
                pair("You are not invited to this room", Some("M_FORBIDDEN")),
            ),
            (
                r#"{"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit.", "detail": "Your balance is 30, but that costs 50.", "status": 403}"#,
                pair(
                    "Your balance is 30, but that costs 50.",
                    Some("https://example.com/probs/out-of-credit"),
                ),
            ),
            (
                r#"{"type": "about:blank", "title": "Not Found", "status": 404}"#,
                pair("Not Found", None),
            ),
            (
                r#"{"error": "invalid_grant", "error_description": "The code has expired."}"#,
                pair("The code has expired.", Some("invalid_grant")),
            ),
            (
                r#"{"error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."}}"#,
                pair("Your card was declined.", Some("card_declined")),
            ),
            (
                r#"{"error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}}"#,
                pair("The caller does not have permission", Some("403")),
            ),
            (
                r#"{"errors": [{"message": "Bad credentials", "code": "auth"}]}"#,
                pair("Bad credentials", Some("auth")),
            ),
            (
                r#"{"statusCode": 400, "message": ["name must be a string", "age must be a number"], "error": "Bad Request"}"#,
                pair("name must be a string; age must be a number", None),
            ),
            (
                r#""Rate limit exceeded""#,
                pair("Rate limit exceeded", None),
            ),
            ("Service Unavailable\n", pair("Service Unavailable", None)),
        ];
        for (body, expected) in table {
            assert_eq!(said(body), expected, "{body}");
        }
    }

    #[test]
    fn nothing_is_made_up_where_nothing_fits() {
        for body in [
            r#"{"ok": false, "count": 3}"#,
            "<html><body>Bad gateway</body></html>",
            "",
            "[1, 2]",
        ] {
            assert_eq!(said(body), (None, None), "{body}");
        }
    }

    #[test]
    fn the_spec_s_fields_come_first() {
        let body = r#"{"message": "generic", "userMessage": "Try again tomorrow", "result": {"kind": "quota"}}"#;
        let json: Option<Value> = serde_json::from_str(body).ok();
        let fields = ErrorFields {
            message: &[&["userMessage"]],
            code: &[&["result", "kind"]],
        };
        assert_eq!(
            message_of(json.as_ref(), body, &fields).as_deref(),
            Some("Try again tomorrow")
        );
        assert_eq!(code_of(json.as_ref(), &fields).as_deref(), Some("quota"));
        let listed = ErrorFields {
            message: &[&["problems", "1", "text"]],
            code: &[],
        };
        let body = r#"{"problems": [{"text": "a"}, {"text": "b"}]}"#;
        let json: Option<Value> = serde_json::from_str(body).ok();
        assert_eq!(
            message_of(json.as_ref(), body, &listed).as_deref(),
            Some("b")
        );
    }
}
