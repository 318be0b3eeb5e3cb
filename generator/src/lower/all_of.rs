//! `allOf`, for the `lower` phase: the fields of every member (referenced
//! components and inline objects) merged into one struct, with `required` from
//! any member applying to all; and the annotation-only members that do not count.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::schemas::name_fields;
use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::{Field, TypeKind, TypeRef};

impl<'a> Lowerer<'a> {
    /// Fields of all `allOf` members merged into one struct.
    pub(super) fn merge_all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        at: &Pointer,
        name: &str,
        active: &mut BTreeSet<String>,
    ) -> Option<Vec<Field>> {
        // By wire name, so a field a later member redefines replaces the earlier
        // one in place, in constant time (merging chains of allOf stays linear
        // in the fields).
        let mut fields: IndexMap<String, Field> = IndexMap::new();
        let mut required: BTreeSet<&'a str> = BTreeSet::new();
        for (index, member) in members.iter().enumerate() {
            let pointer = at.push("allOf").push(index);
            let member_fields = match member {
                ReferenceOr::Reference { reference } => {
                    self.referenced_fields(reference, &pointer, active)?
                }
                ReferenceOr::Item(schema) => {
                    self.inline_member_fields(schema, &pointer, name, active, &mut required)?
                }
            };
            for field in member_fields {
                fields.insert(field.wire.clone(), field);
            }
        }
        let mut fields: Vec<Field> = fields.into_values().collect();
        for field in &mut fields {
            field.required |= required.contains(field.wire.as_str());
        }
        Some(name_fields(fields))
    }

    /// Fields of an inline `allOf` member; its `required` list applies to every member.
    fn inline_member_fields(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
        name: &str,
        active: &mut BTreeSet<String>,
        required: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<Field>> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                required.extend(object.required.iter().map(String::as_str));
                Some(self.object_fields(&object.properties, &object.required, at, name))
            }
            SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                required.extend(any.required.iter().map(String::as_str));
                Some(self.object_fields(&any.properties, &any.required, at, name))
            }
            SchemaKind::AllOf { all_of } => self.merge_all_of(all_of, at, name, active),
            _ => {
                let message = "only object members of `allOf` are merged; this one is ignored";
                self.sink.warning(Code::Unsupported, at, message);
                Some(Vec::new())
            }
        }
    }

    /// The fields of a component struct named by `reference`, lowering it first if needed.
    fn referenced_fields(
        &mut self,
        reference: &str,
        at: &Pointer,
        active: &mut BTreeSet<String>,
    ) -> Option<Vec<Field>> {
        let (id, _) = self.schema_ref(reference, at)?;
        let name = reference.rsplit('/').next().unwrap_or_default().to_owned();
        self.ensure_component(&name, active)?;
        match &self.types[id.0].kind {
            Some(TypeKind::Struct(fields)) => Some(fields.clone()),
            Some(TypeKind::Alias(TypeRef::Named(target))) => match &self.types[target.0].kind {
                Some(TypeKind::Struct(fields)) => Some(fields.clone()),
                _ => self.not_mergeable(at),
            },
            _ => self.not_mergeable(at),
        }
    }

    fn not_mergeable(&mut self, at: &Pointer) -> Option<Vec<Field>> {
        self.sink.warning(
            Code::Unsupported,
            at,
            "this `allOf` member is not an object; it is ignored",
        );
        Some(Vec::new())
    }
}

/// A schema that only annotates (description, title, example…) and constrains nothing.
pub(super) fn is_annotation_only(schema: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = schema else {
        return false;
    };
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.not.is_none()
                && any.enumeration.is_empty()
                && any.format.is_none()
                // `required` makes inherited fields required: that changes the type.
                && any.required.is_empty()
        }
        _ => false,
    }
}
