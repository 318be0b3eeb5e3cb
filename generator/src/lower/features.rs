//! Cargo features, the last step of `lower`: one feature per top-level resource
//! group, and for every type the features that need it.
//!
//! An operation's feature is its top-level group (`chats` for
//! `client.chats().messages().list()`); an operation at the client's root is
//! filed under the first segment of its path that is neither a version (`v1`,
//! `2010-04-01`) nor a parameter, so Stripe's untagged `/v1/customers/{id}` is
//! `customers`. A type is needed by a feature when one of the feature's operations
//! reaches it through parameters, bodies, answers or other types; it is compiled
//! when any feature that needs it is on. Reachability is one walk per feature, so
//! the cost is features × reachable types, never a search per pair of types.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Pointer, Sink};
use crate::ir::{
    EventData, Events, Example, Feature, FeatureSet, Gate, Group, Operation, Response, StreamItem,
    TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::naming::{feature_name, module_name, reserved_modules};

/// The feature of live events, fixed by the Cargo template.
pub(super) const EVENTS_FEATURE: &str = "events";

/// The feature of the schemas that no operation uses.
pub(super) const OTHER_SCHEMAS: &str = "other_schemas";

/// The feature of the runtime's `tracing` spans and events, fixed by the Cargo template.
const TRACING_FEATURE: &str = "tracing";

/// Feature names Cargo or the crate keep for themselves.
const RESERVED: &[&str] = &["default", EVENTS_FEATURE, OTHER_SCHEMAS, TRACING_FEATURE];

/// Gives every operation and group its feature and every type its gate; returns
/// the features, sorted by name, and the internal features that stand for sets
/// of them (see [`name_feature_sets`]).
pub(super) fn assign_features(
    operations: &mut [Operation],
    groups: &mut [Group],
    types: &mut [TypeDef],
    events: Option<&Events>,
    error_body: Option<&TypeRef>,
) -> (Vec<Feature>, Vec<FeatureSet>) {
    let wanted: BTreeSet<String> = operations.iter().map(wanted_feature).collect();
    let reserved: Vec<&str> = RESERVED
        .iter()
        .copied()
        .filter(|name| *name != EVENTS_FEATURE || events.is_some())
        .collect();
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    taken.extend(wanted.iter().cloned());
    let finals: BTreeMap<String, String> = wanted
        .iter()
        .map(|name| {
            // A group named like a reserved feature (`events` beside live events)
            // becomes `events_api`; the names it could take are already in `taken`.
            let unique = if reserved.contains(&name.as_str()) {
                crate::naming::claim_unique(&mut taken, &format!("{name}_api"), true)
            } else {
                name.clone()
            };
            (name.clone(), unique)
        })
        .collect();
    for operation in operations.iter_mut() {
        operation.feature = finals[&wanted_feature(operation)].clone();
    }
    for group in groups.iter_mut() {
        let top = group
            .path
            .first()
            .map(|i| i.text.as_str())
            .unwrap_or("root");
        group.feature = finals
            .get(&feature_name(top))
            .cloned()
            .unwrap_or_else(|| feature_name(top));
    }
    let mut modules = reserved_modules();
    let mut features: Vec<Feature> = finals
        .into_values()
        .map(|name| Feature {
            module: String::new(),
            name,
            schemas_only: false,
        })
        .collect();
    features.sort_by(|a, b| a.name.cmp(&b.name));
    for feature in &mut features {
        feature.module = module_name(&feature.name, &mut modules);
    }
    if gate_types(operations, types, events, error_body) {
        let module = module_name(OTHER_SCHEMAS, &mut modules);
        features.push(Feature {
            name: OTHER_SCHEMAS.to_owned(),
            module,
            schemas_only: true,
        });
        features.sort_by(|a, b| a.name.cmp(&b.name));
    }
    (features, name_feature_sets(types))
}

/// Gives each set of several features that gates something a feature of its own,
/// which each of them turns on, and gates by it instead: Stripe's 5,000 `cfg`s
/// over 180,000 feature names are 18 such sets, so each item carries one name.
fn name_feature_sets(types: &mut [TypeDef]) -> Vec<FeatureSet> {
    let mut sets: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut collect = |gate: &Gate| {
        if let Gate::Any(features) = gate {
            if features.len() > 1 {
                sets.insert(features.clone());
            }
        }
    };
    for ty in types.iter() {
        collect(&ty.gate);
        match &ty.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| collect(&f.typed_when)),
            TypeKind::Union(variants) => variants.iter().for_each(|v| collect(&v.typed_when)),
            _ => {}
        }
    }
    let named: BTreeMap<Vec<String>, String> = sets
        .into_iter()
        .enumerate()
        .map(|(index, set)| (set, format!("_shared_{}", index + 1)))
        .collect();
    let rename = |gate: &mut Gate| {
        if let Gate::Any(features) = gate {
            if let Some(name) = named.get(features) {
                *features = vec![name.clone()];
            }
        }
    };
    for ty in types.iter_mut() {
        rename(&mut ty.gate);
        match &mut ty.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| rename(&mut f.typed_when)),
            TypeKind::Union(variants) => {
                variants.iter_mut().for_each(|v| rename(&mut v.typed_when))
            }
            _ => {}
        }
    }
    let mut sets: Vec<FeatureSet> = named
        .into_iter()
        .map(|(features, name)| FeatureSet { name, features })
        .collect();
    sets.sort_by(|a, b| natural_key(&a.name).cmp(&natural_key(&b.name)));
    sets
}

/// `_shared_2` before `_shared_10`.
fn natural_key(name: &str) -> (usize, &str) {
    let number = name.rsplit('_').next().and_then(|n| n.parse().ok());
    (number.unwrap_or(usize::MAX), name)
}

/// The feature an operation asks for, before names are made unique.
fn wanted_feature(operation: &Operation) -> String {
    match operation.group.first() {
        Some(top) => feature_name(&top.text),
        None => feature_name(path_resource(&operation.path).unwrap_or("root")),
    }
}

/// Drops, with a warning, each feature an example requires that the crate does
/// not have (Cargo would refuse the manifest otherwise); when settings filtered
/// operations out, leaves out the whole example instead, since its code most
/// likely calls what was filtered out.
pub(super) fn check_example_features(
    examples: &mut Vec<Example>,
    crate_features: &KnownFeatures,
    sink: &mut Sink,
) {
    let known: BTreeSet<&str> = crate_features
        .features
        .iter()
        .map(|f| f.name.as_str())
        .chain(crate_features.has_events.then_some(EVENTS_FEATURE))
        // Every crate has these two (the Cargo template writes them).
        .chain(["tracing", "mock"])
        .collect();
    examples.retain_mut(|example| {
        let file_at = Pointer::parse_local_ref(&example.pointer).unwrap_or_default();
        let at = file_at.parent().push("features");
        let (kept, unknown): (Vec<String>, Vec<String>) = std::mem::take(&mut example.features)
            .into_iter()
            .partition(|f| known.contains(f.as_str()));
        example.features = kept;
        // With operations filtered out, a missing feature is most likely a
        // group the filters removed, which the example's code calls: built
        // anyway it would not compile.
        if crate_features.filtered && !unknown.is_empty() {
            sink.warning_with_hint(
                Code::BadExtension,
                &at,
                format!(
                    "example `{}` is left out: it needs the feature `{}`, and the operations of that feature were filtered out",
                    example.name,
                    unknown.join("`, `")
                ),
                "include the example's operations too (tag and path filters) to keep it",
            );
            return false;
        }
        for feature in unknown {
            let names: Vec<&str> = known.iter().copied().collect();
            sink.warning_with_hint(
                Code::BadExtension,
                &at,
                format!(
                    "example `{}` requires the feature `{feature}`, which the crate does not have; the example is built without it",
                    example.name
                ),
                format!("the crate's features: {}", names.join(", ")),
            );
        }
        true
    });
}

/// What the crate's features are, for checking the examples' `features`.
pub(super) struct KnownFeatures<'a> {
    /// The resource-group features.
    pub features: &'a [Feature],
    /// Whether the crate has the `events` feature.
    pub has_events: bool,
    /// Whether settings filtered operations out.
    pub filtered: bool,
}

/// The first segment of `path` that names a resource: not empty, not a
/// `{parameter}`, not a version or date (`v1`, `v2beta1`, `2010-04-01`), not `api`.
pub(super) fn path_resource(path: &str) -> Option<&str> {
    path.split('/')
        .map(|segment| segment.split(['.', ':']).next().unwrap_or(segment))
        .find(|segment| !segment.is_empty() && !segment.contains('{') && !is_prefix(segment))
}

fn is_prefix(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let versioned = lower
        .strip_prefix('v')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    let numeric = lower.chars().all(|c| c.is_ascii_digit() || c == '-');
    versioned || numeric || matches!(lower.as_str(), "api" | "rest")
}

/// Sets every type's gate from the features that reach it.
/// Whether some schemas are needed by no operation and so by [`OTHER_SCHEMAS`].
///
/// Two kinds of use do not make a feature need a type:
/// - the crate's error schema, which always compiles (every operation can
///   answer with it), so walking through it would make every feature need
///   all it names;
/// - the object form of an "ID or object" union (Stripe's expandable fields:
///   `anyOf: [string, $ref Customer]`), typed only when the object's type
///   compiles anyway and raw JSON otherwise (see [`type_variants_by_gate`]).
fn gate_types(
    operations: &[Operation],
    types: &mut [TypeDef],
    events: Option<&Events>,
    error_body: Option<&TypeRef>,
) -> bool {
    let edges: Vec<Vec<TypeId>> = types.iter().map(|t| hard_refs(types, &t.kind)).collect();
    // Roots per feature name, in name order (a `BTreeMap`), so each type's list of
    // features comes out sorted.
    let mut roots: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
    for operation in operations {
        roots
            .entry(operation.feature.as_str())
            .or_default()
            .extend(operation_refs(operation));
    }
    if let Some(events) = events {
        let entry = roots.entry(EVENTS_FEATURE).or_default();
        entry.extend(refs_of(&events.server_messages));
        entry.extend(events.client_messages.iter().flat_map(refs_of));
    }
    let error_roots: Vec<TypeId> = error_body.into_iter().flat_map(refs_of).collect();
    let mut barrier = vec![false; types.len()];
    error_roots.iter().for_each(|t| barrier[t.0] = true);
    let mut needed_by: Vec<Vec<&str>> = vec![Vec::new(); types.len()];
    let mut stamp = vec![usize::MAX; types.len()];
    for (index, (feature, starts)) in roots.iter().enumerate() {
        let mut walk = Walk {
            edges: &edges,
            barrier: &barrier,
            stamp: &mut stamp,
            round: index,
        };
        walk.visit_from(starts, |t| needed_by[t].push(feature));
    }
    // Always compiled: what the crate's `Error` names (the common error schema),
    // and what it uses that no operation does.
    let always = always_closure(types, &error_roots, &needed_by);
    // The schemas no operation reaches (webhook payloads, say) are the spec's
    // model too: a feature of their own keeps them, and what they use, out of a
    // build that names only some groups.
    let unreached: Vec<TypeId> = (0..types.len())
        .filter(|&t| needed_by[t].is_empty() && !always[t])
        .map(TypeId)
        .collect();
    let mut all = roots.len();
    let has_other = !unreached.is_empty();
    if has_other {
        let mut walk = Walk {
            edges: &edges,
            barrier: &always,
            stamp: &mut stamp,
            round: roots.len(),
        };
        walk.visit_from(&unreached, |t| needed_by[t].push(OTHER_SCHEMAS));
        all += 1;
    }
    for (index, ty) in types.iter_mut().enumerate() {
        let features = &mut needed_by[index];
        features.sort_unstable();
        ty.gate = if always[index] || features.len() == all {
            Gate::Always
        } else {
            Gate::Any(features.iter().map(|f| (*f).to_owned()).collect())
        };
    }
    type_fields_by_gate(types, &always);
    type_variants_by_gate(types);
    has_other
}

/// The types that must compile with the crate's `Error`: from `roots` through
/// everything, except across a struct field or the object form of an "ID or
/// object" union into a type an operation needs. Such a type keeps its features
/// (Stripe's error names `PaymentIntent`, which would otherwise compile, with
/// all it uses, in every build); the field is typed only when they are on (see
/// [`type_fields_by_gate`]).
fn always_closure(types: &[TypeDef], roots: &[TypeId], needed_by: &[Vec<&str>]) -> Vec<bool> {
    let mut always = vec![false; types.len()];
    let mut stack: Vec<usize> = roots.iter().map(|t| t.0).collect();
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut always[node], true) {
            continue;
        }
        let unneeded = |t: &TypeId| needed_by[t.0].is_empty();
        let next: Vec<TypeId> = match &types[node].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .flat_map(|f| refs_of(&f.ty))
                .filter(unneeded)
                .collect(),
            kind => {
                let soft = soft_refs(types, kind);
                let mut next = hard_refs(types, kind);
                next.extend(soft.into_iter().filter(unneeded));
                next
            }
        };
        stack.extend(next.iter().map(|t| t.0).filter(|&t| !always[t]));
    }
    always
}

/// In each always-compiled struct, a field whose type only some features
/// compile is typed under those features and raw JSON otherwise.
fn type_fields_by_gate(types: &mut [TypeDef], always: &[bool]) {
    let gates: Vec<Gate> = types.iter().map(|t| t.gate.clone()).collect();
    for (index, ty) in types.iter_mut().enumerate() {
        let TypeKind::Struct(s) = &mut ty.kind else {
            continue;
        };
        if !always[index] {
            continue;
        }
        for field in &mut s.fields {
            if let Some(target) = refs_of(&field.ty).first() {
                field.typed_when = gates[target.0].clone();
            }
        }
    }
}

/// In each "ID or object" union, the object form is typed when its type
/// compiles whenever the union does, and otherwise under its type's features
/// only (raw JSON without them).
fn type_variants_by_gate(types: &mut [TypeDef]) {
    let soft: Vec<Vec<usize>> = types
        .iter()
        .map(|t| soft_variants(types, &t.kind))
        .collect();
    let gates: Vec<Gate> = types.iter().map(|t| t.gate.clone()).collect();
    for (index, ty) in types.iter_mut().enumerate() {
        let TypeKind::Union(variants) = &mut ty.kind else {
            continue;
        };
        for &position in &soft[index] {
            let variant = &mut variants[position];
            let Some(target) = refs_of(&variant.ty).first().copied() else {
                continue;
            };
            variant.typed_when = match covers(&gates[target.0], &gates[index]) {
                true => Gate::Always,
                false => gates[target.0].clone(),
            };
        }
    }
}

/// Whether whatever compiles `inner` also compiles `outer`'s requirement `gate`.
fn covers(gate: &Gate, inner: &Gate) -> bool {
    match (gate, inner) {
        (Gate::Always, _) => true,
        (Gate::Any(_), Gate::Always) => false,
        (Gate::Any(gate), Gate::Any(inner)) => inner.iter().all(|f| gate.contains(f)),
    }
}

/// A walk over the types reachable from some roots, once per feature.
struct Walk<'w> {
    edges: &'w [Vec<TypeId>],
    /// Types the walk does not enter (the error schema's, which always compile).
    barrier: &'w [bool],
    stamp: &'w mut [usize],
    round: usize,
}

impl Walk<'_> {
    /// Visits every type reachable from `starts` once.
    fn visit_from(&mut self, starts: &[TypeId], mut visit: impl FnMut(usize)) {
        let mut stack: Vec<usize> = starts.iter().map(|t| t.0).collect();
        while let Some(node) = stack.pop() {
            if self.stamp[node] == self.round || self.barrier[node] {
                continue;
            }
            self.stamp[node] = self.round;
            visit(node);
            let round = self.round;
            let stamp = &*self.stamp;
            stack.extend(
                self.edges[node]
                    .iter()
                    .map(|t| t.0)
                    .filter(|&t| stamp[t] != round),
            );
        }
    }
}

/// The named types an operation uses directly.
fn operation_refs(operation: &Operation) -> Vec<TypeId> {
    let mut refs: Vec<TypeId> = operation
        .params
        .iter()
        .flat_map(|p| refs_of(&p.ty))
        .collect();
    if let Some(body) = &operation.body {
        refs.extend(refs_of(&body.ty));
        refs.extend(body.fields.iter().flat_map(|f| refs_of(&f.ty)));
    }
    refs.extend(response_refs(&operation.response));
    refs.extend(operation.errors);
    if let Some(pagination) = &operation.pagination {
        refs.push(pagination.page);
        refs.extend(refs_of(&pagination.item));
    }
    refs
}

/// The named types a type's definition uses directly.
fn kind_refs(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().flat_map(|f| refs_of(&f.ty)).collect(),
        TypeKind::Union(variants) | TypeKind::Tagged(_, variants) => {
            variants.iter().flat_map(|v| refs_of(&v.ty)).collect()
        }
        TypeKind::Alias(target) => refs_of(target),
        TypeKind::Responses(variants) | TypeKind::ErrorBodies(variants) => variants
            .iter()
            .flat_map(|v| response_refs(&v.body))
            .collect(),
        TypeKind::Events(variants) => variants.iter().flat_map(|v| data_refs(&v.data)).collect(),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => Vec::new(),
    }
}

fn data_refs(data: &EventData) -> Vec<TypeId> {
    match data {
        EventData::Json(ty) => refs_of(ty),
        EventData::Text => Vec::new(),
    }
}

/// The named types a definition needs compiled with it: all it uses but the
/// object forms of an "ID or object" union.
fn hard_refs(types: &[TypeDef], kind: &TypeKind) -> Vec<TypeId> {
    let TypeKind::Union(variants) = kind else {
        return kind_refs(kind);
    };
    let soft = soft_variants(types, kind);
    let hard = variants
        .iter()
        .enumerate()
        .filter(|(position, _)| !soft.contains(position));
    hard.flat_map(|(_, v)| refs_of(&v.ty)).collect()
}

/// The types of the object forms of an "ID or object" union.
fn soft_refs(types: &[TypeDef], kind: &TypeKind) -> Vec<TypeId> {
    let TypeKind::Union(variants) = kind else {
        return Vec::new();
    };
    let soft = soft_variants(types, kind);
    soft.iter()
        .flat_map(|&p| refs_of(&variants[p].ty))
        .collect()
}

/// The positions of the object forms in an untagged union that also takes a
/// plain string (an ID): `anyOf: [string, $ref Customer, $ref DeletedCustomer]`.
fn soft_variants(types: &[TypeDef], kind: &TypeKind) -> Vec<usize> {
    let TypeKind::Union(variants) = kind else {
        return Vec::new();
    };
    if !variants.iter().any(|v| v.ty == TypeRef::String) {
        return Vec::new();
    }
    let is_object = |id: TypeId| {
        matches!(
            types[id.0].kind,
            TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Tagged(..)
        )
    };
    variants
        .iter()
        .enumerate()
        .filter(|(_, v)| matches!(v.ty, TypeRef::Named(id) if is_object(id)))
        .map(|(position, _)| position)
        .collect()
}

fn response_refs(response: &Response) -> Vec<TypeId> {
    match response {
        Response::Json(ty) => refs_of(ty),
        Response::ByStatus(id) => vec![*id],
        Response::Stream(stream) => match &stream.item {
            StreamItem::Data(data) => data_refs(data),
            StreamItem::Events(id) => vec![*id],
        },
        Response::Empty | Response::Text(_) | Response::Bytes(_) => Vec::new(),
    }
}

/// The named type inside a use of one (through arrays, maps and `Option`).
fn refs_of(ty: &TypeRef) -> Vec<TypeId> {
    let mut ty = ty;
    loop {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Named(id) => return vec![*id],
            _ => return Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_resources() {
        let table = [
            ("/v1/customers/{customer}/sources", Some("customers")),
            ("/v1/focus", Some("focus")),
            ("/2010-04-01/Accounts/{Sid}/Calls.json", Some("Accounts")),
            ("/api/v2beta1/projects", Some("projects")),
            ("/{tenant}/users", Some("users")),
            ("/v1", None),
            ("/", None),
            ("/repos/{owner}/{repo}", Some("repos")),
            ("/v1/chats:search", Some("chats")),
        ];
        for (path, resource) in table {
            assert_eq!(path_resource(path), resource, "{path}");
        }
    }
}
