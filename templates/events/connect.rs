//! Opening a live-event connection, for `socket.rs`: the upgrade request (the
//! base URL as `ws`/`wss`, the client's headers and credentials), the connect
//! timeout, retries with the client's backoff, and an HTTP refusal sorted like
//! any API error. Copied verbatim beside it.

use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, http};

use super::error::{EventError, SocketError};
use super::socket::{Settings, Socket};
use crate::runtime::{backoff, is_retryable_response, jitter, USER_AGENT};

/// One connection attempt's failure: give up, or try again after a backoff.
pub(super) enum Failure {
    Fatal(EventError),
    Retry(EventError),
}

/// Connects, retrying with the HTTP backoff; `limit` bounds the retries (`None`:
/// no bound) and `first` is the backoff step to wait before the first attempt
/// (0: none). Returns the socket and how many attempts it took.
pub(super) async fn connect(
    settings: &Settings,
    limit: Option<u32>,
    first: u32,
) -> Result<(Socket, u32), EventError> {
    let policy = &settings.client.inner.retry;
    let mut failures = 0;
    if first > 0 {
        tokio::time::sleep(backoff(first - 1, policy, jitter())).await;
    }
    loop {
        match connect_once(settings).await {
            Ok(socket) => return Ok((socket, failures + 1)),
            Err(Failure::Fatal(error)) => return Err(error),
            Err(Failure::Retry(error)) => {
                if limit.is_some_and(|limit| failures >= limit) {
                    return Err(error);
                }
                tokio::time::sleep(backoff(failures, policy, jitter())).await;
                failures += 1;
            }
        }
    }
}

async fn connect_once(settings: &Settings) -> Result<Socket, Failure> {
    let (url, request) = upgrade_request(settings).map_err(Failure::Fatal)?;
    let timeout = settings.connect_timeout;
    let attempt = tokio_tungstenite::connect_async(request);
    match tokio::time::timeout(timeout, attempt).await {
        Ok(Ok((socket, _))) => Ok(socket),
        Ok(Err(tungstenite::Error::Http(response))) => Err(refused(&response)),
        Ok(Err(source)) => Err(Failure::Retry(EventError::Connection(SocketError {
            url,
            timeout: None,
            source: Some(Box::new(source)),
        }))),
        Err(_) => Err(Failure::Retry(EventError::Timeout(SocketError {
            url,
            timeout: Some(timeout),
            source: None,
        }))),
    }
}

/// A non-101 answer to the upgrade, as the HTTP error it is.
fn refused(response: &http::Response<Option<Vec<u8>>>) -> Failure {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.body().as_deref().unwrap_or_default();
    let retryable = is_retryable_response(status, &headers);
    let error: crate::Error = crate::runtime::Error::from_api(crate::ApiError::new(
        status,
        headers,
        body,
        &crate::runtime::ErrorFields::default(),
    ));
    match retryable {
        true => Failure::Retry(EventError::Rejected(Box::new(error))),
        false => Failure::Fatal(EventError::Rejected(Box::new(error))),
    }
}

/// The upgrade request: the base URL as `ws`/`wss`, the client's default
/// headers, its `User-Agent` and its credentials.
fn upgrade_request(settings: &Settings) -> Result<(String, http::Request<()>), EventError> {
    let config = &settings.client.inner;
    let url = websocket_url(&config.base_url, settings.channel.path)?;
    let invalid = |message: String| EventError::Build(crate::BuildError { message });
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| invalid(format!("invalid event stream URL {url:?}: {e}")))?;
    let headers = request.headers_mut();
    for (name, value) in &config.headers {
        headers.insert(name.clone(), value.clone());
    }
    headers.insert(
        http::header::USER_AGENT,
        http::HeaderValue::from_static(USER_AGENT),
    );
    // The spec does not say what the socket needs: the credentials of its root
    // requirement go along when they are set.
    let chosen = config
        .credentials
        .choose(crate::auth::SCHEMES, &crate::auth::UNDECLARED)
        .unwrap_or_default();
    let placed = crate::runtime::auth::place(&chosen).map_err(invalid)?;
    for (name, value) in placed.headers {
        headers.insert(name, value);
    }
    // Encoded as the HTTP requests encode cookies.
    if let Some(cookies) = crate::runtime::cookie_header(&placed.cookies) {
        let mut value = http::HeaderValue::from_str(&cookies)
            .map_err(|_| invalid("a cookie credential is not a valid header value".to_owned()))?;
        value.set_sensitive(true);
        headers.insert(http::header::COOKIE, value);
    }
    if !placed.query.is_empty() {
        // The URL returned for messages stays without the credentials.
        let mut with_keys = reqwest::Url::parse(&url)
            .map_err(|e| invalid(format!("invalid event stream URL {url:?}: {e}")))?;
        with_keys.query_pairs_mut().extend_pairs(&placed.query);
        *request.uri_mut() = with_keys.as_str().parse().map_err(|_| {
            invalid("the event stream URL with its query credentials is not valid".to_owned())
        })?;
    }
    Ok((url, request))
}

/// `http://host/base` + `/ws` → `ws://host/base/ws` (and https → wss).
fn websocket_url(base_url: &str, path: &str) -> Result<String, EventError> {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("", base_url));
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => {
            let message =
                format!("the base URL {base_url:?} is not http(s), so it has no WebSocket address");
            return Err(EventError::Build(crate::BuildError { message }));
        }
    };
    Ok(format!("{scheme}://{}{path}", rest.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::websocket_url;

    #[test]
    fn websocket_urls_follow_the_base_url() {
        let cases = [
            ("http://localhost:23373", "ws://localhost:23373/v1/ws"),
            ("https://example.com/api/", "wss://example.com/api/v1/ws"),
            ("HTTP://h", "ws://h/v1/ws"),
            ("wss://h", "wss://h/v1/ws"),
        ];
        for (base, expected) in cases {
            assert_eq!(
                websocket_url(base, "/v1/ws").ok().as_deref(),
                Some(expected)
            );
        }
        assert!(websocket_url("ftp://h", "/v1/ws").is_err());
        assert!(websocket_url("localhost", "/v1/ws").is_err());
    }
}
