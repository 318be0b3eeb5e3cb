//! Last step of `lower`: suggested names become final and unique, operations are
//! checked for clashing Rust paths, resource groups are collected, deprecations
//! get their replacement call, and everything is sorted.
//!
//! Collisions among types are resolved with deterministic suffixes (component
//! names first, then inline names, each in pointer order); two operations with the
//! same Rust path are an error, since renaming one silently would change the API.

use std::collections::{BTreeMap, BTreeSet};

use super::operations::PendingOperation;
use super::PendingType;
use crate::diagnostics::{Code, Pointer, Sink};
use crate::ir::{Group, Operation, TypeDef};
use crate::naming::{camel_name, claim_unique, Ident};

/// Method names the generated `Client` defines itself.
const CLIENT_RESERVED: &[&str] = &["new", "builder", "base_url", "with_http_client"];

/// Final, unique type names; the result is indexed like `pending`.
pub(super) fn finalize_types(pending: &[PendingType]) -> Vec<TypeDef> {
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_by_key(|&i| (!pending[i].from_component, pending[i].pointer.clone()));
    let mut taken = BTreeSet::new();
    let mut names = vec![String::new(); pending.len()];
    for i in order {
        names[i] = claim_unique(&mut taken, &pending[i].suggested, false);
    }
    pending
        .iter()
        .zip(names)
        .map(|(p, name)| p.to_def(name))
        .collect()
}

/// Checks and sorts operations; returns them with their resource groups.
pub(super) fn finalize_operations(
    pending: Vec<PendingOperation>,
    sink: &mut Sink,
) -> (Vec<Operation>, Vec<Group>) {
    check_unique_paths(&pending, sink);
    let groups = collect_groups(&pending, sink);
    let replacements = replacement_calls(&pending);
    let mut taken: BTreeSet<String> = groups.iter().map(|g| g.handle.clone()).collect();
    taken.insert("Client".to_owned());
    let mut operations: Vec<Operation> = Vec::with_capacity(pending.len());
    for item in pending {
        let mut operation = item.operation;
        operation.builder = claim_unique(&mut taken, &operation.builder, false);
        if let (Some(deprecation), Some((target, at))) =
            (&mut operation.deprecation, item.replaced_by)
        {
            match replacements.get(&target) {
                Some(call) => deprecation.replacement = Some(call.clone()),
                None => sink.error(
                    Code::BadExtension,
                    &at,
                    format!("`x-replaced-by: {target}` names no operationId"),
                ),
            }
        }
        operations.push(operation);
    }
    operations.sort_by(|a, b| (&a.group, &a.method_name).cmp(&(&b.group, &b.method_name)));
    (operations, groups)
}

fn check_unique_paths(pending: &[PendingOperation], sink: &mut Sink) {
    let mut seen: BTreeMap<(Vec<Ident>, Ident), &str> = BTreeMap::new();
    for item in pending {
        let operation = &item.operation;
        let key = (operation.group.clone(), operation.method_name.clone());
        let at = pointer_of(&operation.pointer);
        if let Some(first) = seen.insert(key, &operation.pointer) {
            let message = format!(
                "`{}` has the same Rust name as the operation at `{first}`",
                rust_call(&operation.group, &operation.method_name)
            );
            sink.error(Code::NameCollision, &at, message);
        }
        if operation.group.is_empty()
            && CLIENT_RESERVED.contains(&operation.method_name.text.as_str())
        {
            let message = format!(
                "`{}` is a method the client already has",
                operation.method_name
            );
            sink.error(Code::NameCollision, &at, message);
        }
    }
}

/// Every group path and its prefixes, with the handle struct's name.
fn collect_groups(pending: &[PendingOperation], sink: &mut Sink) -> Vec<Group> {
    let mut paths: BTreeSet<Vec<Ident>> = BTreeSet::new();
    for item in pending {
        let group = &item.operation.group;
        for len in 1..=group.len() {
            paths.insert(group[..len].to_vec());
        }
    }
    for item in pending {
        let operation = &item.operation;
        let mut as_group = operation.group.clone();
        as_group.push(operation.method_name.clone());
        if paths.contains(&as_group) {
            let message = format!(
                "method `{}` has the same name as a resource group",
                operation.method_name
            );
            sink.error(
                Code::NameCollision,
                &pointer_of(&operation.pointer),
                message,
            );
        }
    }
    let mut taken = BTreeSet::from(["Client".to_owned()]);
    paths
        .into_iter()
        .map(|path| {
            let joined: Vec<&str> = path.iter().map(|i| i.text.as_str()).collect();
            let handle = claim_unique(&mut taken, &camel_name(&joined.join("_")), false);
            Group { path, handle }
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
