//! `generator.toml`: the settings of a run in a file, for specs the user does
//! not own. It is read before anything else; what it sets becomes
//! [`Settings`] (each value remembering its file, line and column) and the run's
//! own options (spec, output folder, flags). Flags on the command line win over
//! the file, and the file wins over the spec's `x-rust-*` extensions.
//!
//! ```toml
//! spec = "openapi.yaml"        # relative to this file
//! out = "client"
//! crate-name = "acme-client"
//! include-tags = ["chats"]
//! derives = ["Hash"]           # for every type
//!
//! [type-derives]
//! Chat = ["Eq"]
//!
//! [replace]
//! ChatId = "uuid::Uuid"
//!
//! [rename.operations]
//! listChats = "chats.all"
//!
//! [dependencies]
//! uuid = { version = "1", features = ["serde"] }
//! ```
//!
//! A key the file may not have, a value of the wrong type and a malformed value
//! are errors at their line; nothing is generated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::settings::{Dependency, Derives, Origin, Rename, Replacement, Setting, Settings};

/// The file name looked for when no `--config` is given.
pub const DEFAULT_FILE: &str = "generator.toml";

/// A config file, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The settings that reach the generator.
    pub settings: Settings,
    /// The spec, resolved against the file's folder.
    pub spec: Option<PathBuf>,
    /// The output folder, resolved against the file's folder.
    pub out: Option<PathBuf>,
    /// `deny-warnings`.
    pub deny_warnings: Option<bool>,
    /// `allow-refs-outside`.
    pub allow_refs_outside: Option<bool>,
    /// `allow-remote-refs`.
    pub allow_remote_refs: Option<bool>,
    /// `remote-timeout`, in seconds.
    pub remote_timeout: Option<f64>,
    /// `quiet`.
    pub quiet: Option<bool>,
}

/// The keys of the file, as serde reads them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Keys {
    spec: Option<Spanned<String>>,
    out: Option<Spanned<String>>,
    crate_name: Option<Spanned<String>>,
    crate_version: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
    base_url_env: Option<Spanned<String>>,
    #[serde(default)]
    include_tags: Vec<Spanned<String>>,
    #[serde(default)]
    exclude_tags: Vec<Spanned<String>>,
    #[serde(default)]
    include_paths: Vec<Spanned<String>>,
    deny_warnings: Option<bool>,
    allow_refs_outside: Option<bool>,
    allow_remote_refs: Option<bool>,
    remote_timeout: Option<Spanned<f64>>,
    quiet: Option<bool>,
    #[serde(default)]
    derives: Vec<Spanned<String>>,
    #[serde(default)]
    type_derives: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    replace: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    rename: RenameKeys,
    #[serde(default)]
    dependencies: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameKeys {
    #[serde(default)]
    operations: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    groups: BTreeMap<String, Spanned<String>>,
}

/// Reads the config file at `path`. A file that cannot be read is an error
/// naming it; what is wrong inside is [`parse`]'s.
pub fn read(path: &Path) -> Result<Config, Diagnostics> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| Diagnostics {
        items: vec![Origin::Flag("--config".to_owned()).diagnostic(
            Severity::Error,
            format!("cannot read the config file {name}: {error}"),
            "check the path given to `--config`",
        )],
    })?;
    let folder = path.parent().unwrap_or(Path::new(""));
    parse(&text, &name, folder)
}

/// Reads a config file's `text`; `file` names it in diagnostics, and relative
/// paths in it are taken from `folder`. Every malformed value is reported.
pub fn parse(text: &str, file: &str, folder: &Path) -> Result<Config, Diagnostics> {
    let place = Place { text, file };
    let keys: Keys = toml::from_str(text).map_err(|error| Diagnostics {
        items: vec![place.diagnostic(
            error.span().map_or(0, |s| s.start),
            "",
            error.message().to_owned(),
            "see the README's \"Use it on your own spec\" for the keys",
        )],
    })?;
    let mut problems = Vec::new();
    let config = place.config(keys, folder, &mut problems);
    problems.extend(config.settings.check());
    if problems.iter().any(|d| d.severity == Severity::Error) {
        return Err(Diagnostics { items: problems });
    }
    Ok(config)
}

/// The file being read, to turn byte offsets into origins.
struct Place<'a> {
    text: &'a str,
    file: &'a str,
}

impl Place<'_> {
    fn config(&self, keys: Keys, folder: &Path, problems: &mut Vec<Diagnostic>) -> Config {
        let string =
            |key: &str, value: Option<Spanned<String>>| value.map(|v| self.setting(key, v));
        let list = |key: &str, values: Vec<Spanned<String>>| -> Vec<Setting<String>> {
            values.into_iter().map(|v| self.setting(key, v)).collect()
        };
        let path = |value: Option<Spanned<String>>| value.map(|v| folder.join(v.into_inner()));
        let remote_timeout = keys.remote_timeout.and_then(|timeout| {
            let seconds = *timeout.get_ref();
            if seconds.is_finite() && seconds > 0.0 {
                return Some(seconds);
            }
            problems.push(self.diagnostic(
                timeout.span().start,
                "remote-timeout",
                format!("`{seconds}` is not a number of seconds"),
                "give a positive number, like `30`",
            ));
            None
        });
        let settings = Settings {
            crate_name: string("crate-name", keys.crate_name),
            crate_version: string("crate-version", keys.crate_version),
            token_env: string("token-env", keys.token_env),
            base_url_env: string("base-url-env", keys.base_url_env),
            include_tags: list("include-tags", keys.include_tags),
            exclude_tags: list("exclude-tags", keys.exclude_tags),
            include_paths: list("include-paths", keys.include_paths),
            operation_renames: self.renames("rename.operations", keys.rename.operations),
            group_renames: self.renames("rename.groups", keys.rename.groups),
            derives: self.derives(keys.derives, keys.type_derives),
            replacements: keys
                .replace
                .into_iter()
                .map(|(schema, path)| Replacement {
                    path: self.setting(&format!("replace.{schema}"), path),
                    schema,
                })
                .collect(),
            dependencies: self.dependencies(keys.dependencies, problems),
            without_examples: false,
            derive_decoders: false,
        };
        Config {
            settings,
            spec: path(keys.spec),
            out: path(keys.out),
            deny_warnings: keys.deny_warnings,
            allow_refs_outside: keys.allow_refs_outside,
            allow_remote_refs: keys.allow_remote_refs,
            remote_timeout,
            quiet: keys.quiet,
        }
    }

    fn renames(&self, table: &str, entries: BTreeMap<String, Spanned<String>>) -> Vec<Rename> {
        entries
            .into_iter()
            .map(|(from, to)| Rename {
                to: self.setting(&format!("{table}.{from}"), to),
                from,
            })
            .collect()
    }

    fn derives(
        &self,
        all: Vec<Spanned<String>>,
        by_type: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    ) -> Vec<Derives> {
        let mut entries = Vec::new();
        if let Some(first) = all.first() {
            entries.push(Derives {
                target: None,
                origin: self.origin("derives", first.span().start),
                derives: all
                    .into_iter()
                    .map(|d| self.setting("derives", d))
                    .collect(),
            });
        }
        for (target, list) in by_type {
            let key = format!("type-derives.{target}");
            let origin = self.origin(&key, list.span().start);
            entries.push(Derives {
                derives: list
                    .into_inner()
                    .into_iter()
                    .map(|d| self.setting(&key, d))
                    .collect(),
                target: Some(target),
                origin,
            });
        }
        entries
    }

    fn dependencies(
        &self,
        entries: BTreeMap<String, Spanned<toml::Value>>,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<Dependency> {
        let mut found = Vec::new();
        for (name, value) in entries {
            let key = format!("dependencies.{name}");
            let at = value.span().start;
            if crate::render::GENERATED_DEPENDENCIES.contains(&name.as_str()) {
                problems.push(self.diagnostic(
                    at,
                    &key,
                    format!("the generated crate depends on `{name}` already"),
                    "leave it out; the generated Cargo.toml sets its version",
                ));
                continue;
            }
            let spec = match value.get_ref() {
                toml::Value::String(_) | toml::Value::Table(_) => value.get_ref().to_string(),
                _ => {
                    problems.push(self.diagnostic(
                        at,
                        &key,
                        format!("`{name}` must be a version or a table, as in Cargo.toml"),
                        "write it like `\"1\"` or `{ version = \"1\", features = [\"serde\"] }`",
                    ));
                    continue;
                }
            };
            found.push(Dependency {
                name,
                spec: Setting {
                    value: spec,
                    origin: self.origin(&key, at),
                },
            });
        }
        found
    }

    fn setting(&self, key: &str, value: Spanned<String>) -> Setting<String> {
        let origin = self.origin(key, value.span().start);
        Setting {
            value: value.into_inner(),
            origin,
        }
    }

    /// The origin of the value at byte `offset`.
    fn origin(&self, key: &str, offset: usize) -> Origin {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[start..].chars().count() + 1;
        Origin::File {
            file: self.file.to_owned(),
            key: key.to_owned(),
            line,
            column,
            source_line: self
                .text
                .lines()
                .nth(line - 1)
                .unwrap_or_default()
                .to_owned(),
        }
    }

    fn diagnostic(&self, offset: usize, key: &str, message: String, hint: &str) -> Diagnostic {
        let mut diagnostic = self
            .origin(key, offset)
            .diagnostic(Severity::Error, message, hint);
        if key.is_empty() {
            diagnostic.pointer = "(config)".to_owned();
        }
        diagnostic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match parse(text, "generator.toml", Path::new("/cfg")) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics
                .items
                .iter()
                .map(|d| {
                    let (line, column) = d.line_column.unwrap_or_default();
                    format!("{line}:{column} {}: {}", d.pointer, d.message)
                })
                .collect(),
        }
    }

    #[test]
    fn every_key_is_read_with_its_place() {
        let text = r#"spec = "api.yaml"
out = "client"
crate-name = "acme"
crate-version = "2.0.0"
token-env = "ACME_KEY"
base-url-env = "ACME_URL"
include-tags = ["chats"]
exclude-tags = ["internal"]
include-paths = ["/v1/**"]
deny-warnings = true
allow-refs-outside = true
allow-remote-refs = false
remote-timeout = 5
quiet = true
derives = ["Hash"]

[type-derives]
Chat = ["Eq"]

[replace]
ChatId = "uuid::Uuid"

[rename.operations]
listChats = "chats.all"

[rename.groups]
chats = "conversations"

[dependencies]
uuid = { version = "1", features = ["serde"] }
"#;
        let config = parse(text, "generator.toml", Path::new("/cfg")).expect("valid");
        assert_eq!(config.spec, Some(PathBuf::from("/cfg/api.yaml")));
        assert_eq!(config.out, Some(PathBuf::from("/cfg/client")));
        assert_eq!(config.deny_warnings, Some(true));
        assert_eq!(config.allow_refs_outside, Some(true));
        assert_eq!(config.allow_remote_refs, Some(false));
        assert_eq!(config.remote_timeout, Some(5.0));
        assert_eq!(config.quiet, Some(true));
        let s = &config.settings;
        let name = s.crate_name.as_ref().expect("crate-name");
        assert_eq!(name.value, "acme");
        let Origin::File {
            line, column, key, ..
        } = &name.origin
        else {
            panic!("a file origin")
        };
        assert_eq!((*line, *column, key.as_str()), (3, 14, "crate-name"));
        assert_eq!(
            s.crate_version.as_ref().map(|v| v.value.as_str()),
            Some("2.0.0")
        );
        assert_eq!(
            s.token_env.as_ref().map(|v| v.value.as_str()),
            Some("ACME_KEY")
        );
        assert_eq!(
            s.base_url_env.as_ref().map(|v| v.value.as_str()),
            Some("ACME_URL")
        );
        assert_eq!(s.include_tags[0].value, "chats");
        assert_eq!(s.exclude_tags[0].value, "internal");
        assert_eq!(s.include_paths[0].value, "/v1/**");
        assert_eq!(s.derives.len(), 2);
        assert_eq!(s.derives[0].target, None);
        assert_eq!(s.derives[1].target.as_deref(), Some("Chat"));
        assert_eq!(s.replacements[0].schema, "ChatId");
        assert_eq!(s.replacements[0].path.value, "uuid::Uuid");
        assert_eq!(s.operation_renames[0].from, "listChats");
        assert_eq!(s.group_renames[0].to.value, "conversations");
        assert_eq!(s.dependencies[0].name, "uuid");
        assert_eq!(
            s.dependencies[0].spec.value,
            r#"{ features = ["serde"], version = "1" }"#
        );
    }

    #[test]
    fn bad_files_are_errors_at_their_line() {
        let table = [
            (
                "crate-nam = \"x\"\n",
                "1:1 (config): unknown field `crate-nam`",
            ),
            (
                "quiet = \"yes\"\n",
                "1:9 (config): invalid type: string \"yes\", expected a boolean",
            ),
            ("spec = [\n", "1:9 (config): "),
            (
                "\n\ncrate-version = \"1.x\"\n",
                "3:17 crate-version: `1.x` is not a semantic version",
            ),
            (
                "remote-timeout = -1\n",
                "1:18 remote-timeout: `-1` is not a number of seconds",
            ),
            (
                "[replace]\nA = \"not a path\"\n",
                "2:5 replace.A: `not a path` is not a Rust path",
            ),
            (
                "[dependencies]\nserde = \"1\"\n",
                "2:9 dependencies.serde: the generated crate depends on `serde` already",
            ),
            (
                "[dependencies]\nx = 1\n",
                "2:5 dependencies.x: `x` must be a version or a table, as in Cargo.toml",
            ),
            (
                "derives = [\"Debug\"]\n",
                "1:12 derives: the generated types implement `Debug` already",
            ),
            (
                "[rename.groups]\nchats = \"a..b\"\n",
                "2:9 rename.groups.chats: `a..b` is not a dotted name",
            ),
        ];
        for (text, expected) in table {
            let found = errors(text);
            assert!(
                found.len() == 1 && found[0].starts_with(expected),
                "{text:?}: {found:?}"
            );
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let found = errors("crate-name = \"9\"\ncrate-version = \"x\"\ntoken-env = \"a b\"\n");
        assert_eq!(found.len(), 3, "{found:?}");
    }
}
