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

#[cfg(test)]
mod tests {
    use crate::diagnostics::Sink;
    use crate::settings::Settings;

    /// Each operation's id and group path, and the warnings' pointers.
    fn groups(tags: &str, operations: &[(&str, &str)]) -> (Vec<(String, String)>, Vec<String>) {
        let mut text =
            format!("openapi: 3.2.0\ninfo: {{title: t, version: '1'}}\ntags: {tags}\npaths:\n");
        for (id, tags) in operations {
            text.push_str(&format!("  /{id}:\n    get:\n      operationId: {id}\n      tags: {tags}\n      responses: {{'204': {{description: ok}}}}\n"));
        }
        let mut sink = Sink::default();
        let spec = crate::load::load(&text, &mut sink).expect("loads");
        let api =
            super::super::lower(&spec, None, &Settings::default(), &mut sink).expect("lowers");
        let groups = api.operations.iter().map(|o| {
            let path: Vec<&str> = o.group.iter().map(|i| i.text.as_str()).collect();
            (o.id.clone(), path.join("."))
        });
        let pointers = sink.into_sorted().into_iter().map(|d| d.pointer).collect();
        // The IR sorts operations; the test reads them by id.
        let mut groups: Vec<(String, String)> = groups.collect();
        groups.sort();
        (groups, pointers)
    }

    #[test]
    fn parents_nest_groups_and_only_navigation_tags_group() {
        let tags = "[{name: chats, kind: nav}, {name: messages, parent: chats}, {name: reactions, parent: messages, kind: nav}, {name: beta, kind: badge}, {name: partners, kind: audience}, {name: shared, parent: partners}]";
        let (found, warnings) = groups(
            tags,
            &[
                ("a", "[messages]"),
                ("b", "[beta, reactions]"),
                ("c", "[partners]"),
                ("d", "[shared]"),
                ("e", "[undeclared, chats]"),
            ],
        );
        let expected = [
            ("a", "chats.messages"),
            ("b", "chats.messages.reactions"),
            ("c", ""),
            // An audience between a tag and the root is left out of the path.
            ("d", "shared"),
            ("e", "undeclared"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(found, expected);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn unknown_parents_and_cycles_are_top_level_with_a_warning() {
        let tags = "[{name: a, parent: b}, {name: b, parent: a}, {name: c, parent: nowhere}]";
        let (found, warnings) = groups(tags, &[("x", "[a]"), ("y", "[c]")]);
        assert_eq!(found[0].1, "a");
        assert_eq!(found[1].1, "c");
        assert_eq!(
            warnings,
            ["#/tags/0/parent", "#/tags/1/parent", "#/tags/2/parent"]
        );
    }
}
