//! Second phase: the `openapiv3` document into our IR ([`crate::ir::Api`]).
//!
//! Order matters and is fixed: every component schema is registered under its
//! name first (so `$ref`s and recursion resolve), then each is lowered, then the
//! operations (which may add inline types), then names are made final and unique,
//! and everything is sorted. Problems go to the [`Sink`] and lowering goes on, so
//! one run reports all of them.

mod all_of;
mod bodies;
mod enums;
mod error_fields;
mod events;
mod examples;
mod features;
mod names;
mod objects;
mod operations;
mod order;
mod pagination;
mod paths;
mod recursion;
mod refs;
mod responses;
mod schemas;
mod security;
mod service;
mod settings;
mod sizes;
mod spec_operations;
mod streams;
mod tag_groups;
mod union_tags;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use crate::diagnostics::{Pointer, Sink};
use crate::ir::{self, Api, TypeDef, TypeId, TypeKind, TypeRef};
use crate::settings::Settings;

/// A type whose name is still a suggestion.
#[derive(Debug, Clone)]
struct PendingType {
    /// The name it would like; `names::finalize` makes it unique.
    suggested: String,
    /// Whether the name comes from a component key (those win collisions).
    from_component: bool,
    doc: Option<String>,
    pointer: Pointer,
    /// `None` while a component is registered but not lowered yet.
    kind: Option<TypeKind>,
}

/// State shared by the lowering functions.
struct Lowerer<'a> {
    spec: &'a OpenAPI,
    /// The spec's file name without extension, for the crate name when the title
    /// gives none.
    file_stem: Option<&'a str>,
    sink: &'a mut Sink,
    types: Vec<PendingType>,
    /// Component schema name to its type and whether the schema is nullable.
    components: BTreeMap<String, (TypeId, bool)>,
    /// Path keys that carry a fragment, and where: warned about once, since
    /// specs that do it (AWS's) do it for every path.
    fragments: Vec<(Pointer, String)>,
    /// How many levels of `allOf` each merged struct copies fields from, by the
    /// struct's pointer (see `all_of.rs`).
    merge_depths: BTreeMap<Pointer, usize>,
    /// What the user set beside the spec.
    settings: &'a Settings,
    /// Which settings matched something (the rest are warned about).
    matched: settings::Matched,
    /// The component schemas the kept operations reach, when operations are
    /// filtered; the others are not lowered.
    reached: Option<BTreeSet<String>>,
    /// The JSON body and response schemas of the operation being lowered, for
    /// its [`ir::Operation::json_schemas`].
    json_schemas: Vec<ir::SchemaUse>,
    /// The security schemes, lowered before the operations that name them.
    schemes: security::Schemes,
    /// Every operation of the spec, 3.2's `query` and `additionalOperations` included.
    operations: &'a [spec_operations::SpecOperation<'a>],
    /// The groups the declared tags make (read before the operations).
    tag_groups: tag_groups::TagGroups,
}

/// Lowers a loaded spec, or returns `None` when errors were recorded.
pub fn lower<'a>(
    spec: &'a OpenAPI,
    file_stem: Option<&'a str>,
    settings: &'a Settings,
    sink: &mut Sink,
) -> Option<Api> {
    let extras = spec_operations::read_extras(spec);
    let all_operations = spec_operations::spec_operations(spec, &extras);
    let mut lowerer = Lowerer {
        spec,
        file_stem,
        sink,
        types: Vec::new(),
        components: BTreeMap::new(),
        fragments: Vec::new(),
        merge_depths: BTreeMap::new(),
        settings,
        matched: settings::Matched::default(),
        reached: settings::reached_schemas(spec, &all_operations, settings),
        json_schemas: Vec::new(),
        schemes: security::Schemes::default(),
        operations: &all_operations,
        tag_groups: tag_groups::TagGroups::default(),
    };
    lowerer.tag_groups = lowerer.read_tag_groups();
    lowerer.lower_security_schemes();
    lowerer.register_components();
    lowerer.lower_components();
    let events = lowerer.lower_events();
    let examples = if settings.without_examples {
        Vec::new()
    } else {
        lowerer.lower_examples()
    };
    let mut operations = lowerer.lower_operations();
    lowerer.warn_fragments();
    lowerer.warn_unmatched_settings();
    let error_body = find_error_body(&operations, &lowerer.types);
    // A stream twin shares its operation's error enum (same pointer, later).
    let mut error_enums = std::collections::BTreeMap::new();
    for pending in &mut operations {
        let at = Pointer::parse_local_ref(&pending.operation.pointer).unwrap_or_default();
        let pointer = pending.operation.pointer.clone();
        pending.operation.errors = *error_enums.entry(pointer).or_insert_with(|| {
            lowerer.error_enum(&pending.errors, error_body.as_ref(), &at, &pending.prefix)
        });
        pending.operation.error_fields =
            error_fields::error_fields(&lowerer.types, &pending.errors);
    }
    recursion::box_recursive(&mut lowerer.types);
    sizes::box_large_variants(&mut lowerer.types);
    lowerer.mark_tri_state(&operations);
    for pending in &mut operations {
        let operation = &mut pending.operation;
        // Multipart parts are final already; struct bodies take their fields now.
        if let Some(body) = operation
            .body
            .as_mut()
            .filter(|b| b.media != ir::BodyMedia::Multipart)
        {
            body.fields = lowerer.body_fields(&body.ty, &operation.params);
        }
    }
    // Names are checked even when errors were found, so they are reported in the same run.
    let (mut operations, mut groups) =
        names::finalize_operations(operations, events.is_some(), lowerer.sink);
    if lowerer.sink.has_errors() {
        return None;
    }
    let component_schemas = lowerer.component_schemas();
    let mut types = names::finalize_types(&lowerer.types);
    settings::attach_derives(&mut types, settings, lowerer.sink);
    let (features, feature_sets) = features::assign_features(
        &mut operations,
        &mut groups,
        &mut types,
        events.as_ref(),
        error_body.as_ref(),
    );
    let mut examples = examples;
    let known = features::KnownFeatures {
        features: &features,
        has_events: events.is_some(),
        filtered: settings.filters_operations(),
    };
    features::check_example_features(&mut examples, &known, lowerer.sink);
    Some(Api {
        crate_name: lowerer.crate_name(),
        crate_version: lowerer.crate_version(),
        title: spec.info.title.clone(),
        api_version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        default_base_url: lowerer.base_url(),
        token_scheme: lowerer.token_scheme(),
        undeclared_security: lowerer.undeclared_security(),
        security_schemes: std::mem::take(&mut lowerer.schemes.sent),
        base_url_env: lowerer.env_name(
            settings.base_url_env.as_ref(),
            "x-rust-base-url-env",
            "BASE_URL",
        ),
        types,
        operations,
        groups,
        error_body,
        events,
        examples,
        features,
        feature_sets,
        dependencies: settings
            .dependencies
            .iter()
            .map(|d| (d.name.clone(), d.spec.value.clone()))
            .collect(),
        derive_decoders: settings.derive_decoders,
        component_schemas,
    })
}

impl Lowerer<'_> {
    /// Adds a type whose kind is known now; returns its id.
    fn add_type(
        &mut self,
        suggested: String,
        doc: Option<String>,
        pointer: &Pointer,
        kind: TypeKind,
    ) -> TypeId {
        self.types.push(PendingType {
            suggested,
            from_component: false,
            doc,
            pointer: pointer.clone(),
            kind: Some(kind),
        });
        TypeId(self.types.len() - 1)
    }

    /// Every lowered component schema in the spec's order, with its pointer (the
    /// origin of one moved in while loading) and the type a `$ref` to it gets.
    fn component_schemas(&self) -> Vec<ir::SchemaUse> {
        let Some(components) = &self.spec.components else {
            return Vec::new();
        };
        components
            .schemas
            .keys()
            .filter_map(|name| self.components.get(name))
            .map(|&(id, nullable)| ir::SchemaUse {
                pointer: self.types[id.0].pointer.to_string(),
                ty: schemas::Shape {
                    ty: TypeRef::Named(id),
                    nullable,
                }
                .folded(),
            })
            .collect()
    }

    /// Notes the schema at `at` of a JSON body or response, and its type.
    fn note_json_schema(&mut self, at: &Pointer, ty: &TypeRef) {
        self.json_schemas.push(ir::SchemaUse {
            pointer: at.to_string(),
            ty: ty.clone(),
        });
    }

    /// Marks the optional, nullable fields of every type sent to the server as
    /// tri-state: there, leaving a field out and sending `null` mean different things.
    fn mark_tri_state(&mut self, operations: &[operations::PendingOperation]) {
        let mut pending: Vec<TypeRef> = operations
            .iter()
            .filter_map(|o| o.operation.body.as_ref().map(|b| b.ty.clone()))
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(ty) = pending.pop() {
            let id = match ty {
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                    pending.push(*inner);
                    continue;
                }
                TypeRef::Named(id) => id,
                _ => continue,
            };
            if !seen.insert(id) {
                continue;
            }
            match &mut self.types[id.0].kind {
                Some(TypeKind::Struct(s)) => {
                    for field in s.fields.iter_mut() {
                        field.tri_state = !field.required && field.nullable;
                        pending.push(field.ty.clone());
                    }
                }
                Some(TypeKind::Union(variants) | TypeKind::Tagged(_, variants)) => {
                    pending.extend(variants.iter().map(|v| v.ty.clone()))
                }
                Some(TypeKind::Alias(target)) => pending.push(target.clone()),
                _ => {}
            }
        }
    }
}

/// The component schema used by the most error responses; ties go to the earlier
/// schema. Inline error schemas belong to one response each, so they never count.
fn find_error_body(
    operations: &[operations::PendingOperation],
    types: &[PendingType],
) -> Option<TypeRef> {
    let mut counts: BTreeMap<TypeId, usize> = BTreeMap::new();
    for error in operations.iter().flat_map(|o| &o.errors) {
        if let TypeRef::Named(id) = error.ty {
            if types[id.0].from_component {
                *counts.entry(id).or_default() += 1;
            }
        }
    }
    let best = counts
        .iter()
        .max_by_key(|(id, count)| (**count, std::cmp::Reverse(**id)))?;
    Some(TypeRef::Named(*best.0))
}

/// Turns pending types into final ones once every kind is known.
fn finished_kind(pending: &PendingType) -> TypeKind {
    // A component that failed to lower has already produced an error, and
    // `lower` returns before names are finalised, so this default is never emitted.
    pending
        .kind
        .clone()
        .unwrap_or(TypeKind::Alias(TypeRef::Any))
}

/// Joins summary and description into one doc text.
fn join_doc(summary: Option<&String>, description: Option<&String>) -> Option<String> {
    let parts: Vec<&str> = [summary, description]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n\n"))
    }
}

impl PendingType {
    fn to_def(&self, name: String) -> TypeDef {
        TypeDef {
            name,
            doc: self.doc.clone(),
            pointer: self.pointer.to_string(),
            kind: finished_kind(self),
            gate: ir::Gate::Always,
            derives: Vec::new(),
        }
    }
}
