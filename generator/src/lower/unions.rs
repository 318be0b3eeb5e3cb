//! `oneOf` and `anyOf` into unions, for the `lower` phase.
//!
//! What tells the variants apart decides the Rust type:
//! * strings that each allow a few values are one string enum;
//! * a `discriminator`, or a property every variant requires with a value of its
//!   own (`type: {enum: [lines]}`, the way serde and schemars write enums), makes
//!   a tagged union: the property picks the variant (`union_tags`);
//! * a union of one variant (after identical ones are dropped) is that variant;
//! * anything else is untagged: the generated decoder picks the variant the
//!   value fits best (`emit::unions`).
//!
//! Variants are named after what they hold (`naming::union_variant_name`).

use std::collections::BTreeSet;

use openapiv3::{
    Discriminator, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::schemas::SchemaRef;
use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::{StringVariant, TypeKind, TypeRef, UnionVariant};
use crate::naming::{claim_unique, union_variant_name, VariantHint};

impl<'a> Lowerer<'a> {
    /// A `oneOf`/`anyOf`: a string enum, a tagged union, the one variant it
    /// has, or an untagged union.
    pub(super) fn union(
        &mut self,
        variants: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        (schema_at, keyword): (&Pointer, &str),
        name: &str,
    ) -> Option<TypeKind> {
        let at = &schema_at.push(keyword);
        if discriminator.is_none() {
            if let Some(values) = enum_values(variants) {
                return Some(self.merged_string_enum(&values, at));
            }
        }
        // The tags are read from the schemas first, so that inline variants,
        // and the types made for them, are named after their tag.
        let default = self.default_variant(variants, discriminator, schema_at);
        let tagging = self.tagging(variants, discriminator, schema_at, default);
        let mut names = self.union_variant_names(variants);
        if let Some((_, tags)) = &tagging {
            name_inline_after_tags(variants, tags, &mut names);
        }
        let mut lowered = Vec::new();
        let mut kept_tags = Vec::new();
        for (index, (variant, rust)) in variants.iter().zip(names).enumerate() {
            let pointer = at.push(index);
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
                default: tagging.is_some() && default == Some(index),
                typed_when: crate::ir::Gate::Always,
            });
            if let Some((_, tags)) = &tagging {
                kept_tags.push(tags[index].clone());
            }
        }
        if let Some((property, _)) = tagging {
            return Some(self.tagged(lowered, property, kept_tags));
        }
        let lowered = without_duplicates(lowered);
        match lowered.as_slice() {
            [only] if discriminator.is_none() && self.can_alias(&only.ty) => {
                Some(TypeKind::Alias(only.ty.clone()))
            }
            _ => Some(TypeKind::Union(lowered)),
        }
    }

    /// The tag property and each variant's values: from the `discriminator`
    /// when every variant has a value of its own (by the `mapping`, its schema
    /// name, or the one value its schema allows; else a warning, and the
    /// variants are told apart by shape), or, without one, from a property
    /// every variant requires with a value of its own.
    fn tagging(
        &mut self,
        variants: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        schema_at: &Pointer,
        default: Option<usize>,
    ) -> Option<(String, Vec<Vec<String>>)> {
        let Some(discriminator) = discriminator else {
            let sources: Vec<&ReferenceOr<Schema>> = variants.iter().collect();
            return self.implicit_tags(&sources);
        };
        let property = &discriminator.property_name;
        let sources: Vec<&ReferenceOr<Schema>> = variants.iter().collect();
        let constants: Vec<Option<String>> = variants
            .iter()
            .map(|variant| self.variant_constant(variant, property))
            .collect();
        match super::union_tags::tag_variants(&sources, discriminator, &constants, default) {
            Some(tags) => Some((property.clone(), tags)),
            None => {
                let message = "a discriminator needs every variant to have a value of its \
                               own (a `$ref`, or a property with one allowed value); the \
                               variants are told apart by their shape instead";
                self.sink
                    .warning(Code::Unsupported, &schema_at.push("discriminator"), message);
                None
            }
        }
    }

    /// The variant the discriminator's `defaultMapping` names, if any; a warning
    /// when it names none of the union's.
    fn default_variant(
        &mut self,
        variants: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        schema_at: &Pointer,
    ) -> Option<usize> {
        let sources: Vec<&ReferenceOr<Schema>> = variants.iter().collect();
        match super::union_tags::default_variant(&sources, discriminator?) {
            Ok(found) => found,
            Err(name) => {
                let message = format!("`defaultMapping: {name}` names no variant of the union; values without a known tag are kept as they came");
                self.sink.warning_with_hint(
                    Code::Shape,
                    &schema_at.push("discriminator").push("defaultMapping"),
                    message,
                    "name one of the `oneOf`/`anyOf` schemas",
                );
                None
            }
        }
    }

    /// The tagged union of `lowered` with the tag values of each; a variant
    /// several values select whose type does not carry the property becomes one
    /// variant per value, so the value it came with is the one it is sent with.
    fn tagged(
        &self,
        lowered: Vec<UnionVariant>,
        property: String,
        tags: Vec<Vec<String>>,
    ) -> TypeKind {
        let mut variants = Vec::new();
        for (variant, tags) in lowered.into_iter().zip(tags) {
            // The default variant is written back without a tag: it stays one.
            let split = tags.len() > 1 && !variant.default;
            if split && !self.carries_property(&variant.ty, &property) {
                for tag in tags {
                    variants.push(UnionVariant {
                        tags: vec![tag],
                        ..variant.clone()
                    });
                }
            } else {
                variants.push(UnionVariant { tags, ..variant });
            }
        }
        super::union_tags::name_after_tags(&mut variants);
        TypeKind::Tagged(property, variants)
    }

    /// The one string value a variant's schema allows for `property`.
    pub(super) fn variant_constant(
        &self,
        variant: &'a ReferenceOr<Schema>,
        property: &str,
    ) -> Option<String> {
        let schema = self.variant_schema(variant)?;
        self.constant_in(schema, property, 8)
    }

    /// The schema of a variant, through a `$ref` to a component.
    pub(super) fn variant_schema(&self, variant: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match variant {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    /// Whether values of `ty` hold `property` themselves: a struct with that
    /// field (through aliases and composed members).
    fn carries_property(&self, ty: &TypeRef, property: &str) -> bool {
        let mut pending = vec![ty.clone()];
        let mut fuel = 64;
        while let Some(ty) = pending.pop() {
            fuel -= 1;
            let TypeRef::Named(id) = ty else { continue };
            match &self.types[id.0].kind {
                Some(TypeKind::Alias(target)) if fuel > 0 => pending.push(target.clone()),
                Some(TypeKind::Struct(s)) => {
                    for field in &s.fields {
                        match field.role {
                            crate::ir::FieldRole::Property if field.wire == property => {
                                return true
                            }
                            crate::ir::FieldRole::Composed if fuel > 0 => {
                                pending.push(field.ty.clone())
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Whether a component may be an alias of `ty`: not of a type still being
    /// lowered (itself, or one that leads back to it), which would be
    /// `type A = A;`.
    fn can_alias(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => self.types[id.0].kind.is_some(),
            TypeRef::Nullable(inner) => self.can_alias(inner),
            _ => true,
        }
    }

    /// Each variant's name after what it holds, unique (`Other` is the tagged
    /// unions' catch-all); an object (an `allOf` too) is named after the
    /// property that sets it apart from the others.
    fn union_variant_names(&self, variants: &'a [ReferenceOr<Schema>]) -> Vec<String> {
        let properties: Vec<Vec<String>> = variants
            .iter()
            .map(|variant| match variant {
                ReferenceOr::Item(schema) => self.property_names_in(schema, 8),
                ReferenceOr::Reference { .. } => Vec::new(),
            })
            .collect();
        let mut taken = BTreeSet::from(["Other".to_owned()]);
        variants
            .iter()
            .enumerate()
            .map(|(index, variant)| {
                let others: BTreeSet<&str> = properties
                    .iter()
                    .enumerate()
                    .filter(|(other, _)| *other != index)
                    .flat_map(|(_, names)| names.iter().map(String::as_str))
                    .collect();
                let hint = variant_hint(variant.into(), &properties[index], &others);
                claim_unique(&mut taken, &union_variant_name(&hint), false)
            })
            .collect()
    }

    /// One string enum of every variant's values, each value documented by its
    /// variant's description when the variant allows only it.
    fn merged_string_enum(
        &mut self,
        values: &[(String, Option<String>)],
        at: &Pointer,
    ) -> TypeKind {
        let kind = self.string_enum(
            values.iter().map(|(value, _)| value),
            &Default::default(),
            at,
        );
        let TypeKind::StringEnum(variants) = kind else {
            return kind;
        };
        let documented =
            variants
                .into_iter()
                .zip(values)
                .map(|(variant, (_, doc))| StringVariant {
                    doc: doc.clone(),
                    ..variant
                });
        TypeKind::StringEnum(documented.collect())
    }
}

/// Names each inline variant that one tag selects after that tag (the types
/// made for inline variants take their names from these), unless the tag makes
/// no name; collisions get the hint's name back.
fn name_inline_after_tags(
    variants: &[ReferenceOr<Schema>],
    tags: &[Vec<String>],
    names: &mut [String],
) {
    let mut taken: BTreeSet<String> = BTreeSet::from(["Other".to_owned()]);
    for ((variant, tags), name) in variants.iter().zip(tags).zip(names.iter_mut()) {
        let by_tag = match (variant, tags.as_slice()) {
            (ReferenceOr::Item(_), [tag]) => {
                Some(union_variant_name(&VariantHint::StringValue(tag)))
                    .filter(|n| n != "String" && !taken.contains(n))
            }
            _ => None,
        };
        *name = claim_unique(&mut taken, by_tag.as_deref().unwrap_or(name), false);
    }
}

/// The values of a union of strings that each allow a few values (`oneOf:
/// [{enum: [infra]}, {enum: [pool]}]`), plain strings among them (which the
/// enum's catch-all holds), with the description of each one-value variant; or
/// `None` when a variant is anything else.
fn enum_values(variants: &[ReferenceOr<Schema>]) -> Option<Vec<(String, Option<String>)>> {
    let mut values: Vec<(String, Option<String>)> = Vec::new();
    let mut any_enum = false;
    for variant in variants {
        let ReferenceOr::Item(schema) = variant else {
            return None;
        };
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
            return None;
        };
        if schema.schema_data.nullable || string.enumeration.iter().any(Option::is_none) {
            return None;
        }
        let own: Vec<&String> = string.enumeration.iter().flatten().collect();
        any_enum |= !own.is_empty();
        let doc = match own.as_slice() {
            [_] => schema.schema_data.description.clone(),
            _ => None,
        };
        for value in own {
            if !values.iter().any(|(known, _)| known == value) {
                values.push((value.clone(), doc.clone()));
            }
        }
    }
    any_enum.then_some(values)
}

/// The variants without those whose type an earlier one has already: they
/// decode the same values, so the later ones could never be chosen.
fn without_duplicates(variants: Vec<UnionVariant>) -> Vec<UnionVariant> {
    let mut kept: Vec<UnionVariant> = Vec::with_capacity(variants.len());
    for variant in variants {
        if !kept.iter().any(|k| k.ty == variant.ty) {
            kept.push(variant);
        }
    }
    kept
}

/// What a variant holds, for its name; `own` are the properties it declares
/// (its `allOf` members' included), `others` those the other variants declare.
fn variant_hint<'s>(
    schema: SchemaRef<'s>,
    own: &'s [String],
    others: &BTreeSet<&str>,
) -> VariantHint<'s> {
    let schema = match schema {
        SchemaRef::Ref(reference) => {
            return VariantHint::Reference(reference.rsplit('/').next().unwrap_or_default())
        }
        SchemaRef::Inline(schema) => schema,
    };
    if let Some(title) = &schema.schema_data.title {
        return VariantHint::Title(title);
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
            [Some(value)] => VariantHint::StringValue(value),
            _ => VariantHint::String(string_format(&s.format)),
        },
        SchemaKind::Type(Type::Integer(_)) => VariantHint::Integer,
        SchemaKind::Type(Type::Number(n)) => VariantHint::Number(match &n.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Some("float"),
            VariantOrUnknownOrEmpty::Item(NumberFormat::Double) => Some("double"),
            VariantOrUnknownOrEmpty::Unknown(format) => Some(format),
            VariantOrUnknownOrEmpty::Empty => None,
        }),
        SchemaKind::Type(Type::Boolean(_)) => VariantHint::Boolean,
        SchemaKind::Type(Type::Array(array)) => {
            let item = match &array.items {
                Some(items) => variant_hint(items.into(), &[], &BTreeSet::new()),
                None => VariantHint::Any,
            };
            VariantHint::Array(Box::new(item))
        }
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => {
            VariantHint::Object(setting_apart(own, others))
        }
        SchemaKind::Any(_) if !own.is_empty() => VariantHint::Object(setting_apart(own, others)),
        SchemaKind::Any(any) if any.enumeration == [serde_json::Value::Null] => VariantHint::Null,
        _ => VariantHint::Any,
    }
}

/// An object's only property, else the first one no other variant declares.
fn setting_apart<'s>(properties: &'s [String], others: &BTreeSet<&str>) -> Option<&'s str> {
    match properties {
        [only] => Some(only),
        _ => properties
            .iter()
            .map(String::as_str)
            .find(|name| !others.contains(name)),
    }
}

/// A string schema's `format`, as written.
fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas(yaml: &str) -> Vec<ReferenceOr<Schema>> {
        let value = crate::load::parse::parse(yaml)
            .expect("the test's YAML parses")
            .value;
        serde_json::from_value(value).expect("the test's schemas read")
    }

    #[test]
    fn strings_of_a_few_values_are_one_enum_with_their_descriptions() {
        let variants = schemas(
            "[{type: string, enum: [infra], description: For the rack.},
              {type: string, enum: [pool, infra]},
              {type: string}]",
        );
        assert_eq!(
            enum_values(&variants),
            Some(vec![
                ("infra".to_owned(), Some("For the rack.".to_owned())),
                ("pool".to_owned(), None),
            ])
        );
        assert_eq!(
            enum_values(&schemas("[{type: string}, {type: string}]")),
            None
        );
        assert_eq!(
            enum_values(&schemas("[{type: string, enum: [a]}, {type: integer}]")),
            None
        );
    }
}
