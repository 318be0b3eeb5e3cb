//! Local `$ref`s that point at nothing, or at the wrong kind of object, repaired
//! for the `load` phase (after `hoist`, so every local reference names a
//! `components` entry or nothing).
//!
//! * A reference to nothing (E0101): a schema becomes `{}` (any JSON value); a
//!   parameter, request body, response or header is left out.
//! * A reference to the wrong kind of component (E0103) is used when the target's
//!   shape fits what is expected there: a response where a request body is
//!   expected (both have `content`), a schema where a response or body is expected
//!   (read as its JSON content), a parameter where a header is expected, and the
//!   `schema` of a parameter, header, body or response where a schema is expected.
//!   The converted object is added to its own section under a new name, once.
//!   A target that fits nothing is treated as a reference to nothing.
//!
//! Removing an entry can leave other references pointing at nothing, so the
//! repair runs until nothing changes.

use std::collections::BTreeMap;

use serde_json::Value;

use super::bundle::Bundled;
use super::tree::{
    add_entry, collect_refs, entry_names, place_of, ref_to, value_at, value_at_mut, Mapping, Place,
};
use crate::diagnostics::{Code, Pointer, Sink};
use crate::naming::{camel_name, claim_unique};
use crate::sources::percent_decode;

/// Rounds of repair; each removes at least one reference, and chains of
/// components referring to removed ones are short.
const MAX_ROUNDS: usize = 16;

/// Repairs every local reference of `document` that does not name an object of
/// the kind its place expects.
///
/// `bundled` gives, for references to other documents that bundling could not
/// follow, the reason, which the warning repeats (and no warning at all for the
/// ones the access policy refused: those are errors already).
pub(super) fn repair_references(document: &mut Value, bundled: &Bundled, sink: &mut Sink) {
    let mut converted: BTreeMap<(String, Place), String> = BTreeMap::new();
    for _ in 0..MAX_ROUNDS {
        let mut found = Vec::new();
        collect_refs(document, &mut Vec::new(), &mut |path, reference| {
            if let Some(place) = place_of(path) {
                found.push((path.to_vec(), place, reference.to_owned()));
            }
        });
        let mut dropped = Vec::new();
        let mut changed = false;
        for (path, place, reference) in found {
            match check(document, &reference, place) {
                Check::Fits => {}
                Check::Swagger2(target) if check(document, &target, place).fits() => {
                    set_ref(document, &path, &target);
                    changed = true;
                    let message = format!(
                        "`$ref: {reference}` is a Swagger 2 pointer; it is read as `{target}`"
                    );
                    sink.warning_with_hint(
                        Code::VersionHabit,
                        &pointer(&path),
                        message,
                        "OpenAPI 3 keeps these under `#/components/`",
                    );
                }
                Check::Swagger2(_) => dropped.push((path, place, reference)),
                // Valid as written; rewritten so every later step sees one form.
                Check::Decoded(target) => {
                    set_ref(document, &path, &target);
                    changed = true;
                }
                // Bundling has brought in every other document it could read.
                Check::External | Check::Missing => {
                    dropped.push((path, place, reference));
                }
                Check::Other(found_place, name) => {
                    let key = (reference.clone(), place);
                    let target = match converted.get(&key) {
                        Some(target) => Some(target.clone()),
                        None => convert(document, &name, found_place, place).inspect(|t| {
                            converted.insert(key, t.clone());
                        }),
                    };
                    match target {
                        Some(target) => {
                            set_ref(document, &path, &target);
                            changed = true;
                            let message = format!(
                                "`$ref: {reference}` points at {} where {} is expected; it is read as {}",
                                found_place.noun(),
                                place.noun(),
                                reading(found_place, place)
                            );
                            sink.warning_with_hint(
                                Code::WrongKindReference,
                                &pointer(&path),
                                message,
                                format!("point the `$ref` into `#/components/{}`", place.section()),
                            );
                        }
                        None => dropped.push((path, place, reference)),
                    }
                }
            }
        }
        // Later list items first, so removing one does not move the others.
        dropped.sort_by(|a, b| b.0.cmp(&a.0));
        for (path, place, reference) in dropped {
            changed = true;
            let repair = drop_reference(document, &path, place);
            if bundled.refused.contains(&reference) {
                continue;
            }
            let message = match bundled.unresolved.get(&reference) {
                Some(reason) => {
                    format!("`$ref: {reference}` points at nothing ({reason}); {repair}")
                }
                None => format!("`$ref: {reference}` points at nothing; {repair}"),
            };
            sink.warning_with_hint(
                Code::BadReference,
                &pointer(&path),
                message,
                "point the `$ref` at an existing `#/components/...` entry",
            );
        }
        if !changed {
            return;
        }
    }
}

/// What a reference names.
enum Check {
    /// An object of the kind its place expects.
    Fits,
    /// Another file or a URL: the bundler's business.
    External,
    /// Nothing (or nothing `lower` can follow).
    Missing,
    /// A component of another section: its kind and name.
    Other(Place, String),
    /// A Swagger 2 pointer (`#/definitions/Pet`), with the `components`
    /// reference of OpenAPI 3 that replaced it.
    Swagger2(String),
    /// A percent-encoded pointer, and the same pointer decoded.
    Decoded(String),
}

fn value_at_pointer(document: &Value, fragment: &str) -> bool {
    Pointer::parse_local_ref(&format!("#{fragment}"))
        .is_some_and(|p| value_at(document, p.segments()).is_some())
}

/// `#/definitions/X`, `#/parameters/X` and `#/responses/X` (Swagger 2) as the
/// `components` reference of OpenAPI 3.
fn swagger2_section(fragment: &str) -> Option<String> {
    let (section, name) = fragment.strip_prefix('/')?.split_once('/')?;
    let section = match section {
        "definitions" => "schemas",
        "parameters" => "parameters",
        "responses" => "responses",
        _ => return None,
    };
    Some(format!("#/components/{section}/{name}"))
}

impl Check {
    fn fits(&self) -> bool {
        matches!(self, Check::Fits)
    }
}

fn check(document: &Value, reference: &str, place: Place) -> Check {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Check::External;
    };
    if let Some(section) = swagger2_section(fragment) {
        return Check::Swagger2(section);
    }
    let segments: Vec<String> = match Pointer::parse_local_ref(&format!("#{fragment}")) {
        Some(pointer) => pointer.segments().to_vec(),
        None => return Check::Missing,
    };
    // A URI fragment may percent-encode what a key holds (`PagedList%5BUser%5D`
    // for `PagedList[User]`): the reference `lower` follows is the decoded one.
    if value_at(document, &segments).is_none() {
        let decoded = percent_decode(fragment);
        if decoded != fragment && value_at_pointer(document, &decoded) {
            return Check::Decoded(format!("#{decoded}"));
        }
    }
    let [components, section, name] = segments.as_slice() else {
        // A path item may be referenced where it was written; anything else that
        // `hoist` did not move points at nothing it could find.
        let exists = value_at(document, &segments).is_some();
        return match place {
            Place::PathItem if exists => Check::Fits,
            _ => Check::Missing,
        };
    };
    if components != "components" || value_at(document, &segments).is_none() {
        return Check::Missing;
    }
    match Place::of_section(section) {
        Some(found) if found == place => Check::Fits,
        Some(found) => Check::Other(found, name.clone()),
        None => Check::Missing,
    }
}

/// The object `place` expects, made from the component `name` of `found`'s
/// section; its new reference, or `None` when the shapes do not fit.
fn convert(document: &mut Value, name: &str, found: Place, place: Place) -> Option<String> {
    let source = format!("#/components/{}/{}", found.section(), escape(name));
    let target = value_at(document, &components_path(found, name))?.clone();
    let converted = match (found, place) {
        // The schema of a parameter, header, body or response: point at it.
        (Place::Parameter | Place::Header, Place::Schema) => {
            return target
                .get("schema")
                .map(|_| format!("{source}/schema"))
                .and_then(|r| hoisted_schema(document, &r, name));
        }
        (Place::RequestBody | Place::Response, Place::Schema) => {
            let media = json_media(&target)?;
            let reference = format!("{source}/content/{}/schema", escape(&media));
            return hoisted_schema(document, &reference, name);
        }
        (Place::Schema, Place::Response | Place::RequestBody) => {
            if target.get("content").is_some_and(Value::is_object) {
                with_description(target.clone(), place)
            } else {
                json_content(&source, place)
            }
        }
        (Place::Schema, Place::Header) => {
            let mut header = Mapping::new();
            header.insert("schema".to_owned(), ref_to(&source));
            Value::Object(header)
        }
        (Place::Schema, Place::Parameter) if is_parameter_object(&target) => target,
        (Place::Response, Place::RequestBody) | (Place::RequestBody, Place::Response) => {
            let mut object = Mapping::new();
            for key in ["description", "content", "required"] {
                if let Some(value) = target.get(key) {
                    if key != "required" || place == Place::RequestBody {
                        object.insert(key.to_owned(), value.clone());
                    }
                }
            }
            with_description(Value::Object(object), place)
        }
        (Place::Parameter, Place::Header) => {
            let mut header = target.as_object()?.clone();
            header.shift_remove("name");
            header.shift_remove("in");
            Value::Object(header)
        }
        _ => return None,
    };
    let mut taken = entry_names(document, place.section());
    let new_name = claim_unique(&mut taken, &camel_name(name), false);
    add_entry(document, place.section(), &new_name, converted);
    Some(format!(
        "#/components/{}/{}",
        place.section(),
        escape(&new_name)
    ))
}

/// A schema inside another component, as a `components/schemas` entry of its own
/// (its reference, when it is one already).
fn hoisted_schema(document: &mut Value, reference: &str, name: &str) -> Option<String> {
    let segments: Vec<String> = Pointer::parse_local_ref(reference)?.segments().to_vec();
    let schema = value_at(document, &segments)?.clone();
    if let Some(inner) = schema.get("$ref").and_then(Value::as_str) {
        return Some(inner.to_owned());
    }
    let mut taken = entry_names(document, "schemas");
    let new_name = claim_unique(&mut taken, &camel_name(name), false);
    add_entry(document, "schemas", &new_name, schema);
    Some(format!("#/components/schemas/{}", escape(&new_name)))
}

/// A response or body whose JSON content is the schema at `schema_ref`.
fn json_content(schema_ref: &str, place: Place) -> Value {
    let mut media = Mapping::new();
    media.insert("schema".to_owned(), ref_to(schema_ref));
    let mut content = Mapping::new();
    content.insert("application/json".to_owned(), Value::Object(media));
    let mut object = Mapping::new();
    object.insert("content".to_owned(), Value::Object(content));
    with_description(Value::Object(object), place)
}

/// A response needs a `description`; a body does not.
fn with_description(mut object: Value, place: Place) -> Value {
    if let (Place::Response, Some(map)) = (place, object.as_object_mut()) {
        map.entry("description").or_insert_with(|| "".into());
    }
    object
}

/// The first JSON media type of a response or body with a schema, else the first with one.
fn json_media(object: &Value) -> Option<String> {
    let content = object.get("content")?.as_object()?;
    let with_schema =
        |(media, value): (&String, &Value)| value.get("schema").map(|_| media.clone());
    content
        .iter()
        .filter(|(media, _)| media.contains("json"))
        .find_map(with_schema)
        .or_else(|| content.iter().find_map(with_schema))
}

/// Whether a value written among the schemas is really a parameter object.
fn is_parameter_object(value: &Value) -> bool {
    value.get("name").is_some_and(Value::is_string) && value.get("in").is_some_and(Value::is_string)
}

/// What a converted reference is read as, for the warning.
fn reading(found: Place, place: Place) -> &'static str {
    match (found, place) {
        (_, Place::Schema) => "that object's schema",
        (Place::Schema, Place::Response | Place::RequestBody) => "JSON content of that schema",
        (Place::Schema, Place::Header) => "a header of that schema",
        _ => "that object",
    }
}

/// Removes the object whose `$ref` points at nothing; what was done, for the warning.
fn drop_reference(document: &mut Value, path: &[String], place: Place) -> &'static str {
    if place == Place::Schema {
        if let Some(Value::Object(map)) = value_at_mut(document, path) {
            map.shift_remove("$ref");
        }
        return "the schema accepts any JSON value";
    }
    let Some((last, parent)) = path.split_last() else {
        return "it is left out";
    };
    match value_at_mut(document, parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(last);
        }
        Some(Value::Array(items)) => {
            if let Some(index) = last.parse::<usize>().ok().filter(|i| *i < items.len()) {
                items.remove(index);
            }
        }
        _ => {}
    }
    match place {
        Place::Parameter => "the parameter is left out",
        Place::RequestBody => "the operation sends no body",
        Place::Response => "the response is left out",
        Place::Header => "the header is left out",
        Place::PathItem => "the path is left out",
        Place::Schema => "the schema accepts any JSON value",
    }
}

fn set_ref(document: &mut Value, path: &[String], target: &str) {
    if let Some(Value::Object(map)) = value_at_mut(document, path) {
        map.insert("$ref".to_owned(), target.into());
    }
}

fn components_path(place: Place, name: &str) -> Vec<String> {
    vec![
        "components".to_owned(),
        place.section().to_owned(),
        name.to_owned(),
    ]
}

fn pointer(path: &[String]) -> Pointer {
    path.iter().fold(Pointer::root(), |p, s| p.push(s))
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repaired(mut document: Value) -> (Value, Vec<(Code, String)>) {
        let mut sink = Sink::default();
        let bundled = Bundled {
            documents: Vec::new(),
            origins: Vec::new(),
            unresolved: BTreeMap::new(),
            refused: Default::default(),
        };
        repair_references(&mut document, &bundled, &mut sink);
        let found = sink
            .into_sorted()
            .into_iter()
            .map(|d| (d.code, d.pointer))
            .collect();
        (document, found)
    }

    #[test]
    fn references_to_nothing_become_any_or_are_left_out() {
        let (document, found) = repaired(json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/Gone"}, {"name": "q", "in": "query"}],
                "requestBody": {"$ref": "#/components/requestBodies/Gone"},
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}},
                    "404": {"$ref": "#/components/responses/Gone"}
                }
            }}}
        }));
        let get = &document["paths"]["/a"]["get"];
        assert_eq!(get["parameters"], json!([{"name": "q", "in": "query"}]));
        assert!(get.get("requestBody").is_none());
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert!(get["responses"].get("404").is_none());
        assert_eq!(found.len(), 4);
        assert!(found.iter().all(|(code, _)| *code == Code::BadReference));
    }

    #[test]
    fn references_to_the_wrong_kind_are_used_when_they_fit() {
        let (document, found) = repaired(json!({
            "paths": {"/a": {"post": {
                "requestBody": {"$ref": "#/components/responses/Shared"},
                "responses": {
                    "200": {"$ref": "#/components/requestBodies/Input"},
                    "400": {"$ref": "#/components/schemas/Problem"}
                }
            }}},
            "components": {
                "schemas": {"Problem": {"type": "object"}, "Holder": {"properties": {"p": {"$ref": "#/components/parameters/Limit"}}}},
                "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
                "requestBodies": {"Input": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
                "responses": {"Shared": {"description": "d", "content": {"text/plain": {"schema": {"type": "string"}}}}}
            }
        }));
        let post = &document["paths"]["/a"]["post"];
        assert_eq!(
            post["requestBody"]["$ref"],
            json!("#/components/requestBodies/Shared")
        );
        assert_eq!(
            post["responses"]["200"]["$ref"],
            json!("#/components/responses/Input")
        );
        assert_eq!(
            post["responses"]["400"]["$ref"],
            json!("#/components/responses/Problem")
        );
        assert_eq!(
            document["components"]["responses"]["Problem"]["content"]["application/json"]["schema"]
                ["$ref"],
            json!("#/components/schemas/Problem")
        );
        assert_eq!(
            document["components"]["responses"]["Input"]["description"],
            json!("")
        );
        assert_eq!(
            document["components"]["schemas"]["Holder"]["properties"]["p"]["$ref"],
            json!("#/components/schemas/Limit")
        );
        assert!(entry_names(&document, "schemas").contains("Limit"));
        assert_eq!(found.len(), 4);
        assert!(found
            .iter()
            .all(|(code, _)| *code == Code::WrongKindReference));
    }

    #[test]
    fn a_chain_to_a_removed_entry_is_repaired_to_the_end() {
        let (document, found) = repaired(json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/A"}], "responses": {}}}},
            "components": {"parameters": {"A": {"$ref": "#/components/parameters/B"}}}
        }));
        assert_eq!(document["paths"]["/a"]["get"]["parameters"], json!([]));
        assert_eq!(found.len(), 2);
    }
}
