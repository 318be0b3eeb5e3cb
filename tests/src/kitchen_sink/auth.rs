//! Security requirements as the spec declares them, on the `/auth` operations
//! of the kitchen sink (schemes `bearer`, `basic`, `headerKey` in `X-Api-Key`,
//! `queryKey` in `api_key`, `cookieKey` in `session`, `oauth`): each request
//! carries exactly the credentials its requirement names, no more, no fewer.
//! A requirement that cannot be met fails before anything is sent, and no
//! credential shows in `Debug`, errors or traces.

use std::ffi::OsString;

use kitchen_sink_api::{Client, ClientBuilder, Error};
use tracing_subscriber::layer::SubscriberExt;

use super::traces::Capture;
use super::*;

const USER: &str = "aladdin";
const PASSWORD: &str = "open sesame";
/// `base64("aladdin:open sesame")`.
const BASIC: &str = "Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==";
const HEADER_KEY: &str = "hk-1f2e3d";
const QUERY_KEY: &str = "qk-4c5b6a";
const COOKIE_KEY: &str = "ck-7a8b9c";
const OAUTH: &str = "oa-0d1e2f";

/// Every credential set.
fn everything(builder: ClientBuilder) -> ClientBuilder {
    builder
        .token(TOKEN)
        .basic(USER, PASSWORD)
        .header_key(HEADER_KEY)
        .query_key(QUERY_KEY)
        .cookie_key(COOKIE_KEY)
        .oauth(OAUTH)
}

async fn client_with(
    server: &TestServer,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Client {
    configure(Client::builder().base_url(server.base_url()).max_retries(0))
        .build()
        .expect("a valid client")
}

/// What a request carried: its `Authorization`, `X-Api-Key`, `Cookie` and target.
fn carried(request: &Recorded) -> (Option<&str>, Option<&str>, Option<&str>, &str) {
    (
        request.header("authorization"),
        request.header("x-api-key"),
        request.header("cookie"),
        request.target.as_str(),
    )
}

#[tokio::test]
async fn each_operation_carries_exactly_what_its_requirement_names() {
    let server = TestServer::start((0..9).map(|_| Reply::empty(204))).await;
    let client = client_with(&server, everything).await;
    let auth = client.auth();
    auth.open().send().await.expect("open");
    auth.optional().send().await.expect("optional");
    auth.basic().send().await.expect("basic");
    auth.header_key().send().await.expect("header key");
    auth.query_key().page(2).send().await.expect("query key");
    auth.cookie_key()
        .theme("dark")
        .send()
        .await
        .expect("cookie key");
    auth.oauth().send().await.expect("oauth");
    auth.both().send().await.expect("both");
    auth.either().send().await.expect("either");
    let bearer = format!("Bearer {TOKEN}");
    let oauth = format!("Bearer {OAUTH}");
    let cookies = format!("theme=dark; session={COOKIE_KEY}");
    let query = format!("/auth/query-key?page=2&api_key={QUERY_KEY}");
    let expected = [
        (None, None, None, "/auth/open"),
        (Some(bearer.as_str()), None, None, "/auth/optional"),
        (Some(BASIC), None, None, "/auth/basic"),
        (None, Some(HEADER_KEY), None, "/auth/header-key"),
        (None, None, None, query.as_str()),
        (None, None, Some(cookies.as_str()), "/auth/cookie-key"),
        (Some(oauth.as_str()), None, None, "/auth/oauth"),
        (Some(BASIC), Some(HEADER_KEY), None, "/auth/both"),
        // Basic is listed first, so it is the one sent.
        (Some(BASIC), None, None, "/auth/either"),
    ];
    let requests = server.requests();
    let seen: Vec<_> = requests.iter().map(carried).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn optional_and_alternative_requirements_use_what_is_set() {
    let server = TestServer::start((0..3).map(|_| Reply::empty(204))).await;
    let client = client_with(&server, |b| b.query_key(QUERY_KEY)).await;
    client
        .auth()
        .optional()
        .send()
        .await
        .expect("optional without a token");
    client
        .auth()
        .either()
        .send()
        .await
        .expect("either, by the query key");
    // A route the spec does not describe carries the root requirement's
    // credential when set, and goes without it otherwise.
    client
        .request(reqwest::Method::GET, "/undeclared")
        .send()
        .await
        .expect("a custom route needs nothing");
    let requests = server.requests();
    let seen: Vec<_> = requests.iter().map(carried).collect();
    let either = format!("/auth/either?api_key={QUERY_KEY}");
    assert_eq!(
        seen,
        [
            (None, None, None, "/auth/optional"),
            (None, None, None, either.as_str()),
            (None, None, None, "/undeclared"),
        ]
    );
}

#[tokio::test]
async fn a_requirement_that_cannot_be_met_fails_before_sending_and_names_what_is_missing() {
    let server = TestServer::start([]).await;
    // Only half of `both`, and neither side of `either`.
    let client = client_with(&server, |b| b.header_key(HEADER_KEY)).await;
    let both = client
        .auth()
        .both()
        .send()
        .await
        .expect_err("basic is missing");
    let Error::MissingCredentials(missing) = &both else {
        panic!("not a missing credential: {both:?}");
    };
    assert_eq!(missing.schemes(), [["headerKey", "basic"]]);
    let text = both.to_string();
    assert!(
        text.contains("`basic` (`ClientBuilder::basic` or KITCHEN_SINK_API_BASIC_USERNAME with KITCHEN_SINK_API_BASIC_PASSWORD)"),
        "{text}"
    );
    let either = client
        .auth()
        .either()
        .send()
        .await
        .expect_err("neither is set");
    let text = either.to_string();
    assert!(
        text.contains("`basic`")
            && text.contains(
                "; or `queryKey` (`ClientBuilder::query_key` or KITCHEN_SINK_API_QUERY_KEY)"
            ),
        "{text}"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn credentials_come_from_their_variables() {
    let names = [
        "KITCHEN_SINK_TOKEN",
        "KITCHEN_SINK_API_BASIC_USERNAME",
        "KITCHEN_SINK_API_BASIC_PASSWORD",
        "KITCHEN_SINK_API_HEADER_KEY",
    ];
    assert_eq!(kitchen_sink_api::TOKEN_ENV, names[0]);
    let saved: Vec<(&str, Option<OsString>)> =
        names.iter().map(|n| (*n, std::env::var_os(n))).collect();
    let values = [TOKEN, USER, PASSWORD, HEADER_KEY];
    for (name, value) in names.iter().zip(values) {
        std::env::set_var(name, value);
    }
    let server = TestServer::start((0..2).map(|_| Reply::empty(204))).await;
    let client = client_with(&server, ClientBuilder::from_env).await;
    for (name, value) in saved {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
    client
        .auth()
        .both()
        .send()
        .await
        .expect("both from the environment");
    client
        .auth()
        .optional()
        .send()
        .await
        .expect("the token from the environment");
    let requests = server.requests();
    let bearer = format!("Bearer {TOKEN}");
    let seen: Vec<_> = requests.iter().map(carried).collect();
    assert_eq!(
        seen,
        [
            (Some(BASIC), Some(HEADER_KEY), None, "/auth/both"),
            (Some(bearer.as_str()), None, None, "/auth/optional"),
        ]
    );
}

#[tokio::test]
async fn no_credential_shows_in_debug_errors_or_traces() {
    let secrets = [TOKEN, PASSWORD, HEADER_KEY, QUERY_KEY, COOKIE_KEY, OAUTH];
    // A port nothing listens on: the connection error must not quote the key.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        listener.local_addr().expect("has an address").port()
    };
    let builder = everything(
        Client::builder()
            .base_url(format!("http://127.0.0.1:{closed}"))
            .max_retries(0),
    );
    let client = builder.clone().build().expect("valid");
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let error = client
        .auth()
        .query_key()
        .send()
        .await
        .expect_err("nothing listens");
    let shown = format!(
        "{builder:?} {client:?} {error} {error:?} {}",
        capture.everything()
    );
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(
        shown.contains("queryKey") && shown.contains("/auth/query-key"),
        "{shown}"
    );
}
