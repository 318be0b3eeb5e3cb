//! String and integer enums, for the `lower` phase: each value with its variant
//! name (from `x-enum-varnames`, the convention openapi-generator introduced,
//! else from the value) and its description (from `x-enum-descriptions`), the
//! catch-all `Other` kept free.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::{IntegerVariant, StringVariant, TypeKind};
use crate::naming::{camel_name, claim_unique, integer_variant_name};

impl Lowerer<'_> {
    pub(super) fn string_enum<'v>(
        &mut self,
        values: impl Iterator<Item = &'v String>,
        extensions: &IndexMap<String, serde_json::Value>,
        at: &Pointer,
    ) -> TypeKind {
        let named = self.name_variants(values, extensions, at, |wire| camel_name(wire));
        let variants = named.into_iter().map(|(wire, rust, doc)| StringVariant {
            wire: wire.clone(),
            rust,
            doc,
        });
        TypeKind::StringEnum(variants.collect())
    }

    pub(super) fn integer_enum(
        &mut self,
        values: impl Iterator<Item = i64>,
        extensions: &IndexMap<String, serde_json::Value>,
        at: &Pointer,
    ) -> TypeKind {
        let named =
            self.name_variants(values, extensions, at, |value| integer_variant_name(*value));
        TypeKind::IntegerEnum(
            named
                .into_iter()
                .map(|(value, rust, doc)| IntegerVariant { value, rust, doc })
                .collect(),
        )
    }

    /// Each enum value with its unique variant name (from `x-enum-varnames` where
    /// given, else from `fallback`; `Other` stays free for the catch-all variant)
    /// and its description (from `x-enum-descriptions`).
    fn name_variants<T>(
        &mut self,
        values: impl Iterator<Item = T>,
        extensions: &IndexMap<String, serde_json::Value>,
        at: &Pointer,
        fallback: impl Fn(&T) -> String,
    ) -> Vec<(T, String, Option<String>)> {
        let names = self.variant_names(extensions, at);
        let descriptions = variant_descriptions(extensions);
        let mut taken = BTreeSet::from(["Other".to_owned()]);
        values
            .enumerate()
            .map(|(index, value)| {
                let suggested = names
                    .get(index)
                    .cloned()
                    .unwrap_or_else(|| fallback(&value));
                let rust = claim_unique(&mut taken, &suggested, false);
                let doc = descriptions.get(index).cloned().flatten();
                (value, rust, doc)
            })
            .collect()
    }

    /// Names from `x-enum-varnames`, the convention openapi-generator introduced.
    fn variant_names(
        &mut self,
        extensions: &IndexMap<String, serde_json::Value>,
        at: &Pointer,
    ) -> Vec<String> {
        let Some(value) = extensions.get("x-enum-varnames") else {
            return Vec::new();
        };
        match value
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_str().map(camel_name)).collect())
        {
            Some(names) => names,
            None => {
                self.sink.warning(
                    Code::BadExtension,
                    &at.push("x-enum-varnames"),
                    "`x-enum-varnames` must be a list of strings; it is ignored",
                );
                Vec::new()
            }
        }
    }
}

/// Descriptions from `x-enum-descriptions`, by value index; `null` or a missing
/// entry is no description.
fn variant_descriptions(extensions: &IndexMap<String, serde_json::Value>) -> Vec<Option<String>> {
    extensions
        .get("x-enum-descriptions")
        .and_then(serde_json::Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|d| {
                    d.as_str()
                        .map(str::trim)
                        .filter(|d| !d.is_empty())
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default()
}
