//! Client configuration: what the builder sets reaches the wire (token, base URL,
//! default headers, `User-Agent`), per-request headers win, the environment is
//! read by `from_env`, a client builds without a token (a call that needs one
//! fails before sending), and `Debug` never shows the token.
//!
//! Environment variables are process-global, so every assertion that touches them
//! is in the one test [`from_env_reads_token_and_base_url`]; no other test reads them.

use std::ffi::OsString;
use std::time::Duration;

use beeper_desktop_api::{BASE_URL_ENV, DEFAULT_BASE_URL, TOKEN_ENV};

use super::*;

/// Lists a chat and returns the one request the server received.
async fn list_request(server: &TestServer, client: &Client) -> Recorded {
    client
        .chats()
        .list()
        .send()
        .await
        .expect("the empty page decodes");
    only_request(server)
}

/// An empty page of chats.
fn empty_page() -> Reply {
    let page = json!({"items": [], "hasMore": false, "oldestCursor": null, "newestCursor": null});
    Reply::json(200, &page)
}

#[tokio::test]
async fn builder_settings_reach_the_wire() {
    let server = TestServer::start([empty_page()]).await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(format!("{}/", server.base_url()))
        .timeout(Duration::from_millis(1234))
        .max_retries(1)
        .default_header("X-App", "tests")
        .default_header("X-Override", "default")
        .build()
        .expect("the configuration is valid");
    assert_eq!(client.base_url(), server.base_url(), "no trailing slash");
    let debug = format!("{client:?}");
    assert!(
        debug.contains("1.234s") && debug.contains("max_retries: 1"),
        "{debug}"
    );
    let request = list_request(&server, &client).await;
    assert_eq!(request.request_line(), "GET /v1/chats HTTP/1.1");
    check_common_headers(&request);
    assert_eq!(request.header("x-app"), Some("tests"));
    assert_eq!(request.header("x-override"), Some("default"));
}

#[tokio::test]
async fn a_request_header_replaces_a_default_header() {
    let configure = |b: ClientBuilder| b.default_header("X-Override", "default");
    let (server, client) = setup_with([empty_page()], configure).await;
    client
        .chats()
        .list()
        .header("x-override", "mine")
        .header("X-Extra", "1")
        .send()
        .await
        .expect("the empty page decodes");
    let request = only_request(&server);
    assert_eq!(request.header_values("x-override"), ["mine"]);
    assert_eq!(request.header("x-extra"), Some("1"));
}

#[tokio::test]
async fn user_agent_names_the_crate_and_version() {
    let (server, client) = setup([empty_page()]).await;
    let request = list_request(&server, &client).await;
    let agent = request.header("user-agent").expect("a User-Agent is sent");
    assert!(agent.starts_with("beeper-desktop-api/0.1.0"), "{agent}");
}

#[tokio::test]
async fn a_callers_http_client_is_used() {
    // A header only the caller's own client adds proves requests go through it.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-from-callers-client",
        reqwest::header::HeaderValue::from_static("yes"),
    );
    // reqwest is built without a TLS provider: the crate's builder installs
    // ring, which a reqwest client built by hand needs too.
    let _ = Client::builder();
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client builds");
    let configure = move |b: ClientBuilder| b.http_client(http.clone()).max_retries(0);
    let (server, client) = setup_with([empty_page()], configure).await;
    let request = list_request(&server, &client).await;
    check_common_headers(&request);
    assert_eq!(request.header("x-from-callers-client"), Some("yes"));
}

/// The client builds without a token; a call that needs one fails before
/// anything is sent, naming the builder method and the variable, and a call
/// that needs none (`info.retrieve`, `security: []`) goes out without it.
#[tokio::test]
async fn without_a_token_calls_that_need_one_fail_before_sending() {
    let server = TestServer::start([Reply::json(200, &json!({}))]).await;
    for builder in [Client::builder(), Client::builder().token("")] {
        let client = builder
            .base_url(server.base_url())
            .build()
            .expect("no credential is needed to build");
        let error = client
            .chats()
            .list()
            .send()
            .await
            .expect_err("listing chats needs the token");
        let Error::MissingCredentials(missing) = &error else {
            panic!("not a missing credential: {error:?}");
        };
        assert_eq!(missing.schemes(), [["bearerAuth"]]);
        let text = error.to_string();
        assert!(
            text.contains("`bearerAuth`")
                && text.contains("ClientBuilder::bearer_auth")
                && text.contains(TOKEN_ENV),
            "{text}"
        );
        assert!(server.requests().is_empty(), "nothing was sent");
    }
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .expect("builds");
    let _ = client.info().retrieve().send().await;
    let sent = only_request(&server);
    assert_eq!(sent.request_line(), "GET /v1/info HTTP/1.1");
    assert_eq!(sent.header("authorization"), None);
}

#[test]
fn debug_of_client_and_builder_never_shows_secrets() {
    let builder = Client::builder()
        .token(TOKEN)
        .default_header("X-Api-Key", "header-secret-42");
    let shown = format!("{builder:?} {builder:#?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains("header-secret-42"),
        "{shown}"
    );
    assert!(shown.contains("X-Api-Key"), "{shown}");
    let client = builder.build().expect("the configuration is valid");
    let shown = format!("{client:?} {client:#?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains("header-secret-42"),
        "{shown}"
    );
}

// ------------------------------------------------------------- environment

/// Puts the variables back as they were when dropped, even if an assertion failed.
struct RestoreEnv(Vec<(&'static str, Option<OsString>)>);

impl RestoreEnv {
    fn save(names: &[&'static str]) -> Self {
        RestoreEnv(names.iter().map(|n| (*n, std::env::var_os(n))).collect())
    }
}

impl Drop for RestoreEnv {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// Sets (`Some`) or removes (`None`) an environment variable.
fn set_env(name: &str, value: Option<&str>) {
    match value {
        Some(value) => std::env::set_var(name, value),
        None => std::env::remove_var(name),
    }
}

#[tokio::test]
async fn from_env_reads_token_and_base_url() {
    assert_eq!(TOKEN_ENV, "BEEPER_ACCESS_TOKEN");
    assert_eq!(BASE_URL_ENV, "BEEPER_DESKTOP_BASE_URL");
    let _restore = RestoreEnv::save(&[TOKEN_ENV, BASE_URL_ENV]);
    let server = TestServer::start([empty_page()]).await;

    set_env(TOKEN_ENV, Some(TOKEN));
    set_env(BASE_URL_ENV, Some(&server.base_url()));
    let client = Client::from_env().expect("both variables are set");
    assert_eq!(client.base_url(), server.base_url());
    let request = list_request(&server, &client).await;
    check_common_headers(&request);

    let explicit = Client::builder()
        .base_url("http://127.0.0.1:9")
        .from_env()
        .build();
    let explicit = explicit.expect("the token comes from the environment");
    assert_eq!(explicit.base_url(), "http://127.0.0.1:9", "code wins");

    for unset in [Some(""), None] {
        set_env(BASE_URL_ENV, unset);
        let client = Client::from_env().expect("the token is set");
        assert_eq!(client.base_url(), DEFAULT_BASE_URL, "{unset:?} means unset");
    }

    for missing in [None, Some("")] {
        set_env(TOKEN_ENV, missing);
        let client = Client::from_env().expect("a client builds without a token");
        let error = client.chats().list().send().await.expect_err("no token");
        let text = error.to_string();
        assert!(
            matches!(error, Error::MissingCredentials(_)) && text.contains("BEEPER_ACCESS_TOKEN"),
            "{text}"
        );
    }
    let coded = Client::builder().token(TOKEN).from_env().build();
    assert!(
        coded.is_ok(),
        "a token from code needs no variable: {coded:?}"
    );
}
