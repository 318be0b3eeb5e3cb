//! Requests: form-urlencoded bodies, every query style, header and cookie parameters.

use kitchen_sink_api::types::{CreateCustomerBodyItemsItem, ListCustomersFilter};
use serde_json::json;

use super::*;

fn customer() -> serde_json::Value {
    json!({"id": "cus_1", "email": "a+b@example.com"})
}

#[tokio::test]
async fn form_bodies_nest_objects_and_arrays_in_brackets() {
    let (server, client) = setup([Reply::json(200, &customer())]).await;
    let created = client
        .customers()
        .create("a+b@example.com")
        .metadata([("plan".to_owned(), "pro & co".to_owned())])
        .body_items([
            CreateCustomerBodyItemsItem {
                price: Some("price_1".into()),
                quantity: Some(2),
            },
            CreateCustomerBodyItemsItem {
                price: Some("price_2".into()),
                quantity: None,
            },
        ])
        .newsletter(false)
        .send()
        .await
        .expect("the customer decodes");
    assert_eq!(created.id, "cus_1");

    let request = only_request(&server);
    assert_eq!(request.request_line(), "POST /customers HTTP/1.1");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let body = String::from_utf8(request.body.clone()).expect("the body is text");
    // Reserved characters are escaped, so `+` and `&` in values survive the trip.
    assert!(body.contains("email=a%2Bb%40example.com"), "{body}");
    assert_eq!(
        decode_pairs(&body),
        pairs(&[
            ("email", "a+b@example.com"),
            ("items[0][price]", "price_1"),
            ("items[0][quantity]", "2"),
            ("items[1][price]", "price_2"),
            ("metadata[plan]", "pro & co"),
            ("newsletter", "false"),
        ])
    );
}

#[tokio::test]
async fn header_and_cookie_parameters_are_sent_only_when_set() {
    let (server, client) =
        setup([Reply::json(200, &customer()), Reply::json(200, &customer())]).await;
    client
        .customers()
        .create("a@example.com")
        .idempotency_key("key-1")
        .session("s 1; admin=1")
        .tenant("acme")
        .send()
        .await
        .expect("the first call succeeds");
    client
        .customers()
        .create("a@example.com")
        .send()
        .await
        .expect("the second call succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("idempotency-key"), Some("key-1"));
    // A value can never add a cookie of its own.
    assert_eq!(
        requests[0].header("cookie"),
        Some("session=s%201%3B%20admin=1; tenant=acme")
    );
    assert_eq!(requests[1].header("idempotency-key"), None);
    assert_eq!(requests[1].header("cookie"), None);
    assert_eq!(
        String::from_utf8_lossy(&requests[1].body),
        "email=a%40example.com"
    );
}

#[tokio::test]
async fn every_query_style_is_written_as_openapi_says() {
    let (server, client) = setup([Reply::json(200, &json!([customer()]))]).await;
    let customers = client
        .customers()
        .list()
        .ids(["a", "b"])
        .tags(["x", "y,z"])
        .words(["hello", "world"])
        .codes([1, 2, 3])
        .filter(ListCustomersFilter {
            plan: Some("pro".into()),
            active: Some(true),
        })
        .limit(10)
        .send()
        .await
        .expect("the list decodes");
    assert_eq!(customers.len(), 1);

    let request = only_request(&server);
    assert_eq!(request.path(), "/customers");
    let query = request.target.split_once('?').map_or("", |(_, q)| q);
    assert_eq!(
        decode_pairs(query),
        pairs(&[
            ("ids", "a"),
            ("ids", "b"),
            ("tags", "x,y,z"),
            ("words", "hello world"),
            ("codes", "1|2|3"),
            ("filter[active]", "true"),
            ("filter[plan]", "pro"),
            ("limit", "10"),
        ])
    );
}

#[tokio::test]
async fn unset_query_parameters_are_left_out() {
    let (server, client) = setup([Reply::json(200, &json!([]))]).await;
    let customers = client.customers().list().send().await.expect("decodes");
    assert!(customers.is_empty());
    assert_eq!(only_request(&server).target, "/customers");
}

#[tokio::test]
async fn lists_objects_and_unions_take_their_style_in_path_headers_and_cookies() {
    use kitchen_sink_api::types::{Box as Rect, GetGridXEither};
    let (server, client) = setup([Reply::empty(204), Reply::empty(204)]).await;
    client
        .grids()
        .get([1, 2], Rect { w: 3, h: 4 }, ["a b", "c"], [0.5, 2.0])
        .x_tags(["x", "y"])
        .x_box(Rect { w: 5, h: 6 })
        .x_either(GetGridXEither::Boolean(true))
        .prefs(["dark", "compact"])
        .r#where(Rect { w: 1, h: 2 })
        .send()
        .await
        .expect("the call succeeds");
    client
        .grids()
        .get([7], Rect { w: 0, h: 0 }, ["z"], [1.0])
        .send()
        .await
        .expect("the second call succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // simple (1,2), exploded simple object (h=4,w=3), exploded label (.a%20b.c), matrix.
    assert_eq!(
        requests[0].request_line(),
        "GET /grid/1,2/h=4,w=3/.a%20b.c/;coords=0.5,2.0?where=%7B%22w%22%3A1%2C%22h%22%3A2%7D HTTP/1.1"
    );
    assert_eq!(requests[0].header("x-tags"), Some("x,y"));
    assert_eq!(requests[0].header("x-box"), Some("h,6,w,5"));
    assert_eq!(requests[0].header("x-either"), Some("true"));
    // RFC 6265 allows no comma in a cookie value: the joined list is percent-encoded.
    assert_eq!(requests[0].header("cookie"), Some("prefs=dark%2Ccompact"));
    assert_eq!(
        requests[1].request_line(),
        "GET /grid/7/h=0,w=0/.z/;coords=1.0 HTTP/1.1"
    );
    assert_eq!(requests[1].header("x-tags"), None);
    assert_eq!(requests[1].header("cookie"), None);
}
