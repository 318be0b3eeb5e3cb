//! `oneOf` and `anyOf` into unions, for the `lower` phase.
//!
//! Without a discriminator a union is untagged: each variant is tried in order.
//! With one, and every variant a `$ref`, it is tagged: the discriminator property
//! picks the variant, by the `mapping` or else by the schema name, as OpenAPI says.

use std::collections::BTreeSet;

use openapiv3::{
    AnySchema, Discriminator, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::{TypeKind, UnionVariant};
use crate::naming::{camel_name, claim_unique};

impl<'a> Lowerer<'a> {
    /// A `oneOf`/`anyOf`: tagged by its discriminator when every variant is a
    /// reference, else tried in order.
    pub(super) fn union(
        &mut self,
        variants: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        (schema_at, keyword): (&Pointer, &str),
        name: &str,
    ) -> Option<TypeKind> {
        let at = &schema_at.push(keyword);
        let mut taken = BTreeSet::from(["Other".to_owned()]);
        let mut lowered = Vec::new();
        for (index, variant) in variants.iter().enumerate() {
            let pointer = at.push(index);
            let suggested = variant_name(variant, index);
            let rust = claim_unique(&mut taken, &suggested, false);
            let Some(shape) = self.lower_schema(variant.into(), &pointer, &format!("{name}{rust}"))
            else {
                continue;
            };
            let doc = match variant {
                ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            lowered.push(UnionVariant {
                rust,
                ty: shape.folded(),
                doc,
                boxed: false,
                tags: Vec::new(),
                typed_when: crate::ir::Gate::Always,
            });
        }
        let Some(discriminator) = discriminator else {
            return Some(TypeKind::Union(lowered));
        };
        let at = schema_at.push("discriminator");
        let constants: Vec<Option<String>> = variants
            .iter()
            .map(|variant| match variant {
                ReferenceOr::Reference { reference } => {
                    self.constant_property(reference, &discriminator.property_name, 8)
                }
                ReferenceOr::Item(_) => None,
            })
            .collect();
        match tag_variants(variants, discriminator, &constants) {
            Some(tags) if tags.len() == lowered.len() => {
                for (variant, tags) in lowered.iter_mut().zip(tags) {
                    variant.tags = tags;
                }
                name_after_tags(&mut lowered);
                Some(TypeKind::Tagged(
                    discriminator.property_name.clone(),
                    lowered,
                ))
            }
            _ => {
                let message = "a discriminator needs every variant to be a `$ref` with a \
                               value of its own; the variants are tried in order instead";
                self.sink.warning(Code::Unsupported, &at, message);
                Some(TypeKind::Union(lowered))
            }
        }
    }
}

impl<'a> Lowerer<'a> {
    /// The one value a component's `property` can take (`type: {enum: [track]}`),
    /// looking through `allOf` members; `depth` bounds reference chains.
    fn constant_property(&self, reference: &str, property: &str, depth: usize) -> Option<String> {
        let schema = self.component_schema(reference)?;
        self.constant_in(schema, property, depth)
    }

    fn constant_in(&self, schema: &'a Schema, property: &str, depth: usize) -> Option<String> {
        let depth = depth.checked_sub(1)?;
        let from = |item: &'a ReferenceOr<Box<Schema>>| match item {
            ReferenceOr::Item(schema) => Some(&**schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                single_string(from(object.properties.get(property)?)?)
            }
            SchemaKind::Any(any) if any.properties.contains_key(property) => {
                single_string(from(any.properties.get(property)?)?)
            }
            // `type: object` beside `allOf` reads as `Any` with the members inside.
            SchemaKind::AllOf { all_of } | SchemaKind::Any(AnySchema { all_of, .. }) => {
                all_of.iter().find_map(|member| match member {
                    ReferenceOr::Item(schema) => self.constant_in(schema, property, depth),
                    ReferenceOr::Reference { reference } => {
                        self.constant_property(reference, property, depth)
                    }
                })
            }
            _ => None,
        }
    }
}

/// The value of a string schema with a one-value `enum`.
fn single_string(schema: &Schema) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
            [Some(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The discriminator values of each variant, or `None` when a variant is inline or
/// is left without a value of its own. Each value selects one variant: the first
/// that claims it, and a mapping key is never also a schema name's implicit value.
/// Without a mapping entry, a variant answers to its schema name, as OpenAPI says,
/// and first to the one value its schema allows for the property (`constants`):
/// specs such as Spotify's rely on that (`type: track` in `TrackObject`).
fn tag_variants(
    variants: &[ReferenceOr<Schema>],
    discriminator: &Discriminator,
    constants: &[Option<String>],
) -> Option<Vec<Vec<String>>> {
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    let mut tags = Vec::new();
    for (variant, constant) in variants.iter().zip(constants) {
        let ReferenceOr::Reference { reference } = variant else {
            return None;
        };
        let schema_name = reference.rsplit('/').next().unwrap_or_default();
        // Mapping targets are references or bare schema names.
        let mut mapped: Vec<String> = discriminator
            .mapping
            .iter()
            .filter(|(_, target)| *target == reference || *target == schema_name)
            .map(|(value, _)| value.clone())
            .collect();
        if mapped.is_empty() {
            let implicit = constant.iter().map(String::as_str).chain([schema_name]);
            mapped.extend(
                implicit
                    .filter(|tag| !discriminator.mapping.contains_key(*tag))
                    .map(str::to_owned),
            );
        }
        mapped.retain(|tag| claimed.insert(tag.clone()));
        if mapped.is_empty() {
            return None;
        }
        tags.push(mapped);
    }
    Some(tags)
}

/// The name a union variant suggests: its reference, its title, or its JSON type.
/// Names each variant of a tagged union that one tag value selects after that
/// value (`chat.upserted` → `ChatUpserted`, `error` → `Error`): the value is what
/// the wire says, while the schema's name is often prefixed to keep it apart
/// from other components (`WsError`). A value that makes no name (`1`, `-`), or
/// several values for one variant, keep the schema's name.
fn name_after_tags(variants: &mut [UnionVariant]) {
    let mut taken = BTreeSet::from(["Other".to_owned()]);
    for variant in variants.iter_mut() {
        let by_tag = match variant.tags.as_slice() {
            [tag] => Some(camel_name(tag)).filter(|name| {
                name.starts_with(|c: char| c.is_ascii_alphabetic()) && name != "Other"
            }),
            _ => None,
        };
        let wanted = by_tag.unwrap_or_else(|| variant.rust.clone());
        variant.rust = claim_unique(&mut taken, &wanted, false);
    }
}

fn variant_name(variant: &ReferenceOr<Schema>, index: usize) -> String {
    let schema = match variant {
        ReferenceOr::Reference { reference } => {
            return camel_name(reference.rsplit('/').next().unwrap_or_default())
        }
        ReferenceOr::Item(schema) => schema,
    };
    if let Some(title) = &schema.schema_data.title {
        return camel_name(title);
    }
    let by_type = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match &s.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "DateTime",
            _ => "String",
        },
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => return format!("Variant{}", index + 1),
    };
    by_type.to_owned()
}
