//! When to retry a request and how long to wait first: the rules of the official
//! SDKs (connection errors, timeouts, 408, 409, 429 and 5xx; `x-should-retry`
//! overrides; `retry-after-ms`, then `Retry-After`, then exponential backoff with
//! jitter), as pure functions of the response, so they are tested without a server.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// Backoff settings of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Wait before the first retry; doubled for each further one.
    pub(crate) base_delay: Duration,
    /// Upper bound of the computed backoff.
    pub(crate) max_delay: Duration,
    /// The longest server-requested wait (`Retry-After`) the client accepts; a longer
    /// request ends the retries and the error is returned instead.
    pub(crate) max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// Whether a response with this status and these headers may succeed if sent again.
pub(crate) fn is_retryable_response(status: u16, headers: &HeaderMap) -> bool {
    let header = headers.get("x-should-retry").and_then(|v| v.to_str().ok());
    match header.map(str::trim) {
        Some("true") => true,
        Some("false") => false,
        _ => matches!(status, 408 | 409 | 429) || (500..600).contains(&status),
    }
}

/// What to do after a retryable failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// Sleep this long, then retry.
    Retry(Duration),
    /// The server asks for a longer wait than the policy accepts: give up now.
    GiveUp,
}

/// How long to wait before retry number `attempt + 1`.
pub(crate) fn wait_before_retry(
    headers: Option<&HeaderMap>,
    attempt: u32,
    policy: &RetryPolicy,
    now: SystemTime,
    jitter: f64,
) -> Wait {
    match headers.and_then(|h| server_requested_wait(h, now)) {
        Some(wait) if wait <= policy.max_retry_after => Wait::Retry(wait),
        Some(_) => Wait::GiveUp,
        None => Wait::Retry(backoff(attempt, policy, jitter)),
    }
}

/// `retry-after-ms` (milliseconds), else `Retry-After` (seconds or an HTTP date).
fn server_requested_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(|t| t.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(seconds(ms / 1000.0));
        }
    }
    let value = text("retry-after")?;
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| self::seconds(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A finite, non-negative number of seconds; one too large for a `Duration`
/// (`Retry-After: 1e300`) is the longest wait there is, which the policy refuses.
fn seconds(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
}

/// min(base × 2^attempt, max), minus up to 25 % (`jitter` is uniform in [0, 1)).
pub(crate) fn backoff(attempt: u32, policy: &RetryPolicy, jitter: f64) -> Duration {
    let factor = 2f64.powi(attempt.min(30) as i32);
    let delay = policy.base_delay.mul_f64(factor).min(policy.max_delay);
    delay.mul_f64(1.0 - 0.25 * jitter.clamp(0.0, 1.0))
}

/// A number in [0, 1) that differs from call to call, without a random-number crate:
/// std's `RandomState` is seeded randomly per process and per instance.
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = value.parse() {
                map.insert(*name, value);
            }
        }
        map
    }

    #[test]
    fn a_wait_too_long_for_a_duration_gives_up_instead_of_panicking() {
        let policy = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH;
        for pair in [("retry-after", "1e300"), ("retry-after-ms", "1e300")] {
            let wait = wait_before_retry(Some(&headers(&[pair])), 0, &policy, now, 0.5);
            assert_eq!(wait, Wait::GiveUp, "{pair:?}");
        }
    }

    #[test]
    fn statuses_and_the_override_header_decide_retries() {
        for status in [408, 409, 429, 500, 502, 503, 599] {
            assert!(is_retryable_response(status, &HeaderMap::new()), "{status}");
        }
        for status in [400, 401, 403, 404, 422, 301] {
            assert!(
                !is_retryable_response(status, &HeaderMap::new()),
                "{status}"
            );
        }
        assert!(!is_retryable_response(
            500,
            &headers(&[("x-should-retry", "false")])
        ));
        assert!(is_retryable_response(
            400,
            &headers(&[("x-should-retry", "true")])
        ));
    }

    #[test]
    fn server_requested_waits_win_over_backoff() {
        let policy = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let wait = |pairs: &[(&'static str, &str)]| {
            wait_before_retry(Some(&headers(pairs)), 0, &policy, now, 0.0)
        };
        assert_eq!(
            wait(&[("retry-after-ms", "1500")]),
            Wait::Retry(Duration::from_millis(1500))
        );
        assert_eq!(
            wait(&[("retry-after-ms", "250"), ("retry-after", "9")]),
            Wait::Retry(Duration::from_millis(250))
        );
        assert_eq!(
            wait(&[("retry-after", "2")]),
            Wait::Retry(Duration::from_secs(2))
        );
        assert_eq!(
            wait(&[("retry-after", "0.5")]),
            Wait::Retry(Duration::from_millis(500))
        );
        let in_ten = httpdate::fmt_http_date(now + Duration::from_secs(10));
        assert_eq!(
            wait(&[("retry-after", &in_ten)]),
            Wait::Retry(Duration::from_secs(10))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(10));
        assert_eq!(wait(&[("retry-after", &past)]), Wait::Retry(Duration::ZERO));
        assert_eq!(wait(&[("retry-after", "3600")]), Wait::GiveUp);
        assert_eq!(
            wait(&[("retry-after", "soon")]),
            Wait::Retry(Duration::from_millis(500))
        );
        assert_eq!(
            wait(&[("retry-after-ms", "-5")]),
            Wait::Retry(Duration::from_millis(500))
        );
    }

    #[test]
    fn backoff_doubles_caps_and_jitters_down_by_at_most_a_quarter() {
        let policy = RetryPolicy::default();
        let ms = |attempt, jitter| backoff(attempt, &policy, jitter).as_millis();
        assert_eq!(
            [
                ms(0, 0.0),
                ms(1, 0.0),
                ms(2, 0.0),
                ms(3, 0.0),
                ms(4, 0.0),
                ms(9, 0.0)
            ],
            [500, 1000, 2000, 4000, 8000, 8000]
        );
        assert_eq!(ms(0, 0.999_999), 375);
        assert_eq!(ms(40, 0.5), 7000);
        let sample = jitter();
        assert!((0.0..1.0).contains(&sample), "{sample}");
    }
}
