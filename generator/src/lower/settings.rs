//! The user's [`Settings`] applied while lowering: which operations are kept,
//! which schemas they leave reachable, renamed operations and groups, schemas
//! replaced by existing Rust types, and extra derives.
//!
//! A setting that names something the spec does not have (a tag no operation
//! carries, a schema that does not exist) is a warning at the setting's origin
//! with the nearest names the spec does have, since specs change under a config
//! that stays; what the values are on their own is checked before lowering
//! (`Settings::check`).

use std::collections::BTreeSet;

use openapiv3::OpenAPI;

use super::spec_operations::SpecOperation;
use super::Lowerer;
use crate::diagnostics::{Severity, Sink};
use crate::ir::{Ident, TypeDef, TypeKind};
use crate::naming::snake_ident;
use crate::settings::{dotted_names, glob_matches, Origin, Setting, Settings};

/// Which settings matched something, so the rest can be warned about.
#[derive(Debug, Default)]
pub(super) struct Matched {
    include_tags: BTreeSet<usize>,
    exclude_tags: BTreeSet<usize>,
    include_paths: BTreeSet<usize>,
    operation_renames: BTreeSet<usize>,
    group_renames: BTreeSet<usize>,
}

impl Lowerer<'_> {
    /// Whether the tag and path filters keep the operation at `path`.
    /// Records which filters match it, for [`Self::warn_unmatched_settings`].
    pub(super) fn keeps_operation(&mut self, path: &str, operation: &openapiv3::Operation) -> bool {
        let settings = self.settings;
        let has_tag = |tag: &String| operation.tags.contains(tag);
        let matched = &mut self.matched;
        matched
            .include_tags
            .extend(positions(&settings.include_tags, |t| has_tag(&t.value)));
        matched
            .exclude_tags
            .extend(positions(&settings.exclude_tags, |t| has_tag(&t.value)));
        matched
            .include_paths
            .extend(positions(&settings.include_paths, |g| {
                glob_matches(&g.value, path)
            }));
        kept_by(settings, path, operation)
    }

    /// The group path and method name a rename gives the operation `id` (its
    /// operationId, or `method path` when it has none).
    pub(super) fn renamed_operation(
        &mut self,
        id: &str,
        method: &str,
        path: &str,
    ) -> Option<(Vec<Ident>, Ident)> {
        let route = format!("{} {path}", method.to_uppercase());
        let index = self
            .settings
            .operation_renames
            .iter()
            .rposition(|r| r.from == id || r.from.eq_ignore_ascii_case(&route))?;
        self.matched.operation_renames.insert(index);
        let mut parts = dotted_names(&self.settings.operation_renames[index].to.value)?;
        let method = snake_ident(parts.pop()?);
        Some((parts.into_iter().map(snake_ident).collect(), method))
    }

    /// `group` with the longest renamed prefix replaced by its new path.
    pub(super) fn renamed_group(&mut self, group: Vec<Ident>) -> Vec<Ident> {
        let texts: Vec<&str> = group.iter().map(|i| i.text.as_str()).collect();
        let best = self
            .settings
            .group_renames
            .iter()
            .enumerate()
            .filter_map(|(index, rename)| {
                let from: Vec<&str> = rename.from.split('.').collect();
                texts.starts_with(&from).then_some((from.len(), index))
            })
            .max();
        let Some((length, index)) = best else {
            return group;
        };
        self.matched.group_renames.insert(index);
        let Some(to) = dotted_names(&self.settings.group_renames[index].to.value) else {
            return group;
        };
        to.into_iter()
            .map(snake_ident)
            .chain(group.into_iter().skip(length))
            .collect()
    }

    /// The Rust path that replaces the component schema `name`, if any.
    pub(super) fn replacement_of(&self, name: &str) -> Option<String> {
        self.settings
            .replacements
            .iter()
            .rfind(|r| r.schema == name)
            .map(|r| absolute_path(&r.path.value))
    }

    /// Warns about every filter and rename that matched nothing, and every
    /// replacement whose schema does not exist.
    pub(super) fn warn_unmatched_settings(&mut self) {
        let spec = self.spec;
        let settings = self.settings;
        let tags = known_tags(spec, self.operations);
        let schemas: Vec<String> = spec
            .components
            .iter()
            .flat_map(|c| c.schemas.keys().cloned())
            .collect();
        let sink = &mut *self.sink;
        let matched = &self.matched;
        let paths: Vec<String> = spec.paths.paths.keys().cloned().collect();
        for (values, matched, kind, known) in [
            (&settings.include_tags, &matched.include_tags, "tag", &tags),
            (&settings.exclude_tags, &matched.exclude_tags, "tag", &tags),
            (
                &settings.include_paths,
                &matched.include_paths,
                "path",
                &paths,
            ),
        ] {
            for value in unmatched_values(values, matched) {
                unmatched(sink, &value.origin, kind, &value.value, known);
            }
        }
        let ids: Vec<String> = self
            .operations
            .iter()
            .filter_map(|o| o.operation.operation_id.clone())
            .collect();
        for (index, rename) in settings.operation_renames.iter().enumerate() {
            if !matched.operation_renames.contains(&index) {
                unmatched(sink, &rename.to.origin, "operation", &rename.from, &ids);
            }
        }
        for (index, rename) in settings.group_renames.iter().enumerate() {
            if !matched.group_renames.contains(&index) {
                unmatched(sink, &rename.to.origin, "resource group", &rename.from, &[]);
            }
        }
        for replacement in &settings.replacements {
            if !schemas.contains(&replacement.schema) {
                let origin = &replacement.path.origin;
                unmatched(sink, origin, "schema", &replacement.schema, &schemas);
            }
        }
    }
}

/// The values whose positions are not in `matched`.
fn unmatched_values<'s>(
    values: &'s [Setting<String>],
    matched: &'s BTreeSet<usize>,
) -> impl Iterator<Item = &'s Setting<String>> {
    values
        .iter()
        .enumerate()
        .filter(|(index, _)| !matched.contains(index))
        .map(|(_, value)| value)
}

/// The positions of the items that `matches`.
fn positions<T>(items: &[T], matches: impl Fn(&T) -> bool) -> Vec<usize> {
    (0..items.len()).filter(|&i| matches(&items[i])).collect()
}

/// `path` with a leading `::` when it names another crate (`uuid::Uuid`), so a
/// module of the generated crate with that name cannot capture it.
fn absolute_path(path: &str) -> String {
    let relative = ["crate::", "self::", "super::", "::"];
    if path.contains("::") && !relative.iter().any(|p| path.starts_with(p)) {
        format!("::{path}")
    } else {
        path.to_owned()
    }
}

/// The path a derive is written with: the standard ones by their full path,
/// so a schema named like one of them cannot capture it.
fn derive_path(derive: &str) -> String {
    let standard = [
        ("Copy", "::std::marker::Copy"),
        ("Default", "::std::default::Default"),
        ("Eq", "::std::cmp::Eq"),
        ("Hash", "::std::hash::Hash"),
        ("Ord", "::std::cmp::Ord"),
        ("PartialOrd", "::std::cmp::PartialOrd"),
    ];
    match standard.iter().find(|(name, _)| *name == derive) {
        Some((_, path)) => (*path).to_owned(),
        None => absolute_path(derive),
    }
}

/// Every tag that an operation carries or the top level declares, sorted.
fn known_tags(spec: &OpenAPI, operations: &[SpecOperation<'_>]) -> Vec<String> {
    let mut tags: BTreeSet<String> = spec.tags.iter().map(|t| t.name.clone()).collect();
    for found in operations {
        tags.extend(found.operation.tags.iter().cloned());
    }
    tags.into_iter().collect()
}

/// Warns at `origin` that `what` named `name`, which the spec does not have;
/// the hint lists the nearest of `known`.
fn unmatched(sink: &mut Sink, origin: &Origin, what: &str, name: &str, known: &[String]) {
    let near = nearest(name, known);
    let hint = match near.as_slice() {
        [] if known.is_empty() => format!("check the {what}'s name"),
        [] => format!("the spec has {} {what}s; check the name", known.len()),
        _ => format!("did you mean {}?", near.join(", ")),
    };
    sink.push_diagnostic(origin.diagnostic(
        Severity::Warning,
        format!("no {what} matches `{name}`; this setting does nothing"),
        hint,
    ));
}

/// Up to three of `known` that differ from `name` by case or a few edits.
fn nearest(name: &str, known: &[String]) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(usize, &String)> = known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= (name.chars().count() / 3).max(1))
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, k)| format!("`{k}`"))
        .collect()
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

/// The component schemas the kept operations reach (through `$ref`s, mappings
/// and the events extension), or `None` when no filter is set and every schema
/// is kept. Replaced schemas are reached but not walked into.
pub(super) fn reached_schemas(
    spec: &OpenAPI,
    operations: &[SpecOperation<'_>],
    settings: &Settings,
) -> Option<BTreeSet<String>> {
    if !settings.filters_operations() {
        return None;
    }
    let mut pending: Vec<serde_json::Value> = Vec::new();
    for found in operations {
        if kept_by(settings, found.path, found.operation) {
            pending.push(serde_json::to_value(found.operation).unwrap_or_default());
            pending.push(serde_json::to_value(&found.item.parameters).unwrap_or_default());
        }
    }
    if let Some(events) = spec.extensions.get(super::events::EXTENSION) {
        pending.push(events.clone());
    }
    let schemas = spec.components.as_ref().map(|c| &c.schemas);
    let mut reached = BTreeSet::new();
    let mut seen_other = BTreeSet::new();
    while let Some(value) = pending.pop() {
        for reference in component_refs(&value) {
            let Some((kind, name)) = reference.split_once('/') else {
                continue;
            };
            if kind == "schemas" {
                if !reached.insert(name.to_owned()) {
                    continue;
                }
                let replaced = settings.replacements.iter().any(|r| r.schema == name);
                if let Some(schema) = schemas.and_then(|s| s.get(name)).filter(|_| !replaced) {
                    pending.push(serde_json::to_value(schema).unwrap_or_default());
                }
            } else if seen_other.insert(reference.clone()) {
                // Parameters, bodies and responses given by reference.
                if let Some(target) = component_value(spec, kind, name) {
                    pending.push(target);
                }
            }
        }
    }
    Some(reached)
}

/// The same decision as [`Lowerer::keeps_operation`], without recording matches.
fn kept_by(settings: &Settings, path: &str, operation: &openapiv3::Operation) -> bool {
    let has_tag = |tag: &String| operation.tags.contains(tag);
    (settings.include_tags.is_empty() || settings.include_tags.iter().any(|t| has_tag(&t.value)))
        && !settings.exclude_tags.iter().any(|t| has_tag(&t.value))
        && (settings.include_paths.is_empty()
            || settings
                .include_paths
                .iter()
                .any(|g| glob_matches(&g.value, path)))
}

/// Every `#/components/...` reference in `value`, as `kind/name` (unescaped).
fn component_refs(value: &serde_json::Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(text) => {
                if let Some(rest) = text.strip_prefix("#/components/") {
                    if let Some((kind, name)) = rest.split_once('/') {
                        // `#/components/schemas/A/properties/b` is inside `A`.
                        let name = name.split('/').next().unwrap_or_default();
                        let name = name.replace("~1", "/").replace("~0", "~");
                        found.push(format!("{kind}/{name}"));
                    }
                }
            }
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    found
}

/// A component other than a schema, as JSON.
fn component_value(spec: &OpenAPI, kind: &str, name: &str) -> Option<serde_json::Value> {
    let components = spec.components.as_ref()?;
    let value = match kind {
        "parameters" => serde_json::to_value(components.parameters.get(name)?),
        "requestBodies" => serde_json::to_value(components.request_bodies.get(name)?),
        "responses" => serde_json::to_value(components.responses.get(name)?),
        "headers" => serde_json::to_value(components.headers.get(name)?),
        _ => return None,
    };
    value.ok()
}

/// Gives each type the extra derives the settings name for it (or for all),
/// and warns about each named target no type has.
pub(super) fn attach_derives(types: &mut [TypeDef], settings: &Settings, sink: &mut Sink) {
    for entry in &settings.derives {
        let mut found = false;
        for def in types.iter_mut() {
            if matches!(def.kind, TypeKind::Alias(_)) {
                continue;
            }
            let wanted = match &entry.target {
                None => true,
                Some(target) => def.name == *target || is_component(&def.pointer, target),
            };
            if !wanted {
                continue;
            }
            found = true;
            let own = kind_derives(&def.kind);
            for derive in &entry.derives {
                let last = derive.value.rsplit("::").next().unwrap_or(&derive.value);
                let path = derive_path(&derive.value);
                if !own.contains(&last) && !def.derives.contains(&path) {
                    def.derives.push(path);
                }
            }
        }
        if let (false, Some(target)) = (found, &entry.target) {
            let known: Vec<String> = types.iter().map(|t| t.name.clone()).collect();
            unmatched(sink, &entry.origin, "type", target, &known);
        }
    }
}

/// The derives the emitted code gives a kind of type already, beside the
/// ones every type has (a string enum is `Hash` already).
fn kind_derives(kind: &TypeKind) -> &'static [&'static str] {
    match kind {
        TypeKind::Struct(s) if s.fields.iter().all(|f| f.is_optional()) => &["Default"],
        TypeKind::StringEnum(_) => &["Eq", "Hash", "PartialOrd", "Ord"],
        TypeKind::IntegerEnum(_) => &["Copy", "Eq", "Hash", "PartialOrd", "Ord"],
        _ => &[],
    }
}

/// Whether `pointer` is the component schema `name`.
fn is_component(pointer: &str, name: &str) -> bool {
    let escaped = name.replace('~', "~0").replace('/', "~1");
    pointer == format!("#/components/schemas/{escaped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_crates_paths_become_absolute() {
        for (path, expected) in [
            ("uuid::Uuid", "::uuid::Uuid"),
            ("::uuid::Uuid", "::uuid::Uuid"),
            ("crate::money::Amount", "crate::money::Amount"),
            ("Hash", "Hash"),
            ("schemars::JsonSchema", "::schemars::JsonSchema"),
        ] {
            assert_eq!(absolute_path(path), expected);
        }
    }

    #[test]
    fn nearest_names_are_suggested() {
        let known = [
            "chats".to_owned(),
            "messages".to_owned(),
            "accounts".to_owned(),
        ];
        assert_eq!(nearest("Chats", &known), ["`chats`"]);
        assert_eq!(nearest("mesages", &known), ["`messages`"]);
        assert!(nearest("zzz", &known).is_empty());
    }
}
