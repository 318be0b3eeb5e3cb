//! Kitchen-sink behaviour tests ported to the mock from `kitchen_sink::responses`:
//! each success status decodes into its own variant, and error bodies are typed
//! by status with `default` for the rest. The typed expectation states the
//! request (the exact request line stays checked on the hand-written server).

use kitchen_sink_api::mock::MockServer;
use kitchen_sink_api::types::{
    Customer, Job, NotFound, Problem, UpsertCustomerErrorBody, UpsertCustomerSuccess,
    UpsertCustomerUnprocessableEntityError,
};
use kitchen_sink_api::Error;

fn customer() -> Customer {
    Customer {
        id: "cus_1".into(),
        email: "a@example.com".into(),
        metadata: None,
    }
}

#[tokio::test]
async fn each_success_status_decodes_into_its_own_variant() {
    let server = MockServer::start().await;
    let upsert = || {
        server
            .customers()
            .upsert()
            .id("cus_1")
            .email("a@example.com")
            .times(1)
    };
    upsert().respond_ok(customer());
    upsert().respond_created(customer());
    upsert().respond_accepted(Job {
        job_id: "job_9".into(),
    });
    let client = server.client();
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
    server.verify();
}

#[tokio::test]
async fn error_bodies_are_typed_by_status_with_default_for_the_rest() {
    let server = MockServer::start().await;
    let upsert = || server.customers().upsert().id("cus_1").times(1);
    upsert().respond_not_found(NotFound {
        message: "gone".into(),
        resource: "customer".into(),
    });
    upsert().respond_unprocessable_entity(UpsertCustomerUnprocessableEntityError {
        fields: vec!["email".into()],
    });
    upsert().respond_default(
        503,
        Problem {
            title: "maintenance".into(),
            status: 503,
        },
    );
    upsert().respond_raw(404, "text/html", "<h1>Not Found</h1>");
    let client = server.client();
    let mut errors = Vec::new();
    for _ in 0..4 {
        let error = client
            .customers()
            .upsert("cus_1", "a@example.com")
            .send()
            .await
            .expect_err("every answer is an error");
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
    server.verify();
}
