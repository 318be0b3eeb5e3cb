//! Decoding: the seed chat, the `lastReadMessageSortKey` union and open enums.

use super::*;

// ------------------------------------------------- decoding the seed chat

#[tokio::test]
async fn retrieve_decodes_the_seed_chat() {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    let chat = client
        .chats()
        .retrieve("!instagram_mattwondra:local-instagram.localhost")
        .send()
        .await
        .expect("the seed chat decodes");
    only_request(&server);

    assert_eq!(chat.id, "!instagram_mattwondra:local-instagram.localhost");
    assert_eq!(
        chat.account_id,
        "local-instagram_ba_eRfQMmnSNy_p7Ih7HL7RduRpKFU"
    );
    assert_eq!(chat.network, "Instagram");
    assert_eq!(chat.title, "Matt Wondra");
    assert_eq!(chat.r#type, ChatType::Single);
    assert_eq!(chat.unread_count, 0);
    assert_eq!(chat.is_archived, Some(false));
    assert_eq!(chat.is_muted, Some(false));
    assert_eq!(chat.is_pinned, Some(false));
    assert_eq!(chat.local_chat_id.as_deref(), Some("1229391"));
    assert_eq!(chat.last_activity, Some(instant("2025-08-31T19:41:41Z")));
    assert_eq!(chat.description, None);
    assert_eq!(chat.capabilities, None);
    assert_eq!(
        chat.last_read_message_sort_key,
        Some(LastReadMessageSortKey::Integer(449_706_228_480))
    );

    let participants = &chat.participants;
    assert!(!participants.has_more);
    assert_eq!(participants.total, 2);
    assert_eq!(participants.items.len(), 2);
    let (matt, me) = (&participants.items[0], &participants.items[1]);
    assert_eq!(matt.id, "@mattwondra:local-instagram.localhost");
    assert_eq!(matt.username.as_deref(), Some("mattwondra"));
    assert_eq!(matt.is_self, Some(false));
    assert_eq!(matt.cannot_message, Some(false));
    assert_eq!(me.id, "@batuhan:local-instagram.localhost");
    assert_eq!(me.full_name.as_deref(), Some("Batuhan İçöz"));
    assert_eq!(me.is_self, Some(true));
    assert_eq!(me.phone_number.as_deref(), Some("phoneNumber"));
    assert_eq!(me.img_url.as_deref(), Some("imgURL"));
    assert_eq!(me.is_admin, None);
}

#[tokio::test]
async fn seed_chat_reserializes_to_the_same_json() {
    let (_server, client) = setup([chat_reply(&seed_chat())]).await;
    let chat = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect("decodes");
    let mut back = serde_json::to_value(&chat).expect("a chat serializes");
    // The instant may be written in another RFC 3339 spelling; compare it as an instant.
    let written = back["lastActivity"]
        .as_str()
        .expect("lastActivity is a string");
    assert_eq!(instant(written), instant("2025-08-31T19:41:41.000Z"));
    back["lastActivity"] = json!("2025-08-31T19:41:41.000Z");
    assert_eq!(back, seed_chat());
}

// ----------------------------------------- lastReadMessageSortKey union

/// Serves the seed chat with `lastReadMessageSortKey` set to `wire` (absent for
/// `None`), checks the decoded value and that re-serializing gives `wire` back.
async fn check_sort_key(wire: Option<Value>, expected: Option<LastReadMessageSortKey>) {
    let body = seed_chat_with("lastReadMessageSortKey", wire.clone());
    let (_server, client) = setup([chat_reply(&body)]).await;
    let chat = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        chat.last_read_message_sort_key, expected,
        "wire value {wire:?}"
    );

    if let Some(key) = &chat.last_read_message_sort_key {
        let key_json = serde_json::to_value(key).expect("the union serializes");
        assert_eq!(Some(key_json), wire, "the union re-serializes unchanged");
    }
    // Null and absent both mean "unknown"; re-serializing may leave the field out.
    let back = serde_json::to_value(&chat).expect("a chat serializes");
    let expected_back = wire.filter(|value| !value.is_null());
    assert_eq!(back.get("lastReadMessageSortKey").cloned(), expected_back);
}

#[tokio::test]
async fn sort_key_as_integer() {
    check_sort_key(
        Some(json!(449_706_228_480_i64)),
        Some(LastReadMessageSortKey::Integer(449_706_228_480)),
    )
    .await;
}

#[tokio::test]
async fn sort_key_as_string() {
    check_sort_key(
        Some(json!("449706228480")),
        Some(LastReadMessageSortKey::String("449706228480".to_owned())),
    )
    .await;
    check_sort_key(
        Some(json!("AAB7-opaque")),
        Some(LastReadMessageSortKey::String("AAB7-opaque".to_owned())),
    )
    .await;
}

#[tokio::test]
async fn sort_key_null_and_absent_are_none() {
    check_sort_key(Some(Value::Null), None).await;
    check_sort_key(None, None).await;
}

#[test]
fn sort_key_display_from_and_accessors() {
    let integer = LastReadMessageSortKey::from(449_706_228_480_i64);
    assert_eq!(integer, LastReadMessageSortKey::Integer(449_706_228_480));
    assert_eq!(integer.to_string(), "449706228480");
    assert_eq!(integer.as_integer(), Some(449_706_228_480));
    assert_eq!(integer.as_string(), None);

    let string = LastReadMessageSortKey::from("k-42");
    assert_eq!(string, LastReadMessageSortKey::String("k-42".to_owned()));
    assert_eq!(LastReadMessageSortKey::from("k-42".to_owned()), string);
    assert_eq!(string.to_string(), "k-42");
    assert_eq!(string.as_string(), Some("k-42"));
    assert_eq!(string.as_integer(), None);
}

// -------------------------------------------------------------- open enums

#[tokio::test]
async fn unknown_enum_values_decode_into_other_and_round_trip() {
    let capabilities = json!({
        "reaction": 7,
        "edit": -2,
        "formatting": {"bold": 2, "spoiler": 9},
        "disappearingTimer": {"types": ["afterRead", "onView"]}
    });
    let mut body = seed_chat_with("type", Some(json!("channel")));
    body["capabilities"] = capabilities.clone();
    let (_server, client) = setup([chat_reply(&body)]).await;
    let chat: Chat = client
        .chats()
        .retrieve(ROOM_ID)
        .send()
        .await
        .expect("decodes");

    assert_eq!(chat.r#type, ChatType::Other("channel".to_owned()));
    assert_eq!(chat.r#type.as_str(), "channel");
    assert_eq!(chat.r#type.to_string(), "channel");
    let caps = chat.capabilities.as_ref().expect("capabilities decode");
    assert_eq!(caps.reaction, Some(CapabilitySupportLevel::Other(7)));
    assert_eq!(caps.reaction.map(CapabilitySupportLevel::value), Some(7));
    assert_eq!(caps.edit, Some(CapabilitySupportLevel::Rejected));
    let formatting = caps.formatting.as_ref().expect("formatting decodes");
    assert_eq!(formatting.get("bold"), Some(&CapabilitySupportLevel::Full));
    assert_eq!(
        formatting.get("spoiler"),
        Some(&CapabilitySupportLevel::Other(9))
    );
    let timer = caps.disappearing_timer.as_ref().expect("timer decodes");
    assert_eq!(
        timer.types.as_deref(),
        Some(
            &[
                ChatCapabilitiesDisappearingTimerTypesItem::AfterRead,
                ChatCapabilitiesDisappearingTimerTypesItem::Other("onView".to_owned()),
            ][..]
        )
    );

    let back = serde_json::to_value(&chat).expect("a chat serializes");
    assert_eq!(back["type"], json!("channel"));
    assert_eq!(back["capabilities"], capabilities);
}

#[test]
fn open_enum_conversions() {
    assert_eq!(ChatType::from("single"), ChatType::Single);
    assert_eq!(
        ChatType::from("channel".to_owned()),
        ChatType::Other("channel".to_owned())
    );
    assert_eq!("group".parse::<ChatType>(), Ok(ChatType::Group));
    assert_eq!(
        CapabilitySupportLevel::from(1),
        CapabilitySupportLevel::Partial
    );
    assert_eq!(
        CapabilitySupportLevel::from(42),
        CapabilitySupportLevel::Other(42)
    );
    assert_eq!(CapabilitySupportLevel::Other(42).to_string(), "42");
    assert_eq!(CapabilitySupportLevel::Dropped.to_string(), "-1");
}
