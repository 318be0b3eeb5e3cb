//! Conformance of the generated `beeper-desktop-api` client with the spec, checked
//! by an independent mock server (Prism, pinned in `tests/mock/`) that validates
//! every request against `spec/beeper-desktop-api.yaml` and answers from it.
//!
//! Run it with `tests/conformance.sh`, which installs and starts the mock and sets
//! `CONFORMANCE_BASE_URL`; plain `cargo test` does not build this target
//! (`test = false` in `tests/Cargo.toml`). Without the variable, or when the mock
//! cannot be reached, every test fails: the suite never passes without checking.
//! The script runs the suite a second time against the mock loaded with Beeper's
//! own description of the API (when it is beside the repository), without the
//! tests of the v0 route that description lacks: the client generated from our
//! spec must work against what Beeper says too.
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
//! * `coverage`: the table names exactly the operations of the spec, and the spec
//!   has the operations, parameters and statuses of Beeper's description.
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
