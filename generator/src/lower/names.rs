//! Last step of `lower`: suggested names become final and unique, operations are
//! checked for clashing Rust paths, resource groups are collected, deprecations
//! get their replacement call, and everything is sorted.
//!
//! Collisions among types are resolved with deterministic suffixes (component
//! names first, then inline names, each in pointer order). An operation whose Rust
//! path is taken (by an earlier operation, a resource group or a method of the
//! client) is renamed after its method and path, with a warning, since that name
//! is public API the user will look for.

use std::collections::{BTreeMap, BTreeSet};

use super::operations::PendingOperation;
use super::PendingType;
use crate::diagnostics::{Code, Pointer, Sink};
use crate::ir::Ident;
use crate::ir::{Group, Operation, TypeDef};
use crate::naming::{
    camel_name, claim_unique, claim_unique_ident, client_methods, renamed_root_group, snake_ident,
    type_name,
};

/// Final, unique type names; the result is indexed like `pending`.
pub(super) fn finalize_types(pending: &[PendingType]) -> Vec<TypeDef> {
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_by_key(|&i| (!pending[i].from_component, pending[i].pointer.clone()));
    let mut taken = BTreeSet::new();
    let mut names = vec![String::new(); pending.len()];
    for i in order {
        names[i] = claim_unique(&mut taken, &type_name(&pending[i].suggested), false);
    }
    pending
        .iter()
        .zip(names)
        .map(|(p, name)| p.to_def(name))
        .collect()
}

/// Makes operation names unique, then sorts operations; returns them with their
/// resource groups.
pub(super) fn finalize_operations(
    mut pending: Vec<PendingOperation>,
    has_events: bool,
    sink: &mut Sink,
) -> (Vec<Operation>, Vec<Group>) {
    let client = client_methods(has_events);
    rename_reserved_groups(&mut pending, &client, sink);
    let groups = collect_groups(&pending);
    rename_clashing_operations(&mut pending, &groups, &client, sink);
    let replacements = replacement_calls(&pending);
    let mut taken: BTreeSet<String> = groups.iter().map(|g| g.handle.clone()).collect();
    taken.insert("Client".to_owned());
    let mut operations: Vec<Operation> = Vec::with_capacity(pending.len());
    for item in pending {
        let mut operation = item.operation;
        operation.builder = claim_unique(&mut taken, &operation.builder, false);
        operation.values = claim_unique(&mut taken, &operation.values, false);
        if let (Some(deprecation), Some((target, at))) =
            (&mut operation.deprecation, item.replaced_by)
        {
            match replacements.get(&target) {
                Some(call) => deprecation.replacement = Some(call.clone()),
                None => sink.warning(
                    Code::BadExtension,
                    &at,
                    format!("`x-replaced-by: {target}` names no operationId; it is ignored"),
                ),
            }
        }
        operations.push(operation);
    }
    operations.sort_by(|a, b| (&a.group, &a.method_name).cmp(&(&b.group, &b.method_name)));
    (operations, groups)
}

/// Gives each operation whose method name is taken in its group (by an earlier
/// operation, a child group's accessor, or a method of the client) a name made
/// from its HTTP method and path, else a numbered one, in document order.
fn rename_clashing_operations(
    pending: &mut [PendingOperation],
    groups: &[Group],
    client: &BTreeSet<String>,
    sink: &mut Sink,
) {
    let mut taken: BTreeMap<Vec<Ident>, BTreeSet<String>> = BTreeMap::new();
    taken
        .entry(Vec::new())
        .or_default()
        .extend(client.iter().cloned());
    for group in groups {
        if let Some((last, parent)) = group.path.split_last() {
            taken
                .entry(parent.to_vec())
                .or_default()
                .insert(last.text.clone());
        }
    }
    let mut first_at: BTreeMap<(Vec<Ident>, String), String> = BTreeMap::new();
    for item in pending.iter_mut() {
        let operation = &mut item.operation;
        let names = taken.entry(operation.group.clone()).or_default();
        let wanted = operation.method_name.clone();
        if names.insert(wanted.text.clone()) {
            first_at.insert(
                (operation.group.clone(), wanted.text.clone()),
                operation.pointer.clone(),
            );
            continue;
        }
        let from_route = snake_ident(&format!("{} {}", operation.method.as_str(), operation.path));
        let renamed = claim_unique_ident(names, from_route);
        let why = match first_at.get(&(operation.group.clone(), wanted.text.clone())) {
            Some(first) => format!("the operation at `{first}` has it"),
            None if operation.group.is_empty() && client.contains(&wanted.text) => {
                "the client has a method of that name".to_owned()
            }
            None => "a resource group has that name".to_owned(),
        };
        let message = format!(
            "`{}` is taken ({why}); this operation is `{}`",
            rust_call(&operation.group, &wanted),
            rust_call(&operation.group, &renamed)
        );
        operation.method_name = renamed;
        sink.warning_with_hint(
            Code::NameCollision,
            &pointer_of(&operation.pointer),
            message,
            "give the operations distinct operationIds, or set `x-rust-name`",
        );
    }
}

/// Renames each top-level group whose accessor would be a method of the client
/// (`client.request()`, or `client.events()` beside live events) to
/// `<name>_resource`, with one warning per group at its first operation.
fn rename_reserved_groups(
    pending: &mut [PendingOperation],
    client: &BTreeSet<String>,
    sink: &mut Sink,
) {
    let mut taken: BTreeSet<String> = pending
        .iter()
        .filter_map(|item| item.operation.group.first())
        .map(|first| first.text.clone())
        .chain(client.iter().cloned())
        .collect();
    let mut renamed: BTreeMap<String, Ident> = BTreeMap::new();
    for item in pending.iter_mut() {
        let operation = &mut item.operation;
        let Some(first) = operation.group.first_mut() else {
            continue;
        };
        if !client.contains(&first.text) {
            continue;
        }
        let wanted = first.clone();
        let new = renamed.entry(wanted.text.clone()).or_insert_with(|| {
            let new = renamed_root_group(&mut taken, &wanted);
            sink.warning_with_hint(
                Code::NameCollision,
                &pointer_of(&operation.pointer),
                format!(
                    "the client has a method `{wanted}`; the resource group `{wanted}` is `client.{new}()`"
                ),
                "rename the group in generator.toml's [rename.groups]",
            );
            new
        });
        *first = new.clone();
    }
}

/// Every group path and its prefixes, with the handle struct's name.
fn collect_groups(pending: &[PendingOperation]) -> Vec<Group> {
    let mut paths: BTreeSet<Vec<Ident>> = BTreeSet::new();
    for item in pending {
        let group = &item.operation.group;
        for len in 1..=group.len() {
            paths.insert(group[..len].to_vec());
        }
    }
    let mut taken = BTreeSet::from(["Client".to_owned()]);
    paths
        .into_iter()
        .map(|path| {
            let joined: Vec<&str> = path.iter().map(|i| i.text.as_str()).collect();
            let handle = claim_unique(&mut taken, &camel_name(&joined.join("_")), false);
            Group {
                path,
                handle,
                feature: String::new(),
            }
        })
        .collect()
}

/// For each operationId, the call a user writes, e.g. `client.chats().retrieve(chat_id)`.
fn replacement_calls(pending: &[PendingOperation]) -> BTreeMap<String, String> {
    pending
        .iter()
        .map(|item| {
            let operation = &item.operation;
            let params = operation
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| p.rust.to_source());
            let fields = operation
                .body
                .iter()
                .flat_map(|b| &b.fields)
                .filter(|f| f.required)
                .map(|f| f.setter.to_source());
            let args: Vec<String> = params.chain(fields).collect();
            let call = format!(
                "{}({})",
                rust_call(&operation.group, &operation.method_name),
                args.join(", ")
            );
            (operation.id.clone(), call)
        })
        .collect()
}

fn rust_call(group: &[Ident], method: &Ident) -> String {
    let mut call = "client".to_owned();
    for segment in group {
        call.push_str(&format!(".{segment}()"));
    }
    call.push_str(&format!(".{method}"));
    call
}

/// Operations keep their pointer as text; diagnostics want it back as a pointer.
fn pointer_of(text: &str) -> Pointer {
    Pointer::parse_local_ref(text).unwrap_or_default()
}
