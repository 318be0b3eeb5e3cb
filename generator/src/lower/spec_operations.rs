//! Every operation of the spec with its method and pointer, in document order:
//! per path, the eight fixed fields openapiv3 reads, then OpenAPI 3.2's `query`
//! and `additionalOperations`, which `load` keeps in the path item's extensions
//! (`load::openapi32`) because openapiv3's 3.0 model has no field for them.

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr};

use crate::diagnostics::Pointer;
use crate::ir::Method;
use crate::load::openapi32;

/// An operation of the 3.2 fields, read back from its extension.
pub(super) struct Extra {
    path: String,
    /// The method as the spec keys it (`query`, or an `additionalOperations` name).
    name: String,
    /// Its pointer segments below the path item.
    key: Vec<String>,
    operation: Operation,
}

/// One operation of the spec.
pub(super) struct SpecOperation<'a> {
    /// The path template, as the spec's key.
    pub path: &'a str,
    pub item: &'a PathItem,
    /// The method as an operation without `operationId` is named after it
    /// (`get`, `query`, `purge`).
    pub name: String,
    pub method: Method,
    pub pointer: Pointer,
    pub operation: &'a Operation,
}

/// The `query` and `additionalOperations` operations of every path item.
pub(super) fn read_extras(spec: &OpenAPI) -> Vec<Extra> {
    let mut extras = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        // `load` checked that these read as operations; anything else is skipped.
        let read = |value: &serde_json::Value| serde_json::from_value(value.clone()).ok();
        if let Some(operation) = item.extensions.get(openapi32::QUERY).and_then(read) {
            extras.push(Extra {
                path: path.clone(),
                name: "query".to_owned(),
                key: vec!["query".to_owned()],
                operation,
            });
        }
        let additional = item
            .extensions
            .get(openapi32::ADDITIONAL)
            .and_then(serde_json::Value::as_object);
        for (name, value) in additional.into_iter().flatten() {
            if let Some(operation) = read(value) {
                extras.push(Extra {
                    path: path.clone(),
                    name: name.clone(),
                    key: vec!["additionalOperations".to_owned(), name.clone()],
                    operation,
                });
            }
        }
    }
    extras
}

/// Every operation of `spec` and of `extras` (which [`read_extras`] read from it).
pub(super) fn spec_operations<'a>(
    spec: &'a OpenAPI,
    extras: &'a [Extra],
) -> Vec<SpecOperation<'a>> {
    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let at = Pointer::root().push("paths").push(path);
        for (name, operation) in item.iter() {
            operations.push(SpecOperation {
                path,
                item,
                name: name.to_owned(),
                method: fixed_method(name),
                pointer: at.push(name),
                operation,
            });
        }
        for extra in extras.iter().filter(|e| e.path == *path) {
            operations.push(SpecOperation {
                path,
                item,
                name: extra.name.to_ascii_lowercase(),
                method: extra_method(&extra.name),
                pointer: extra.key.iter().fold(at.clone(), |p, s| p.push(s)),
                operation: &extra.operation,
            });
        }
    }
    operations
}

/// The method of a fixed field of a path item.
fn fixed_method(field: &str) -> Method {
    match field {
        "post" => Method::Post,
        "put" => Method::Put,
        "patch" => Method::Patch,
        "delete" => Method::Delete,
        "head" => Method::Head,
        "options" => Method::Options,
        "trace" => Method::Trace,
        _ => Method::Get,
    }
}

/// The method of a 3.2 operation: `query`, or an `additionalOperations` name,
/// sent with the case it is written in (`load` moved the fixed ones' names).
fn extra_method(name: &str) -> Method {
    if name == "query" {
        Method::Query
    } else {
        Method::Other(name.to_owned())
    }
}
