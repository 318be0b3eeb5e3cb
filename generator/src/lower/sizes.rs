//! Large union variants, for the `lower` phase, after recursive types are boxed.
//!
//! An enum is as large as its largest variant, so a union of a 400-byte struct and
//! a string makes every string value cost 400 bytes (clippy's `large_enum_variant`).
//! Sizes are estimated from the IR as upper bounds (every field rounded up to a
//! word), and each variant that may exceed [`MAX_INLINE_VARIANT`] is boxed: then no
//! two variants can differ by the 200 bytes clippy warns about.

use super::PendingType;
use crate::ir::{EventData, Field, Response, TypeId, TypeKind, TypeRef};

/// Variants estimated above this many bytes are boxed.
pub(super) const MAX_INLINE_VARIANT: usize = 192;

/// Sets `boxed` on every union variant estimated above [`MAX_INLINE_VARIANT`].
pub(super) fn box_large_variants(types: &mut [PendingType]) {
    let mut sizes = Sizes::new(types);
    let mut large = Vec::new();
    for (index, pending) in types.iter().enumerate() {
        // A tagged union has one more variant: `Other`, holding any JSON value.
        let hidden = usize::from(matches!(pending.kind, Some(TypeKind::Tagged(..))));
        let payloads: Vec<(bool, Option<&TypeRef>)> = match &pending.kind {
            Some(TypeKind::Union(variants) | TypeKind::Tagged(_, variants)) => {
                variants.iter().map(|v| (v.boxed, Some(&v.ty))).collect()
            }
            Some(TypeKind::Responses(variants) | TypeKind::ErrorBodies(variants)) => variants
                .iter()
                .map(|v| match &v.body {
                    Response::Json(ty) => (v.boxed, Some(ty)),
                    _ => (v.boxed, None),
                })
                .collect(),
            Some(TypeKind::Events(variants)) => variants
                .iter()
                .map(|v| match &v.data {
                    EventData::Json(ty) => (v.boxed, Some(ty)),
                    EventData::Text => (v.boxed, None),
                })
                .collect(),
            _ => continue,
        };
        for (v, (boxed, ty)) in payloads.iter().enumerate() {
            let size = ty.map_or(0, |ty| sizes.of_ref(types, ty));
            if payloads.len() + hidden > 1 && !boxed && size > MAX_INLINE_VARIANT {
                large.push((index, v));
            }
        }
    }
    for (index, v) in large {
        match &mut types[index].kind {
            Some(TypeKind::Union(variants) | TypeKind::Tagged(_, variants)) => {
                variants[v].boxed = true
            }
            Some(TypeKind::Responses(variants) | TypeKind::ErrorBodies(variants)) => {
                variants[v].boxed = true
            }
            Some(TypeKind::Events(variants)) => variants[v].boxed = true,
            _ => {}
        }
    }
}

/// Memoized size estimates of the named types.
pub(super) struct Sizes {
    known: Vec<Option<usize>>,
    visiting: Vec<bool>,
}

impl Sizes {
    pub(super) fn new(types: &[PendingType]) -> Self {
        Sizes {
            known: vec![None; types.len()],
            visiting: vec![false; types.len()],
        }
    }

    /// An upper bound of the size of `ty` in bytes.
    pub(super) fn of_ref(&mut self, types: &[PendingType], ty: &TypeRef) -> usize {
        match ty {
            TypeRef::String | TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Bytes => 24,
            TypeRef::DateTime => 16,
            TypeRef::Date
            | TypeRef::Integer(_)
            | TypeRef::Float32
            | TypeRef::Float64
            | TypeRef::Boolean => 8,
            // The user's type is unknown here; as large as a JSON value is a guess
            // that boxes nothing on its account.
            TypeRef::Any | TypeRef::External(_) => 32,
            // Bytes, file name and content type.
            TypeRef::File => 72,
            TypeRef::Nullable(inner) => self.of_ref(types, inner) + 8,
            TypeRef::Named(id) => self.of_named(types, *id),
        }
    }

    fn of_named(&mut self, types: &[PendingType], id: TypeId) -> usize {
        if let Some(size) = self.known[id.0] {
            return size;
        }
        // A type met again while it is measured is behind a box somewhere.
        if self.visiting[id.0] {
            return 8;
        }
        self.visiting[id.0] = true;
        let size = match &types[id.0].kind {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .map(|f| self.of_field(types, f))
                .sum::<usize>()
                .max(8),
            Some(kind @ (TypeKind::Union(variants) | TypeKind::Tagged(_, variants))) => {
                let largest = variants
                    .iter()
                    .map(|v| {
                        if v.boxed {
                            8
                        } else {
                            self.of_ref(types, &v.ty)
                        }
                    })
                    .max()
                    .unwrap_or(0);
                // A tagged union's `Other` holds a JSON value.
                let other = if matches!(kind, TypeKind::Tagged(..)) {
                    32
                } else {
                    0
                };
                largest.max(other) + 8
            }
            Some(TypeKind::StringEnum(_)) => 32,
            Some(TypeKind::IntegerEnum(_)) => 16,
            Some(TypeKind::Alias(target)) => self.of_ref(types, target),
            // Never inside other types.
            Some(TypeKind::Responses(_) | TypeKind::ErrorBodies(_) | TypeKind::Events(_))
            | None => 8,
        };
        self.visiting[id.0] = false;
        self.known[id.0] = Some(size);
        size
    }

    fn of_field(&mut self, types: &[PendingType], field: &Field) -> usize {
        let inner = if field.boxed {
            8
        } else {
            self.of_ref(types, &field.ty)
        };
        // `Option` and `Nullable` add at most a word.
        if field.is_optional() || field.tri_state {
            inner + 8
        } else {
            inner
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pointer;
    use crate::ir::StructType;
    use crate::ir::UnionVariant;
    use crate::naming::snake_ident;

    fn pending(kind: TypeKind) -> PendingType {
        PendingType {
            suggested: "T".into(),
            from_component: false,
            doc: None,
            pointer: Pointer::root(),
            kind: Some(kind),
        }
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire: name.into(),
            rust: snake_ident(name),
            ty,
            required: true,
            nullable: false,
            doc: None,
            deprecated: false,
            tri_state: false,
            boxed: false,
            typed_when: crate::ir::Gate::Always,
            role: crate::ir::FieldRole::Property,
            one_way: false,
        }
    }

    fn variant(ty: TypeRef) -> UnionVariant {
        UnionVariant {
            rust: "V".into(),
            ty,
            doc: None,
            boxed: false,
            tags: Vec::new(),
            default: false,
            typed_when: crate::ir::Gate::Always,
        }
    }

    #[test]
    fn only_variants_that_may_be_large_are_boxed() {
        let big = (0..10)
            .map(|i| field(&format!("f{i}"), TypeRef::String))
            .collect();
        let mut types = vec![
            pending(TypeKind::Struct(StructType::open(big))),
            pending(TypeKind::Struct(StructType::open(vec![field(
                "a",
                TypeRef::String,
            )]))),
            pending(TypeKind::Union(vec![
                variant(TypeRef::Named(TypeId(0))),
                variant(TypeRef::Named(TypeId(1))),
                variant(TypeRef::String),
            ])),
            // A union of one variant has nothing to be compared with.
            pending(TypeKind::Union(vec![variant(TypeRef::Named(TypeId(0)))])),
        ];
        box_large_variants(&mut types);
        let boxed = |index: usize| match &types[index].kind {
            Some(TypeKind::Union(variants) | TypeKind::Tagged(_, variants)) => {
                variants.iter().map(|v| v.boxed).collect()
            }
            _ => Vec::new(),
        };
        assert_eq!(boxed(2), [true, false, false]);
        assert_eq!(boxed(3), [false]);
    }

    #[test]
    fn self_containing_types_have_finite_estimates() {
        let types = vec![pending(TypeKind::Union(vec![
            variant(TypeRef::Named(TypeId(0))),
            variant(TypeRef::Integer(crate::ir::IntKind::I64)),
        ]))];
        let mut sizes = Sizes::new(&types);
        assert_eq!(sizes.of_ref(&types, &TypeRef::Named(TypeId(0))), 16);
    }
}
