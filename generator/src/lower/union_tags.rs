//! Tag values of tagged unions, for the `lower` phase: which values of the
//! tag property select each variant of a union, from its `discriminator` or,
//! without one, from a property every variant requires with a value of its own
//! (`type: {enum: [lines]}`, how serde's internally tagged enums read in a
//! schema); and the variant names that follow from them.

use std::collections::BTreeSet;

use openapiv3::{AnySchema, Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use crate::ir::UnionVariant;
use crate::load::openapi32::DEFAULT_MAPPING;
use crate::naming::{camel_name, claim_unique};

/// How deep `allOf` members and references are followed to find a property.
const DEPTH: usize = 8;

impl<'a> Lowerer<'a> {
    /// The property that tags a union without a discriminator, with each
    /// variant's value: one that every variant (an object) requires and allows
    /// one string value for, a different one each.
    pub(super) fn implicit_tags(
        &self,
        variants: &[&'a ReferenceOr<Schema>],
    ) -> Option<(String, Vec<Vec<String>>)> {
        if variants.len() < 2 {
            return None;
        }
        let schemas: Vec<&'a Schema> = variants
            .iter()
            .map(|v| self.variant_schema(v))
            .collect::<Option<_>>()?;
        let candidates = self.property_names_in(schemas[0], DEPTH);
        candidates.into_iter().find_map(|property| {
            let mut seen = BTreeSet::new();
            let tags = schemas
                .iter()
                .map(|schema| {
                    let value = self.constant_in(schema, &property, DEPTH)?;
                    let required = self.requires(schema, &property, DEPTH);
                    (required && seen.insert(value.clone())).then(|| vec![value])
                })
                .collect::<Option<Vec<_>>>()?;
            Some((property, tags))
        })
    }

    /// The one value a component's `property` can take (`type: {enum: [track]}`),
    /// looking through `allOf` members; `depth` bounds reference chains.
    fn constant_property(&self, reference: &str, property: &str, depth: usize) -> Option<String> {
        let schema = self.component_schema(reference)?;
        self.constant_in(schema, property, depth)
    }

    /// The one string value `schema` allows for `property`, if it allows one.
    pub(super) fn constant_in(
        &self,
        schema: &'a Schema,
        property: &str,
        depth: usize,
    ) -> Option<String> {
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

    /// Whether `schema` (or one of its `allOf` members) lists `property` in `required`.
    fn requires(&self, schema: &'a Schema, property: &str, depth: usize) -> bool {
        let Some(depth) = depth.checked_sub(1) else {
            return false;
        };
        let (required, members) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => (&object.required[..], &[][..]),
            SchemaKind::Any(any) => (&any.required[..], &any.all_of[..]),
            SchemaKind::AllOf { all_of } => (&[][..], &all_of[..]),
            _ => return false,
        };
        required.iter().any(|r| r == property)
            || members.iter().any(|member| {
                self.variant_schema(member)
                    .is_some_and(|schema| self.requires(schema, property, depth))
            })
    }

    /// The properties `schema` declares, its `allOf` members' included, in order.
    pub(super) fn property_names_in(&self, schema: &'a Schema, depth: usize) -> Vec<String> {
        let Some(depth) = depth.checked_sub(1) else {
            return Vec::new();
        };
        let (properties, members) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => (Some(&object.properties), &[][..]),
            SchemaKind::Any(any) => (Some(&any.properties), &any.all_of[..]),
            SchemaKind::AllOf { all_of } => (None, &all_of[..]),
            _ => return Vec::new(),
        };
        let mut names: Vec<String> = properties
            .into_iter()
            .flat_map(|p| p.keys().cloned())
            .collect();
        for member in members {
            if let Some(schema) = self.variant_schema(member) {
                for name in self.property_names_in(schema, depth) {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
        names
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

/// The discriminator values of each variant, or `None` when a variant other
/// than the `default` one is left without a value of its own. Each value
/// selects one variant: the first
/// that claims it, and a mapping key is never also a schema name's implicit value.
/// Without a mapping entry, a variant answers to its schema name, as OpenAPI says,
/// and first to the one value its schema allows for the property (`constants`):
/// specs such as Spotify's rely on that (`type: track` in `TrackObject`). An
/// inline variant has only the value its schema allows.
pub(super) fn tag_variants(
    variants: &[&ReferenceOr<Schema>],
    discriminator: &Discriminator,
    constants: &[Option<String>],
    default: Option<usize>,
) -> Option<Vec<Vec<String>>> {
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    let mut tags = Vec::new();
    for (index, (variant, constant)) in variants.iter().zip(constants).enumerate() {
        let mut mapped: Vec<String> = match variant {
            ReferenceOr::Reference { reference } => {
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
                mapped
            }
            ReferenceOr::Item(_) => constant.iter().cloned().collect(),
        };
        mapped.retain(|tag| claimed.insert(tag.clone()));
        // The default variant is chosen by the absence of a known value.
        if mapped.is_empty() && default != Some(index) {
            return None;
        }
        tags.push(mapped);
    }
    Some(tags)
}

/// Names each variant of a tagged union that one tag value selects after that
/// value (`chat.upserted` → `ChatUpserted`, `error` → `Error`): the value is what
/// the wire says, while the schema's name is often prefixed to keep it apart
/// from other components (`WsError`). A value that makes no name (`1`, `-`), or
/// several values for one variant, keep the schema's name.
/// The variant a discriminator's `defaultMapping` (OpenAPI 3.2, kept by `load`)
/// names, by reference or schema name as `mapping` values are; `Err` with the
/// name when no variant is that schema.
pub(super) fn default_variant(
    variants: &[&ReferenceOr<Schema>],
    discriminator: &Discriminator,
) -> Result<Option<usize>, String> {
    let Some(default) = discriminator.extensions.get(DEFAULT_MAPPING) else {
        return Ok(None);
    };
    let name = default.as_str().unwrap_or_default();
    let position = variants.iter().position(|variant| match variant {
        ReferenceOr::Reference { reference } => {
            reference == name || reference.rsplit('/').next() == Some(name)
        }
        ReferenceOr::Item(_) => false,
    });
    position.map(Some).ok_or_else(|| name.to_owned())
}

pub(super) fn name_after_tags(variants: &mut [UnionVariant]) {
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
