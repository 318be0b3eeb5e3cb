//! Conformance of the generated `beeper-desktop-api` client with the spec, checked
//! by an independent mock server (Prism, pinned in `tests/mock/`) that validates
//! every request against `spec/beeper-desktop-api.yaml` and answers from it.
//!
//! Run it with `tests/conformance.sh`, which installs and starts the mock and sets
//! `CONFORMANCE_BASE_URL`; plain `cargo test` does not build this target
//! (`test = false` in `tests/Cargo.toml`). Without the variable, or when the mock
//! cannot be reached, every test fails: the suite never passes without checking.
//!
//! [`operations`] lists every operation of the spec once, with a request that sets
//! only the required parameters and one that sets all of them; each concern below
//! turns that table into one test per operation:
//!
//! * `required`: only required parameters; a 2xx and a decoded response.
//! * `all_params`: every optional parameter and body field set to a schema-valid
//!   value; a 2xx and a decoded response.
//! * `errors`: each error status the spec declares (`Prefer: code=NNN`) comes back
//!   as the matching `Error` variant with the spec's error body.
//! * `dynamic`: 20 random schema-valid responses per operation
//!   (`Prefer: dynamic=true`) decode.
//! * `coverage`: the table names exactly the operations of the spec.
//!
//! The mock runs with `--errors`, so a request that breaks the spec is answered
//! with 422 (or 401 without a token) and an `sl-violations` header; the checks in
//! [`mock`] turn that into a failure that quotes the violations.

#[macro_use]
mod operations;

mod all_params;
mod coverage;
mod dynamic;
mod errors;
mod mock;
mod required;
mod values;
