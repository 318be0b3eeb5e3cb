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
        let names = variant_names(variants);
        let mut lowered = Vec::new();
        let mut sources = Vec::new();
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
                typed_when: crate::ir::Gate::Always,
            });
            sources.push(variant);
        }
        if let Some(discriminator) = discriminator {
            return Some(self.discriminated(lowered, &sources, discriminator, schema_at));
        }
        if let Some((property, tags)) = self.implicit_tags(&sources) {
            return Some(self.tagged(lowered, property, tags));
        }
        let lowered = without_duplicates(lowered);
        match lowered.as_slice() {
            [only] if self.can_alias(&only.ty) => Some(TypeKind::Alias(only.ty.clone())),
            _ => Some(TypeKind::Union(lowered)),
        }
    }

    /// A union with a `discriminator`: tagged by it when every variant has a
    /// value of its own (by the `mapping`, its schema name, or the one value its
    /// schema allows), else untagged with a warning.
    fn discriminated(
        &mut self,
        lowered: Vec<UnionVariant>,
        sources: &[&'a ReferenceOr<Schema>],
        discriminator: &'a Discriminator,
        schema_at: &Pointer,
    ) -> TypeKind {
        let property = &discriminator.property_name;
        let constants: Vec<Option<String>> = sources
            .iter()
            .map(|variant| self.variant_constant(variant, property))
            .collect();
        match super::union_tags::tag_variants(sources, discriminator, &constants) {
            Some(tags) if tags.len() == lowered.len() => {
                self.tagged(lowered, property.clone(), tags)
            }
            _ => {
                let message = "a discriminator needs every variant to have a value of its \
                               own (a `$ref`, or a property with one allowed value); the \
                               variants are told apart by their shape instead";
                self.sink
                    .warning(Code::Unsupported, &schema_at.push("discriminator"), message);
                TypeKind::Union(lowered)
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
            if tags.len() > 1 && !self.carries_property(&variant.ty, &property) {
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

/// Each variant's name after what it holds, unique (`Other` is the tagged
/// unions' catch-all); an object is named after the property that sets it
/// apart from the others.
fn variant_names(variants: &[ReferenceOr<Schema>]) -> Vec<String> {
    let properties: Vec<BTreeSet<&str>> = variants.iter().map(property_names).collect();
    let mut taken = BTreeSet::from(["Other".to_owned()]);
    variants
        .iter()
        .enumerate()
        .map(|(index, variant)| {
            let others: BTreeSet<&str> = properties
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .flat_map(|(_, names)| names.iter().copied())
                .collect();
            let hint = variant_hint(variant.into(), &others);
            claim_unique(&mut taken, &union_variant_name(&hint), false)
        })
        .collect()
}

/// The property names an inline object variant declares.
fn property_names(variant: &ReferenceOr<Schema>) -> BTreeSet<&str> {
    let ReferenceOr::Item(schema) = variant else {
        return BTreeSet::new();
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            object.properties.keys().map(String::as_str).collect()
        }
        SchemaKind::Any(any) => any.properties.keys().map(String::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

/// What a variant holds, for its name; `others` are the properties the other
/// variants declare.
fn variant_hint<'s>(schema: SchemaRef<'s>, others: &BTreeSet<&str>) -> VariantHint<'s> {
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
                Some(items) => variant_hint(items.into(), &BTreeSet::new()),
                None => VariantHint::Any,
            };
            VariantHint::Array(Box::new(item))
        }
        SchemaKind::Type(Type::Object(object)) => {
            VariantHint::Object(setting_apart(object.properties.keys(), others))
        }
        SchemaKind::Any(any) if !any.properties.is_empty() => {
            VariantHint::Object(setting_apart(any.properties.keys(), others))
        }
        SchemaKind::Any(any) if any.enumeration == [serde_json::Value::Null] => VariantHint::Null,
        _ => VariantHint::Any,
    }
}

/// An object's only property, else the first one no other variant declares.
fn setting_apart<'s>(
    mut properties: impl ExactSizeIterator<Item = &'s String>,
    others: &BTreeSet<&str>,
) -> Option<&'s str> {
    if properties.len() == 1 {
        return properties.next().map(String::as_str);
    }
    properties
        .map(String::as_str)
        .find(|name| !others.contains(name))
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
    fn objects_are_named_after_the_property_that_sets_them_apart() {
        let variants = schemas(
            "[{type: object, properties: {type: {type: string}, lines: {type: integer}}},
              {type: object, properties: {type: {type: string}, tree: {type: string}}},
              {type: object, properties: {url: {type: string}}},
              {type: array, items: {type: number, format: float}},
              {type: string, format: byte},
              {$ref: '#/components/schemas/Chat'}]",
        );
        assert_eq!(
            variant_names(&variants),
            ["Lines", "Tree", "Url", "Floats", "Base64", "Chat"]
        );
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
