//! Generation speed: wall time of [`generator::generate`] (spec text in, every
//! file of the client crate out, all in memory) for three inputs:
//!
//! * `beeper_spec`: `spec/beeper-desktop-api.yaml` as checked in (about 80 KB);
//! * `assembled_1mb` and `assembled_4mb`: that spec's paths and component schemas
//!   replicated under renamed keys (`/c3/v1/chats`, `ChatC3`, operation `listChatsC3`,
//!   `x-rust-name` `c3.chats.list`, with every `$ref` rewritten to match) until
//!   the pretty-printed JSON text is about 1 MB and 4 MB, so scaling is visible. The
//!   4 MB case stands for the largest corpus file (issue 6: well under 2 s).
//!
//! Before timing, each assembled spec is generated once and must succeed; its size
//! is printed. Run with
//!
//! ```sh
//! cargo bench -p generator --bench generate
//! ```
//!
//! `cargo test --benches` (or `cargo bench -- --test`) runs each benchmark once,
//! untimed, as a smoke test; plain `cargo test` does not build it.

use std::path::Path;
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::Bencher;
use serde_json::{Map, Value};

// The same allocator as the `generator` binary, so the numbers are what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where schema references point; copies get a suffix after this prefix's name.
const SCHEMA_REF: &str = "#/components/schemas/";

/// The checked-in spec, read when first used.
static BEEPER: LazyLock<String> = LazyLock::new(|| {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/beeper-desktop-api.yaml");
    std::fs::read_to_string(&path).expect("spec/beeper-desktop-api.yaml is readable")
});

/// About 1 MB of JSON spec text.
static MID: LazyLock<String> = LazyLock::new(|| assemble(1 << 20));

/// About 4 MB of JSON spec text.
static LARGE: LazyLock<String> = LazyLock::new(|| assemble(4 << 20));

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|arg| arg == flag);
    if has("--list") {
        return divan::main();
    }
    for (name, text) in [("assembled_1mb", &*MID), ("assembled_4mb", &*LARGE)] {
        let output = match generator::generate(text) {
            Ok(output) => output,
            Err(error) => panic!("{name} does not generate:\n{error}"),
        };
        let generated: usize = output.files.values().map(String::len).sum();
        println!(
            "{name}: {} bytes of spec, {} warnings, {generated} bytes generated",
            text.len(),
            output.warnings.len(),
        );
    }
    // Divan's test mode (`cargo test --benches`, `cargo bench -- --test`) runs each
    // benchmark once; the assembled ones just ran above, so only the small one runs.
    if has("--test") || !has("--bench") {
        divan::Divan::from_args().skip_regex("assembled").main();
    } else {
        divan::main();
    }
}

#[divan::bench(sample_count = 30)]
fn beeper_spec(bencher: Bencher) {
    let text: &str = &BEEPER;
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| generator::generate(divan::black_box(text)));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn assembled_1mb(bencher: Bencher) {
    let text: &str = &MID;
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| generator::generate(divan::black_box(text)));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn assembled_4mb(bencher: Bencher) {
    let text: &str = &LARGE;
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| generator::generate(divan::black_box(text)));
}

/// The beeper spec plus as many renamed copies as bring its JSON text to about
/// `target` bytes.
fn assemble(target: usize) -> String {
    let base: Value = generator::load::parse::parse(&BEEPER)
        .expect("the spec parses as YAML")
        .value;
    let empty = to_text(&with_copies(&base, 0)).len();
    let per_copy = to_text(&with_copies(&base, 1)).len() - empty;
    let copies = (target.saturating_sub(empty) + per_copy / 2) / per_copy;
    to_text(&with_copies(&base, copies))
}

fn to_text(spec: &Value) -> String {
    serde_json::to_string_pretty(spec).expect("a JSON value serializes")
}

/// `base` with copies `1..=copies` of its paths and component schemas added.
fn with_copies(base: &Value, copies: usize) -> Value {
    let mut spec = base.clone();
    let paths = object(base, "/paths");
    let schemas = object(base, "/components/schemas");
    let mut new_paths = paths.clone();
    let mut new_schemas = schemas.clone();
    for copy in 1..=copies {
        for (path, item) in paths {
            let mut item = item.clone();
            rename(&mut item, copy);
            new_paths.insert(format!("/c{copy}{path}"), item);
        }
        for (name, schema) in schemas {
            let mut schema = schema.clone();
            rename(&mut schema, copy);
            new_schemas.insert(format!("{name}C{copy}"), schema);
        }
    }
    *spec.pointer_mut("/paths").expect("paths") = Value::Object(new_paths);
    *spec.pointer_mut("/components/schemas").expect("schemas") = Value::Object(new_schemas);
    spec
}

fn object<'v>(value: &'v Value, pointer: &str) -> &'v Map<String, Value> {
    value
        .pointer(pointer)
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("the spec has an object at {pointer}"))
}

/// Points schema references, operation ids and Rust names inside `value` at copy
/// number `copy`.
fn rename(value: &mut Value, copy: usize) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child) {
                    ("operationId" | "x-replaced-by", Value::String(id)) => {
                        id.push_str(&format!("C{copy}"));
                    }
                    ("x-rust-name", Value::String(name)) => *name = format!("c{copy}.{name}"),
                    (_, child) => rename(child, copy),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename(item, copy)),
        // `$ref`s and discriminator mappings alike.
        Value::String(text) if text.starts_with(SCHEMA_REF) => text.push_str(&format!("C{copy}")),
        _ => {}
    }
}
