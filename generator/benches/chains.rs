//! Generation time on long chains, which used to cost quadratic time: specs
//! built here of n object schemas each holding the next (`chain`), of n
//! components that are each only a `$ref` to the next (`alias`), and of n
//! schemas each an `allOf` of the next plus one field of its own (`all_of`).
//! Divan prints the time per item beside the total, so a linear path shows a
//! flat per-item time from 5,000 to 40,000 items.
//!
//! `all_of` used to be quadratic in output as well as time: each schema copied
//! every field below it (2,500 schemas made 3 million fields). Past a few
//! levels, a member is now composed (one flattened field) instead of copied.
//!
//! ```sh
//! cargo bench -p generator --bench chains
//! ```

use divan::counter::ItemsCount;
use divan::Bencher;
use serde_json::{json, Map, Value};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// What each chain link is.
#[derive(Clone, Copy)]
enum Link {
    /// `{type: object, properties: {value, next: $ref}}`.
    Object,
    /// `$ref` to the next component.
    Alias,
    /// `allOf: [$ref next, {properties: {f<i>}}]`.
    AllOf,
}

/// A spec whose one operation answers the head of a chain of `n` components.
fn chain_spec(link: Link, n: usize) -> String {
    let mut schemas = Map::new();
    for i in 0..n {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        let last = i + 1 == n;
        let schema = match (link, last) {
            (_, true) => json!({"type": "object", "properties": {"end": {"type": "string"}}}),
            (Link::Object, false) => json!({"type": "object", "properties": {
                "value": {"type": "string"}, "next": next}}),
            (Link::Alias, false) => next,
            (Link::AllOf, false) => json!({"allOf": [next,
                {"type": "object", "properties": {format!("f{i}"): {"type": "string"}}}]}),
        };
        schemas.insert(format!("S{i}"), schema);
    }
    let answer = json!({"$ref": "#/components/schemas/S0"});
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "Chain", "version": "1.0.0"},
        "paths": {"/head": {"get": {"operationId": "getHead", "responses": {"200": {
            "description": "The head of the chain.",
            "content": {"application/json": {"schema": answer}}}}}}},
        "components": {"schemas": Value::Object(schemas)},
    });
    spec.to_string()
}

fn run(bencher: Bencher, link: Link, n: usize) {
    let text = chain_spec(link, n);
    if let Err(error) = generator::generate(&text) {
        panic!("the chain of {n} does not generate:\n{error}");
    }
    bencher
        .counter(ItemsCount::new(n))
        .bench(|| generator::generate(divan::black_box(&text)).map(|o| o.files.len()));
}

#[divan::bench(args = [5_000, 10_000, 20_000, 40_000], sample_count = 3, sample_size = 1)]
fn chain(bencher: Bencher, n: usize) {
    run(bencher, Link::Object, n);
}

#[divan::bench(args = [5_000, 10_000, 20_000, 40_000], sample_count = 3, sample_size = 1)]
fn alias(bencher: Bencher, n: usize) {
    run(bencher, Link::Alias, n);
}

#[divan::bench(args = [5_000, 10_000, 20_000, 40_000], sample_count = 3, sample_size = 1)]
fn all_of(bencher: Bencher, n: usize) {
    run(bencher, Link::AllOf, n);
}
