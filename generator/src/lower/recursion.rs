//! Recursive schemas, for the `lower` phase: a struct that contains itself (directly
//! or through other structs, unions, aliases or `Option`s) would have infinite size,
//! so every field or union variant that closes such a cycle is boxed.
//! `Vec` and maps already live on the heap and break cycles by themselves.

use std::collections::BTreeSet;

use super::PendingType;
use crate::ir::{TypeId, TypeKind, TypeRef};

/// Marks `boxed` on every field and variant that lies on a cycle of direct containment.
pub(super) fn box_recursive(types: &mut [PendingType]) {
    let edges: Vec<Vec<TypeId>> = types
        .iter()
        .map(|t| direct_children(t.kind.as_ref()))
        .collect();
    for (index, pending) in types.iter_mut().enumerate() {
        let owner = TypeId(index);
        match &mut pending.kind {
            Some(TypeKind::Struct(fields)) => {
                for field in fields.iter_mut() {
                    field.boxed =
                        direct_target(&field.ty).is_some_and(|t| reaches(&edges, t, owner));
                }
            }
            Some(TypeKind::Union(variants) | TypeKind::Tagged(_, variants)) => {
                for variant in variants.iter_mut() {
                    variant.boxed =
                        direct_target(&variant.ty).is_some_and(|t| reaches(&edges, t, owner));
                }
            }
            _ => {}
        }
    }
}

/// The named types a type holds inline (not behind a `Vec` or map).
fn direct_children(kind: Option<&TypeKind>) -> Vec<TypeId> {
    match kind {
        Some(TypeKind::Struct(fields)) => {
            fields.iter().filter_map(|f| direct_target(&f.ty)).collect()
        }
        Some(TypeKind::Union(variants) | TypeKind::Tagged(_, variants)) => variants
            .iter()
            .filter_map(|v| direct_target(&v.ty))
            .collect(),
        Some(TypeKind::Alias(ty)) => direct_target(ty).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The named type `ty` holds inline, looking through `Option`.
fn direct_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) => direct_target(inner),
        _ => None,
    }
}

/// Whether `to` can be reached from `from` through direct containment.
fn reaches(edges: &[Vec<TypeId>], from: TypeId, to: TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut pending = vec![from];
    while let Some(current) = pending.pop() {
        if current == to {
            return true;
        }
        if seen.insert(current) {
            pending.extend(edges[current.0].iter().copied());
        }
    }
    false
}
