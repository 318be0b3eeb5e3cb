//! What goes on the wire: path and query encoding, the deprecated v0 route.

use super::*;

// ------------------------------------------------ path and query encoding

/// Retrieves `chat_id` (answered with the seed chat) and returns the request.
async fn retrieve_request(chat_id: &str) -> Recorded {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    client
        .chats()
        .retrieve(chat_id)
        .send()
        .await
        .expect("the seed chat decodes");
    only_request(&server)
}

#[tokio::test]
async fn retrieve_sends_the_exact_request_line() {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    client
        .chats()
        .retrieve(ROOM_ID)
        .max_participant_count(50)
        .send()
        .await
        .expect("decodes");
    let request = only_request(&server);
    assert_eq!(
        request.request_line(),
        "GET /v1/chats/!NCdzlIaMjZUmvmvyHU:beeper.com?maxParticipantCount=50 HTTP/1.1"
    );
    check_common_headers(&request);
    assert_eq!(
        request.header("content-type"),
        None,
        "a GET has no content type"
    );
    assert!(request.body.is_empty());

    let all = retrieve_request_with_count(-1).await;
    assert_eq!(
        all.target,
        "/v1/chats/!NCdzlIaMjZUmvmvyHU:beeper.com?maxParticipantCount=-1"
    );
    let plain = retrieve_request(ROOM_ID).await;
    assert_eq!(plain.target, "/v1/chats/!NCdzlIaMjZUmvmvyHU:beeper.com");
}

/// Retrieves [`ROOM_ID`] with `maxParticipantCount` = `count`; returns the request.
async fn retrieve_request_with_count(count: i64) -> Recorded {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    client
        .chats()
        .retrieve(ROOM_ID)
        .max_participant_count(count)
        .send()
        .await
        .expect("decodes");
    only_request(&server)
}

#[tokio::test]
async fn hostile_chat_id_stays_one_path_segment() {
    let cases = [
        (
            "a/b?c#d%e f\u{e9}\u{1F600}",
            "/v1/chats/a%2Fb%3Fc%23d%25e%20f%C3%A9%F0%9F%98%80",
        ),
        ("../admin", "/v1/chats/..%2Fadmin"),
        ("x/../../y", "/v1/chats/x%2F..%2F..%2Fy"),
        ("%2e%2e", "/v1/chats/%252e%252e"),
        ("back\\slash", "/v1/chats/back%5Cslash"),
        (
            "q?maxParticipantCount=1",
            "/v1/chats/q%3FmaxParticipantCount=1",
        ),
    ];
    for (chat_id, target) in cases {
        let request = retrieve_request(chat_id).await;
        assert_eq!(
            request.request_line(),
            format!("GET {target} HTTP/1.1"),
            "chat ID {chat_id:?}"
        );
    }
}

#[tokio::test]
async fn matrix_ids_keep_bang_and_colon_raw() {
    let request = retrieve_request("!room:beeper.com").await;
    assert_eq!(request.target, "/v1/chats/!room:beeper.com");

    let (server, client) = setup([Reply::empty(204)]).await;
    client
        .chats()
        .messages()
        .delete("!room:beeper.com", "$event:beeper.com")
        .send()
        .await
        .expect("a 204 is success");
    assert_eq!(
        only_request(&server).request_line(),
        "DELETE /v1/chats/!room:beeper.com/messages/$event:beeper.com HTTP/1.1"
    );
}

#[tokio::test]
async fn dot_and_empty_ids_are_refused_before_sending() {
    let (server, client) = setup([]).await;
    for chat_id in ["", ".", ".."] {
        expect_build(client.chats().retrieve(chat_id).send().await, "chatID");
        expect_build(client.chats().archive(chat_id).send().await, "chatID");
        expect_build(
            client
                .chats()
                .messages()
                .send(chat_id)
                .text("hi")
                .send()
                .await,
            "chatID",
        );
        expect_build(
            client
                .chats()
                .messages()
                .delete("!room:beeper.com", chat_id)
                .send()
                .await,
            "messageID",
        );
        expect_build(
            client
                .chats()
                .messages()
                .reactions()
                .delete("!room:beeper.com", "m1", chat_id)
                .send()
                .await,
            "reactionKey",
        );
    }
    assert_eq!(server.connections(), 0, "nothing may reach the server");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn base_url_trailing_slash_and_path_prefix() {
    let server = TestServer::start([chat_reply(&seed_chat()), chat_reply(&seed_chat())]).await;
    let slash = Client::new(format!("{}/", server.base_url()), TOKEN);
    slash.chats().retrieve("c1").send().await.expect("decodes");
    let prefixed = Client::new(format!("{}/desktop/", server.base_url()), TOKEN);
    prefixed
        .chats()
        .retrieve("c2")
        .send()
        .await
        .expect("decodes");
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/v1/chats/c1", "/desktop/v1/chats/c2"]);
}

/// A search or list page holding the seed chat.
fn page_reply() -> Reply {
    Reply::json(
        200,
        &json!({
            "items": [seed_chat()],
            "hasMore": false,
            "oldestCursor": null,
            "newestCursor": "1725489123456|c29tZUltc2dQYWdl"
        }),
    )
}

#[tokio::test]
async fn array_query_params_repeat_the_key() {
    let (server, client) = setup([page_reply(), page_reply(), page_reply()]).await;
    let page = client
        .chats()
        .search()
        .account_ids(["a", "b"])
        .send()
        .await
        .expect("the page decodes");
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        page.newest_cursor.as_deref(),
        Some("1725489123456|c29tZUltc2dQYWdl")
    );
    assert_eq!(page.oldest_cursor, None);
    client
        .chats()
        .list()
        .account_ids(vec![
            "matrix".to_owned(),
            "local-whatsapp_ba_E+v/=".to_owned(),
        ])
        .send()
        .await
        .expect("the page decodes");
    client
        .chats()
        .list()
        .account_ids(Vec::<String>::new())
        .send()
        .await
        .expect("the page decodes");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].target,
        "/v1/chats/search?accountIDs=a&accountIDs=b"
    );
    check_common_headers(&requests[0]);
    check_get(
        &requests[1],
        "/v1/chats",
        &[
            ("accountIDs", "matrix"),
            ("accountIDs", "local-whatsapp_ba_E+v/="),
        ],
    );
    check_get(&requests[2], "/v1/chats", &[]);
}

#[tokio::test]
async fn enum_and_date_time_query_params_are_encoded() {
    let (server, client) = setup([page_reply()]).await;
    client
        .chats()
        .search()
        .cursor("1725489123456|c29tZUltc2dQYWdl")
        .direction(PaginationDirection::Before)
        .inbox(SearchChatsInbox::LowPriority)
        .unread_only(true)
        .limit(10)
        .r#type(SearchChatsType::Group)
        .query("Matt & Co=1+2 #x")
        .scope(SearchChatsScope::Participants)
        .last_activity_before(instant("2025-08-31T19:41:41Z"))
        .last_activity_after(instant("2025-01-02T03:04:05.250+02:00"))
        .account_ids(["matrix"])
        .include_muted(false)
        .send()
        .await
        .expect("the page decodes");
    let request = only_request(&server);
    check_get(
        &request,
        "/v1/chats/search",
        &[
            ("cursor", "1725489123456|c29tZUltc2dQYWdl"),
            ("direction", "before"),
            ("inbox", "low-priority"),
            ("unreadOnly", "true"),
            ("limit", "10"),
            ("type", "group"),
            ("query", "Matt & Co=1+2 #x"),
            ("scope", "participants"),
            ("lastActivityBefore", "2025-08-31T19:41:41Z"),
            ("lastActivityAfter", "2025-01-02T03:04:05.250+02:00"),
            ("accountIDs", "matrix"),
            ("includeMuted", "false"),
        ],
    );
    // The `+` of the offset must be escaped, or the server reads it as a space.
    assert!(
        request
            .target
            .contains("lastActivityAfter=2025-01-02T03%3A04%3A05.250%2B02%3A00"),
        "{}",
        request.target
    );
}

#[tokio::test]
async fn unknown_enum_values_are_sent_as_given() {
    let (server, client) = setup([page_reply()]).await;
    client
        .chats()
        .search()
        .r#type(SearchChatsType::from("channel"))
        .inbox(SearchChatsInbox::Other("spam".to_owned()))
        .send()
        .await
        .expect("the page decodes");
    check_get(
        &only_request(&server),
        "/v1/chats/search",
        &[("inbox", "spam"), ("type", "channel")],
    );
}

// ------------------------------------------------------------ deprecated v0

#[tokio::test]
async fn v0_get_chat_sends_chat_id_as_query() {
    let (server, client) = setup([chat_reply(&seed_chat())]).await;
    #[allow(deprecated)]
    let chat = client
        .v0()
        .get_chat(ROOM_ID)
        .max_participant_count(50)
        .send()
        .await
        .expect("the seed chat decodes");
    assert_eq!(chat.id, "!instagram_mattwondra:local-instagram.localhost");
    let request = only_request(&server);
    check_common_headers(&request);
    check_get(
        &request,
        "/v0/get-chat",
        &[("chatID", ROOM_ID), ("maxParticipantCount", "50")],
    );
}
