//! Each kind of expectation (path, query, header, cookie, JSON body field and
//! whole body, by value and by predicate) and each kind of responder (typed by
//! status, raw, status only, computed, delayed, dropped connection), against
//! the kitchen sink's client.

use std::time::Duration;

use kitchen_sink_api::mock::{MockResponse, MockServer, TEST_TOKEN};
use kitchen_sink_api::types::{
    Customer, NotFound, UpsertCustomerBody, UpsertCustomerErrorBody, UpsertCustomerSuccess,
};
use kitchen_sink_api::Error;
use serde_json::json;

fn customer(id: &str) -> Customer {
    serde_json::from_value(json!({"id": id, "email": "a@example.com"})).expect("a customer")
}

#[tokio::test]
async fn path_and_body_values_match_and_the_typed_answer_decodes() {
    let server = MockServer::start().await;
    let mocked = server
        .customers()
        .upsert()
        .id("cus 1/é")
        .email("a@example.com")
        .respond_created(customer("cus 1/é"));
    let client = server.client();
    let answer = client
        .customers()
        .upsert("cus 1/é", "a@example.com")
        .send()
        .await
        .expect("the mock answers 201");
    assert!(matches!(answer, UpsertCustomerSuccess::Created(c) if c.id == "cus 1/é"));
    assert_eq!(mocked.hits(), 1);
    let request = &mocked.received()[0];
    assert_eq!(request.method(), "PUT");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TEST_TOKEN}").as_str())
    );
    server.verify();
}

#[tokio::test]
async fn a_different_value_does_not_match_and_the_predicate_forms_do() {
    let server = MockServer::start().await;
    server
        .customers()
        .upsert()
        .id("cus_2")
        .respond_ok(customer("cus_2"));
    let by_predicate = server
        .customers()
        .upsert()
        .id_where(|id| id.starts_with("cus_"))
        .email_where(|email: &String| email.ends_with("@example.com"))
        .body_matches(|body: &UpsertCustomerBody| body.email.contains('@'))
        .respond_ok(customer("cus_9"));
    let client = server.client();
    let answer = client
        .customers()
        .upsert("cus_1", "b@example.com")
        .send()
        .await
        .expect("the predicate expectation answers");
    assert!(matches!(answer, UpsertCustomerSuccess::Ok(c) if c.id == "cus_9"));
    assert_eq!(by_predicate.hits(), 1);
    // The exact one never matched: verify says so.
    let error = server.try_verify().expect_err("`id = cus_2` was not met");
    assert_eq!(error.unmet.len(), 1, "{error}");
    assert!(
        error.unmet[0].contains("path parameter `id` = \"cus_2\""),
        "{error}"
    );
}

#[tokio::test]
async fn query_header_and_cookie_values_are_compared_as_the_client_encodes_them() {
    let server = MockServer::start().await;
    let list = server
        .customers()
        .list()
        .ids(["a", "b"])
        .limit(5)
        .respond_ok(Vec::new());
    let client = server.client();
    client
        .customers()
        .list()
        .ids(["a", "b"])
        .limit(5)
        .send()
        .await
        .expect("the list matches");
    assert_eq!(list.hits(), 1);
    // Another order of the list is another request.
    let error = client
        .customers()
        .list()
        .ids(["b", "a"])
        .limit(5)
        .send()
        .await
        .expect_err("the order differs");
    assert_eq!(error.status(), Some(501));
    let export = server.customers().export().id("cus_1").respond_no_content();
    let create = server
        .customers()
        .create()
        .idempotency_key("key-1")
        .session("s e;ssion")
        .respond_ok(customer("cus_1"));
    let _ = client.customers().export("cus_1").send().await;
    client
        .customers()
        .create("a@example.com")
        .idempotency_key("key-1")
        .session("s e;ssion")
        .send()
        .await
        .expect("header and cookie match");
    assert_eq!((export.hits(), create.hits()), (1, 1));
    let sent = &create.received()[0];
    assert_eq!(sent.header("idempotency-key"), Some("key-1"));
    assert!(sent.cookies().iter().any(|(name, _)| *name == "session"));
}

#[tokio::test]
async fn header_and_cookie_predicates_see_the_values_as_sent() {
    let server = MockServer::start().await;
    let create = server
        .customers()
        .create()
        .idempotency_key_where(|values| values == ["key-7"])
        .session_where(|values| values.len() == 1)
        .header("x-extra", "1")
        .respond_ok(customer("cus_1"));
    let client = server.client();
    client
        .customers()
        .create("a@example.com")
        .idempotency_key("key-7")
        .session("abc")
        .header("x-extra", "1")
        .send()
        .await
        .expect("the predicates pass");
    assert_eq!(create.hits(), 1);
}

#[tokio::test]
async fn typed_error_responders_reach_the_caller_as_typed_errors() {
    let server = MockServer::start().await;
    let not_found: NotFound =
        serde_json::from_value(json!({"message": "no such customer", "resource": "customer"}))
            .expect("a NotFound");
    server
        .customers()
        .upsert()
        .id("cus_0")
        .respond_not_found(not_found);
    server
        .customers()
        .upsert()
        .id("cus_teapot")
        .respond_default(
            418,
            serde_json::from_value(json!({"title": "teapot", "status": 418})).expect("a problem"),
        );
    let client = server.client();
    let error = client
        .customers()
        .upsert("cus_0", "a@example.com")
        .send()
        .await
        .expect_err("404");
    let Error::NotFound(api) = &error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert!(
        matches!(&api.body, Some(UpsertCustomerErrorBody::NotFound(body)) if body.message == "no such customer")
    );
    let error = client
        .customers()
        .upsert("cus_teapot", "a@example.com")
        .send()
        .await
        .expect_err("418");
    assert_eq!(error.status(), Some(418));
    assert!(
        matches!(&error, Error::Api(api) if matches!(api.body, Some(UpsertCustomerErrorBody::Default(_))))
    );
    server.verify();
}

#[tokio::test]
async fn raw_status_computed_delayed_and_dropped_answers() {
    let server = MockServer::start().await;
    server.customers().upsert().id("raw").respond_raw(
        200,
        "application/json",
        r#"{"id":"raw","email":"r@example.com","extra":1}"#,
    );
    server
        .customers()
        .upsert()
        .id("echo")
        .respond_with(|request| {
            let body: serde_json::Value = request.json().unwrap_or_default();
            MockResponse::json(200, &json!({"id": "echo", "email": body["email"]}))
                .header("x-echo", "yes")
        });
    server
        .customers()
        .upsert()
        .id("slow")
        .delay(Duration::from_millis(400))
        .respond_ok(customer("slow"));
    server.customers().upsert().id("gone").drop_connection();
    server.customers().export().id("empty").respond_status(204);
    let client = server.client();
    let raw = client
        .customers()
        .upsert("raw", "x@example.com")
        .send()
        .await;
    assert!(matches!(raw, Ok(UpsertCustomerSuccess::Ok(c)) if c.email == "r@example.com"));
    let echoed = client
        .customers()
        .upsert("echo", "e@example.com")
        .send_with_response()
        .await
        .expect("the computed answer");
    assert_eq!(echoed.header("x-echo"), Some("yes"));
    assert!(
        matches!(echoed.into_data(), UpsertCustomerSuccess::Ok(c) if c.email == "e@example.com")
    );
    let slow = client
        .customers()
        .upsert("slow", "s@example.com")
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .expect_err("the answer comes after the timeout");
    assert!(matches!(slow, Error::Timeout(_)), "{slow:?}");
    let gone = client
        .customers()
        .upsert("gone", "g@example.com")
        .send()
        .await
        .expect_err("the connection is dropped");
    assert!(matches!(gone, Error::Connection(_)), "{gone:?}");
    client
        .customers()
        .export("empty")
        .send()
        .await
        .expect("204 is a declared answer");
}

#[tokio::test]
async fn times_caps_the_matches_and_the_next_expectation_takes_over() {
    let server = MockServer::start().await;
    let first = server
        .customers()
        .upsert()
        .times(2)
        .respond_ok(customer("first"));
    let then = server
        .customers()
        .upsert()
        .respond_created(customer("then"));
    let client = server.client();
    let mut ids = Vec::new();
    for _ in 0..3 {
        match client.customers().upsert("x", "a@example.com").send().await {
            Ok(UpsertCustomerSuccess::Ok(c) | UpsertCustomerSuccess::Created(c)) => ids.push(c.id),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(ids, ["first", "first", "then"]);
    assert_eq!((first.hits(), then.hits()), (2, 1));
    server.verify();
}
