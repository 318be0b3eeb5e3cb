//! `verify` and the answer to a request no expectation matches: a 501 whose
//! body names the closest expectation and how the request differed, which the
//! client's error shows, and the lists `verify` fails with.

use kitchen_sink_api::mock::MockServer;
use kitchen_sink_api::types::Customer;
use serde_json::json;

fn customer() -> Customer {
    serde_json::from_value(json!({"id": "cus_1", "email": "a@example.com"})).expect("a customer")
}

#[tokio::test]
async fn an_unmatched_request_gets_a_501_that_says_why() {
    let server = MockServer::start().await;
    server
        .customers()
        .upsert()
        .id("cus_1")
        .email("a@example.com")
        .respond_ok(customer());
    let client = server.client();
    let error = client
        .customers()
        .upsert("cus_1", "b@example.com")
        .send()
        .await
        .expect_err("the email differs");
    assert_eq!(error.status(), Some(501));
    assert_eq!(
        error.api().and_then(|api| api.code()),
        Some("mock_unmatched")
    );
    let text = error.to_string();
    assert!(text.contains("501"), "{text}");
    assert!(
        text.contains("no expectation of the mock server matched PUT /customers/cus_1"),
        "{text}"
    );
    assert!(text.contains("`customers.upsert`"), "{text}");
    assert!(
        text.contains("body field `email`: expected \"a@example.com\", got \"b@example.com\""),
        "{text}"
    );
}

#[tokio::test]
async fn verify_lists_unmet_expectations_and_unmatched_requests() {
    let server = MockServer::start().await;
    server
        .customers()
        .upsert()
        .id("cus_1")
        .times(2)
        .respond_ok(customer());
    server.customers().export().id("never").respond_no_content();
    server.customers().list().any_times().respond_ok(Vec::new());
    let client = server.client();
    client
        .customers()
        .upsert("cus_1", "a@example.com")
        .send()
        .await
        .expect("the first of two");
    let _ = client
        .customers()
        .upsert("cus_2", "a@example.com")
        .send()
        .await;
    let error = server
        .try_verify()
        .expect_err("two expectations are not met");
    let text = error.to_string();
    assert_eq!(error.unmet.len(), 2, "{text}");
    assert!(
        error.unmet[0].contains("was expected exactly 2 requests and matched 1 request"),
        "{text}"
    );
    assert!(error.unmet[1].contains("`customers.export`"), "{text}");
    assert!(
        error.unmet[1].contains("at least once and matched 0 requests"),
        "{text}"
    );
    assert_eq!(error.unmatched.len(), 1, "{text}");
    assert!(
        error.unmatched[0]
            .contains("PUT /customers/cus_2: the closest expectation, `customers.upsert`"),
        "{text}"
    );
    assert!(
        error.unmatched[0].contains("path parameter `id`: expected \"cus_1\", got \"cus_2\""),
        "{text}"
    );
    // `any_times` is never reported, and the list expectation is not in it.
    assert!(!text.contains("customers.list"), "{text}");
}

#[tokio::test]
async fn a_request_to_a_server_without_expectations_says_so() {
    let server = MockServer::start().await;
    let error = server
        .client()
        .customers()
        .export("cus_1")
        .send()
        .await
        .expect_err("nothing is registered");
    assert_eq!(error.status(), Some(501));
    assert!(
        error.to_string().contains("no expectation is registered"),
        "{error}"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn an_expectation_that_has_used_its_times_is_named_as_full() {
    let server = MockServer::start().await;
    server.customers().export().times(1).respond_no_content();
    let client = server.client();
    client
        .customers()
        .export("a")
        .send()
        .await
        .expect("the one answer");
    let error = client
        .customers()
        .export("a")
        .send()
        .await
        .expect_err("the second");
    assert!(
        error
            .to_string()
            .contains("it has already matched the 1 requests it expects"),
        "{error}"
    );
}

#[tokio::test]
#[should_panic(expected = "expectations not met:\n- `customers.export`")]
async fn verify_panics_with_the_list() {
    let server = MockServer::start().await;
    server.customers().export().respond_no_content();
    server.verify();
}
