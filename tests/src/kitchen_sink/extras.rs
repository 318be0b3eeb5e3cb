//! What the spec does not describe: extra query parameters and JSON body fields
//! on any request, routes called with `client.request`, and hooks around each
//! attempt.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kitchen_sink_api::{AttemptInfo, AttemptOutcome, Client, Error, Hook};

use super::*;

fn upsert_answer() -> Reply {
    Reply::json(200, &serde_json::json!({"id": "c1", "email": "a@b.c"}))
}

#[tokio::test]
async fn extra_query_parameters_and_body_fields_go_out_with_the_request() {
    let (server, client) = setup([upsert_answer()]).await;
    client
        .customers()
        .upsert("c1", "a@b.c")
        .extra_query("trace", "on")
        .extra_query("trace", "twice")
        .extra_body_field("beta", true)
        .extra_body_field("email", "override@b.c")
        .send()
        .await
        .expect("the answer");
    let request = only_request(&server);
    assert_eq!(
        request.query_pairs(),
        [
            ("trace".into(), "on".into()),
            ("trace".into(), "twice".into())
        ]
    );
    assert_eq!(
        request.body_json().expect("JSON"),
        serde_json::json!({"email": "override@b.c", "beta": true})
    );
}

#[tokio::test]
async fn body_fields_make_a_json_body_where_there_was_none_and_refuse_other_bodies() {
    let (server, client) = setup([Reply::raw(200, "application/octet-stream", "")]).await;
    let error = client
        .blobs()
        .put("b", b"raw".to_vec())
        .extra_body_field("x", 1)
        .send()
        .await
        .expect_err("a binary body has no fields");
    assert!(matches!(error, Error::Build(_)), "{error:?}");
    assert!(error.to_string().contains("JSON object"), "{error}");
    assert!(server.requests().is_empty());

    let (server, client) = setup([Reply::json(200, &serde_json::json!({"ok": true}))]).await;
    client
        .request(reqwest::Method::POST, "/v9/ping")
        .extra_body_field("hello", "world")
        .send()
        .await
        .expect("the answer");
    let request = only_request(&server);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().expect("JSON"),
        serde_json::json!({"hello": "world"})
    );
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Pong {
    pong: u32,
}

#[tokio::test]
async fn routes_the_spec_lacks_get_the_same_auth_retries_and_errors() {
    let server = TestServer::start([
        Reply::empty(503),
        Reply::json(200, &serde_json::json!({"pong": 7})),
        Reply::json(404, &serde_json::json!({"message": "gone"})),
        Reply::empty(204),
    ])
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .expect("a valid client");
    let pong = client
        .request(reqwest::Method::POST, "/v9/ping")
        .json(&serde_json::json!({"n": 1}))
        .extra_query("q", "a b")
        .returning::<Pong>()
        .send()
        .await
        .expect("the retry answers");
    assert_eq!(pong, Pong { pong: 7 });
    let error = client
        .request(reqwest::Method::GET, "/v9/thing")
        .send()
        .await
        .expect_err("404");
    let Error::NotFound(api) = &error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert_eq!(api.body, Some(serde_json::json!({"message": "gone"})));
    let empty = client
        .request(reqwest::Method::DELETE, "/v9/thing")
        .send()
        .await
        .expect("204");
    assert_eq!(empty, serde_json::Value::Null);
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    for request in &requests {
        assert_eq!(request.header("authorization"), Some("Bearer ks_token"));
    }
    assert_eq!(requests[1].target, "/v9/ping?q=a+b");
    assert_eq!(requests[1].header("x-retry-count"), Some("1"));
    assert_eq!(
        requests[1].body_json().expect("JSON"),
        serde_json::json!({"n": 1})
    );

    let error = client
        .request(reqwest::Method::GET, "v9/no-slash")
        .send()
        .await
        .expect_err("a relative path");
    assert!(matches!(error, Error::Build(_)), "{error:?}");
}

/// What a hook saw of one attempt: path template, attempt number, status.
type Attempt = (String, u32, Option<u16>);

/// Adds a header to every attempt and notes what each came to.
#[derive(Default, Clone)]
struct Recorder {
    seen: Arc<Mutex<Vec<Attempt>>>,
}

impl Hook for Recorder {
    fn before_send(
        &self,
        request: &mut reqwest::Request,
        info: &AttemptInfo,
    ) -> Result<(), String> {
        let value = format!("{}#{}", info.operation, info.attempt);
        let value = reqwest::header::HeaderValue::from_str(&value).map_err(|e| e.to_string())?;
        request.headers_mut().insert("x-signed", value);
        Ok(())
    }

    fn after_response(&self, outcome: &AttemptOutcome<'_>, info: &AttemptInfo) {
        let status = outcome.response.map(|(status, _)| status);
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.push((info.path.to_owned(), info.attempt, status));
    }
}

/// Refuses every request.
struct Refuser;

impl Hook for Refuser {
    fn before_send(&self, _: &mut reqwest::Request, _: &AttemptInfo) -> Result<(), String> {
        Err("refused by policy".to_owned())
    }
}

#[tokio::test]
async fn hooks_see_and_change_every_attempt_and_can_stop_a_call() {
    let server = TestServer::start([Reply::empty(503), upsert_answer()]).await;
    let recorder = Recorder::default();
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .retry_base_delay(Duration::from_millis(1))
        .hook(recorder.clone())
        .build()
        .expect("a valid client");
    client
        .customers()
        .upsert("c1", "a@b.c")
        .send()
        .await
        .expect("the retry answers");
    let signed: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-signed").map(str::to_owned))
        .collect();
    assert_eq!(
        signed,
        [
            Some("upsertCustomer#0".to_owned()),
            Some("upsertCustomer#1".to_owned())
        ]
    );
    let seen = recorder.seen.lock().expect("not poisoned").clone();
    assert_eq!(
        seen,
        [
            ("/customers/{id}".to_owned(), 0, Some(503)),
            ("/customers/{id}".to_owned(), 1, Some(200))
        ]
    );

    let (server, _) = setup([]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .hook(Refuser)
        .build()
        .expect("a valid client");
    let error = client
        .customers()
        .upsert("c1", "a@b.c")
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::Build(_)), "{error:?}");
    assert!(error.to_string().contains("refused by policy"), "{error}");
    assert!(server.requests().is_empty());
}
