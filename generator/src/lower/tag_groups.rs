//! Resource groups from tags: an operation without `x-rust-name` is grouped by
//! its first tag that is a group, and OpenAPI 3.2's tag `parent` nests groups
//! (`messages`, whose parent is `chats`, is `client.chats().messages()`).
//!
//! 3.2's tag `kind` says what a tag is for: only navigation tags (`kind: nav`,
//! or no `kind`, as every tag before 3.2) are groups. Badges, audiences and any
//! other kind label operations without moving them: an operation is grouped by
//! its first tag that is a group, and such tags are also left out of the path
//! of the tags nested under them.

use std::collections::{BTreeMap, BTreeSet};

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::Ident;
use crate::load::openapi32::{TAG_KIND, TAG_PARENT};
use crate::naming::snake_ident;

/// What the declared tags say about groups.
#[derive(Debug, Default)]
pub(super) struct TagGroups {
    /// Each declared tag's group path (its ancestors that are groups, then
    /// itself), or `None` for a tag that is not a group.
    paths: BTreeMap<String, Option<Vec<String>>>,
}

impl TagGroups {
    /// The group path of the first of `tags` that is a group; a tag the spec
    /// does not declare is a top-level group.
    pub(super) fn group_of(&self, tags: &[String]) -> Vec<Ident> {
        let found = tags.iter().find_map(|tag| match self.paths.get(tag) {
            Some(path) => path.clone(),
            None => Some(vec![tag.clone()]),
        });
        found
            .unwrap_or_default()
            .iter()
            .map(|t| snake_ident(t))
            .collect()
    }
}

/// A declared tag's 3.2 fields.
struct Declared<'s> {
    index: usize,
    parent: Option<&'s str>,
    is_group: bool,
}

impl Lowerer<'_> {
    /// Reads the declared tags' `parent` and `kind`; a parent that is not
    /// declared, or a cycle of parents, is a warning, and the tag is read as
    /// top-level there.
    pub(super) fn read_tag_groups(&mut self) -> TagGroups {
        let spec = self.spec;
        let declared: BTreeMap<&str, Declared> = (spec.tags.iter().enumerate())
            .map(|(index, tag)| {
                let text = |key: &str| tag.extensions.get(key).and_then(|v| v.as_str());
                let kind = text(TAG_KIND);
                let is_group = kind.is_none_or(|k| k == "nav");
                let parent = text(TAG_PARENT);
                (
                    tag.name.as_str(),
                    Declared {
                        index,
                        parent,
                        is_group,
                    },
                )
            })
            .collect();
        let mut paths = BTreeMap::new();
        for (name, tag) in &declared {
            let path = tag.is_group.then(|| self.tag_path(name, &declared));
            paths.insert((*name).to_owned(), path);
        }
        TagGroups { paths }
    }

    /// `name`'s ancestors that are groups, then `name`.
    fn tag_path(&mut self, name: &str, declared: &BTreeMap<&str, Declared>) -> Vec<String> {
        let mut path = vec![name.to_owned()];
        let mut seen = BTreeSet::from([name]);
        let mut current = name;
        while let Some(parent) = declared.get(current).and_then(|t| t.parent) {
            let at = || {
                let index = declared.get(current).map_or(0, |t| t.index);
                Pointer::root().push("tags").push(index).push("parent")
            };
            let Some(tag) = declared.get(parent) else {
                let message = format!("the parent tag `{parent}` is not declared; `{current}` is read as a top-level group");
                let at = at();
                self.sink.warning_with_hint(
                    Code::Shape,
                    &at,
                    message,
                    "declare the parent under `tags`",
                );
                break;
            };
            if !seen.insert(parent) {
                // Reported once, from the tag whose parent closes the cycle.
                if parent == name {
                    let message = format!("the tag parents of `{name}` lead back to it; it is read as a top-level group");
                    let at = at();
                    self.sink.warning_with_hint(
                        Code::Shape,
                        &at,
                        message,
                        "remove a `parent` of the cycle",
                    );
                    return vec![name.to_owned()];
                }
                break;
            }
            if tag.is_group {
                path.push(parent.to_owned());
            }
            current = parent;
        }
        path.reverse();
        path
    }
}
