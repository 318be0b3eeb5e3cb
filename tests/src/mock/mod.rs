//! Tests of the generated `mock` feature: the typed expectations and
//! responders of the kitchen sink's operations (`expectations`), `verify` and
//! the 501 for unmatched requests (`verify`), mocked streams with reconnects
//! (`streams`), Beeper's mocked live-events socket (`events`), and behaviour
//! tests of both crates ported to the mock (`beeper`, `kitchen_sink`). Each
//! test starts its own mock server on 127.0.0.1.

mod beeper;
mod events;
mod expectations;
mod kitchen_sink;
mod streams;
mod verify;
