//! [`Hook`]: code of the user's that runs around every attempt of every request,
//! for signing, extra headers, metrics or logging of one's own.
//!
//! Hooks rather than `reqwest-middleware`: the client retries, times out and sorts
//! errors itself, so a middleware stack below it would see each attempt but could
//! not tell one call's attempts apart, and one above it does not exist for a
//! generated client. A hook sees the `reqwest::Request` as it will go out (and can
//! change it) and then the outcome, with the operation and the attempt number;
//! a plain `reqwest::Client` with its own settings can still be passed to
//! `ClientBuilder::http_client`.

use std::time::Duration;

use reqwest::header::HeaderMap;

/// Which attempt of which call a hook is looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptInfo {
    /// The spec's `operationId` (`request` for routes called with `Client::request`).
    pub operation: &'static str,
    /// The path template, such as `/v1/chats/{chatID}`.
    pub path: &'static str,
    /// 0 for the first try, 1 for the first retry, and so on.
    pub attempt: u32,
}

/// What one attempt came to.
#[derive(Debug, Clone, Copy)]
pub struct AttemptOutcome<'a> {
    /// The status and headers, when the server answered.
    pub response: Option<(u16, &'a HeaderMap)>,
    /// From sending to the headers of the answer (or the failure).
    pub elapsed: Duration,
}

/// Behaviour added around each attempt (`ClientBuilder::hook`). Both methods
/// have empty defaults; hooks run in the order they were added.
pub trait Hook: Send + Sync + 'static {
    /// Called just before an attempt is sent, with the request as it will go
    /// out: add or change headers, sign it. An error stops the call with
    /// `Error::Build` carrying its message.
    fn before_send(
        &self,
        request: &mut reqwest::Request,
        info: &AttemptInfo,
    ) -> Result<(), String> {
        let _ = (request, info);
        Ok(())
    }

    /// Called when an attempt that was sent has its answer (before the body is
    /// read) or has failed; not for an attempt stopped before sending (a hook's
    /// refusal, a body file that cannot be opened).
    fn after_response(&self, outcome: &AttemptOutcome<'_>, info: &AttemptInfo) {
        let _ = (outcome, info);
    }
}
