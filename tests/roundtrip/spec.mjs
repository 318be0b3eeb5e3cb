// The spec side of the round-trip harness, shared by sample.mjs and compare.mjs:
// reads an OpenAPI document as written on disk (other files its $refs name are
// bundled in), turns its schemas into JSON Schema, and answers questions about
// them with ajv: is this value valid against the schema at this pointer, and
// which object schemas apply to a value (allOf members, the oneOf/anyOf
// branches it is valid against).
//
// OpenAPI 3.0 schemas go through @openapi-contrib/openapi-schema-to-json-schema
// (nullable, the int32/int64/float/double/byte formats, OpenAPI-only keywords
// removed), with three changes of ours around it, made in its before/after hooks:
//   * `required` is kept as written (the converter drops names that are not in
//     the same schema's `properties`, which JSON Schema still requires);
//   * draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric
//     form of the drafts ajv knows;
//   * a `discriminator` beside oneOf/anyOf becomes a constraint: each `$ref`
//     branch requires the property with the values that select it (its
//     `mapping` keys, else its schema name), which is what OpenAPI says it means.
//     The same is done to OpenAPI 3.1 documents, which are JSON Schema 2020-12
//     already and are otherwise used as they are (ajv's 2020 class);
//   * the formats of the OpenAPI format registry that bound a number
//     (`int8` … `uint64`, `float`) become `minimum`/`maximum`, which the faker
//     and ajv both know, and `format` is kept as `x-format` for the comparison
//     (the converter drops `float`): a value outside them is not one the
//     schema allows.
// Pointers given to and returned by this module are pointers into the document
// after this conversion; those of the type map are pointers as written, and
// they point at the same schemas (a discriminator's branches are the only
// ones that move, one level down: `/oneOf/0` becomes `/oneOf/0/allOf/0`).

import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import $RefParser from "@apidevtools/json-schema-ref-parser";
import { openapiSchemaToJsonSchema } from "@openapi-contrib/openapi-schema-to-json-schema";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The document at `file` (YAML or JSON), with other files its $refs name bundled in. */
export async function readDocument(file) {
  const text = fs.readFileSync(file, "utf8");
  // Specs repeat keys now and then (the generator keeps the last value, as
  // `uniqueKeys: false` does); large ones are JSON, which JSON.parse reads fast.
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = YAML.parse(text, { uniqueKeys: false, maxAliasCount: -1, merge: true });
  }
  if (hasExternalRefs(doc)) {
    try {
      doc = await new $RefParser().bundle(path.resolve(file), doc, {
        resolve: { http: false },
        continueOnError: true,
      });
    } catch {
      // What cannot be bundled stays a reference to another file, which ajv
      // reports for each schema that reaches it ("not mapped").
    }
  }
  return doc;
}

/** Whether any `$ref` names another document (examples, which may hold `$ref` data, aside). */
function hasExternalRefs(node) {
  if (Array.isArray(node)) return node.some(hasExternalRefs);
  if (node === null || typeof node !== "object") return false;
  if (typeof node.$ref === "string" && !node.$ref.startsWith("#")) return true;
  return Object.entries(node).some(([key, value]) => key !== "example" && key !== "examples" && hasExternalRefs(value));
}

/** "3.1" for OpenAPI 3.1 documents, else "3.0". */
export function versionOf(doc) {
  return String(doc.openapi ?? "").startsWith("3.1") ? "3.1" : "3.0";
}

// ---------------------------------------------------------------- pointers

/** The segments of a JSON pointer in fragment form (`#/a/b~1c`), unescaped. */
export function segments(pointer) {
  const body = pointer.replace(/^#/, "");
  if (body === "") return [];
  return body
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A pointer in fragment form from unescaped segments. */
export function pointerOf(parts) {
  return "#" + parts.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** `pointer` with one more segment. */
export function child(pointer, ...more) {
  return pointer + more.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** The node at `pointer` in `doc`, or undefined. */
export function resolve(doc, pointer) {
  let node = doc;
  for (const segment of segments(pointer)) {
    if (node === null || typeof node !== "object" || !(segment in node)) return undefined;
    node = node[segment];
  }
  return node;
}

/** A `$ref` inside the document as a pointer (its fragment percent-decoded), or null. */
export function refTarget(ref) {
  if (typeof ref !== "string" || !ref.startsWith("#")) return null;
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref;
  }
}

// ---------------------------------------------------------------- conversion

/** Calls `visit(holder, key)` for every schema an OpenAPI document holds. */
function forEachSchemaSlot(doc, visit) {
  const media = (content) => {
    for (const m of Object.values(content ?? {})) if (m && typeof m === "object" && "schema" in m) visit(m, "schema");
  };
  const parameter = (p) => {
    if (!p || typeof p !== "object") return;
    if ("schema" in p) visit(p, "schema");
    media(p.content);
  };
  const response = (r) => {
    if (!r || typeof r !== "object") return;
    media(r.content);
    for (const h of Object.values(r.headers ?? {})) parameter(h);
  };
  const pathItem = (item) => {
    if (!item || typeof item !== "object") return;
    for (const p of item.parameters ?? []) parameter(p);
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== "object") continue;
      for (const p of op.parameters ?? []) parameter(p);
      if (op.requestBody) media(op.requestBody.content);
      for (const r of Object.values(op.responses ?? {})) response(r);
      for (const callback of Object.values(op.callbacks ?? {})) for (const i of Object.values(callback ?? {})) pathItem(i);
    }
  };
  const c = doc.components ?? {};
  for (const name of Object.keys(c.schemas ?? {})) visit(c.schemas, name);
  for (const p of Object.values(c.parameters ?? {})) parameter(p);
  for (const h of Object.values(c.headers ?? {})) parameter(h);
  for (const b of Object.values(c.requestBodies ?? {})) if (b && typeof b === "object") media(b.content);
  for (const r of Object.values(c.responses ?? {})) response(r);
  for (const item of Object.values(c.pathItems ?? {})) pathItem(item);
  for (const callback of Object.values(c.callbacks ?? {})) for (const i of Object.values(callback ?? {})) pathItem(i);
  for (const item of Object.values(doc.paths ?? {})) pathItem(item);
  for (const item of Object.values(doc.webhooks ?? {})) pathItem(item);
}

/** Turns every schema of `doc` into JSON Schema in place (see the top of the file). */
export function convertDocument(doc, version) {
  if (version === "3.1") {
    forEachSchemaSlot(doc, (holder, key) =>
      walkSchemas(holder[key], (schema) => {
        constrainDiscriminator(schema);
        boundByFormat(schema);
      }),
    );
    return doc;
  }
  const kept = new WeakMap();
  const options = {
    cloneSchema: false,
    strictMode: false,
    beforeTransform: (schema) => {
      if (Array.isArray(schema.required)) kept.set(schema, schema.required);
      constrainDiscriminator(schema);
      boundByFormat(schema);
      return schema;
    },
    afterTransform: (schema) => {
      if (kept.has(schema)) schema.required = kept.get(schema);
      numericExclusiveBounds(schema);
      // OpenAPI 3.0 ignores what stands beside a `$ref` (ajv would apply it).
      if (typeof schema.$ref === "string") {
        for (const key of Object.keys(schema)) if (key !== "$ref") delete schema[key];
      }
      return schema;
    },
  };
  forEachSchemaSlot(doc, (holder, key) => {
    const schema = holder[key];
    if (!schema || typeof schema !== "object" || Array.isArray(schema)) return;
    const converted = openapiSchemaToJsonSchema(schema, options);
    delete converted.$schema;
    holder[key] = converted;
  });
  return doc;
}

/** The range each number format of the OpenAPI format registry allows. */
const FORMAT_RANGES = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  float: [-3.4028234663852886e38, 3.4028234663852886e38],
};

/** A number format's range as `minimum`/`maximum` (narrowing the schema's own), and `format` as `x-format`. */
function boundByFormat(schema) {
  if (typeof schema.format !== "string") return;
  schema["x-format"] = schema.format;
  const range = FORMAT_RANGES[schema.format];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!range || !types.some((t) => t === "integer" || t === "number")) return;
  const [low, high] = range;
  schema.minimum = typeof schema.minimum === "number" ? Math.max(schema.minimum, low) : low;
  schema.maximum = typeof schema.maximum === "number" ? Math.min(schema.maximum, high) : high;
}

/** Draft-04's `exclusiveMinimum: true` beside `minimum` is `exclusiveMinimum: <minimum>` since draft-06. */
function numericExclusiveBounds(schema) {
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ]) {
    if (schema[flag] === true && typeof schema[bound] === "number") {
      schema[flag] = schema[bound];
      delete schema[bound];
    } else if (typeof schema[flag] === "boolean") {
      delete schema[flag];
    }
  }
}

/** A discriminator beside oneOf/anyOf: each `$ref` branch requires the values that select it. */
function constrainDiscriminator(schema) {
  const discriminator = schema.discriminator;
  if (!discriminator || typeof discriminator.propertyName !== "string") return;
  const property = discriminator.propertyName;
  const mapping = discriminator.mapping ?? {};
  const refOf = (target) => (String(target).startsWith("#") ? target : `#/components/schemas/${target}`);
  for (const keyword of ["oneOf", "anyOf"]) {
    if (!Array.isArray(schema[keyword])) continue;
    schema[keyword] = schema[keyword].map((branch) => {
      if (!branch || typeof branch.$ref !== "string") return branch;
      const mapped = Object.keys(mapping).filter((value) => refOf(mapping[value]) === branch.$ref);
      const values = mapped.length > 0 ? mapped : [branch.$ref.split("/").pop()];
      return {
        allOf: [branch, { type: "object", properties: { [property]: { enum: values } }, required: [property] }],
      };
    });
  }
}

/** Calls `fn` on `schema` and every schema inside it (JSON Schema 2020-12 keywords). */
function walkSchemas(schema, fn, seen = new Set()) {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return;
  seen.add(schema);
  fn(schema);
  for (const keyword of ["allOf", "anyOf", "oneOf", "prefixItems"]) {
    if (Array.isArray(schema[keyword])) for (const s of schema[keyword]) walkSchemas(s, fn, seen);
  }
  for (const keyword of ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"]) {
    walkSchemas(schema[keyword], fn, seen);
  }
  for (const keyword of ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]) {
    for (const s of Object.values(schema[keyword] ?? {})) walkSchemas(s, fn, seen);
  }
}

// ---------------------------------------------------------------- validation

/**
 * The document converted, with an ajv that knows it. `validator(pointer)` is a
 * compiled validator of the schema at `pointer` (cached), or `{ error }` when
 * ajv cannot compile it.
 */
export async function loadSpec(file) {
  const doc = await readDocument(file);
  const version = versionOf(doc);
  convertDocument(doc, version);
  const Class = version === "3.1" ? Ajv2020 : Ajv;
  const ajv = new Class({
    strict: false,
    logger: false,
    validateSchema: false,
    allowUnionTypes: true,
    // Specs write ECMAScript patterns such as `[\w\-]`, which the `u` flag refuses.
    unicodeRegExp: false,
    // The same schema is compiled once per pointer; keep the code small.
    inlineRefs: false,
  });
  addFormats(ajv);
  ajv.addSchema(doc, "spec");
  const cache = new Map();
  const validator = (pointer) => {
    if (!cache.has(pointer)) {
      let entry;
      try {
        const fragment = segments(pointer).map((s) => "/" + encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))).join("");
        entry = ajv.compile({ $ref: `spec#${fragment}` });
      } catch (error) {
        entry = { error: String(error.message ?? error).split("\n")[0] };
      }
      cache.set(pointer, entry);
    }
    return cache.get(pointer);
  };
  const valid = (pointer, value) => {
    const v = validator(pointer);
    return typeof v === "function" && v(value) === true;
  };
  return { doc, version, ajv, validator, valid, applicable: (pointer, value) => applicable(doc, valid, pointer, value) };
}

/**
 * The schemas that apply to `value` at `pointer`: the schema itself, what its
 * `$ref` names, its allOf members, the oneOf/anyOf branches `value` is valid
 * against, and if/then/else as `value` decides; each with `viaUnion` set when
 * a oneOf/anyOf branch led to it. Boolean schemas are left out.
 */
export function applicable(doc, valid, pointer, value, viaUnion = false, out = [], seen = new Set()) {
  if (seen.has(pointer) || out.length > 200) return out;
  seen.add(pointer);
  const node = resolve(doc, pointer);
  if (!node || typeof node !== "object") return out;
  out.push({ pointer, node, viaUnion });
  const target = refTarget(node.$ref);
  if (target) applicable(doc, valid, target, value, viaUnion, out, seen);
  (node.allOf ?? []).forEach((_, i) => applicable(doc, valid, child(pointer, "allOf", i), value, viaUnion, out, seen));
  for (const keyword of ["oneOf", "anyOf"]) {
    (node[keyword] ?? []).forEach((_, i) => {
      const branch = child(pointer, keyword, i);
      if (valid(branch, value)) applicable(doc, valid, branch, value, true, out, seen);
    });
  }
  if (node.if !== undefined) {
    const branch = valid(child(pointer, "if"), value) ? "then" : "else";
    if (node[branch] !== undefined) applicable(doc, valid, child(pointer, branch), value, viaUnion, out, seen);
  }
  return out;
}

/** Whether any applicable schema lets an object have keys its properties do not name. */
export function declaresAdditional(schemas) {
  return schemas.some(
    ({ node }) =>
      "additionalProperties" in node ||
      (node.patternProperties && Object.keys(node.patternProperties).length > 0) ||
      ("unevaluatedProperties" in node && node.unevaluatedProperties !== false),
  );
}

/** The schemas of `key` of an object, from the schemas that apply to the object. */
export function propertySchemas(schemas, key) {
  const out = [];
  for (const { pointer, node } of schemas) {
    let named = false;
    if (node.properties && Object.prototype.hasOwnProperty.call(node.properties, key)) {
      out.push(child(pointer, "properties", key));
      named = true;
    }
    for (const pattern of Object.keys(node.patternProperties ?? {})) {
      if (matches(pattern, key)) {
        out.push(child(pointer, "patternProperties", pattern));
        named = true;
      }
    }
    if (!named && node.additionalProperties && typeof node.additionalProperties === "object") {
      out.push(child(pointer, "additionalProperties"));
    }
  }
  return out;
}

/** The schemas of item `index` of an array, from the schemas that apply to the array. */
export function itemSchemas(schemas, index) {
  const out = [];
  for (const { pointer, node } of schemas) {
    if (Array.isArray(node.prefixItems) && index < node.prefixItems.length) {
      out.push(child(pointer, "prefixItems", index));
    } else if (Array.isArray(node.items)) {
      if (index < node.items.length) out.push(child(pointer, "items", index));
    } else if (node.items && typeof node.items === "object") {
      out.push(child(pointer, "items"));
    }
  }
  return out;
}

/** Whether the ECMAScript pattern matches (a pattern that does not compile matches nothing). */
function matches(pattern, text) {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}
