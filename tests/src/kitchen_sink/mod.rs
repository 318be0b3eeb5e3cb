//! Behaviour tests of the second generated client, `kitchen-sink-api` (from
//! `tests/kitchen-sink.yaml`), against the scripted server of [`crate::server`]:
//! the request and response shapes the Beeper spec does not have.
//!
//! Every test starts its own server on `127.0.0.1:0`.

mod auth;
mod bodies;
mod error_text;
mod extras;
mod inheritance;
mod openapi32;
mod responses;
mod shapes;
mod streaming;
mod streams;
mod styles;
mod traces;
mod unions;

use kitchen_sink_api::Client;

use crate::server::{Recorded, Reply, TestServer};

/// The bearer token the test clients send.
const TOKEN: &str = "ks_token";

/// Starts a server with `script` and a client pointed at it, retries off.
async fn setup(script: impl IntoIterator<Item = Reply>) -> (TestServer, Client) {
    let server = TestServer::start(script).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .max_retries(0)
        .build()
        .expect("the test client configuration is valid");
    (server, client)
}

/// The one request the server received; fails if there were more or fewer.
fn only_request(server: &TestServer) -> Recorded {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "expected one request: {requests:#?}");
    requests.pop().expect("length checked above")
}

/// `application/x-www-form-urlencoded` text as decoded `(name, value)` pairs in order.
fn decode_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Undoes percent-encoding and `+` for space; invalid escapes are kept as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Owned pairs from string literals, for comparisons.
fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}
