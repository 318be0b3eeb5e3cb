//! Responses: several success answers chosen by status, per-status error bodies
//! with a `default`, text answers, and a spec that lists only `default`.

use kitchen_sink_api::types::{
    Customer, ExportCustomerSuccess, Job, NotFound, Problem, UpsertCustomerErrorBody,
    UpsertCustomerSuccess, UpsertCustomerUnprocessableEntityError,
};
use kitchen_sink_api::Error;
use serde_json::json;

use super::*;

fn customer() -> Customer {
    Customer {
        id: "cus_1".into(),
        email: "a@example.com".into(),
        metadata: None,
    }
}

fn customer_json() -> serde_json::Value {
    json!({"id": "cus_1", "email": "a@example.com"})
}

#[tokio::test]
async fn each_success_status_decodes_into_its_own_variant() {
    let (server, client) = setup([
        Reply::json(200, &customer_json()),
        Reply::json(201, &customer_json()),
        Reply::json(202, &json!({"jobID": "job_9"})),
    ])
    .await;
    let mut answers = Vec::new();
    for _ in 0..3 {
        let response = client
            .customers()
            .upsert("cus_1", "a@example.com")
            .send_with_response()
            .await
            .expect("every listed status decodes");
        answers.push((response.status, response.data));
    }
    assert_eq!(
        answers,
        [
            (200, UpsertCustomerSuccess::Ok(customer())),
            (201, UpsertCustomerSuccess::Created(customer())),
            (
                202,
                UpsertCustomerSuccess::Accepted(Job {
                    job_id: "job_9".into()
                })
            ),
        ]
    );
    let requests = server.requests();
    assert_eq!(requests[0].request_line(), "PUT /customers/cus_1 HTTP/1.1");
    assert_eq!(
        requests[0].body_json(),
        Ok(json!({"email": "a@example.com"}))
    );
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
async fn error_bodies_are_typed_by_status_with_default_for_the_rest() {
    let (_server, client) = setup([
        Reply::json(404, &json!({"message": "gone", "resource": "customer"})),
        Reply::json(422, &json!({"fields": ["email"]})),
        Reply::raw(
            503,
            "application/problem+json",
            r#"{"title": "maintenance", "status": 503}"#,
        ),
        Reply::raw(404, "text/html", "<h1>Not Found</h1>"),
    ])
    .await;
    let mut errors = Vec::new();
    for _ in 0..4 {
        let error = client
            .customers()
            .upsert("cus_1", "a@example.com")
            .send()
            .await
            .expect_err("every reply is an error");
        errors.push(error);
    }
    let bodies: Vec<Option<UpsertCustomerErrorBody>> = errors
        .iter()
        .map(|e| e.api().and_then(|api| api.body.clone()))
        .collect();
    assert_eq!(
        bodies,
        [
            Some(UpsertCustomerErrorBody::NotFound(NotFound {
                message: "gone".into(),
                resource: "customer".into()
            })),
            Some(UpsertCustomerErrorBody::UnprocessableEntity(
                UpsertCustomerUnprocessableEntityError {
                    fields: vec!["email".into()]
                }
            )),
            Some(UpsertCustomerErrorBody::Default(Problem {
                title: "maintenance".into(),
                status: 503
            })),
            // A body that is not what the spec says is kept raw, never lost.
            None,
        ]
    );
    assert!(matches!(errors[0], Error::NotFound(_)));
    assert!(matches!(errors[1], Error::UnprocessableEntity(_)));
    assert!(matches!(errors[2], Error::InternalServer(_)));
    assert_eq!(
        errors[3].api().map(|api| api.raw.as_str()),
        Some("<h1>Not Found</h1>")
    );
    assert_eq!(errors[0].api().and_then(|api| api.message()), Some("gone"));
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
