//! Rewrites a parsed document into the OpenAPI 3.0 form that `openapiv3` reads,
//! between parsing and deserialization in the `load` phase.
//!
//! It walks every part of the document that holds schemas and repairs what has one
//! obvious reading, each time with a located warning:
//!
//! * schemas: the 3.1 forms of [`forms`] (also where a 3.0 document uses them),
//!   boolean schemas, keywords of the wrong type or range ([`keywords`]), and
//!   `enum` values and `default`s that do not match the declared type;
//! * parameters and headers written the Swagger 2 way (`type` beside `name`
//!   instead of a `schema`), and Swagger 2 `in: body`/`in: formData` parameters,
//!   which become the request body;
//! * missing required fields that generation does not need (a response's
//!   `description`, `info.title`, `info.version`), filled in empty;
//! * callbacks and webhooks, which are not generated, are removed.
//!
//! 3.1 keywords with no 3.0 form are dropped with a warning.

use serde_json::{Map, Value};

/// A JSON object, as the document holds it.
type Mapping = Map<String, Value>;

use super::{forms, keywords, objects, openapi32, structure, tree};
use crate::diagnostics::{Code, Pointer, Sink};

/// 3.1 keywords with no 3.0 equivalent; each is dropped with a warning.
const UNREPRESENTABLE: &[&str] = &[
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contains",
    "$dynamicRef",
    "$anchor",
];

/// Normalizes `document` in place, read as the `version` it declared.
pub(super) fn normalize(document: &mut Value, version: super::Version, sink: &mut Sink) {
    let mut walker = Normalizer {
        is_31: version.reads_2020_12(),
        description_required: version.requires_response_description(),
        sink,
    };
    if let Some(map) = document.as_object_mut() {
        // `openapiv3` reads 3.0; every document is that once normalized, and the
        // version may have been written as a number (`openapi: 3.0`).
        map.insert("openapi".to_owned(), "3.0.3".into());
        map.entry("paths")
            .or_insert_with(|| Value::Object(Mapping::new()));
        if map.shift_remove("webhooks").is_some() {
            let pointer = Pointer::root().push("webhooks");
            walker.sink.warning(
                Code::Unsupported,
                &pointer,
                "webhooks are not generated; they are ignored",
            );
        }
        objects::repair_info(map, walker.sink);
    }
    walker.document(document);
}

struct Normalizer<'s> {
    /// Schemas are JSON Schema 2020-12 (3.1 and 3.2): its forms need no warning.
    is_31: bool,
    /// A response without `description` is a defect (3.0 and 3.1; 3.2 made it optional).
    description_required: bool,
    sink: &'s mut Sink,
}

impl Normalizer<'_> {
    /// Finds every schema of the document and normalizes it.
    fn document(&mut self, document: &mut Value) {
        let root = Pointer::root();
        if let Some(paths) = get_map(document, "paths") {
            self.root_path_keys(paths);
            for (path, item) in paths.iter_mut() {
                self.path_item(item, &root.push("paths").push(path));
            }
        }
        if let Some(map) = document.as_object_mut() {
            self.schema_maps(map, &root);
        }
        let Some(components) = get_map(document, "components") else {
            return;
        };
        // Callbacks are not generated; 3.1's `pathItems` are inlined by the bundler.
        components.shift_remove("callbacks");
        components.shift_remove("pathItems");
        let at = root.push("components");
        for (section, kind) in [
            ("schemas", Holder::Schema),
            ("parameters", Holder::Parameter),
            ("requestBodies", Holder::Content),
            ("responses", Holder::Response),
            ("headers", Holder::Parameter),
        ] {
            if let Some(entries) = get_map_in(components, section) {
                for (name, value) in entries.iter_mut() {
                    self.holder(value, kind, &at.push(section).push(name));
                }
            }
        }
    }

    /// Path keys must start with `/` (`openapiv3` skips any other key, and the
    /// client appends the path to its base URL): `users/{id}` is `/users/{id}`.
    fn root_path_keys(&mut self, paths: &mut Mapping) {
        let unrooted: Vec<String> = paths
            .keys()
            .filter(|k| !k.starts_with('/') && !k.starts_with("x-"))
            .cloned()
            .collect();
        for key in unrooted {
            let rooted = format!("/{key}");
            let at = Pointer::root().push("paths").push(&key);
            if paths.contains_key(&rooted) {
                let message = format!("the path `{key}` does not start with `/`, and `{rooted}` is given too; it is ignored");
                self.sink.warning_with_hint(
                    Code::PathParameter,
                    &at,
                    message,
                    "start every path key with `/`",
                );
                continue;
            }
            let message =
                format!("the path `{key}` does not start with `/`; it is read as `{rooted}`");
            self.sink.warning_with_hint(
                Code::PathParameter,
                &at,
                message,
                "start every path key with `/`",
            );
            // Same place in the order, new key.
            let entries: Vec<(String, Value)> = std::mem::take(paths).into_iter().collect();
            paths.extend(entries.into_iter().map(|(k, v)| {
                if k == key {
                    (rooted.clone(), v)
                } else {
                    (k, v)
                }
            }));
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        self.each_in_seq(item, "parameters", Holder::Parameter, at);
        if let Some(map) = item.as_object_mut() {
            openapi32::repair_additional(map, at, self.sink);
        }
        for key in openapi32::operation_keys(item) {
            let Some(operation) = tree::value_at_mut(item, &key) else {
                continue;
            };
            let at = key.iter().fold(at.clone(), |p, s| p.push(s));
            self.operation(operation, &at);
        }
    }

    fn operation(&mut self, operation: &mut Value, at: &Pointer) {
        if let Some(map) = operation.as_object_mut() {
            map.shift_remove("callbacks");
            self.fill_responses(map, at);
            objects::swagger2_body(map, at, self.sink);
        }
        self.each_in_seq(operation, "parameters", Holder::Parameter, at);
        if let Some(body) = operation.get_mut("requestBody") {
            self.holder(body, Holder::Content, &at.push("requestBody"));
        }
        if let Some(responses) = get_map(operation, "responses") {
            objects::repair_status_keys(responses, &at.push("responses"), self.sink);
            for (code, response) in responses.iter_mut() {
                self.holder(response, Holder::Response, &at.push("responses").push(code));
            }
        }
    }

    /// `responses` is optional in 3.1 and required in 3.0; without it the
    /// operation answers nothing the client decodes.
    fn fill_responses(&mut self, operation: &mut Mapping, at: &Pointer) {
        if operation.contains_key("responses") {
            return;
        }
        operation.insert("responses".to_owned(), Value::Object(Mapping::new()));
        if !self.is_31 {
            self.sink.warning_with_hint(
                Code::MissingField,
                &at.push("responses"),
                "the operation has no `responses`, which OpenAPI 3.0 requires; it is taken as answering nothing",
                "list the operation's responses",
            );
        }
    }

    fn each_in_seq(&mut self, parent: &mut Value, field: &str, kind: Holder, at: &Pointer) {
        if let Some(Value::Array(items)) = parent.get_mut(field) {
            for (index, item) in items.iter_mut().enumerate() {
                self.holder(item, kind, &at.push(field).push(index));
            }
        }
    }

    /// A part of the document that holds schemas somewhere inside.
    fn holder(&mut self, value: &mut Value, kind: Holder, at: &Pointer) {
        match kind {
            Holder::Schema => self.schema(value, at),
            Holder::Parameter => {
                if let Some(parameter) = value.as_object_mut() {
                    objects::swagger2_parameter(parameter, at, self.sink);
                    openapi32::querystring(parameter);
                }
                if let Some(schema) = value.get_mut("schema") {
                    self.schema(schema, &at.push("schema"));
                }
                self.holder(value, Holder::Content, at);
            }
            Holder::Content => {
                if let Some(content) = get_map(value, "content") {
                    for (media, item) in content.iter_mut() {
                        if let Some(schema) = item.get_mut("schema") {
                            self.schema(schema, &at.push("content").push(media).push("schema"));
                        }
                    }
                }
            }
            Holder::Response => {
                if let Some(response) = value.as_object_mut() {
                    objects::fill_description(response, at, self.description_required, self.sink);
                }
                self.holder(value, Holder::Content, at);
                if let Some(headers) = get_map(value, "headers") {
                    for (name, header) in headers.iter_mut() {
                        self.holder(header, Holder::Parameter, &at.push("headers").push(name));
                    }
                }
            }
        }
    }

    /// Normalizes one schema and, recursively, the schemas inside it.
    fn schema(&mut self, value: &mut Value, at: &Pointer) {
        self.schema_object(value, at);
        let Value::Object(map) = value else { return };
        openapi32::default_mapping(map);
        let found = forms::rewrite(map, self.is_31);
        if !self.is_31 {
            for form in found {
                let message = format!("{form} is an OpenAPI 3.1 form; it is read as 3.1 means it");
                self.sink.warning_with_hint(
                    Code::VersionHabit,
                    at,
                    message,
                    "declare `openapi: 3.1.0`, or use the 3.0 form",
                );
            }
        }
        if self.is_31 {
            self.drop_unrepresentable(map, at);
        }
        keywords::repair(map, at, self.sink);
        structure::repair(map, at, self.sink);
        self.check_enum_and_default(map, at);
        for field in ["items", "not"] {
            if let Some(child) = map.get_mut(field) {
                self.schema(child, &at.push(field));
            }
        }
        // `additionalProperties` may be a boolean in every version.
        if let Some(child) = map
            .get_mut("additionalProperties")
            .filter(|c| !c.is_boolean())
        {
            self.schema(child, &at.push("additionalProperties"));
        }
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            self.forbidden_properties(properties, at);
            for (name, child) in properties.iter_mut() {
                self.schema(child, &at.push("properties").push(name));
            }
        }
        for field in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = map.get_mut(field) {
                for (index, child) in members.iter_mut().enumerate() {
                    self.schema(child, &at.push(field).push(index));
                }
            }
        }
        self.schema_maps(map, at);
        structure::collapse_constant_union(map);
    }

    /// Schemas kept under `$defs` (JSON Schema) or `definitions` (Swagger 2 and
    /// draft 4) are not types of their own, but `$ref`s may point at them, and
    /// `hoist` then moves them into `components`: they are normalized here first.
    fn schema_maps(&mut self, map: &mut Mapping, at: &Pointer) {
        for field in ["$defs", "definitions"] {
            if let Some(Value::Object(schemas)) = map.get_mut(field) {
                for (name, child) in schemas.iter_mut() {
                    self.schema(child, &at.push(field).push(name));
                }
            }
        }
    }

    /// A schema that is not an object: a boolean schema (3.1) becomes `{}` or
    /// `{not: {}}`, a type name (`items: string`) becomes `{type: …}`, and any
    /// other value accepts anything.
    fn schema_object(&mut self, value: &mut Value, at: &Pointer) {
        let (replacement, message) = match &*value {
            Value::Object(_) => return,
            Value::Bool(accepts) => {
                let accepts = *accepts;
                *value = forms::boolean_schema(accepts);
                if !self.is_31 {
                    let message = format!("the boolean schema `{accepts}` is an OpenAPI 3.1 form; it is read as 3.1 means it");
                    self.sink.warning_with_hint(
                        Code::VersionHabit,
                        at,
                        message,
                        "write `{}` for any value",
                    );
                }
                return;
            }
            Value::String(name) if keywords::is_type_name(name) => {
                let mut map = Mapping::new();
                map.insert("type".to_owned(), name.clone().into());
                let message = format!(
                    "the schema is the bare word `{name}`; it is read as `{{type: {name}}}`"
                );
                (Value::Object(map), message)
            }
            other => {
                let message =
                    format!("`{other}` is not a schema; it is read as `{{}}` (any value)");
                (Value::Object(Mapping::new()), message)
            }
        };
        *value = replacement;
        self.sink
            .warning_with_hint(Code::Shape, at, message, "write a schema object");
    }

    /// Properties whose schema is `false` can never be present: they are removed.
    fn forbidden_properties(&mut self, properties: &mut Mapping, at: &Pointer) {
        let forbidden: Vec<String> = properties
            .iter()
            .filter(|(_, schema)| **schema == Value::Bool(false))
            .map(|(name, _)| name.clone())
            .collect();
        for name in forbidden {
            properties.shift_remove(&name);
            if !self.is_31 {
                let message = format!("property `{name}` has the boolean schema `false`, an OpenAPI 3.1 form; it can never be sent, so it is left out");
                self.sink.warning_with_hint(
                    Code::VersionHabit,
                    &at.push("properties").push(&name),
                    message,
                    "remove the property",
                );
            }
        }
    }

    /// 3.1 keywords with no 3.0 form, dropped with a warning.
    fn drop_unrepresentable(&mut self, map: &mut Mapping, at: &Pointer) {
        for keyword in UNREPRESENTABLE {
            if map.shift_remove(*keyword).is_some() {
                let message = format!(
                    "`{keyword}` has no counterpart in OpenAPI 3.0, which the generator reads; it is ignored"
                );
                self.sink
                    .warning(Code::Unsupported, &at.push(keyword), message);
            }
        }
    }

    /// Drops `enum` values and a `default` that do not match `type`, with a warning.
    fn check_enum_and_default(&mut self, map: &mut Mapping, at: &Pointer) {
        let Some(ty) = map.get("type").and_then(Value::as_str).map(str::to_owned) else {
            return;
        };
        // `null` among the values says the schema allows null (JSON Schema; dropshot
        // writes its unit type as `{type: string, enum: [null]}`).
        let null_listed = map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_null));
        if null_listed {
            map.insert("nullable".to_owned(), true.into());
        }
        let nullable = map
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let fits = |value: &Value| (value.is_null() && nullable) || matches_type(&ty, value);
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            let before = values.len();
            values.retain(|v| fits(v));
            if values.len() != before {
                let message = format!(
                    "{} `enum` value(s) are not of type `{ty}`; they are dropped",
                    before - values.len()
                );
                let hint = format!("make every value {}, or change `type`", with_article(&ty));
                self.sink
                    .warning_with_hint(Code::Shape, &at.push("enum"), message, hint);
            }
            if values.is_empty() {
                map.shift_remove("enum");
            }
        }
        if map.get("default").is_some_and(|d| !fits(d)) {
            map.shift_remove("default");
            let message = format!("the `default` is not of type `{ty}`; it is dropped");
            let hint = format!("make the default {}, or remove it", with_article(&ty));
            self.sink
                .warning_with_hint(Code::Shape, &at.push("default"), message, hint);
        }
    }
}

/// What kind of document part may contain schemas.
#[derive(Debug, Clone, Copy)]
enum Holder {
    Schema,
    Parameter,
    Content,
    Response,
}

/// `a string`, `an integer`: the type name with its article, for hints.
fn with_article(ty: &str) -> String {
    let article = if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {ty}")
}

fn matches_type(ty: &str, value: &Value) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.as_i64().is_some() || value.as_u64().is_some(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

fn get_map<'v>(value: &'v mut Value, field: &str) -> Option<&'v mut Mapping> {
    value.get_mut(field).and_then(Value::as_object_mut)
}

fn get_map_in<'m>(map: &'m mut Mapping, field: &str) -> Option<&'m mut Mapping> {
    map.get_mut(field).and_then(Value::as_object_mut)
}
