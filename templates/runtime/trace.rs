//! What the client tells `tracing` (with the crate's default `tracing` feature):
//! a span per call and an event per retry. Without the feature every function
//! here does nothing and compiles to nothing.
//!
//! The span is `request`, with `operation` (the spec's operationId), `method`,
//! `path` (the template, `/v1/chats/{chatID}`, so no ID is logged at `info`),
//! `attempt` (0 for the first try), `status` and `duration_ms`. The URL, with the
//! IDs in its path, is a `debug` event. Headers are never recorded, so neither is
//! the token.

use std::time::{Duration, Instant};

/// The span of one call, and when it started.
pub(crate) struct Trace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    started: Instant,
}

impl Trace {
    /// Opens the span of a call to `operation` (`method path`).
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn start(
        operation: &'static str,
        method: &reqwest::Method,
        path: &'static str,
    ) -> Self {
        Trace {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "request",
                operation,
                method = method.as_str(),
                path,
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            ),
            started: Instant::now(),
        }
    }

    /// Notes that attempt `attempt` goes to `url`.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn attempt(&self, attempt: u32, url: &reqwest::Url) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("attempt", attempt);
            tracing::debug!(parent: &self.span, attempt, url = url.as_str(), "sending");
        }
    }

    /// Notes a retry: why, and how long the client waits first.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn retry(&self, attempt: u32, reason: &str, wait: Duration) {
        #[cfg(feature = "tracing")]
        tracing::info!(
            parent: &self.span,
            attempt,
            reason,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "retrying"
        );
    }

    /// Closes the call with the final status (none when no answer came).
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn finish(&self, status: Option<u16>) {
        let elapsed = self.started.elapsed();
        #[cfg(feature = "tracing")]
        {
            if let Some(status) = status {
                self.span.record("status", status);
            }
            let ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
            self.span.record("duration_ms", ms);
        }
        let _ = elapsed;
    }

    /// `future`, run inside the span.
    pub(crate) async fn run<F: std::future::Future>(&self, future: F) -> F::Output {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(future, self.span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        {
            future.await
        }
    }
}
