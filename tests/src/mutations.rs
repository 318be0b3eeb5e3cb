//! Property test of the generator: valid specs are mutated at random (keys dropped,
//! types swapped, `$ref`s broken, odd names inserted, subtrees copied elsewhere) and
//! each result must give diagnostics or output: never a panic, never an internal
//! error (invalid Rust from the emitter).
//!
//! `MUTATIONS` sets the number of runs (default 10,000) and `MUTATION_SEED` the
//! seed (default fixed, so a failure reproduces); a failure prints the spec text.

use std::path::Path;

use serde_json::{Map, Value};

type Mapping = Map<String, Value>;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// A step from a node to one of its children.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

const ODD_NAMES: &[&str] = &[
    "",
    "type",
    "self",
    "Self",
    "Result",
    "String",
    "crate",
    "123abc",
    "a/b~c",
    "ÄÖÜ ñ",
    "🦀",
    "_",
    "r#type",
    "super",
    "Option",
    "foo-bar",
    "FOO_BAR",
    "fooBar",
    "{id}",
    "$ref",
    "x-rust-name",
];
const ODD_REFS: &[&str] = &[
    "#/components/schemas/Nope",
    "#/paths",
    "#",
    "",
    "other.yaml#/components/schemas/A",
    "#/components/schemas/",
    "#/components/parameters/Nope",
    "#/components/schemas/A/properties/b",
];
const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null", "file",
];

fn seeds() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    for dir in ["fixtures", "fixtures-3.1"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("fixture folder is readable")
            .map(|e| e.expect("entry is readable").path())
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("fixture is readable");
            let value = generator::load::parse::parse(&text)
                .expect("fixture is valid YAML")
                .value;
            seeds.push((path.display().to_string(), value));
        }
    }
    seeds
}

/// Every node of `value`, as the steps that lead to it.
fn node_paths(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Step::Key(key.clone()));
                node_paths(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(Step::Index(index));
                node_paths(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.as_object_mut()?.get_mut(key),
        Step::Index(index) => node.as_array_mut()?.get_mut(*index),
    })
}

/// Applies one random mutation somewhere in `spec`.
fn mutate(spec: &mut Value, rng: &mut Rng) {
    let mut paths = Vec::new();
    node_paths(spec, &mut Vec::new(), &mut paths);
    let Some(path) = rng.pick(&paths).cloned() else {
        return;
    };
    let donor = rng
        .pick(&paths)
        .cloned()
        .and_then(|p| node_mut(spec, &p).map(|v| v.clone()));
    let Some(node) = node_mut(spec, &path) else {
        return;
    };
    match rng.below(7) {
        0 => drop_key(node, rng),
        1 => *node = random_scalar(rng),
        2 => set_in_map(
            node,
            "$ref",
            Value::from(*rng.pick(ODD_REFS).unwrap_or(&"#")),
        ),
        3 => rename_key(node, rng),
        4 => set_in_map(
            node,
            "type",
            Value::from(*rng.pick(TYPES).unwrap_or(&"string")),
        ),
        5 => set_in_map(node, "nullable", Value::from(true)),
        _ => {
            if let Some(donor) = donor {
                set_in_map(node, rng.pick(ODD_NAMES).copied().unwrap_or("x"), donor);
            }
        }
    }
}

fn drop_key(node: &mut Value, rng: &mut Rng) {
    if let Value::Object(map) = node {
        let keys: Vec<String> = map.keys().cloned().collect();
        if let Some(key) = rng.pick(&keys) {
            map.shift_remove(key);
        }
    }
}

fn rename_key(node: &mut Value, rng: &mut Rng) {
    if let Value::Object(map) = node {
        let keys: Vec<String> = map.keys().cloned().collect();
        if let Some(key) = rng.pick(&keys) {
            if let Some(value) = map.shift_remove(key) {
                map.insert((*rng.pick(ODD_NAMES).unwrap_or(&"x")).to_owned(), value);
            }
        }
    }
}

fn set_in_map(node: &mut Value, key: &str, value: Value) {
    if !node.is_object() {
        *node = Value::Object(Mapping::new());
    }
    if let Value::Object(map) = node {
        map.insert(key.to_owned(), value);
    }
}

fn random_scalar(rng: &mut Rng) -> Value {
    match rng.below(6) {
        0 => Value::Null,
        1 => Value::from(rng.below(2) == 0),
        2 => Value::from(-7i64),
        3 => Value::from(*rng.pick(ODD_NAMES).unwrap_or(&"x")),
        4 => Value::Array(Vec::new()),
        _ => Value::Object(Mapping::new()),
    }
}

#[test]
fn mutated_specs_never_panic_nor_produce_invalid_rust() {
    let runs: usize = std::env::var("MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("MUTATION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_CAFE);
    let mut rng = Rng(seed | 1);
    let seeds = seeds();
    // The mutations are drawn in order from one seeded stream, so a seed names
    // the same specs however many threads generate them; generating is what
    // takes the time (two minutes on one core), so every core takes part.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Job<'_>>(64);
    let receiver = std::sync::Mutex::new(receiver);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| generate_jobs(&receiver, seed)))
            .collect();
        for run in 0..runs {
            let (name, original) = rng.pick(&seeds).expect("there are seed specs");
            let mut spec = original.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut spec, &mut rng);
            }
            let text = serde_json::to_string_pretty(&spec).expect("a JSON value serializes");
            sender
                .send((run, name, text))
                .expect("the workers take jobs until the channel closes");
        }
        drop(sender);
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .expect("a worker catches the generator's panics")
            })
            .collect()
    });
    // The first failing run, whichever thread met it.
    if let Some((_, failure)) = outcomes
        .iter()
        .filter_map(|o| o.failure.as_ref())
        .min_by_key(|(run, _)| *run)
    {
        panic!("{failure}");
    }
    let generated: usize = outcomes.iter().map(|o| o.generated).sum();
    let refused: usize = outcomes.iter().map(|o| o.refused).sum();
    assert_eq!(generated + refused, runs);
    // Both outcomes must occur, or the mutations are not exercising anything.
    assert!(
        generated > runs / 20 && refused > runs / 20,
        "generated {generated}, refused {refused}"
    );
}

/// A run's number, the seed spec it came from and the mutated text.
type Job<'a> = (usize, &'a str, String);

/// What one worker saw: counts, and its first failure with its run number.
#[derive(Default)]
struct Outcome {
    generated: usize,
    refused: usize,
    failure: Option<(usize, String)>,
}

/// Generates each job until the channel closes. After a failure the worker
/// keeps taking jobs without running them, so the sender never waits on a
/// full channel that nobody reads.
fn generate_jobs(
    jobs: &std::sync::Mutex<std::sync::mpsc::Receiver<Job<'_>>>,
    seed: u64,
) -> Outcome {
    let mut outcome = Outcome::default();
    loop {
        let job = jobs.lock().map(|receiver| receiver.recv());
        let Ok(Ok((run, name, text))) = job else {
            return outcome;
        };
        if outcome.failure.is_some() {
            continue;
        }
        match std::panic::catch_unwind(|| generator::generate(&text)) {
            Ok(Ok(_)) => outcome.generated += 1,
            Ok(Err(generator::Error::Spec(_))) => outcome.refused += 1,
            Ok(Err(internal)) => {
                let message = format!("run {run} (seed {seed}, from {name}): internal error {internal}\n--- spec ---\n{text}");
                outcome.failure = Some((run, message));
            }
            // The panic's own message is printed above by the default hook.
            Err(_) => {
                let message = format!("run {run} (seed {seed}, from {name}): the generator panicked\n--- spec ---\n{text}");
                outcome.failure = Some((run, message));
            }
        }
    }
}
