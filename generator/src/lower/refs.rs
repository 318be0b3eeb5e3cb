//! `$ref` resolution for the `lower` phase: parameters, request bodies and
//! responses are followed to their component (through chains of references, with
//! cycle detection); schema references become [`TypeId`]s of registered components.
//!
//! Every failure is a located diagnostic; callers get `None` and skip the item.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr};

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::TypeId;

impl<'a> Lowerer<'a> {
    /// The registered component behind a schema `$ref`, with the schema's nullability.
    pub(super) fn schema_ref(&mut self, reference: &str, at: &Pointer) -> Option<(TypeId, bool)> {
        let name = self.component_name(reference, "schemas", at)?;
        match self.components.get(&name) {
            Some(found) => Some(*found),
            None => {
                self.sink.error(
                    Code::BadReference,
                    at,
                    format!("`$ref: {reference}` points at a schema that does not exist"),
                );
                None
            }
        }
    }

    /// Follows `item` to a parameter object.
    pub(super) fn resolve_parameter(
        &mut self,
        item: &'a ReferenceOr<openapiv3::Parameter>,
        at: &Pointer,
    ) -> Option<(&'a openapiv3::Parameter, Pointer)> {
        self.resolve(item, at, "parameters", |c| &c.parameters)
    }

    /// Follows `item` to a request body object.
    pub(super) fn resolve_request_body(
        &mut self,
        item: &'a ReferenceOr<openapiv3::RequestBody>,
        at: &Pointer,
    ) -> Option<(&'a openapiv3::RequestBody, Pointer)> {
        self.resolve(item, at, "requestBodies", |c| &c.request_bodies)
    }

    /// Follows `item` to a response object.
    pub(super) fn resolve_response(
        &mut self,
        item: &'a ReferenceOr<openapiv3::Response>,
        at: &Pointer,
    ) -> Option<(&'a openapiv3::Response, Pointer)> {
        self.resolve(item, at, "responses", |c| &c.responses)
    }

    /// Follows a chain of references in one components section.
    fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: &Pointer,
        section: &str,
        entries: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, Pointer)> {
        let spec = self.spec;
        let mut current = item;
        let mut pointer = at.clone();
        let mut seen = BTreeSet::new();
        loop {
            let reference = match current {
                ReferenceOr::Item(found) => return Some((found, pointer)),
                ReferenceOr::Reference { reference } => reference,
            };
            if !seen.insert(reference.clone()) {
                self.sink.error(
                    Code::ReferenceCycle,
                    at,
                    format!("`$ref: {reference}` leads back to itself through references only"),
                );
                return None;
            }
            let name = self.component_name(reference, section, &pointer)?;
            let next = spec.components.as_ref().and_then(|c| entries(c).get(&name));
            let Some(next) = next else {
                self.sink.error(
                    Code::BadReference,
                    &pointer,
                    format!("`$ref: {reference}` points at nothing in `#/components/{section}`"),
                );
                return None;
            };
            pointer = Pointer::root().push("components").push(section).push(&name);
            current = next;
        }
    }

    /// The component name in `#/components/{section}/{name}`, or a diagnostic.
    fn component_name(&mut self, reference: &str, section: &str, at: &Pointer) -> Option<String> {
        let target = Pointer::parse_local_ref(reference);
        match target.as_ref().map(|p| p.segments()) {
            Some([components, found_section, name])
                if components == "components" && found_section == section =>
            {
                Some(name.clone())
            }
            // Schemas that a reference points inside of were moved into components
            // while loading, so what is left points at nothing.
            Some(_) if section == "schemas" => {
                self.sink.error(
                    Code::BadReference,
                    at,
                    format!("`$ref: {reference}` points at nothing in this document"),
                );
                None
            }
            Some(_) => {
                self.sink.error_with_hint(
                    Code::BadReference,
                    at,
                    format!(
                        "`$ref: {reference}` must point at an entry of `#/components/{section}`"
                    ),
                    format!("move the target into `#/components/{section}` and reference it there"),
                );
                None
            }
            None => {
                self.sink.error_with_hint(
                    Code::BadReference,
                    at,
                    format!("`$ref: {reference}` is not a reference inside this document"),
                    "external files are not supported; bundle the spec into one document first",
                );
                None
            }
        }
    }
}
