//! Tests of the generated `mock` feature: the typed expectations and
//! responders of the kitchen sink's operations (`expectations`), `verify` and
//! the 501 for unmatched requests (`verify`), mocked streams with reconnects
//! (`streams`), and Beeper's mocked live-events socket (`events`). Each test
//! starts its own mock server on 127.0.0.1.

mod beeper;
mod events;
mod expectations;
mod streams;
mod verify;
