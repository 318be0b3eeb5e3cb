//! Tri-state PATCH bodies: a field left out keeps its value, `null` clears it,
//! a value sets it; through the builder's setters, `clear_*` methods, a whole
//! [`UpdateChatInput`] body, and `Nullable` decoding.

use beeper_desktop_api::types::{ChatDraftInput, UpdateChatInput};
use beeper_desktop_api::Nullable;

use super::*;

/// Sends `update` (a PATCH of [`ROOM_ID`]) and returns the JSON body it carried.
async fn patch_body(
    update: impl FnOnce(&Client) -> beeper_desktop_api::resources::PatchChatRequest,
) -> Value {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    update(&client).send().await.expect("the chat decodes");
    let request = only_request(&server);
    assert_eq!(
        request.request_line(),
        format!("PATCH /v1/chats/{ROOM_ID} HTTP/1.1")
    );
    check_common_headers(&request);
    assert_eq!(request.header("content-type"), Some("application/json"));
    request.body_json().expect("the body is JSON")
}

#[tokio::test]
async fn nothing_set_sends_an_empty_object() {
    assert_eq!(patch_body(|c| c.chats().update(ROOM_ID)).await, json!({}));
}

#[tokio::test]
async fn a_value_is_sent_as_the_value() {
    let body = patch_body(|c| c.chats().update(ROOM_ID).title("x")).await;
    assert_eq!(body, json!({"title": "x"}));
    let draft = ChatDraftInput {
        text: "hi".to_owned(),
        attachments: None,
    };
    let body = patch_body(|c| c.chats().update(ROOM_ID).draft(draft).is_muted(true)).await;
    assert_eq!(body, json!({"draft": {"text": "hi"}, "isMuted": true}));
}

#[tokio::test]
async fn clear_sends_null() {
    let body = patch_body(|c| c.chats().update(ROOM_ID).clear_title()).await;
    assert_eq!(body, json!({"title": null}));
    let body = patch_body(|c| c.chats().update(ROOM_ID).clear_draft()).await;
    assert_eq!(body, json!({"draft": null}));
    let body = patch_body(|c| {
        c.chats()
            .update(ROOM_ID)
            .title("first")
            .clear_title()
            .clear_description()
            .clear_img_url()
            .clear_message_expiry_seconds()
            .is_pinned(false)
    })
    .await;
    assert_eq!(
        body,
        json!({
            "title": null, "description": null, "imgURL": null,
            "messageExpirySeconds": null, "isPinned": false
        })
    );
}

#[tokio::test]
async fn a_whole_body_keeps_its_three_states() {
    let input = UpdateChatInput {
        title: Nullable::Null,
        description: Nullable::Value("topic".to_owned()),
        ..Default::default()
    };
    let body = patch_body(|c| c.chats().update(ROOM_ID).body(input)).await;
    assert_eq!(body, json!({"title": null, "description": "topic"}));
    let empty = patch_body(|c| c.chats().update(ROOM_ID).body(UpdateChatInput::default())).await;
    assert_eq!(empty, json!({}));
}

#[test]
fn nullable_fields_decode_absent_null_and_value() {
    let decode =
        |body: Value| serde_json::from_value::<UpdateChatInput>(body).expect("the body decodes");
    let absent = decode(json!({}));
    assert!(
        absent.title.is_absent() && absent.draft.is_absent(),
        "{absent:?}"
    );
    assert_eq!(absent, UpdateChatInput::default());
    let null = decode(json!({"title": null, "messageExpirySeconds": null}));
    assert_eq!(null.title, Nullable::Null);
    assert!(null.message_expiry_seconds.is_null());
    assert!(null.description.is_absent());
    let value = decode(json!({"title": "x", "messageExpirySeconds": 60}));
    assert_eq!(value.title.as_value().map(String::as_str), Some("x"));
    assert_eq!(value.message_expiry_seconds.into_option(), Some(Some(60)));
    assert_eq!(null.title.clone().into_option(), Some(None));
    assert_eq!(absent.title.clone().into_option(), None);
    assert_eq!(Nullable::from(5), Nullable::Value(5));
    for input in [absent, null, value] {
        let round = serde_json::to_value(&input).expect("the input encodes");
        assert_eq!(decode(round), input, "encoding and decoding keep the state");
    }
}
