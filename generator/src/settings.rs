//! What the user sets beside the spec: the crate's name and variables, which
//! operations to keep, renames, extra derives and type replacements. They come
//! from command-line flags, a `generator.toml` ([`crate::config`]) or a build
//! script ([`crate::build`]), and reach `lower` through [`crate::Options`].
//!
//! Every value remembers where it was written ([`Origin`]), so a setting that is
//! malformed, or names a schema, tag or operation the spec does not have, is
//! reported at its flag or at its file and line. Settings win over the spec's
//! `x-rust-*` extensions: the user may not own the spec.
//!
//! Checks that need only the values are here ([`Settings::check`]); checks against
//! the spec are made in `lower`, which knows its names.

use crate::diagnostics::{Code, Diagnostic, Severity};

/// Where a setting was written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    /// Set through the library (a build script): no place to show.
    #[default]
    Api,
    /// A command-line flag, e.g. `--include-tag`.
    Flag(String),
    /// A key of a config file.
    File {
        /// The file's name, as given.
        file: String,
        /// The dotted key, e.g. `rename.groups.chats`.
        key: String,
        /// 1-based line and column of the value.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The text of that line.
        source_line: String,
    },
}

impl Origin {
    /// A diagnostic placed at this origin.
    pub fn diagnostic(
        &self,
        severity: Severity,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let (pointer, file, line_column, source_line) = match self {
            Origin::Api => ("(builder)".to_owned(), None, None, None),
            Origin::Flag(flag) => (flag.clone(), Some("command line".to_owned()), None, None),
            Origin::File {
                file,
                key,
                line,
                column,
                source_line,
            } => (
                key.clone(),
                Some(file.clone()),
                Some((*line, *column)),
                Some(source_line.clone()),
            ),
        };
        Diagnostic {
            severity,
            code: Code::Setting,
            pointer,
            message: message.into(),
            hint: hint.into(),
            line_column,
            file,
            source_line,
        }
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub origin: Origin,
}

impl<T> Setting<T> {
    /// A value set through the library.
    pub fn new(value: T) -> Self {
        Setting {
            value,
            origin: Origin::Api,
        }
    }

    /// A value given by a command-line flag.
    pub fn from_flag(value: T, flag: &str) -> Self {
        Setting {
            value,
            origin: Origin::Flag(flag.to_owned()),
        }
    }
}

/// A rename: what the spec calls it, and the name it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    /// An operationId (or `METHOD /path`) for operations; a dotted group path
    /// (`chats` or `chats.messages`) for groups.
    pub from: String,
    /// For operations, dotted like `x-rust-name` (`chats.messages.list`); for
    /// groups, the group's new dotted path.
    pub to: Setting<String>,
}

/// Extra derives, for every generated type or for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derives {
    /// A schema's name (its component key) or a type's Rust name; `None` for all.
    pub target: Option<String>,
    /// Paths of derive macros, e.g. `Hash` or `schemars::JsonSchema`.
    pub derives: Vec<Setting<String>>,
    /// Where the entry was written.
    pub origin: Origin,
}

/// A schema that becomes an existing Rust type instead of a generated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The component schema's name (its key under `components/schemas`).
    pub schema: String,
    /// The Rust path it becomes, e.g. `uuid::Uuid`.
    pub path: Setting<String>,
}

/// A dependency added to the generated crate's `Cargo.toml` (for a replacement
/// type or a derive from another crate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The crate's name.
    pub name: String,
    /// The right-hand side in `Cargo.toml`: `"1"` or `{ version = "1", features = [...] }`.
    pub spec: Setting<String>,
}

/// Everything the user sets beside the spec; the default changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// The generated crate's name (else `x-rust-crate-name`, else the title).
    pub crate_name: Option<Setting<String>>,
    /// Its version (else `x-rust-crate-version`, else `info.version`).
    pub crate_version: Option<Setting<String>>,
    /// The variable `Client::from_env` reads the token scheme's credential from
    /// (the first security scheme that takes one token).
    pub token_env: Option<Setting<String>>,
    /// The variable `Client::from_env` reads the base URL from.
    pub base_url_env: Option<Setting<String>>,
    /// Keep only operations with one of these tags (all when empty).
    pub include_tags: Vec<Setting<String>>,
    /// Leave out operations with any of these tags.
    pub exclude_tags: Vec<Setting<String>>,
    /// Keep only operations whose path matches one of these globs (all when
    /// empty): `*` is any text within a segment, `**` any text, `?` one character.
    pub include_paths: Vec<Setting<String>>,
    /// Operations renamed, by operationId.
    pub operation_renames: Vec<Rename>,
    /// Resource groups renamed, by dotted path.
    pub group_renames: Vec<Rename>,
    /// Extra derives.
    pub derives: Vec<Derives>,
    /// Schemas replaced by existing types.
    pub replacements: Vec<Replacement>,
    /// Dependencies added to the generated crate.
    pub dependencies: Vec<Dependency>,
    /// Leave out the spec's example programs (`x-rust-examples`): a build
    /// script's single file has no place for them.
    pub without_examples: bool,
    /// Structs decode through serde's derive instead of the generated tables
    /// (the baseline of the decode benchmark).
    pub derive_decoders: bool,
}

/// Derives the generated types have already, or implement by hand.
const OWN_DERIVES: &[&str] = &["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"];

impl Settings {
    /// `over` put over these settings: every value `over` sets wins, and a list
    /// it fills replaces this one's; renames, derives, replacements and
    /// dependencies add up (the later entry wins where two name one thing).
    pub fn overlay(&mut self, over: Settings) {
        let single = |base: &mut Option<Setting<String>>, over: Option<Setting<String>>| {
            if over.is_some() {
                *base = over;
            }
        };
        single(&mut self.crate_name, over.crate_name);
        single(&mut self.crate_version, over.crate_version);
        single(&mut self.token_env, over.token_env);
        single(&mut self.base_url_env, over.base_url_env);
        let list = |base: &mut Vec<Setting<String>>, over: Vec<Setting<String>>| {
            if !over.is_empty() {
                *base = over;
            }
        };
        list(&mut self.include_tags, over.include_tags);
        list(&mut self.exclude_tags, over.exclude_tags);
        list(&mut self.include_paths, over.include_paths);
        self.operation_renames.extend(over.operation_renames);
        self.group_renames.extend(over.group_renames);
        self.derives.extend(over.derives);
        self.replacements.extend(over.replacements);
        self.dependencies.extend(over.dependencies);
        self.without_examples |= over.without_examples;
        self.derive_decoders |= over.derive_decoders;
    }
    /// Whether operations are filtered by tag or path.
    pub fn filters_operations(&self) -> bool {
        !self.include_tags.is_empty()
            || !self.exclude_tags.is_empty()
            || !self.include_paths.is_empty()
    }

    /// Every problem the values have on their own: malformed names, versions,
    /// paths and globs. Errors stop generation; each is placed at its origin.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let mut error = |origin: &Origin, message: String, hint: &str| {
            found.push(origin.diagnostic(Severity::Error, message, hint));
        };
        if let Some(name) = &self.crate_name {
            if !is_package_name(&name.value) {
                error(
                    &name.origin,
                    format!("`{}` is not a valid crate name", name.value),
                    "use ASCII letters, digits, `-` and `_`, starting with a letter",
                );
            }
        }
        if let Some(version) = &self.crate_version {
            if !is_semver(&version.value) {
                error(
                    &version.origin,
                    format!("`{}` is not a semantic version", version.value),
                    "write it like `1.2.3` (a pre-release such as `1.0.0-beta.1` is fine)",
                );
            }
        }
        for env in [&self.token_env, &self.base_url_env].into_iter().flatten() {
            if !is_env_name(&env.value) {
                error(
                    &env.origin,
                    format!("`{}` is not an environment variable name", env.value),
                    "use ASCII letters, digits and `_`, not starting with a digit",
                );
            }
        }
        for tag in self.include_tags.iter().chain(&self.exclude_tags) {
            if tag.value.is_empty() {
                error(
                    &tag.origin,
                    "a tag cannot be empty".to_owned(),
                    "name a tag of the spec",
                );
            }
        }
        for glob in &self.include_paths {
            if !glob.value.starts_with(['/', '*']) {
                error(
                    &glob.origin,
                    format!("`{}` cannot match a path: paths start with `/`", glob.value),
                    "write it like `/v1/chats/**`",
                );
            }
        }
        for rename in self.operation_renames.iter().chain(&self.group_renames) {
            if dotted_names(&rename.to.value).is_none() {
                error(
                    &rename.to.origin,
                    format!("`{}` is not a dotted name", rename.to.value),
                    "write names separated by dots, like `chats.messages.list`",
                );
            }
        }
        for entry in &self.derives {
            for derive in &entry.derives {
                if !is_rust_path(&derive.value) {
                    error(
                        &derive.origin,
                        format!("`{}` is not a Rust path", derive.value),
                        "name a derive macro like `Hash` or `schemars::JsonSchema`",
                    );
                } else if OWN_DERIVES.contains(&derive.value.as_str()) {
                    error(
                        &derive.origin,
                        format!("the generated types implement `{}` already", derive.value),
                        "leave it out; the generator derives or writes it itself",
                    );
                }
            }
        }
        for replacement in &self.replacements {
            if !is_rust_path(&replacement.path.value) {
                error(
                    &replacement.path.origin,
                    format!("`{}` is not a Rust path", replacement.path.value),
                    "name a type like `uuid::Uuid` or `crate::money::Amount`",
                );
            }
        }
        for dependency in &self.dependencies {
            if !is_package_name(&dependency.name) {
                error(
                    &dependency.spec.origin,
                    format!("`{}` is not a valid crate name", dependency.name),
                    "use the name the crate has on crates.io",
                );
            }
        }
        found
    }
}

/// The dot-separated names of `text`, none empty.
pub(crate) fn dotted_names(text: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = text.split('.').collect();
    parts
        .iter()
        .all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
        .then_some(parts)
}

fn is_package_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `MAJOR.MINOR.PATCH` with an optional `-pre` and `+build`.
fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let numbers: Vec<&str> = core.split('.').collect();
    let rest = &version[core.len()..];
    numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c))
}

/// A path such as `uuid::Uuid`, `::std::net::IpAddr` or `Hash`.
fn is_rust_path(path: &str) -> bool {
    syn::parse_str::<syn::Path>(path).is_ok()
}

/// Whether `path` (a path template like `/v1/chats/{chatID}`) matches `glob`:
/// `**` is any text, `*` any text without `/`, `?` one character other than
/// `/`; everything else, braces included, is itself.
pub fn glob_matches(glob: &str, path: &str) -> bool {
    let glob: Vec<char> = glob.chars().collect();
    let path: Vec<char> = path.chars().collect();
    // matches[j]: whether the glob so far matches path[..j]; one row per glob
    // token keeps it linear in the product of the lengths, with no backtracking.
    let mut matches = vec![false; path.len() + 1];
    matches[0] = true;
    let mut i = 0;
    while i < glob.len() {
        let mut next = vec![false; path.len() + 1];
        match glob[i] {
            '*' if glob.get(i + 1) == Some(&'*') => {
                let mut reached = false;
                for j in 0..=path.len() {
                    reached |= matches[j];
                    next[j] = reached;
                }
                i += 1;
            }
            '*' => {
                let mut reached = false;
                for j in 0..=path.len() {
                    if j > 0 && path[j - 1] == '/' {
                        reached = false;
                    }
                    reached |= matches[j];
                    next[j] = reached;
                }
            }
            '?' => {
                for j in 1..=path.len() {
                    next[j] = matches[j - 1] && path[j - 1] != '/';
                }
            }
            literal => {
                for j in 1..=path.len() {
                    next[j] = matches[j - 1] && path[j - 1] == literal;
                }
            }
        }
        matches = next;
        i += 1;
    }
    matches[path.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_the_table_says() {
        let table = [
            ("/v1/chats", "/v1/chats", true),
            ("/v1/chats", "/v1/chats/x", false),
            ("/v1/chats/*", "/v1/chats/{chatID}", true),
            ("/v1/chats/*", "/v1/chats/{chatID}/messages", false),
            ("/v1/chats/**", "/v1/chats/{chatID}/messages", true),
            ("/v1/chats**", "/v1/chats", true),
            ("/v1/chats/**", "/v1/chats", false),
            ("/v1/*/messages", "/v1/chats/messages", true),
            ("/v1/*/messages", "/v1/chats/x/messages", false),
            ("/v1/**/messages", "/v1/chats/x/messages", true),
            ("/v1/chats/{chatID}", "/v1/chats/{chatID}", true),
            ("/v1/chats/{chatID}", "/v1/chats/chatID", false),
            ("/v?/chats", "/v1/chats", true),
            ("/v?/chats", "/v/chats", false),
            ("**", "/anything/at/all", true),
            ("*", "/v1", false),
        ];
        for (glob, path, expected) in table {
            assert_eq!(glob_matches(glob, path), expected, "{glob} on {path}");
        }
    }

    #[test]
    fn values_are_checked_on_their_own() {
        let flag = |value: &str, name: &str| Setting::from_flag(value.to_owned(), name);
        let settings = Settings {
            crate_name: Some(flag("9lives", "--crate-name")),
            crate_version: Some(flag("1.2", "--crate-version")),
            token_env: Some(flag("MY-TOKEN", "--token-env")),
            base_url_env: Some(flag("MY_URL", "--base-url-env")),
            include_paths: vec![flag("v1/**", "--include-path")],
            derives: vec![Derives {
                target: None,
                derives: vec![
                    flag("Hash", "derives"),
                    flag("Clone", "derives"),
                    flag("a b", "derives"),
                ],
                origin: Origin::Api,
            }],
            replacements: vec![Replacement {
                schema: "Id".to_owned(),
                path: flag("uuid::Uuid", "replace"),
            }],
            ..Settings::default()
        };
        let found: Vec<(String, String)> = settings
            .check()
            .into_iter()
            .map(|d| (d.pointer, d.message))
            .collect();
        let expected = [
            ("--crate-name", "`9lives` is not a valid crate name"),
            ("--crate-version", "`1.2` is not a semantic version"),
            (
                "--token-env",
                "`MY-TOKEN` is not an environment variable name",
            ),
            (
                "--include-path",
                "`v1/**` cannot match a path: paths start with `/`",
            ),
            ("derives", "the generated types implement `Clone` already"),
            ("derives", "`a b` is not a Rust path"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn versions_and_names_follow_cargo() {
        for (version, ok) in [
            ("1.2.3", true),
            ("0.1.0-beta.1", true),
            ("1.0.0+build.5", true),
            ("1.2", false),
            ("1.x.0", false),
            ("", false),
        ] {
            assert_eq!(is_semver(version), ok, "{version}");
        }
        for (name, ok) in [
            ("beeper-desktop-api", true),
            ("a_b", true),
            ("-a", false),
            ("a b", false),
        ] {
            assert_eq!(is_package_name(name), ok, "{name}");
        }
    }
}
