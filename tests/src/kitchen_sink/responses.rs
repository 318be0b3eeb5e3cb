//! Responses: a success status the spec does not list, a wrong body for a
//! listed one, operation errors in the crate error, text answers, and a spec
//! that lists only `default`. (Success variants and typed error bodies by
//! status are tested against the mock: `mock::kitchen_sink`.)

use kitchen_sink_api::types::{ExportCustomerSuccess, NotFound};
use kitchen_sink_api::Error;
use serde_json::json;

use super::*;

fn customer_json() -> serde_json::Value {
    json!({"id": "cus_1", "email": "a@example.com"})
}

#[tokio::test]
async fn a_success_status_the_spec_does_not_list_is_a_decode_error_with_the_body() {
    let (_server, client) = setup([Reply::json(203, &customer_json())]).await;
    let error = client
        .customers()
        .upsert("cus_1", "a@example.com")
        .send()
        .await
        .expect_err("203 is not listed");
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.status, 203);
    assert!(
        decode.message.contains("200, 201, 202"),
        "{}",
        decode.message
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&decode.body).ok(),
        Some(customer_json())
    );
}

#[tokio::test]
async fn a_wrong_body_for_a_listed_status_says_where_it_failed() {
    let (_server, client) = setup([Reply::json(202, &json!({"jobID": 7}))]).await;
    let error = client
        .customers()
        .upsert("cus_1", "a@example.com")
        .send()
        .await
        .expect_err("jobID must be a string");
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!((decode.status, decode.path.as_str()), (202, "jobID"));
}

#[tokio::test]
async fn operation_errors_convert_into_the_crate_error() {
    let (_server, client) = setup([Reply::json(
        404,
        &json!({"message": "gone", "resource": "c"}),
    )])
    .await;
    let error: Error = client
        .customers()
        .upsert("cus_1", "a@example.com")
        .send()
        .await
        .expect_err("404")
        .map_body(|_| None);
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.api().map(|api| api.raw.contains("gone")), Some(true));
}

#[tokio::test]
async fn operations_sharing_the_common_error_schema_use_the_crate_error() {
    let (_server, client) = setup([Reply::json(
        400,
        &json!({"message": "bad limit", "code": "E1"}),
    )])
    .await;
    let error: Error = client.customers().list().send().await.expect_err("400");
    let body = error.api().and_then(|api| api.body.clone());
    assert_eq!(
        body,
        Some(kitchen_sink_api::types::ErrorSchema {
            message: "bad limit".into(),
            code: Some("E1".into())
        })
    );
}

#[tokio::test]
async fn text_and_empty_answers_of_one_operation() {
    let (server, client) = setup([
        Reply::raw(200, "text/csv", "id,email\ncus_1,a@example.com\n"),
        Reply::empty(204),
    ])
    .await;
    let first = client.customers().export("cus_1").send().await;
    let second = client.customers().export("cus_1").send().await;
    assert_eq!(
        first.ok(),
        Some(ExportCustomerSuccess::Ok(
            "id,email\ncus_1,a@example.com\n".into()
        ))
    );
    assert_eq!(second.ok(), Some(ExportCustomerSuccess::NoContent));
    let requests = server.requests();
    assert_eq!(
        requests[0].header("accept"),
        Some("text/csv, application/json")
    );
}

#[tokio::test]
async fn a_default_only_response_is_the_success_type() {
    let (_server, client) = setup([Reply::json(200, &json!({"ok": true}))]).await;
    let health = client.health().send().await.expect("decodes");
    assert!(health.ok);
}

#[tokio::test]
async fn page_streams_of_an_operation_with_its_own_errors_yield_those_errors() {
    use kitchen_sink_api::types::ListCustomerNotesErrorBody;
    let (server, client) = setup([
        Reply::json(
            200,
            &json!({"items": ["a", "b"], "hasMore": true, "oldestCursor": "c1"}),
        ),
        Reply::json(404, &json!({"message": "gone", "resource": "customer"})),
    ])
    .await;
    let mut stream = client.customers().notes("cus_1").items();
    let mut results = Vec::new();
    while let Some(result) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        results.push(result);
    }
    assert_eq!(
        results.len(),
        3,
        "two items, then the error ends the stream"
    );
    assert_eq!(results[0].as_ref().ok().map(String::as_str), Some("a"));
    assert_eq!(results[1].as_ref().ok().map(String::as_str), Some("b"));
    let body = results[2]
        .as_ref()
        .err()
        .and_then(|e| e.api())
        .and_then(|api| api.body.clone());
    assert_eq!(
        body,
        Some(ListCustomerNotesErrorBody::NotFound(NotFound {
            message: "gone".into(),
            resource: "customer".into()
        }))
    );
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        ["/customers/cus_1/notes", "/customers/cus_1/notes?cursor=c1"]
    );
}
