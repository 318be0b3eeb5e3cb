// Compares, for the round-trip harness (tests/roundtrip.sh), each sample value
// with what the Rust program gave back after decoding it with its generated type
// and encoding it again, and prints the report: a table per spec, the totals,
// the failure classes with one example each, and the schemas not mapped with
// the reasons; writes the same as JSON (--summary), and exits 1 when the totals
// miss the targets or a crate did not generate or build.
//
// The comparison follows the schema at each place (spec.mjs: `$ref`s followed,
// allOf members merged, the oneOf/anyOf branches the original is valid against):
//   * an undeclared key may be dropped where none of those schemas says anything
//     of additionalProperties or patternProperties (counted as "dropped
//     undeclared keys", allowed); where one does (true, a schema, or `{}`), the
//     key must come back;
//   * `null` in an optional field may come back as the field left out
//     (counted as "nulls left out", allowed): a response field that is optional
//     and nullable is an `Option`, where both mean "no value"; a request body's
//     is a `Nullable`, which keeps them apart (the round trip of a type used in
//     both keeps them). A required field's `null` must come back;
//   * numbers compare as numbers (1 == 1.0), at the precision `format: float`
//     gives (an `f32`); `format: date-time` strings as instants (the same
//     moment, whatever the offset or fraction digits);
//   * anything else must be equal. Each failing sample counts once, under the
//     class of its first difference (in document order).
//
// Usage: node compare.mjs [--min-decode P] [--min-equal P] [--summary FILE]
//          [--timing name=ms,...] SPEC_DIR...
// where each SPEC_DIR holds what roundtrip.sh and sample.mjs left there: spec
// (the spec's path), status (when it failed before running), schemas.json,
// samples.jsonl and results.jsonl.

import fs from "node:fs";
import path from "node:path";
import { loadSpec, propertySchemas, itemSchemas, declaresAdditional } from "./spec.mjs";

const { options, dirs } = parseArgs(process.argv.slice(2));
const minDecode = Number(options["min-decode"] ?? 99.5);
const minEqual = Number(options["min-equal"] ?? 99);
const classes = new Map();
const notMapped = new Map();
const rows = [];
for (const dir of dirs) rows.push(await compareSpec(dir));

const total = rows.reduce(
  (sum, row) => {
    for (const key of ["components", "bodies", "mapped", "samples", "decoded", "equal", "dropped", "nulls", "unlisted"]) sum[key] += row[key];
    return sum;
  },
  { components: 0, bodies: 0, mapped: 0, samples: 0, decoded: 0, equal: 0, dropped: 0, nulls: 0, unlisted: 0 },
);
printReport();
const decodePercent = percent(total.decoded, total.samples);
const equalPercent = percent(total.equal, total.samples);
const broken = rows.filter((r) => r.status !== "ok");
const missed = [];
if (decodePercent < minDecode) missed.push(`${decodePercent.toFixed(2)} % of the valid samples decode (target ${minDecode} %)`);
if (equalPercent < minEqual) missed.push(`${equalPercent.toFixed(2)} % come back equal (target ${minEqual} %)`);
if (broken.length > 0) missed.push(`${broken.length} crate(s) did not generate, sample or build`);
const passed = rows.filter((r) => r.status === "ok" && percent(r.decoded, r.samples) >= minDecode && percent(r.equal, r.samples) >= minEqual).length;

if (options.summary) {
  const summary = {
    targets: { minDecode, minEqual },
    total: { ...total, decodePercent, equalPercent },
    timing: Object.fromEntries((options.timing ?? "").split(",").filter(Boolean).map((t) => t.split("=")).map(([k, v]) => [k, Number(v)])),
    specs: rows,
    classes: Object.fromEntries([...classes].sort((a, b) => b[1].count - a[1].count)),
    notMapped: Object.fromEntries([...notMapped].sort((a, b) => b[1].count - a[1].count)),
    missed,
  };
  fs.mkdirSync(path.dirname(options.summary), { recursive: true });
  fs.writeFileSync(options.summary, JSON.stringify(summary, null, 1));
  console.log(`summary: ${options.summary}`);
}
for (const line of missed) console.log(`target missed: ${line}`);
console.log(`${passed} passed, ${rows.length - passed} failed`);
process.exit(missed.length > 0 ? 1 : 0);

// ---------------------------------------------------------------- one spec

/** The row of one spec; its failures go into `classes` and `notMapped`. */
async function compareSpec(dir) {
  const specFile = read(path.join(dir, "spec")).trim();
  const row = {
    spec: specFile,
    name: path.basename(dir),
    status: read(path.join(dir, "status")).trim() || "ok",
    components: 0,
    bodies: 0,
    mapped: 0,
    samples: 0,
    decoded: 0,
    equal: 0,
    dropped: 0,
    nulls: 0,
    unlisted: 0,
    // This spec's failing samples by class (the summary's per-spec breakdown).
    classes: {},
  };
  const schemasFile = path.join(dir, "schemas.json");
  if (!fs.existsSync(schemasFile)) return row;
  const schemas = JSON.parse(read(schemasFile));
  row.components = schemas.entries.filter((e) => e.role === "component").length;
  row.bodies = schemas.entries.length - row.components;
  row.mapped = schemas.entries.filter((e) => e.status === "mapped").length;
  row.unlisted = schemas.unlisted.length;
  for (const e of schemas.entries) {
    if (e.status !== "mapped") note(notMapped, reasonClass(e.reason), { spec: row.name, pointer: e.pointer, reason: e.reason });
  }
  for (const pointer of schemas.unlisted) note(notMapped, "component schema without a type in the type map", { spec: row.name, pointer });
  if (row.status !== "ok") return row;

  const spec = await loadSpec(specFile);
  const samples = lines(path.join(dir, "samples.jsonl"));
  const results = lines(path.join(dir, "results.jsonl"));
  row.samples = samples.length;
  samples.forEach(([pointer, text], index) => {
    const result = results[index] ?? { error: "no result (the program stopped early)", path: "" };
    const original = JSON.parse(text);
    const example = { spec: row.name, pointer, instance: trim(text) };
    if (!("ok" in result)) {
      const message = result.error ?? result.encode ?? result.panic ?? "";
      const kind = "error" in result ? decodeClass(result.error) : "encode" in result ? "encode error" : "panic";
      note(classes, kind, { ...example, at: result.path || "", came_back: trim(message) });
      row.classes[kind] = (row.classes[kind] ?? 0) + 1;
      return;
    }
    row.decoded++;
    const context = { spec, dropped: 0, nulls: 0 };
    const failure = compareValue(context, [pointer], original, result.ok, "");
    if (failure) {
      note(classes, failure.kind, {
        ...example,
        at: failure.at,
        was: trim(JSON.stringify(failure.was) ?? "(absent)", 100),
        now: trim(JSON.stringify(failure.now) ?? "(absent)", 100),
        came_back: trim(JSON.stringify(result.ok)),
      });
      row.classes[failure.kind] = (row.classes[failure.kind] ?? 0) + 1;
      return;
    }
    row.equal++;
    if (context.dropped > 0) row.dropped++;
    if (context.nulls > 0) row.nulls++;
  });
  return row;
}

// ---------------------------------------------------------------- comparison

/** The first difference between `original` and `back` under the schemas at `pointers`, or null. */
function compareValue(context, pointers, original, back, at) {
  const schemas = applicableAll(context.spec, pointers, original);
  const failure = compareShape(context, schemas, original, back, at);
  if (!failure || !schemas.some((s) => s.viaUnion)) return failure;
  // Under a oneOf/anyOf: a key of this very object lost, or anything lost when
  // what came back no longer fits a branch the original fits: the union
  // decoded it as another variant (or as a variant with fewer keys).
  const lostKey = /dropped|came back empty|union lost keys/.test(failure.kind);
  if (lostKey && (failure.at === at || failure.at.slice(0, failure.at.lastIndexOf("/")) === at)) {
    return { ...failure, kind: "union lost keys" };
  }
  const branches = schemas.filter((s) => s.viaUnion).map((s) => s.pointer);
  if (branches.some((b) => context.spec.valid(b, back))) return failure;
  if (lostKey) return { ...failure, kind: "union lost keys" };
  return { ...failure, kind: `union changed the value (${failure.kind})` };
}

function compareShape(context, schemas, original, back, at) {
  const failure = differenceOf(context, schemas, original, back, at);
  // What stood at the place of the first difference, before and after.
  if (failure && !("was" in failure)) return { ...failure, was: original, now: back };
  return failure;
}

function differenceOf(context, schemas, original, back, at) {
  const kind = kindOf(original);
  const backKind = kindOf(back);
  if (kind !== backKind) {
    if (backKind === "null") return { kind: `${kind} came back as null`, at };
    if (kind === "null") return { kind: `null came back as ${backKind}`, at };
    return { kind: `${kind} came back as ${backKind}`, at };
  }
  switch (kind) {
    case "object":
      return compareObject(context, schemas, original, back, at);
    case "array": {
      if (original.length !== back.length) return { kind: "array length changed", at };
      for (let i = 0; i < original.length; i++) {
        const failure = compareValue(context, itemSchemas(schemas, i), original[i], back[i], `${at}/${i}`);
        if (failure) return failure;
      }
      return null;
    }
    case "number": {
      if (Number(original) === Number(back)) return null;
      // A single-precision number is equal when it is the same `f32`.
      const single = schemas.some((s) => s.node.format === "float" || s.node["x-format"] === "float");
      if (single && Math.fround(original) === Math.fround(back)) return null;
      return { kind: numberChange(original, back), at };
    }
    case "string": {
      if (original === back) return null;
      const dateTime = schemas.some((s) => s.node.format === "date-time");
      if (dateTime && instant(original) !== null && instant(original) === instant(back)) return null;
      return { kind: dateTime ? "date-time changed" : "string changed", at };
    }
    case "boolean":
      return original === back ? null : { kind: "boolean changed", at };
    default:
      return null;
  }
}

function compareObject(context, schemas, original, back, at) {
  const keys = Object.keys(original);
  const declared = new Set(schemas.flatMap((s) => Object.keys(s.node.properties ?? {})));
  const additional = declaresAdditional(schemas);
  // Keys that must come back with a value: every one with a value, but an
  // undeclared one where the schemas say nothing of other keys.
  const kept = keys.filter((key) => original[key] !== null && (declared.has(key) || additional));
  if (kept.length > 0 && Object.keys(back).length === 0) return { kind: "object came back empty", at };
  for (const key of keys) {
    const keyAt = `${at}/${escape(key)}`;
    if (!Object.prototype.hasOwnProperty.call(back, key)) {
      // An optional field's `Option` makes "absent" and `null` one value.
      const lost = { at: keyAt, was: original[key], now: undefined };
      const required = schemas.some((s) => (s.node.required ?? []).includes(key));
      if (declared.has(key) && original[key] === null && !required) {
        context.nulls++;
        continue;
      }
      if (declared.has(key) && original[key] === null) return { ...lost, kind: "required key's null came back absent" };
      if (declared.has(key)) return { ...lost, kind: "declared key dropped" };
      if (additional) return { ...lost, kind: "undeclared key dropped where additionalProperties is declared" };
      context.dropped++;
      continue;
    }
    const failure = compareValue(context, propertySchemas(schemas, key), original[key], back[key], keyAt);
    if (failure) return failure;
  }
  for (const key of Object.keys(back)) {
    if (!Object.prototype.hasOwnProperty.call(original, key)) {
      const kind = back[key] === null ? "key added as null" : "key added";
      return { kind, at: `${at}/${escape(key)}`, was: undefined, now: back[key] };
    }
  }
  return null;
}

/** The schemas that apply to `value` at any of `pointers`, each once. */
function applicableAll(spec, pointers, value) {
  const seen = new Set();
  const out = [];
  for (const pointer of pointers) {
    for (const schema of spec.applicable(pointer, value)) {
      if (!seen.has(schema.pointer)) {
        seen.add(schema.pointer);
        out.push(schema);
      }
    }
  }
  return out;
}

/**
 * How a number changed: by the last bits of an f64 (serde_json parses floats
 * to within an ulp unless its `float_roundtrip` feature is on), to f32's
 * precision, or otherwise.
 */
function numberChange(original, back) {
  const relative = Math.abs(original - back) / Math.max(Math.abs(original), Math.abs(back));
  if (relative <= 4 * Number.EPSILON) return "number changed in its last digits (f64 parsing)";
  if (relative <= 1e-6) return "number lost precision (f32?)";
  return "number changed";
}

/** "null", "array", "object", "number", "string", "boolean" or "missing". */
function kindOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value === undefined) return "missing";
  return typeof value;
}

/** An RFC 3339 date-time as `seconds.nanoseconds` since the epoch (UTC), or null. */
function instant(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = m;
  let seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  if (sign) seconds -= (sign === "-" ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  return `${seconds}.${(fraction ?? "").padEnd(9, "0").slice(0, 9)}`;
}

// ---------------------------------------------------------------- classes

/** A decode error's class: serde's message without its values, names and position. */
function decodeClass(message) {
  let text = String(message).replace(/ at line \d+ column \d+$/, "");
  const nullRefused = /^invalid type: null, expected (.*)$/.exec(text);
  if (nullRefused) text = `null refused (expected ${nullRefused[1]})`;
  text = text
    .replace(/`[^`]*`/g, "`…`")
    .replace(/"(\\.|[^"\\])*"/g, '"…"')
    .replace(/`…`((, | or )`…`)+/g, "`…`")
    .replace(/\b(struct|enum|variant|tuple struct) [A-Za-z_][\w:]*/g, "$1 …")
    .replace(/(?<![\w.])-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/g, "N")
    .replace(/\s+/g, " ")
    .trim();
  return `decode error: ${text.length > 90 ? text.slice(0, 89) + "…" : text}`;
}

/** A "not mapped" reason's class: without quoted values, pointers or paths. */
function reasonClass(reason) {
  const text = String(reason ?? "no reason")
    .replace(/\(\/[^)]*\)/g, "")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/#\/\S*/g, "#/…")
    .replace(/\s+/g, " ")
    .trim();
  return `not mapped: ${text.length > 100 ? text.slice(0, 99) + "…" : text}`;
}

/** Counts one more of `kind` in `table`, keeping the first examples (the summary has three). */
function note(table, kind, example) {
  const entry = table.get(kind) ?? { count: 0, example, more: [] };
  if (entry.count > 0 && entry.more.length < 2) entry.more.push(example);
  entry.count++;
  table.set(kind, entry);
}

// ---------------------------------------------------------------- report

function printReport() {
  const header = ["spec", "components", "bodies", "mapped", "samples", "decoded", "equal", "dropped", "nulls", "status"];
  const widths = [44, 10, 7, 7, 8, 8, 8, 8, 6, 0];
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" ");
  console.log(line(header));
  for (const r of rows) {
    const name = path.basename(r.spec).slice(0, 44);
    console.log(line([name, r.components, r.bodies, r.mapped, r.samples, r.decoded, r.equal, r.dropped, r.nulls, r.status === "ok" ? "" : r.status]));
  }
  console.log(line(["total", total.components, total.bodies, total.mapped, total.samples, total.decoded, total.equal, total.dropped, total.nulls, ""]));
  console.log(
    `decoded ${percent(total.decoded, total.samples).toFixed(2)} %, equal ${percent(total.equal, total.samples).toFixed(2)} % of ${total.samples} valid samples; ` +
      `${total.mapped} of ${total.components + total.bodies} schemas mapped; ${total.dropped} samples came back without undeclared keys, ` +
      `${total.nulls} with a null optional field left out (both allowed)`,
  );
  console.log(
    "(components: component schemas; bodies: operations' JSON request and response schemas that are not one; " +
      "dropped: equal samples that lost undeclared keys; nulls: equal samples whose null optional fields came back left out)",
  );
  if (total.unlisted > 0) console.log(`${total.unlisted} component schemas of the documents have no type in the type map`);
  printTable("failure classes (samples)", classes);
  printTable("schemas not mapped", notMapped);
}

function printTable(title, table) {
  if (table.size === 0) return;
  console.log(`\n${title}:`);
  for (const [kind, { count, example }] of [...table].sort((a, b) => b[1].count - a[1].count)) {
    console.log(`${String(count).padStart(7)}  ${kind}`);
    const where = `${example.spec} ${example.pointer}${example.at ? ` at ${example.at}` : ""}`;
    console.log(`           e.g. ${where}`);
    if (example.instance !== undefined) console.log(`           instance:   ${example.instance}`);
    if (example.came_back !== undefined) console.log(`           came back:  ${example.came_back}`);
    if (example.was !== undefined) console.log(`           at ${example.at || "/"}: ${example.was} -> ${example.now}`);
    if (example.reason) console.log(`           reason:     ${trim(example.reason)}`);
  }
}

// ---------------------------------------------------------------- helpers

function percent(part, whole) {
  return whole === 0 ? 100 : (100 * part) / whole;
}

function trim(text, limit = 160) {
  const t = String(text);
  return t.length > limit ? `${t.slice(0, limit - 1)}…` : t;
}

function escape(key) {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function read(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function lines(file) {
  return read(file)
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
}

function parseArgs(argv) {
  const options = {};
  const dirs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith("--")) options[argv[i].slice(2)] = argv[++i];
    else dirs.push(argv[i]);
  }
  return { options, dirs };
}
