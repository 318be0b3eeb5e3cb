//! Request bodies, for the `lower` phase. The media type decides the encoding:
//! JSON, form-urlencoded, multipart (one part per property, binary properties as
//! file parts), text, or raw bytes for anything else. Struct bodies expose their
//! fields as builder arguments and setters, named so they never clash with parameters.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    MediaType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::FieldRole;
use crate::ir::Ident;
use crate::ir::{Body, BodyField, BodyMedia, Param, TypeKind, TypeRef};
use crate::naming::{
    builder_reserved, camel_name, claim_unique_ident, snake_ident, ADDITIONAL_PROPERTY_SETTER,
};

impl<'a> Lowerer<'a> {
    /// The body; `None` means skip the operation, `Some(None)` means no body.
    pub(super) fn lower_body(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &Pointer,
        prefix: &str,
        params: &[Param],
    ) -> Option<Option<Body>> {
        let Some(item) = &operation.request_body else {
            return Some(None);
        };
        let (request_body, pointer) = self.resolve_request_body(item, &at.push("requestBody"))?;
        let Some((media, media_type, content)) = pick_media(&request_body.content) else {
            return Some(None);
        };
        let at = pointer.push("content").push(media_type);
        let (ty, fields) = match media {
            BodyMedia::Json | BodyMedia::Form => {
                let ty = match &content.schema {
                    Some(schema) => {
                        let at = at.push("schema");
                        let ty = self
                            .lower_schema(schema.into(), &at, &format!("{prefix}Body"))?
                            .folded();
                        if media == BodyMedia::Json {
                            self.note_json_schema(&at, &ty);
                        }
                        ty
                    }
                    None => TypeRef::Any,
                };
                // Fields are filled in once tri-state fields are known (`lower::mark_tri_state`).
                (ty, Vec::new())
            }
            BodyMedia::Multipart => (
                TypeRef::Any,
                self.multipart_parts(content, &at, prefix, params)?,
            ),
            BodyMedia::Text => (TypeRef::String, Vec::new()),
            BodyMedia::Binary => (TypeRef::Bytes, Vec::new()),
        };
        let content_type = match media_type.as_str() {
            "*/*" | "application/*" if media == BodyMedia::Json => "application/json".to_owned(),
            "*/*" | "application/*" => "application/octet-stream".to_owned(),
            other => other.to_owned(),
        };
        Some(Some(Body {
            media,
            content_type,
            ty,
            required: request_body.required,
            fields,
        }))
    }

    /// The struct fields of a JSON or form body, named so they do not clash with parameters.
    pub(super) fn body_fields(&self, ty: &TypeRef, params: &[Param]) -> Vec<BodyField> {
        let TypeRef::Named(id) = ty else {
            return Vec::new();
        };
        let mut kind = self.types[id.0].kind.as_ref();
        if let Some(TypeKind::Alias(TypeRef::Named(target))) = kind {
            kind = self.types[target.0].kind.as_ref();
        }
        let Some(TypeKind::Struct(crate::ir::StructType { fields, .. })) = kind else {
            return Vec::new();
        };
        let mut taken = taken_names(params);
        let to_body_field = |field: &crate::ir::Field, taken: &mut BTreeSet<String>| BodyField {
            wire: field.wire.clone(),
            field: field.rust.clone(),
            // The map of undeclared keys is filled one entry at a time.
            setter: match field.role {
                FieldRole::Additional => {
                    claim_unique_ident(taken, snake_ident(ADDITIONAL_PROPERTY_SETTER))
                }
                FieldRole::Property | FieldRole::Composed => body_setter_name(taken, &field.rust),
            },
            role: field.role,
            clear: field.tri_state.then(|| {
                claim_unique_ident(taken, snake_ident(&format!("clear_{}", field.rust.text)))
            }),
            tri_state: field.tri_state,
            boxed: field.boxed,
            ty: field.ty.clone(),
            required: field.required,
            optional: field.is_optional(),
            doc: field.doc.clone(),
            deprecated: field.deprecated,
        };
        fields
            .iter()
            .map(|field| to_body_field(field, &mut taken))
            .collect()
    }

    /// The parts of a multipart body; `None` skips the operation.
    fn multipart_parts(
        &mut self,
        content: &'a MediaType,
        at: &Pointer,
        prefix: &str,
        params: &[Param],
    ) -> Option<Vec<BodyField>> {
        let at = at.push("schema");
        let schema = match &content.schema {
            Some(ReferenceOr::Item(schema)) => Some(schema),
            Some(ReferenceOr::Reference { reference }) => self.component_schema(reference),
            None => None,
        };
        let Some((properties, required)) = schema.and_then(object_properties) else {
            let message = "a multipart body must be an object whose properties are the parts; operation skipped";
            self.sink.warning(Code::Unsupported, &at, message);
            return None;
        };
        let mut taken = taken_names(params);
        let mut parts = Vec::new();
        for (wire, property) in properties {
            let ty = match file_kind(property) {
                Some(ty) => ty,
                None => {
                    let hint = format!("{prefix}{}", camel_name(wire));
                    self.lower_schema(property.into(), &at.push("properties").push(wire), &hint)?
                        .ty
                }
            };
            let doc = match property {
                ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            let name = claim_unique_ident(&mut taken, snake_ident(wire));
            let required = required.contains(wire);
            parts.push(BodyField {
                wire: wire.clone(),
                field: name.clone(),
                setter: name,
                ty,
                required,
                optional: !required,
                doc,
                deprecated: false,
                tri_state: false,
                clear: None,
                boxed: false,
                role: FieldRole::Property,
            });
        }
        Some(parts)
    }

    /// The schema of `#/components/schemas/<name>`, if it is one.
    pub(super) fn component_schema(&self, reference: &str) -> Option<&'a Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.spec.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }
}

/// JSON first, then form, multipart, text, and raw bytes for any other type.
fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(BodyMedia, &String, &MediaType)> {
    content
        .iter()
        .map(|(media_type, media)| {
            let kind = if is_wildcard_json(media_type, media) {
                BodyMedia::Json
            } else {
                classify(media_type)
            };
            (kind, media_type, media)
        })
        .min_by_key(|(kind, _, _)| *kind as u8)
}

/// A wildcard media type (`*/*`, `application/*`, as springdoc writes every
/// body) whose schema is structured data: it is JSON. A wildcard with a string
/// schema, or none, stays bytes.
pub(super) fn is_wildcard_json(media_type: &str, media: &MediaType) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    if !matches!(essence, "*/*" | "application/*") {
        return false;
    }
    match &media.schema {
        Some(ReferenceOr::Reference { .. }) => true,
        Some(ReferenceOr::Item(schema)) => !matches!(
            schema.schema_kind,
            SchemaKind::Type(Type::String(_)) | SchemaKind::Any(_)
        ),
        None => false,
    }
}

/// The encoding a media type asks for.
fn classify(media_type: &str) -> BodyMedia {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    match essence {
        _ if is_json(essence) => BodyMedia::Json,
        "application/x-www-form-urlencoded" => BodyMedia::Form,
        "multipart/form-data" => BodyMedia::Multipart,
        _ if essence.starts_with("text/") => BodyMedia::Text,
        _ => BodyMedia::Binary,
    }
}

/// The properties of an object schema, by wire name.
type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The properties and `required` list of an object schema.
fn object_properties(schema: &Schema) -> Option<(&Properties, &Vec<String>)> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some((&object.properties, &object.required)),
        SchemaKind::Any(any) if !any.properties.is_empty() => {
            Some((&any.properties, &any.required))
        }
        _ => None,
    }
}

/// `File` for a binary string, `Vec<File>` for an array of them, else `None`.
fn file_kind(property: &ReferenceOr<Box<Schema>>) -> Option<TypeRef> {
    let ReferenceOr::Item(schema) = property else {
        return None;
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s))
            if s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) =>
        {
            Some(TypeRef::File)
        }
        SchemaKind::Type(Type::Array(array)) => {
            let items = array.items.as_ref()?;
            let ReferenceOr::Item(item) = items else {
                return None;
            };
            let file = ReferenceOr::Item(item.clone());
            file_kind(&file).map(|ty| TypeRef::Array(Box::new(ty)))
        }
        _ => None,
    }
}

/// Names a body field or part may not take: builder methods and parameters.
fn taken_names(params: &[Param]) -> BTreeSet<String> {
    let mut taken = builder_reserved();
    taken.extend(params.iter().map(|p| p.rust.text.clone()));
    taken
}

/// The setter of a body field: its own name, or `body_<name>` when a parameter has it.
fn body_setter_name(taken: &mut BTreeSet<String>, field: &Ident) -> Ident {
    if taken.contains(&field.text) {
        claim_unique_ident(taken, snake_ident(&format!("body_{}", field.text)))
    } else {
        claim_unique_ident(taken, field.clone())
    }
}

/// `application/json` and every `+json` type.
pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}
