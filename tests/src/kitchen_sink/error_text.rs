//! What a user sees of an API error, for the error bodies of the `/errors`
//! operations of the kitchen sink: Matrix's, RFC 7807 problem details, OAuth
//! 2's, Stripe's nested `error`, a plain text body, and names only the spec's
//! schema knows. `Display`, `message()` and `code()` say what went wrong;
//! raw JSON is shown only when nothing fits.

use serde_json::json;

use super::*;

/// The text, message and code of the error `call` ends with.
fn seen<B>(
    result: Result<(), kitchen_sink_api::Error<B>>,
) -> (String, Option<String>, Option<String>) {
    let error = result.expect_err("the server answers with an error");
    let api = error.api().expect("an API error");
    (
        error.to_string(),
        api.message().map(str::to_owned),
        api.code().map(str::to_owned),
    )
}

fn expect(
    text: &str,
    message: Option<&str>,
    code: Option<&str>,
) -> (String, Option<String>, Option<String>) {
    (
        text.to_owned(),
        message.map(str::to_owned),
        code.map(str::to_owned),
    )
}

#[tokio::test]
async fn each_error_shape_says_what_went_wrong() {
    let (_server, client) = setup([
        Reply::json(403, &json!({"errcode": "M_FORBIDDEN", "error": "You are not invited to this room"})),
        Reply::raw(404, "application/problem+json", r#"{"type": "https://example.com/probs/no-such-note", "title": "No such note", "status": 404, "detail": "Note 42 was deleted yesterday.", "instance": "/notes/42"}"#),
        Reply::json(400, &json!({"error": "invalid_grant", "error_description": "The authorization code has expired."})),
        Reply::json(402, &json!({"error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined.", "param": "card"}})),
        Reply::raw(503, "text/plain", "Down for maintenance until 14:00 UTC\n"),
        Reply::json(422, &json!({"userMessage": "The name is taken.", "reasonCode": 1042, "debugInfo": "unique(name)"})),
    ])
    .await;
    let errors = client.errors();
    assert_eq!(
        seen(errors.matrix().send().await),
        expect(
            "the API answered 403 Forbidden: You are not invited to this room (code M_FORBIDDEN)",
            Some("You are not invited to this room"),
            Some("M_FORBIDDEN")
        )
    );
    assert_eq!(
        seen(errors.problem().send().await),
        expect(
            "the API answered 404 Not Found: Note 42 was deleted yesterday. (code https://example.com/probs/no-such-note)",
            Some("Note 42 was deleted yesterday."),
            Some("https://example.com/probs/no-such-note")
        )
    );
    assert_eq!(
        seen(errors.oauth().send().await),
        expect(
            "the API answered 400 Bad Request: The authorization code has expired. (code invalid_grant)",
            Some("The authorization code has expired."),
            Some("invalid_grant")
        )
    );
    assert_eq!(
        seen(errors.nested().send().await),
        expect(
            "the API answered 402 Payment Required: Your card was declined. (code card_declined)",
            Some("Your card was declined."),
            Some("card_declined")
        )
    );
    assert_eq!(
        seen(errors.text().send().await),
        expect(
            "the API answered 503 Service Unavailable: Down for maintenance until 14:00 UTC",
            Some("Down for maintenance until 14:00 UTC"),
            None
        )
    );
    assert_eq!(
        seen(errors.own_names().send().await),
        expect(
            "the API answered 422 Unprocessable Entity: The name is taken. (code 1042)",
            Some("The name is taken."),
            Some("1042")
        )
    );
}

#[tokio::test]
async fn raw_json_is_shown_only_when_nothing_fits() {
    let (_server, client) = setup([Reply::json(403, &json!({"ok": false, "retryIn": 30}))]).await;
    let (text, message, code) = seen(client.errors().matrix().send().await);
    assert_eq!(
        text,
        r#"the API answered 403 Forbidden: {"ok":false,"retryIn":30}"#
    );
    assert_eq!((message, code), (None, None));
}
