//! The client pointed at the mock, and the checks every test ends in.
//!
//! The mock (Prism with `--errors`) answers a request that breaks the spec with an
//! error status and an `sl-violations` header listing what was wrong; every check
//! here fails on that header, quoting it, so a non-conforming request is reported
//! as such rather than as a surprising status.

use std::fmt::Debug;
use std::time::Duration;

use beeper_desktop_api::{ApiError, ApiResponse, Client, Error};

/// The variable `tests/conformance.sh` sets to the mock's base URL.
pub const BASE_URL_ENV: &str = "CONFORMANCE_BASE_URL";

/// The header in which Prism lists how a request or response broke the spec.
const VIOLATIONS_HEADER: &str = "sl-violations";

/// A header the spec declares on every response; Prism sends it only for answers
/// it built from the spec (not for its own errors, such as an unknown route).
const VERSION_HEADER: &str = "x-beeper-desktop-version";

/// The error statuses (with the spec's `Error` body) that the operations of the
/// spec declare, unless [`error_statuses`] says otherwise.
pub const ERROR_STATUSES: [u16; 7] = [400, 401, 403, 404, 422, 429, 500];

/// The error statuses with the spec's `Error` body that `operation` declares:
/// [`ERROR_STATUSES`], except for the unauthenticated server info, which only
/// declares 500.
pub fn error_statuses(operation: &str) -> &'static [u16] {
    match operation {
        "getInfo" => &[500],
        _ => &ERROR_STATUSES,
    }
}

/// The error statuses `operation` declares without a body (the asset stream's
/// "range not satisfiable").
pub fn bodiless_statuses(operation: &str) -> &'static [u16] {
    match operation {
        "serveAsset" => &[416],
        _ => &[],
    }
}

/// The answers `operation` declares besides the one in the operations table:
/// other 2xx statuses, and a 304, which the client returns as an answer too
/// (the asset stream's 206 for a range and 304 "not modified").
pub fn other_successes(operation: &str) -> &'static [u16] {
    match operation {
        "serveAsset" => &[206, 304],
        _ => &[],
    }
}

/// How many random responses each operation decodes in the dynamic tests.
pub const DYNAMIC_RESPONSES: usize = 20;

/// A client for the mock: a token (the spec requires bearer auth) and no retries,
/// so an error status answers exactly one request.
///
/// Panics when [`BASE_URL_ENV`] is unset: the suite must never pass unchecked.
pub fn client() -> Client {
    let base_url = std::env::var(BASE_URL_ENV).unwrap_or_default();
    assert!(
        !base_url.is_empty(),
        "{BASE_URL_ENV} is not set: the conformance suite needs the mock server; \
         run `tests/conformance.sh`, which starts it and sets the variable"
    );
    Client::builder()
        .base_url(base_url)
        .token("conformance-token")
        .max_retries(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("the conformance client configuration is valid")
}

/// Checks a success: the spec's 2xx `status`, a decoded body, no violations.
pub fn ok<T: Debug>(operation: &str, status: u16, result: Result<ApiResponse<T>, Error>) -> T {
    let response = match result {
        Ok(response) => response,
        Err(error) => panic!("{operation}: expected {status}, got {}", describe(&error)),
    };
    if let Some(violations) = response.header(VIOLATIONS_HEADER) {
        panic!("{operation}: the mock reports spec violations: {violations}");
    }
    assert_eq!(
        response.status, status,
        "{operation}: unexpected success status"
    );
    assert!(
        response.header(VERSION_HEADER).is_some(),
        "{operation}: the response lacks the spec's {VERSION_HEADER} header"
    );
    response.data
}

/// Checks that a request sent with `Prefer: code={status}` failed with the
/// `Error` variant for `status`, carrying the spec's error body and headers.
pub fn error<T: Debug>(operation: &str, status: u16, result: Result<T, Error>) {
    let error = match result {
        Ok(value) => panic!("{operation}: expected {status}, got a success: {value:?}"),
        Err(error) => error,
    };
    let Some(api) = error.api() else {
        panic!("{operation}: expected {status}, got {}", describe(&error));
    };
    if let Some(violations) = api.header(VIOLATIONS_HEADER) {
        panic!(
            "{operation}: the mock rejected the request ({}): {violations}",
            api.status
        );
    }
    assert_eq!(api.status, status, "{operation}: {}", describe(&error));
    assert_eq!(
        variant(&error),
        expected_variant(status),
        "{operation}: status {status} became the wrong variant"
    );
    assert!(
        api.body.is_some(),
        "{operation}: the {status} body does not decode as the spec's Error: {}",
        api.raw
    );
    assert!(
        api.message().is_some() && api.code().is_some(),
        "{operation}: the {status} body lacks message or code: {}",
        api.raw
    );
    assert!(
        api.header(VERSION_HEADER).is_some(),
        "{operation}: the {status} answer lacks {VERSION_HEADER}; not the spec's response"
    );
}

/// Checks that a request sent with `Prefer: code={status}`, for a status the spec
/// declares without a body, failed with `Error::Api` for that status, an empty
/// body and the spec's headers.
pub fn bodiless_error<T: Debug>(operation: &str, status: u16, result: Result<T, Error>) {
    let error = match result {
        Ok(value) => panic!("{operation}: expected {status}, got a success: {value:?}"),
        Err(error) => error,
    };
    let Some(api) = error.api() else {
        panic!("{operation}: expected {status}, got {}", describe(&error));
    };
    if let Some(violations) = api.header(VIOLATIONS_HEADER) {
        panic!(
            "{operation}: the mock rejected the request ({}): {violations}",
            api.status
        );
    }
    assert_eq!(api.status, status, "{operation}: {}", describe(&error));
    assert_eq!(
        variant(&error),
        expected_variant(status),
        "{operation}: status {status} became the wrong variant"
    );
    assert!(
        api.body.is_none() && api.raw.is_empty(),
        "{operation}: the {status} answer should have no body: {:?}",
        api.raw
    );
    assert!(
        api.header(VERSION_HEADER).is_some(),
        "{operation}: the {status} answer lacks {VERSION_HEADER}; not the spec's response"
    );
}

/// The `Error` variant the client must return for an error status.
fn expected_variant(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Authentication",
        403 => "PermissionDenied",
        404 => "NotFound",
        409 => "Conflict",
        422 => "UnprocessableEntity",
        429 => "RateLimit",
        500.. => "InternalServer",
        _ => "Api",
    }
}

/// The name of `error`'s variant.
fn variant(error: &Error) -> &'static str {
    match error {
        Error::BadRequest(_) => "BadRequest",
        Error::Authentication(_) => "Authentication",
        Error::PermissionDenied(_) => "PermissionDenied",
        Error::NotFound(_) => "NotFound",
        Error::Conflict(_) => "Conflict",
        Error::UnprocessableEntity(_) => "UnprocessableEntity",
        Error::RateLimit(_) => "RateLimit",
        Error::InternalServer(_) => "InternalServer",
        Error::Api(_) => "Api",
        Error::Connection(_) => "Connection",
        Error::Timeout(_) => "Timeout",
        Error::Decode(_) => "Decode",
        Error::Build(_) => "Build",
        Error::Config(_) => "Config",
        _ => "unknown",
    }
}

/// An error as a failure message, naming the likely cause.
fn describe(error: &Error) -> String {
    match error {
        Error::Connection(_) | Error::Timeout(_) => format!(
            "no answer from the mock ({error}); is it running? \
             Run the suite with `tests/conformance.sh`"
        ),
        _ => match error.api() {
            Some(api) => describe_api(variant(error), api),
            None => format!("{} error: {error}", variant(error)),
        },
    }
}

/// An API error as text, with the mock's list of violations when there is one.
fn describe_api(variant: &str, api: &ApiError<beeper_desktop_api::types::ErrorSchema>) -> String {
    match api.header(VIOLATIONS_HEADER) {
        Some(violations) => format!(
            "{variant} ({}): the mock rejected the request as not matching the spec: {violations}",
            api.status
        ),
        None => format!("{variant} ({}): {}", api.status, api.raw),
    }
}

/// Checks that dynamic responses of an operation with a body were random (at
/// least two different values), so the mock really generated them.
pub fn varied(operation: &str, status: u16, distinct: usize) {
    if status != 204 {
        assert!(
            distinct > 1,
            "{operation}: {DYNAMIC_RESPONSES} dynamic responses were all the same; \
             is Prism's dynamic mode working?"
        );
    }
}
