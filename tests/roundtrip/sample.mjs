// Makes the sample values of one spec for the round-trip harness (tests/roundtrip.sh).
//
// For every schema of the generator's type map (`openapi-rustgen --type-map`):
// json-schema-faker makes --samples instances with a seed of its own (from
// --seed, the pointer and the instance's number), some with every optional
// property, some with none and some with half; every other instance also gets
// undeclared keys where the schema allows them (json-schema-faker makes none:
// we add them, and entries of additionalProperties maps from that schema), and
// some `date-time` values are rewritten with an offset or fraction digits.
// Only instances that ajv accepts against the source schema are kept (see
// spec.mjs), each once. A schema whose pointer is not in the document, that ajv
// cannot compile, or for which no valid instance could be made is "not mapped",
// with the reason. A body schema that is only a `$ref` to a schema sampled
// already, with the same Rust type, is mapped without samples of its own.
//
// Limits, so that a 4 MB spec (Stripe) takes a minute or two: instances are
// at most --max-bytes of JSON (arrays of at most 3 items, strings of at most
// 24 characters, `$ref`s 4 to 9 deep), each schema gets --schema-ms for its
// instances and each spec --spec-ms (the rest is "skipped"), and a document
// of more than 500 component schemas gets half the instances per schema, made
// from the shallow view of the document (see shallowDoc).
//
// Writes into --out: samples.jsonl (`[pointer, instance as JSON text]` a line,
// what the Rust side reads) and schemas.json (each schema: mapped or not and
// why, the counts, the component schemas of the document the type map lacks);
// and --bin, the Rust program that decodes and encodes each sample with the
// type the map names (`--lib` is the crate's library name).
//
// Usage: node sample.mjs --spec FILE --type-map FILE --out DIR --bin FILE --lib NAME
//          [--samples N] [--seed S] [--max-bytes B] [--schema-ms MS] [--spec-ms MS]

import fs from "node:fs";
import path from "node:path";
import { generateSync } from "json-schema-faker";
import { loadSpec, resolve, refTarget, child, propertySchemas, itemSchemas } from "./spec.mjs";

const args = parseArgs(process.argv.slice(2));
const samplesPerSchema = Number(args.samples ?? 8);
const seed = Number(args.seed ?? 1);
// Larger instances make the run slow and say little more.
const maxBytes = Number(args["max-bytes"] ?? 32768);
// Tries per instance when one comes out invalid or too large.
const ATTEMPTS = 3;
// Time for one schema's instances: after it, no more are begun (a huge spec
// has a few schemas whose every instance takes a second).
const schemaMs = Number(args["schema-ms"] ?? 2000);
// The views of the document json-schema-faker makes instances from (see
// fakerDoc and shallowDoc), made on first use.
let faker = null;
let shallow = null;
// Past this many component schemas a document is big, and its instances are
// made from the shallow view only: on Stripe's full view one instance takes
// seconds and is hardly ever valid.
const BIG = 500;
// Time for one spec's samples: once spent, the remaining schemas are skipped
// (said so, with their number).
const specMs = Number(args["spec-ms"] ?? 300000);

// A UTF-16 half without its other half, which JSON.stringify writes as an
// escape (a whole pair it writes as the character) and serde_json refuses.
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
// OpenAPI's own string formats, which json-schema-faker does not know.
const FORMATS = {
  byte: (random) => Buffer.from(Array.from({ length: random.int(0, 12) }, () => random.int(0, 255))).toString("base64"),
};
// A `date-time` as json-schema-faker writes it (whole seconds, UTC) or with an offset.
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})([Zz]|[+-]\d{2}:\d{2})$/;

const started = Date.now();
const spec = await loadSpec(args.spec);
const typeMap = JSON.parse(fs.readFileSync(args["type-map"], "utf8"));
const loadMs = Date.now() - started;
const big = Object.keys(spec.doc.components?.schemas ?? {}).length > BIG;
// A big document's schemas get half the instances: Stripe's alone would
// otherwise take minutes, and it has over a thousand schemas to cover.
const perSchema = big ? Math.max(2, Math.ceil(samplesPerSchema / 2)) : samplesPerSchema;
// Schemas sampled so far, by what they end at and their Rust type (see sampleSchema).
const sampled = new Map();

fs.mkdirSync(args.out, { recursive: true });
const lines = [];
const entries = typeMap.schemas.map((entry) => {
  const start = Date.now();
  const sampled = sampleSchema(entry, lines);
  sampled.ms = Date.now() - start;
  // The slow ones are what to look at when a spec takes long.
  if (sampled.ms > 2000) console.error(`slow: ${entry.pointer} took ${sampled.ms} ms`);
  return sampled;
});
fs.writeFileSync(path.join(args.out, "samples.jsonl"), lines.map((l) => JSON.stringify(l) + "\n").join(""));
const listed = new Set(typeMap.schemas.map((e) => e.pointer));
const unlisted = Object.keys(spec.doc.components?.schemas ?? {})
  .map((name) => child("#/components/schemas", name))
  .filter((pointer) => !listed.has(pointer));
const summary = {
  spec: args.spec,
  version: spec.version,
  crate: typeMap.crate,
  entries,
  unlisted,
  ms: { load: loadMs, sample: Date.now() - started - loadMs },
};
fs.writeFileSync(path.join(args.out, "schemas.json"), JSON.stringify(summary, null, 1));
fs.writeFileSync(args.bin, rustProgram(entries, args.lib));
const mapped = entries.filter((e) => e.status === "mapped").length;
console.log(`${typeMap.schemas.length} schemas, ${mapped} mapped, ${lines.length} samples in ${Date.now() - started} ms`);

/** The samples of one type map entry, appended to `lines`; the entry with its status and counts. */
function sampleSchema(entry, lines) {
  const out = { ...entry, status: "not mapped", reason: null, samples: 0, rejected: 0, tooLarge: 0, generatorErrors: 0 };
  if (Date.now() - started > specMs) {
    out.status = "skipped";
    out.reason = `the spec's time for samples (--spec-ms ${specMs}) was spent`;
    return out;
  }
  if (resolve(spec.doc, entry.pointer) === undefined) {
    out.reason = "the pointer is not in the document";
    return out;
  }
  const validate = spec.validator(entry.pointer);
  if (typeof validate !== "function") {
    out.reason = `ajv cannot compile it: ${validate.error}`;
    return out;
  }
  // A body schema that is only a `$ref` to a schema sampled already, with the
  // same Rust type, would only repeat its samples.
  const key = `${canonical(entry.pointer)} ${entry.rust}`;
  if (sampled.has(key)) {
    out.status = "mapped";
    out.sameAs = sampled.get(key);
    return out;
  }
  sampled.set(key, entry.pointer);
  const seen = new Set();
  let lastProblem = null;
  const deadline = Date.now() + schemaMs;
  for (let i = 0; i < perSchema && (i === 0 || Date.now() < deadline); i++) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const random = mulberry32(hash(`${seed}:${entry.pointer}:${i}:${attempt}`));
      let value;
      try {
        value = fake(entry.pointer, fakerOptions(i, attempt, random), attempt > 0 || big ? shallowDoc() : fakerDoc());
      } catch (error) {
        out.generatorErrors++;
        lastProblem = `json-schema-faker: ${String(error.message ?? error).split("\n")[0]}`;
        continue;
      }
      const candidates = [];
      if (i % 2 === 1) candidates.push(vary(structuredClone(value), entry.pointer, random));
      candidates.push(value);
      const accepted = candidates.find((c) => validate(c));
      if (accepted === undefined) {
        out.rejected++;
        const error = validate.errors?.[0];
        lastProblem = `no instance valid for ajv (${error ? `${error.instancePath || "/"} ${error.message}` : "?"})`;
        continue;
      }
      const text = JSON.stringify(accepted);
      if (text === undefined || text.length > maxBytes || LONE_SURROGATE_ESCAPE.test(text)) {
        out.tooLarge += text !== undefined && text.length > maxBytes ? 1 : 0;
        lastProblem = "instances too large or not representable as JSON text";
        continue;
      }
      if (!seen.has(text)) {
        seen.add(text);
        lines.push([entry.pointer, text]);
      }
      break;
    }
  }
  out.samples = seen.size;
  if (seen.size > 0) out.status = "mapped";
  else out.reason = lastProblem ?? "no instance";
  return out;
}

/** The pointer at the end of a chain of schemas that are only a `$ref`. */
function canonical(pointer) {
  const seen = new Set();
  let node = resolve(spec.doc, pointer);
  while (node && typeof node === "object" && Object.keys(node).length === 1 && refTarget(node.$ref) && !seen.has(pointer)) {
    seen.add(pointer);
    pointer = refTarget(node.$ref);
    node = resolve(spec.doc, pointer);
  }
  return pointer;
}

/**
 * An instance of the schema at `pointer` by json-schema-faker. Its root is only
 * the `$ref`; the document's schemas come through `refResolver` (a root holding
 * the document would be merged into schemas that say nothing, `{}`).
 */
function fake(pointer, options, doc = spec.doc) {
  return generateSync({ $ref: pointer }, { ...options, formats: FORMATS, refResolver: (ref) => resolve(doc, refTarget(ref) ?? ref) });
}

/**
 * The document as json-schema-faker sees it: sizes and bounds that no instance
 * could meet or that would make it loop for long (`maxLength: 1e30`,
 * `maximum: 1e400`, a negative count, as in tests/repairs/big_numbers.yaml)
 * are left out. Made once; instances are still checked against the real schema.
 */
function fakerDoc() {
  if (faker === null) {
    faker = structuredClone(spec.doc);
    const counts = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
    const bounds = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
    const tame = (node) => {
      if (Array.isArray(node)) return node.forEach(tame);
      if (node === null || typeof node !== "object") return;
      for (const key of counts) {
        if (key in node && !(Number.isInteger(node[key]) && node[key] >= 0 && node[key] <= 100000)) delete node[key];
      }
      for (const key of bounds) {
        if (key in node && typeof node[key] === "number" && !Number.isFinite(node[key])) delete node[key];
      }
      if (typeof node.multipleOf === "number" && node.multipleOf <= 0) delete node.multipleOf;
      Object.values(node).forEach(tame);
    };
    tame(faker);
  }
  return faker;
}

/**
 * The document as json-schema-faker sees it on a retry: a oneOf/anyOf that has
 * branches without a `$ref` loses those with one. Past its depth limit the
 * faker writes any value for a `$ref`, and Stripe's "ID or object" fields
 * (`anyOf: [string, $ref]`) then fail at every level; the ID alone is valid.
 * Made once, on first use; instances are still checked against the real schema.
 */
function shallowDoc() {
  if (shallow === null) {
    shallow = structuredClone(fakerDoc());
    const prune = (node) => {
      if (Array.isArray(node)) return node.forEach(prune);
      if (node === null || typeof node !== "object") return;
      for (const keyword of ["anyOf", "oneOf"]) {
        const branches = node[keyword];
        if (Array.isArray(branches) && branches.some((b) => b && typeof b === "object" && !("$ref" in b))) {
          node[keyword] = branches.filter((b) => !(b && typeof b === "object" && "$ref" in b));
        }
      }
      Object.values(node).forEach(prune);
    };
    prune(shallow);
  }
  return shallow;
}

/**
 * json-schema-faker's options for try `attempt` of instance `i`: optional
 * properties all, none or half. Past `refDepthMax` nested `$ref`s it writes
 * any value (`{}`), which ajv then refuses; deeper instances of recursive
 * schemas grow fast, so the first tries stop at 6 (4 in a big document) and
 * the last (on the shallow view, with half the optional properties) goes to 9
 * for long `$ref` chains.
 */
function fakerOptions(i, attempt, random) {
  const options = {
    seed: Math.floor(random() * 2 ** 31) + 1,
    refDepthMax: (big ? [4, 6, 9] : [6, 6, 9])[attempt] ?? 6,
    maxDefaultItems: 2,
    maxItems: 3,
    maxLength: 24,
  };
  if (i % 4 === 0 && attempt < 2) options.alwaysFakeOptionals = true;
  else if (i % 4 === 1) options.optionalsProbability = 0;
  else options.optionalsProbability = 0.5;
  return options;
}

// ---------------------------------------------------------------- variations

/**
 * `value` with undeclared keys added where its schemas allow them (an entry of
 * an additionalProperties map made from that schema, else a key of any JSON
 * type), and some `date-time` strings in another form of the same kind.
 */
function vary(value, pointer, random, budget = { extras: 6 }) {
  const schemas = [];
  for (const p of Array.isArray(pointer) ? pointer : [pointer]) spec.applicable(p, value).forEach((s) => schemas.push(s));
  if (Array.isArray(value)) {
    return value.map((item, index) => vary(item, itemSchemas(schemas, index), random, budget));
  }
  if (typeof value === "string") {
    return schemas.some((s) => s.node.format === "date-time") ? restyleDateTime(value, random) : value;
  }
  if (value === null || typeof value !== "object") return value;
  for (const key of Object.keys(value)) value[key] = vary(value[key], propertySchemas(schemas, key), random, budget);
  if (budget.extras <= 0 || schemas.some((s) => s.node.additionalProperties === false) || random() < 0.3) return value;
  const map = schemas.find((s) => isConstrained(s.node.additionalProperties));
  if (map) {
    const entrySchema = child(map.pointer, "additionalProperties");
    for (let n = 1 + Math.floor(random() * 2); n > 0 && budget.extras > 0; n--) {
      try {
        const options = { ...fakerOptions(2, 1, random), maxDepth: 3, refDepthMax: 3 };
        value[`k${Math.floor(random() * 1e6)}`] = fake(entrySchema, options);
        budget.extras--;
      } catch {
        break;
      }
    }
  } else if (!schemas.some((s) => s.node.unevaluatedProperties === false)) {
    value[`extra_${Math.floor(random() * 1e6)}`] = anyJson(random);
    budget.extras--;
  }
  return value;
}

/** Whether an additionalProperties value is a schema that says something. */
function isConstrained(schema) {
  return schema !== null && typeof schema === "object" && Object.keys(schema).some((k) => !["description", "title"].includes(k));
}

/** A JSON value of a random kind, for an undeclared key. */
function anyJson(random) {
  const kinds = [
    () => `text ${Math.floor(random() * 1000)}`,
    () => Math.floor(random() * 2000) - 1000,
    () => Math.round(random() * 1e6) / 1e3,
    () => random() < 0.5,
    () => null,
    () => ({ nested: [1, "two", { three: 3.5 }] }),
    () => [true, null, "x"],
  ];
  return kinds[Math.floor(random() * kinds.length)]();
}


/** A whole-second UTC `date-time` as the same instant with an offset, fraction digits, or both. */
function restyleDateTime(text, random) {
  const match = RFC3339.exec(text);
  if (!match || !/^[Zz]$/.test(match[3])) return text;
  const ms = Date.parse(`${match[1]}T${match[2]}Z`);
  if (Number.isNaN(ms)) return text;
  const style = Math.floor(random() * 3);
  const fraction = style === 1 ? "" : "." + String(Math.floor(random() * 1e9)).padStart(9, "0").slice(0, 1 + Math.floor(random() * 9));
  const minutes = style === 0 ? 0 : [330, -480, 60, 0, -210][Math.floor(random() * 5)];
  const local = new Date(ms + minutes * 60000).toISOString().slice(0, 19);
  if (minutes === 0 && style === 0) return `${local}${fraction}Z`;
  const sign = minutes < 0 ? "-" : "+";
  const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, "0");
  const mm = String(Math.abs(minutes) % 60).padStart(2, "0");
  return `${local}${fraction}${sign}${hh}:${mm}`;
}

// ---------------------------------------------------------------- the Rust side

/** The Rust program that decodes and encodes each sample line with its type. */
function rustProgram(entries, lib) {
  const byType = new Map();
  for (const e of entries) {
    if (e.status !== "mapped") continue;
    const rust = e.rust.replace(/(^|[<, ])crate::/g, `$1::${lib}::`);
    if (!byType.has(rust)) byType.set(rust, []);
    byType.get(rust).push(e.pointer);
  }
  const arms = [...byType]
    .map(([rust, pointers]) => `        ${pointers.map(rustString).join(" | ")} => check::<${rust}>(text),`)
    .join("\n");
  return `//! Written by tests/roundtrip/sample.mjs for the round-trip harness: reads
//! \`[pointer, instance]\` lines, decodes each instance with the type the
//! generator's type map names for the schema at the pointer, encodes it again,
//! and prints one JSON line each: \`{"ok": value}\`, \`{"error": message, "path": at}\`,
//! \`{"encode": message}\` or \`{"panic": message}\`.
//!
//! It decodes as the crate's client does (\`serde_path_to_error\` over
//! \`serde_json::Deserializer::from_slice\`) and encodes with \`serde_json::to_vec\`,
//! the calls the crate itself makes: in a debug build the program then reuses
//! the crate's compiled copies of them instead of compiling its own.
#![allow(dead_code, unused_variables)]

fn main() {
    // A panicking decoder is reported on its line, not on stderr.
    ::std::panic::set_hook(::std::boxed::Box::new(|_| {}));
    let stdin = ::std::io::stdin();
    let mut out = ::std::io::BufWriter::new(::std::io::stdout().lock());
    for line in ::std::io::BufRead::lines(stdin.lock()) {
        let line = line.expect("stdin is readable");
        let (pointer, text): (::std::string::String, ::std::string::String) =
            ::serde_json::from_str(&line).expect("a [pointer, instance] line");
        let mut result = dispatch(&pointer, text.as_bytes());
        result.push(b'\\n');
        ::std::io::Write::write_all(&mut out, &result).expect("stdout is writable");
    }
}

fn dispatch(pointer: &str, text: &[u8]) -> ::std::vec::Vec<u8> {
    match pointer {
${arms}
        _ => failure("error", "no type for this pointer", ""),
    }
}

fn check<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(text: &[u8]) -> ::std::vec::Vec<u8> {
    let run = || {
        let mut decoder = ::serde_json::Deserializer::from_slice(text);
        match ::serde_path_to_error::deserialize::<_, T>(&mut decoder) {
            ::std::result::Result::Ok(value) => match ::serde_json::to_vec(&value) {
                ::std::result::Result::Ok(back) => [&b"{\\"ok\\":"[..], &back[..], &b"}"[..]].concat(),
                ::std::result::Result::Err(error) => failure("encode", &error.to_string(), ""),
            },
            ::std::result::Result::Err(error) => {
                failure("error", &error.inner().to_string(), &error.path().to_string())
            }
        }
    };
    match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(run)) {
        ::std::result::Result::Ok(result) => result,
        ::std::result::Result::Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<::std::string::String>().cloned())
                .unwrap_or_default();
            failure("panic", &message, "")
        }
    }
}

fn failure(kind: &str, message: &str, path: &str) -> ::std::vec::Vec<u8> {
    let mut object = ::serde_json::Map::new();
    object.insert(kind.to_owned(), ::serde_json::Value::from(message));
    object.insert("path".to_owned(), ::serde_json::Value::from(path));
    ::serde_json::Value::Object(object).to_string().into_bytes()
}
`;
}

/** A Rust string literal. */
function rustString(text) {
  return JSON.stringify(text).replace(/\\u([0-9a-fA-F]{4})/g, "\\u{$1}");
}

// ---------------------------------------------------------------- helpers

/** `--name value` pairs. */
function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) {
      console.error(`unexpected argument ${argv[i]} (see the usage at the top of sample.mjs)`);
      process.exit(2);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const needed of ["spec", "type-map", "out", "bin", "lib"]) {
    if (!out[needed]) {
      console.error(`--${needed} is required (see the usage at the top of sample.mjs)`);
      process.exit(2);
    }
  }
  return out;
}

/** FNV-1a of a text: a seed per schema and instance. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A seeded random number generator (mulberry32): numbers in [0, 1). */
function mulberry32(state) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
