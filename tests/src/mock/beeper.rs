//! Behaviour tests of the Beeper client ported to the mock: the typed
//! expectation states the request, the typed responder the answer, and
//! `verify` that nothing else was sent. (Tests that check the exact request
//! line or raw bytes stay on the hand-written server in `behaviour`.)

use beeper_desktop_api::mock::MockServer;
use beeper_desktop_api::types::{Account, Chat, ConnectInfoOutput};
use beeper_desktop_api::Error;
use futures_util::StreamExt;
use serde_json::json;

fn chat(id: &str) -> Chat {
    serde_json::from_value(json!({
        "id": id, "localChatID": null, "accountID": "whatsapp", "network": "WhatsApp", "title": "Ada",
        "type": "single", "participants": {"items": [], "hasMore": false, "total": 0},
        "unreadCount": 0,
    }))
    .expect("a chat")
}

#[tokio::test]
async fn accounts_list_decodes_a_bare_array() {
    let server = MockServer::start().await;
    let accounts: Vec<Account> = serde_json::from_value(json!([
        {"accountID": "whatsapp", "bridge": {"id": "b1", "type": "whatsapp", "provider": "local"},
         "user": {"id": "u1", "fullName": "Ada"}},
        {"accountID": "imessage", "bridge": {"id": "b2", "type": "imessage", "provider": "local"},
         "user": {"id": "u2"}},
    ]))
    .expect("accounts");
    server.accounts().list().times(1).respond_ok(accounts);
    let list = server
        .client()
        .accounts()
        .list()
        .send()
        .await
        .expect("a bare array");
    let ids: Vec<&str> = list.iter().map(|a| a.account_id.as_str()).collect();
    assert_eq!(ids, ["whatsapp", "imessage"]);
    assert_eq!(list[0].user.full_name.as_deref(), Some("Ada"));
    server.verify();
}

#[tokio::test]
async fn info_is_sent_without_the_token_and_other_calls_with_it() {
    let server = MockServer::start().await;
    let info: ConnectInfoOutput = serde_json::from_value(json!({
        "app": {"name": "Beeper", "version": "4.2.0", "bundle_id": "com.beeper"},
        "platform": {"os": "darwin", "arch": "arm64"},
        "server": {"status": "running", "base_url": "http://localhost:23373", "port": 23373,
                   "hostname": "localhost", "remote_access": false, "mcp_enabled": true},
        "endpoints": {
            "oauth": {"authorization_endpoint": "a", "token_endpoint": "t",
                      "introspection_endpoint": "i", "userinfo_endpoint": "u",
                      "revocation_endpoint": "r", "registration_endpoint": "g"},
            "spec": "/v1/spec", "mcp": "/v0/mcp", "ws_events": "/v1/ws"},
    }))
    .expect("info");
    let info_mock = server
        .info()
        .retrieve()
        .matching("no Authorization header", |r| {
            r.header("authorization").is_none()
        })
        .respond_ok(info);
    let accounts_mock = server
        .accounts()
        .list()
        .header("authorization", "Bearer mock-token")
        .respond_ok(Vec::new());
    let client = server.client();
    let answer = client.info().retrieve().send().await.expect("info decodes");
    assert_eq!(answer.server.port, 23373);
    client.accounts().list().send().await.expect("accounts");
    assert_eq!((info_mock.hits(), accounts_mock.hits()), (1, 1));
    server.verify();
}

#[tokio::test]
async fn chats_retrieve_sends_its_path_and_query_and_decodes_the_chat() {
    let server = MockServer::start().await;
    server
        .chats()
        .retrieve()
        .chat_id("!a:beeper.com")
        .max_participant_count(5)
        .respond_ok(chat("!a:beeper.com"));
    server
        .chats()
        .retrieve()
        .chat_id("!missing:beeper.com")
        .respond_not_found(
            serde_json::from_value(json!({"message": "Chat not found", "code": "NOT_FOUND"}))
                .expect("an error body"),
        );
    let client = server.client();
    let found = client
        .chats()
        .retrieve("!a:beeper.com")
        .max_participant_count(5)
        .send()
        .await
        .expect("the chat");
    assert_eq!(found.id, "!a:beeper.com");
    let error = client
        .chats()
        .retrieve("!missing:beeper.com")
        .send()
        .await
        .expect_err("404");
    assert!(matches!(&error, Error::NotFound(_)), "{error:?}");
    let api = error.api().expect("an API error");
    assert_eq!(api.message(), Some("Chat not found"));
    assert_eq!(api.code(), Some("NOT_FOUND"));
    server.verify();
}

#[tokio::test]
async fn messages_send_matches_the_text_it_carries() {
    let server = MockServer::start().await;
    let sent = server
        .chats()
        .messages()
        .send()
        .chat_id("!a:beeper.com")
        .text_where(|text: &String| text.starts_with("Hello"))
        .respond_ok(
            serde_json::from_value(json!({"chatID": "!a:beeper.com", "pendingMessageID": "p1"}))
                .expect("an answer"),
        );
    let client = server.client();
    let answer = client
        .chats()
        .messages()
        .send("!a:beeper.com")
        .text("Hello, Ada")
        .send()
        .await
        .expect("the message is accepted");
    assert_eq!(answer.pending_message_id, "p1");
    assert_eq!(
        sent.received()[0].json(),
        Some(json!({"text": "Hello, Ada"}))
    );
    server.verify();
}

#[tokio::test]
async fn chats_list_walks_pages_from_the_mock() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], more: bool, oldest: Option<&str>| {
        let items: Vec<_> = ids
            .iter()
            .map(|id| {
                let mut chat = serde_json::to_value(chat(id)).expect("a chat");
                chat["preview"] = serde_json::Value::Null;
                chat
            })
            .collect();
        serde_json::from_value(json!({
            "items": items, "hasMore": more, "oldestCursor": oldest, "newestCursor": null,
        }))
        .expect("a page")
    };
    server
        .chats()
        .list()
        .cursor("c1")
        .respond_ok(page(&["!c:b"], false, None));
    server
        .chats()
        .list()
        .times(1)
        .respond_ok(page(&["!a:b", "!b:b"], true, Some("c1")));
    let ids: Vec<String> = server
        .client()
        .chats()
        .list()
        .items()
        .map(|chat| chat.expect("a chat").id)
        .collect()
        .await;
    assert_eq!(ids, ["!a:b", "!b:b", "!c:b"]);
    server.verify();
}
