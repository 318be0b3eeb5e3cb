//! Object schemas into struct fields, for the `lower` phase: each property
//! a field (named, `required` as the schema says, never for a `readOnly` or
//! `writeOnly` one), and the keys the schema does not declare a map field when
//! its `additionalProperties` allows them.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::Lowerer;
use crate::diagnostics::Pointer;
use crate::ir::{Field, FieldRole, StructType, TypeRef};
use crate::naming::{camel_name, name_fields, snake_ident};

impl<'a> Lowerer<'a> {
    /// The struct of an object schema: its properties, and a map of the keys it
    /// does not declare when `additionalProperties` allows them (`true`, or a
    /// schema: `{}` and a description alone allow any value), so that they
    /// decode and encode back; `false` closes it. A schema that says nothing of
    /// them gets no map: the keys a server adds later are skipped.
    pub(super) fn struct_type(
        &mut self,
        parts: ObjectParts<'a>,
        at: &Pointer,
        name: &str,
    ) -> StructType {
        let mut fields = self.object_fields(parts.properties, parts.required, at, name);
        let closed = matches!(parts.additional, Some(AdditionalProperties::Any(false)));
        if let Some(field) = self.additional_field(parts.additional, at, name) {
            fields.push(field);
            fields = name_fields(fields);
        }
        StructType { fields, closed }
    }

    /// The map field of the keys an object does not declare, when it allows them.
    pub(super) fn additional_field(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        at: &Pointer,
        name: &str,
    ) -> Option<Field> {
        let values = match additional? {
            AdditionalProperties::Any(false) => return None,
            AdditionalProperties::Any(true) => TypeRef::Any,
            AdditionalProperties::Schema(_) => self.map_values(additional, at, name)?,
        };
        Some(additional_properties_field(values))
    }

    /// Fields of an object schema, named and deduplicated.
    pub(super) fn object_fields(
        &mut self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        at: &Pointer,
        parent: &str,
    ) -> Vec<Field> {
        let mut fields = Vec::new();
        for (wire, property) in properties {
            let pointer = at.push("properties").push(wire);
            let hint = format!("{parent}{}", camel_name(wire));
            let Some(shape) = self.lower_schema(property.into(), &pointer, &hint) else {
                continue;
            };
            let data = match property {
                ReferenceOr::Item(schema) => Some(&schema.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            // A field only the server writes (`readOnly`) is missing from what a
            // client sends, and one only the client writes (`writeOnly`) from
            // what the server answers: one type serves both, so neither is
            // required.
            let one_way = data.is_some_and(|d| d.read_only || d.write_only);
            let listed = required.contains(wire);
            fields.push(Field {
                wire: wire.clone(),
                rust: snake_ident(wire),
                ty: shape.ty,
                required: listed && !one_way,
                nullable: shape.nullable,
                doc: data.and_then(|d| d.description.clone()),
                deprecated: data.is_some_and(|d| d.deprecated),
                // Where it is there, it is there even as `null`: a `Nullable`
                // keeps `null` apart from the field left out.
                tri_state: listed && one_way && shape.nullable,
                boxed: false,
                typed_when: crate::ir::Gate::Always,
                role: FieldRole::Property,
                one_way,
            });
        }
        name_fields(fields)
    }
}

/// The parts of an object schema a struct is made of, however openapiv3 read it.
#[derive(Clone, Copy)]
pub(super) struct ObjectParts<'a> {
    pub properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
}

/// The map field of an object's undeclared keys, with values of type `values`.
pub(super) fn additional_properties_field(values: TypeRef) -> Field {
    Field {
        wire: String::new(),
        rust: snake_ident(crate::naming::ADDITIONAL_PROPERTIES),
        ty: TypeRef::Map(Box::new(values)),
        required: false,
        nullable: false,
        doc: None,
        deprecated: false,
        tri_state: false,
        boxed: false,
        typed_when: crate::ir::Gate::Always,
        role: FieldRole::Additional,
        one_way: false,
    }
}
