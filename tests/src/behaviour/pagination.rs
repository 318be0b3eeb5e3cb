//! Cursor pagination streams: backwards through `oldestCursor` with
//! `direction=before`, forwards through `newestCursor` with `direction=after`,
//! other parameters carried to every page, and every way a walk ends (no more,
//! an empty page, a repeated cursor, an error) without looping.

use super::*;

/// A cursor with characters that need encoding in a query.
const C1: &str = "eyJvIjoxfQ==+/1";

/// A chat (valid as `Chat` and `ChatWithPreview`) with its own ID.
fn chat(id: &str) -> Value {
    seed_chat_with("id", Some(json!(id)))
}

/// A page of chats with these IDs, `hasMore` and cursors.
fn page(ids: &[&str], has_more: bool, oldest: Option<&str>, newest: Option<&str>) -> Reply {
    let items: Vec<Value> = ids.iter().map(|id| chat(id)).collect();
    let page = json!({
        "items": items, "hasMore": has_more, "oldestCursor": oldest, "newestCursor": newest
    });
    Reply::json(200, &page)
}

/// Three pages walking backwards: a,b then c,d then e (the last has no more).
fn three_pages_back() -> [Reply; 3] {
    [
        page(&["a", "b"], true, Some(C1), Some("n1")),
        page(&["c", "d"], true, Some("c2"), Some("n2")),
        page(&["e"], false, Some("c3"), Some("n3")),
    ]
}

/// The IDs of the chats a stream yielded; fails on an error.
fn ids<T>(results: Vec<Result<T, Error>>, id: impl Fn(&T) -> &str) -> Vec<String> {
    results
        .iter()
        .map(|result| match result {
            Ok(item) => id(item).to_owned(),
            Err(error) => panic!("the stream yielded an error: {error:?}"),
        })
        .collect()
}

/// Checks the requests of a walk: path, and per page the extra query pairs.
fn check_walk(server: &TestServer, path: &str, base: &[(&str, &str)], cursors: &[&[(&str, &str)]]) {
    let requests = server.requests();
    assert_eq!(requests.len(), cursors.len(), "{requests:#?}");
    for (request, cursor) in requests.iter().zip(cursors) {
        let query: Vec<(&str, &str)> = base.iter().chain(cursor.iter()).copied().collect();
        check_get(request, path, &query);
        check_common_headers(request);
    }
}

#[tokio::test]
async fn items_walk_back_through_every_page_in_order() {
    let (server, client) = setup(three_pages_back()).await;
    let items = collect_stream(client.chats().list().items()).await;
    assert_eq!(ids(items, |c| &c.id), ["a", "b", "c", "d", "e"]);
    let before = |c| [("cursor", c), ("direction", "before")];
    check_walk(
        &server,
        "/v1/chats",
        &[],
        &[&[], &before(C1), &before("c2")],
    );
    assert_eq!(server.unused_replies(), 0);
}

#[tokio::test]
async fn pages_walk_back_page_by_page() {
    let (server, client) = setup(three_pages_back()).await;
    let pages = collect_stream(client.chats().list().pages()).await;
    let shapes: Vec<(usize, bool, Option<String>)> = pages
        .into_iter()
        .map(|page| page.expect("every page decodes"))
        .map(|page| (page.items.len(), page.has_more, page.oldest_cursor))
        .collect();
    assert_eq!(
        shapes,
        [
            (2, true, Some(C1.to_owned())),
            (2, true, Some("c2".to_owned())),
            (1, false, Some("c3".to_owned()))
        ]
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn items_newer_walk_forwards_from_the_given_cursor() {
    let script = [
        page(&["f"], true, Some("o1"), Some("n1")),
        page(&["g", "h"], false, Some("o2"), Some("n2")),
    ];
    let (server, client) = setup(script).await;
    let items = collect_stream(client.chats().list().cursor("start").items_newer()).await;
    assert_eq!(ids(items, |c| &c.id), ["f", "g", "h"]);
    let after = |c| [("cursor", c), ("direction", "after")];
    check_walk(&server, "/v1/chats", &[], &[&after("start"), &after("n1")]);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_walk() {
    let script = [
        page(&["a"], true, Some("same"), None),
        page(&["b"], true, Some("same"), None),
        page(&["never"], false, None, None),
    ];
    let (server, client) = setup(script).await;
    let items = collect_stream(client.chats().list().items()).await;
    assert_eq!(ids(items, |c| &c.id), ["a", "b"]);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        server.unused_replies(),
        1,
        "the repeated cursor is not fetched again"
    );

    let script = [
        page(&["a"], true, Some("start"), None),
        page(&["x"], false, None, None),
    ];
    let (server, client) = setup(script).await;
    let items = collect_stream(client.chats().list().cursor("start").items()).await;
    assert_eq!(
        ids(items, |c| &c.id),
        ["a"],
        "the starting cursor counts as seen"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_empty_page_or_a_missing_cursor_ends_the_walk() {
    let script = [
        page(&["a"], true, Some("c1"), None),
        page(&[], true, Some("c2"), None),
        page(&["never"], false, None, None),
    ];
    let (server, client) = setup(script).await;
    let items = collect_stream(client.chats().list().items()).await;
    assert_eq!(ids(items, |c| &c.id), ["a"]);
    assert_eq!(
        server.requests().len(),
        2,
        "no request after the empty page"
    );

    let script = [
        page(&["a"], true, None, None),
        page(&["never"], false, None, None),
    ];
    let (server, client) = setup(script).await;
    let items = collect_stream(client.chats().list().items()).await;
    assert_eq!(ids(items, |c| &c.id), ["a"]);
    assert_eq!(server.requests().len(), 1, "no cursor, no next page");
}

#[tokio::test]
async fn other_parameters_carry_over_to_every_page() {
    let script = [
        page(&["a"], true, Some(C1), None),
        page(&["b"], false, Some("c2"), None),
    ];
    let (server, client) = setup(script).await;
    let search = client
        .chats()
        .search()
        .account_ids(["acc-1", "acc-2"])
        .limit(1)
        .query("matt w");
    let items = collect_stream(search.items()).await;
    assert_eq!(ids(items, |c| &c.id), ["a", "b"]);
    let base = [
        ("accountIDs", "acc-1"),
        ("accountIDs", "acc-2"),
        ("limit", "1"),
        ("query", "matt w"),
    ];
    let before = [("cursor", C1), ("direction", "before")];
    check_walk(&server, "/v1/chats/search", &base, &[&[], &before]);

    let script = [
        page(&["a"], true, Some("c1"), None),
        page(&["b"], false, None, None),
    ];
    let (server, client) = setup(script).await;
    let items = collect_stream(client.chats().list().account_ids(["acc-9"]).items()).await;
    assert_eq!(ids(items, |c| &c.id), ["a", "b"]);
    let before = [("cursor", "c1"), ("direction", "before")];
    check_walk(
        &server,
        "/v1/chats",
        &[("accountIDs", "acc-9")],
        &[&[], &before],
    );
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_once_and_ends_it() {
    let failure = Reply::json(500, &json!({"message": "boom", "code": "INTERNAL"}));
    let script = [
        page(&["a", "b"], true, Some("c1"), None),
        failure,
        page(&["never"], false, None, None),
    ];
    let (server, client) = setup(script).await;
    let mut results = collect_stream(client.chats().list().items()).await;
    assert_eq!(results.len(), 3, "{results:?}");
    let error = results.pop().expect("three results");
    assert_eq!(expect_api(error).message(), Some("boom"));
    assert_eq!(ids(results, |c| &c.id), ["a", "b"]);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(server.unused_replies(), 1);
}

#[tokio::test]
async fn an_error_on_the_first_page_is_the_only_item() {
    let (server, client) =
        setup([Reply::json(401, &json!({"message": "no", "code": "AUTH"}))]).await;
    let mut results = collect_stream(client.chats().list().pages()).await;
    assert_eq!(results.len(), 1, "{results:?}");
    let error = results.pop().expect("one result");
    assert!(matches!(error, Err(Error::Authentication(_))), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}
