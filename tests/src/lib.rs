//! Tests of the generator and of the generated `beeper-desktop-api` crate, in one
//! test binary (`cargo test -p tests`):
//!
//! * `bad_specs`: every spec under `tests/bad-specs/` and what the generator says
//!   about it (insta snapshots).
//! * `mutations`: 10,000 randomly mutated specs give diagnostics or output, never a panic.
//! * `defects`: each class of real-world defect injected into every fixture
//!   generates with its warning code.
//! * `openapi31`: OpenAPI 3.1 fixtures generate the same code as their 3.0 twins.
//! * `diagnostics`: bad specs give every problem at once, located by JSON pointer.
//! * `features`: Cargo features per resource group, and which types each compiles.
//! * `freshness`: `generated/` is exactly what the generator makes from `spec/` now.
//! * `snapshots`: insta snapshots of generator output for small fixture specs under
//!   `tests/fixtures/`, one feature each.
//! * `behaviour`: the generated client against real HTTP servers on 127.0.0.1,
//!   started by each test (`server` is the scripted test server).
//! * `kitchen_sink`: the same for `tests/kitchen-sink/`, a second generated client
//!   with the request and response shapes the Beeper spec lacks.
//! * `repairs`: one spec per class of defect real specs carry (`tests/repairs/`),
//!   each generated with its warning codes.
//! * `events`: the live-events stream of the Beeper crate against a WebSocket
//!   server on 127.0.0.1 (`ws_server`).
//! * `examples`: the Beeper crate's example programs, built and run against
//!   servers on 127.0.0.1.
//! * `extensions`: what `x-rust-events` and `x-rust-examples` add to a crate, and
//!   the warnings for malformed ones.
//! * `multi_file`: `tests/multi-file/`, a spec split across files, and the access
//!   policy for files outside its folder and remote documents (a local server).
//! * `self_uri`: `tests/self-uri/`, OpenAPI 3.2's `$self` as the base of references.
//!
//! The repository README is included below so its examples are compiled and run
//! as doctests.
#![doc = include_str!("../../README.md")]

#[cfg(test)]
mod bad_specs;
#[cfg(test)]
mod behaviour;
#[cfg(test)]
mod defects;
#[cfg(test)]
mod diagnostics;
#[cfg(test)]
mod events;
#[cfg(test)]
mod examples;
#[cfg(test)]
mod extensions;
#[cfg(test)]
mod features;
#[cfg(test)]
mod freshness;
#[cfg(test)]
mod kitchen_sink;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod multi_file;
#[cfg(test)]
mod mutations;
#[cfg(test)]
mod openapi31;
#[cfg(test)]
mod prose_refs;
#[cfg(test)]
mod repairs;
#[cfg(test)]
mod security;
#[cfg(test)]
mod self_uri;
#[cfg(test)]
mod server;
#[cfg(test)]
mod snapshots;
#[cfg(test)]
mod stream_server;
#[cfg(test)]
mod ws_server;

/// Every generated file under `dir` (such as `src/types`), in path order, each
/// after a line naming it: the split modules read as one text, for snapshots and
/// searches that should not care which module holds an item.
#[cfg(test)]
pub(crate) fn joined(files: &generator::files::Files, dir: &str) -> String {
    let prefix = format!("{dir}/");
    files
        .iter()
        .filter(|(path, _)| path.starts_with(&prefix))
        .map(|(path, text)| format!("// ---- {path} ----\n{text}"))
        .collect()
}

/// What a snapshot named after `file` holds: the file, or for `src/types.rs` and
/// `src/resources.rs` (one file each before the split by feature) the joined modules.
#[cfg(test)]
pub(crate) fn snapshot_text(files: &generator::files::Files, file: &str) -> Option<String> {
    match file.strip_suffix(".rs") {
        Some(dir @ ("src/types" | "src/resources")) => files
            .contains_key(&format!("{dir}/mod.rs"))
            .then(|| joined(files, dir)),
        _ => files.get(file).cloned(),
    }
}
