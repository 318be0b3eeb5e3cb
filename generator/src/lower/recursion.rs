//! Recursive schemas, for the `lower` phase: a struct that contains itself (directly
//! or through other structs, unions, aliases or `Option`s) would have infinite size,
//! so every field or union variant that closes such a cycle is boxed.
//! `Vec` and maps already live on the heap and break cycles by themselves.

use super::PendingType;
use crate::ir::{TypeId, TypeKind, TypeRef};

/// Marks `boxed` on every field and variant that lies on a cycle of direct containment.
///
/// An edge `owner → target` closes a cycle exactly when `target` reaches `owner`
/// back, that is when both lie in one strongly connected component; so the
/// components are found once (linear time) instead of searching from every field.
pub(super) fn box_recursive(types: &mut [PendingType]) {
    let edges: Vec<Vec<TypeId>> = types
        .iter()
        .map(|t| direct_children(t.kind.as_ref()))
        .collect();
    let component = strongly_connected_components(&edges);
    let on_cycle = |owner: usize, ty: &TypeRef| {
        direct_target(ty).is_some_and(|t| component[t.0] == component[owner])
    };
    for (index, pending) in types.iter_mut().enumerate() {
        match &mut pending.kind {
            Some(TypeKind::Struct(s)) => {
                for field in s.fields.iter_mut() {
                    field.boxed = on_cycle(index, &field.ty);
                }
            }
            Some(TypeKind::Union(variants) | TypeKind::Tagged(_, variants)) => {
                for variant in variants.iter_mut() {
                    variant.boxed = on_cycle(index, &variant.ty);
                }
            }
            _ => {}
        }
    }
}

/// The strongly connected component of every node, by Tarjan's algorithm written
/// with an explicit stack, so a chain of 100,000 schemas cannot overflow the
/// thread's stack.
fn strongly_connected_components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = edges.len();
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNSEEN; count];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: a node and how many of its edges are done.
        let mut frames = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut done)) = frames.last_mut() {
            if let Some(child) = edges[node].get(*done).map(|t| t.0) {
                *done += 1;
                if index[child] == UNSEEN {
                    index[child] = next_index;
                    low[child] = next_index;
                    next_index += 1;
                    stack.push(child);
                    on_stack[child] = true;
                    frames.push((child, 0));
                } else if on_stack[child] {
                    low[node] = low[node].min(index[child]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// The named types a type holds inline (not behind a `Vec` or map).
fn direct_children(kind: Option<&TypeKind>) -> Vec<TypeId> {
    match kind {
        Some(TypeKind::Struct(s)) => s
            .fields
            .iter()
            .filter_map(|f| direct_target(&f.ty))
            .collect(),
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

#[cfg(test)]
mod tests {
    use super::{strongly_connected_components, TypeId};

    #[test]
    fn components_join_exactly_the_nodes_on_a_common_cycle() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 3 is one by itself; 4 → 0 and 5 are not on any.
        let edges: Vec<Vec<TypeId>> = [vec![1], vec![2], vec![0], vec![3], vec![0], vec![]]
            .into_iter()
            .map(|targets| targets.into_iter().map(TypeId).collect())
            .collect();
        let c = strongly_connected_components(&edges);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[5] != c[0] && c[4] != c[5]);
    }

    #[test]
    fn a_long_chain_neither_overflows_nor_forms_a_cycle() {
        let n = 200_000;
        let edges: Vec<Vec<TypeId>> = (0..n)
            .map(|i| {
                if i + 1 < n {
                    vec![TypeId(i + 1)]
                } else {
                    vec![TypeId(0)]
                }
            })
            .collect();
        // The last edge closes one big cycle.
        let c = strongly_connected_components(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
