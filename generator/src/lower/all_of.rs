//! `allOf`, for the `lower` phase: the fields of every member (referenced
//! components and inline objects) merged into one struct, with `required` from
//! any member applying to all; and the annotation-only members that do not count.
//!
//! Copying inherited fields makes a chain of n schemas, each an `allOf` of the
//! one before plus a field, n²/2 fields in all (3,000 of them made a 500 MB
//! `types.rs`). So a member that itself copies from `MAX_COPIED_DEPTH` levels
//! is composed instead: one `#[serde(flatten)]` field of its type. Real
//! hierarchies are shallower than that and keep their flat structs.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::objects::ObjectParts;
use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::{Field, FieldRole, Gate, StructType, TypeId, TypeKind, TypeRef};
use crate::naming::name_fields;

/// Levels of `allOf` whose fields one struct copies before it composes the
/// member instead.
const MAX_COPIED_DEPTH: usize = 8;

/// Wire names looked at, through nested flattened members, to tell whether a
/// member can be composed; past it, a deeper override is assumed absent.
const NAME_BUDGET: usize = 4096;

/// A merged field's place: its wire name, the member a flattened field holds,
/// or the map of additional properties (one, whichever members bring it).
#[derive(Debug, PartialEq, Eq, Hash)]
enum Slot {
    Wire(String),
    Flattened(TypeId),
    Additional,
}

/// Fields gathered from `allOf` members, and how many levels they were copied from.
#[derive(Default)]
struct Merged {
    fields: IndexMap<Slot, Field>,
    depth: usize,
    /// Some member says `additionalProperties: false`.
    closed: bool,
}

impl Merged {
    fn insert(&mut self, field: Field) {
        // By slot, so a field a later member redefines replaces the earlier one
        // in place, in constant time.
        let slot = match (field.role, &field.ty) {
            (FieldRole::Composed, TypeRef::Named(id)) => Slot::Flattened(*id),
            (FieldRole::Additional, _) => Slot::Additional,
            _ => Slot::Wire(field.wire.clone()),
        };
        self.fields.insert(slot, field);
    }

    /// The struct: the map of additional properties last (the decoders and
    /// the naming expect it there), the rest in member order.
    fn finish(mut self, required: &BTreeSet<&str>) -> StructType {
        let additional = self.fields.shift_remove(&Slot::Additional);
        let mut fields: Vec<Field> = self.fields.into_values().collect();
        for field in &mut fields {
            field.required |=
                field.is_property() && !field.one_way && required.contains(field.wire.as_str());
        }
        fields.extend(additional);
        StructType {
            fields: name_fields(fields),
            closed: self.closed,
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Fields of all `allOf` members merged into one struct.
    pub(super) fn merge_all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        at: &Pointer,
        name: &str,
        active: &mut BTreeSet<String>,
    ) -> Option<StructType> {
        let mut merged = Merged::default();
        let mut required: BTreeSet<&'a str> = BTreeSet::new();
        self.merge_members(members, at, name, active, &mut merged, &mut required)?;
        self.merge_depths.insert(at.clone(), merged.depth);
        Some(merged.finish(&required))
    }

    fn merge_members(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        at: &Pointer,
        name: &str,
        active: &mut BTreeSet<String>,
        merged: &mut Merged,
        required: &mut BTreeSet<&'a str>,
    ) -> Option<()> {
        // Referenced members first, so that whether one can be composed can
        // look at the names every other member brings.
        let mut targets = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            targets.push(match member {
                ReferenceOr::Reference { reference } => {
                    let pointer = at.push("allOf").push(index);
                    self.referenced_struct(reference, &pointer, active)?
                }
                ReferenceOr::Item(_) => None,
            });
        }
        let names: Vec<BTreeSet<&str>> = members
            .iter()
            .zip(&targets)
            .map(|(member, target)| match (member, target) {
                (ReferenceOr::Item(schema), _) => inline_names(schema),
                (_, Some((_, member))) => member
                    .fields
                    .iter()
                    .filter(|f| f.is_property())
                    .map(|f| f.wire.as_str())
                    .collect(),
                _ => BTreeSet::new(),
            })
            .collect();
        let mut compose = vec![false; members.len()];
        for (index, target) in targets.iter().enumerate() {
            if let Some((id, _)) = target {
                let others = names
                    .iter()
                    .enumerate()
                    .filter(|(other, _)| *other != index);
                let others: BTreeSet<&str> = others.flat_map(|(_, n)| n.iter().copied()).collect();
                compose[index] =
                    self.merge_depth(*id) >= MAX_COPIED_DEPTH && self.composable(*id, &others);
            }
        }
        drop(names);
        for (index, (member, target)) in members.iter().zip(targets).enumerate() {
            match (member, target) {
                (ReferenceOr::Item(schema), _) => {
                    let pointer = at.push("allOf").push(index);
                    self.merge_inline(schema, &pointer, name, active, merged, required)?;
                }
                (_, Some((id, _))) if compose[index] => {
                    merged.insert(flattened_field(id, &self.types[id.0].suggested));
                }
                (_, Some((id, member))) => {
                    merged.depth = merged.depth.max(self.merge_depth(id) + 1);
                    merged.closed |= member.closed;
                    member.fields.into_iter().for_each(|f| merged.insert(f));
                }
                (_, None) => {}
            }
        }
        Some(())
    }

    /// Fields of an inline `allOf` member; its `required` list applies to every member.
    fn merge_inline(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
        name: &str,
        active: &mut BTreeSet<String>,
        merged: &mut Merged,
        required: &mut BTreeSet<&'a str>,
    ) -> Option<()> {
        let parts = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => Some(ObjectParts {
                properties: &object.properties,
                required: &object.required,
                additional: object.additional_properties.as_ref(),
            }),
            SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                Some(ObjectParts {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                })
            }
            _ => None,
        };
        let fields = match (&schema.schema_kind, parts) {
            (_, Some(parts)) => {
                required.extend(parts.required.iter().map(String::as_str));
                let member = self.struct_type(parts, at, name);
                merged.closed |= member.closed;
                member.fields
            }
            (SchemaKind::AllOf { all_of }, None) => {
                return self.merge_members(all_of, at, name, active, merged, required)
            }
            _ => {
                let message = "only object members of `allOf` are merged; this one is ignored";
                self.sink.warning(Code::Unsupported, at, message);
                Vec::new()
            }
        };
        fields.into_iter().for_each(|f| merged.insert(f));
        Some(())
    }

    /// The component struct named by `reference` and its fields, lowering it
    /// first if needed; `None` inside when it is not a struct (warned).
    #[allow(clippy::type_complexity)]
    fn referenced_struct(
        &mut self,
        reference: &str,
        at: &Pointer,
        active: &mut BTreeSet<String>,
    ) -> Option<Option<(TypeId, StructType)>> {
        let (id, _) = self.schema_ref(reference, at)?;
        let name = reference.rsplit('/').next().unwrap_or_default().to_owned();
        self.ensure_component(&name, active)?;
        let id = match &self.types[id.0].kind {
            Some(TypeKind::Alias(TypeRef::Named(target))) => *target,
            _ => id,
        };
        match &self.types[id.0].kind {
            Some(TypeKind::Struct(member)) => Some(Some((id, member.clone()))),
            _ => {
                let message = "this `allOf` member is not an object; it is ignored";
                self.sink.warning(Code::Unsupported, at, message);
                Some(None)
            }
        }
    }

    /// Levels of `allOf` the struct `id` copies fields from (0 when it merges none).
    fn merge_depth(&self, id: TypeId) -> usize {
        let pointer = &self.types[id.0].pointer;
        self.merge_depths.get(pointer).copied().unwrap_or(0)
    }

    /// Whether struct `id` can be a flattened field beside `names` (the other
    /// members' fields and `required` entries): none of them may be one of its
    /// fields, since on the wire the outer field would take the value and
    /// `required` could not reach inside.
    fn composable(&self, id: TypeId, names: &BTreeSet<&str>) -> bool {
        let mut pending = vec![id];
        let mut budget = NAME_BUDGET;
        while let Some(id) = pending.pop() {
            let Some(TypeKind::Struct(member)) = &self.types[id.0].kind else {
                continue;
            };
            for field in &member.fields {
                match (field.role, &field.ty) {
                    (FieldRole::Composed, TypeRef::Named(inner)) => pending.push(*inner),
                    _ if names.contains(field.wire.as_str()) => return false,
                    _ => {}
                }
                budget = budget.saturating_sub(1);
                if budget == 0 {
                    return true;
                }
            }
        }
        true
    }
}

/// The wire names an inline `allOf` member brings: its properties and its
/// `required` entries (which reach into every other member), nested `allOf`
/// included. Read from the schema, so nothing is lowered twice.
fn inline_names(schema: &Schema) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut pending = vec![schema];
    while let Some(schema) = pending.pop() {
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => (&object.properties, &object.required),
            SchemaKind::Any(any) => (&any.properties, &any.required),
            SchemaKind::AllOf { all_of } => {
                pending.extend(all_of.iter().filter_map(|m| m.as_item()));
                continue;
            }
            _ => continue,
        };
        names.extend(properties.keys().map(String::as_str));
        names.extend(required.iter().map(String::as_str));
    }
    names
}

/// The field that holds a composed `allOf` member.
fn flattened_field(id: TypeId, name: &str) -> Field {
    Field {
        wire: name.to_owned(),
        rust: crate::naming::snake_ident(name),
        ty: TypeRef::Named(id),
        required: true,
        nullable: false,
        doc: None,
        deprecated: false,
        tri_state: false,
        boxed: false,
        typed_when: Gate::Always,
        role: FieldRole::Composed,
        one_way: false,
    }
}

/// A schema that only annotates (description, title, example…) and constrains nothing.
pub(super) fn is_annotation_only(schema: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = schema else {
        return false;
    };
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.not.is_none()
                && any.enumeration.is_empty()
                && any.format.is_none()
                // `required` makes inherited fields required: that changes the type.
                && any.required.is_empty()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    /// A spec of `Rank0` to `Rank{depth}`, each an `allOf` of the one before and a
    /// field of its own, and `Top`, an `allOf` of the last and `top_member`.
    fn chain_spec(depth: usize, top_member: &str) -> String {
        let mut schemas = String::from(
            "    Rank0: {type: object, required: [id], properties: {id: {type: string}}}\n",
        );
        for i in 1..=depth {
            schemas.push_str(&format!(
                "    Rank{i}:\n      allOf:\n        - $ref: '#/components/schemas/Rank{}'\n        - {{type: object, properties: {{r{i}: {{type: integer}}}}}}\n",
                i - 1
            ));
        }
        schemas.push_str(&format!(
            "    Top:\n      allOf:\n        - $ref: '#/components/schemas/Rank{depth}'\n        - {top_member}\n"
        ));
        format!(
            "openapi: 3.0.3\ninfo: {{title: Ranks, version: '1'}}\npaths:\n  /top:\n    get:\n      operationId: getTop\n      responses:\n        '200':\n          description: The top.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Top'}}\ncomponents:\n  schemas:\n{schemas}"
        )
    }

    /// The text of `pub struct {name} { … }` in the generated types.
    fn struct_text(spec: &str, name: &str) -> String {
        let output = crate::generate(spec).expect("the spec generates");
        let types: String = output
            .files
            .iter()
            .filter(|(path, _)| path.starts_with("src/types/"))
            .map(|(_, text)| text.as_str())
            .collect();
        let start = types
            .find(&format!("pub struct {name} {{"))
            .expect("the struct");
        let end = types[start..].find("\n}\n").expect("its end");
        types[start..start + end].to_owned()
    }

    #[test]
    fn a_member_that_copies_eight_levels_is_flattened() {
        let own = "{type: object, properties: {title: {type: string}}}";
        let top = struct_text(&chain_spec(8, own), "Top");
        assert!(
            top.contains("#[serde(flatten)]\n    pub rank8: crate::types::Rank8,"),
            "{top}"
        );
        assert!(!top.contains("pub r3:"), "{top}");
        // Seven levels are still copied: Rank7 has no flattened member.
        let shallow = struct_text(&chain_spec(7, own), "Top");
        assert!(
            !shallow.contains("flatten") && shallow.contains("pub r7:"),
            "{shallow}"
        );
    }

    #[test]
    fn a_member_whose_fields_another_redefines_or_requires_is_copied() {
        for own in [
            "{type: object, properties: {r3: {type: string}}}",
            "{type: object, required: [r3]}",
            "{required: [r5]}",
        ] {
            let top = struct_text(&chain_spec(8, own), "Top");
            assert!(
                !top.contains("flatten") && top.contains("pub id:"),
                "{own}: {top}"
            );
        }
    }
}
