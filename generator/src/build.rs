//! The generator from a build script: [`Builder`] generates the client for a
//! spec and writes it as one file into `OUT_DIR`, for the crate to include at
//! its root:
//!
//! ```no_run
//! // in build.rs, inside `fn main`
//! generator::build::Builder::new("openapi.yaml")
//!     .include_tag("chats")
//!     .write_to_out_dir()
//!     .unwrap_or_else(|error| panic!("{error}"));
//! ```
//!
//! ```text
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/client.rs"));
//! ```
//!
//! Cargo is told to run the script again when the spec, any file its `$ref`s
//! reached, or the config file changes (`cargo:rerun-if-changed`), and each
//! warning is shown as a `cargo:warning`. The including crate needs the
//! dependencies the generated `Cargo.toml` would have (the README lists them);
//! the generated crate's Cargo features are decided here ([`Builder::features`]),
//! since the including crate does not have them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::settings::{Derives, Rename, Replacement, Setting, Settings};
use crate::single_file::{self, JoinError};
use crate::sources::{Access, FsReader, Location};

/// Why a build script's generation failed; its `Display` is what to print.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The spec or the config file has errors, every one rendered with its place.
    #[error("the client could not be generated:\n{rendered}")]
    Invalid {
        /// The diagnostics, as the command line prints them.
        rendered: String,
        /// The same, as data.
        diagnostics: Diagnostics,
    },
    /// The spec could not be read, or the generator failed.
    #[error(transparent)]
    Generate(#[from] crate::Error),
    /// The files could not be joined into one.
    #[error(transparent)]
    Join(#[from] JoinError),
    /// A feature asked for that the crate does not have.
    #[error("the generated crate has no feature `{feature}`; it has: {known}")]
    UnknownFeature {
        /// The feature asked for.
        feature: String,
        /// The features there are, comma-separated.
        known: String,
    },
    /// `OUT_DIR` is not set: not running under Cargo as a build script.
    #[error("OUT_DIR is not set; call write_to_out_dir from a build script, or use write_to")]
    NoOutDir,
    /// The file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The client as one file, and what went into it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The Rust source to include at a crate's root.
    pub code: String,
    /// The spec, as the builder was given it.
    pub spec: PathBuf,
    /// Every file read, each once: the spec, what its `$ref`s reached, and the
    /// config file.
    pub inputs: Vec<PathBuf>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// The features the code was generated with, implied ones included.
    pub features: BTreeSet<String>,
}

/// Generates a client from a build script; see the module docs.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    config: Option<PathBuf>,
    settings: Settings,
    access: Access,
    features: Option<Vec<String>>,
    file_name: String,
}

impl Builder {
    /// A builder for the spec at `spec` (relative paths are from the package's
    /// folder, where Cargo runs build scripts).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Builder {
            spec: spec.into(),
            config: None,
            settings: Settings::default(),
            access: Access::default(),
            features: None,
            file_name: "client.rs".to_owned(),
        }
    }

    /// Reads settings from a `generator.toml` too; what this builder sets wins
    /// over the file. Its `spec` and `out` are not used.
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self
    }

    /// Replaces every setting at once.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The variable `Client::from_env` reads the token scheme's credential from
    /// (the first security scheme that takes one token).
    pub fn token_env(mut self, name: &str) -> Self {
        self.settings.token_env = Some(Setting::new(name.to_owned()));
        self
    }

    /// The variable `Client::from_env` reads the base URL from.
    pub fn base_url_env(mut self, name: &str) -> Self {
        self.settings.base_url_env = Some(Setting::new(name.to_owned()));
        self
    }

    /// Keeps only operations with this tag (or another one included).
    pub fn include_tag(mut self, tag: &str) -> Self {
        self.settings
            .include_tags
            .push(Setting::new(tag.to_owned()));
        self
    }

    /// Leaves out operations with this tag.
    pub fn exclude_tag(mut self, tag: &str) -> Self {
        self.settings
            .exclude_tags
            .push(Setting::new(tag.to_owned()));
        self
    }

    /// Keeps only operations whose path matches this glob (or another one).
    pub fn include_path(mut self, glob: &str) -> Self {
        self.settings
            .include_paths
            .push(Setting::new(glob.to_owned()));
        self
    }

    /// Adds a derive to every generated type.
    pub fn derive(self, derive: &str) -> Self {
        self.derive_on(None, derive)
    }

    /// Adds a derive to one type, by schema or Rust name.
    pub fn derive_for(self, name: &str, derive: &str) -> Self {
        self.derive_on(Some(name.to_owned()), derive)
    }

    fn derive_on(mut self, target: Option<String>, derive: &str) -> Self {
        self.settings.derives.push(Derives {
            target,
            derives: vec![Setting::new(derive.to_owned())],
            origin: Default::default(),
        });
        self
    }

    /// Uses an existing Rust type (a path such as `uuid::Uuid`) for a schema.
    pub fn replace(mut self, schema: &str, path: &str) -> Self {
        self.settings.replacements.push(Replacement {
            schema: schema.to_owned(),
            path: Setting::new(path.to_owned()),
        });
        self
    }

    /// Renames an operation, by operationId, to a dotted path like `chats.all`.
    pub fn rename_operation(mut self, id: &str, to: &str) -> Self {
        self.settings.operation_renames.push(Rename {
            from: id.to_owned(),
            to: Setting::new(to.to_owned()),
        });
        self
    }

    /// Renames a resource group (a dotted path like `chats.messages`).
    pub fn rename_group(mut self, group: &str, to: &str) -> Self {
        self.settings.group_renames.push(Rename {
            from: group.to_owned(),
            to: Setting::new(to.to_owned()),
        });
        self
    }

    /// Lets `$ref`s read files outside the spec's folder.
    pub fn allow_refs_outside(mut self, allow: bool) -> Self {
        self.access.refs_outside = allow;
        self
    }

    /// Lets `$ref`s fetch `http://` and `https://` documents.
    pub fn allow_remote_refs(mut self, allow: bool) -> Self {
        self.access.remote_refs = allow;
        self
    }

    /// The generated crate's features to compile in, as its `Cargo.toml`
    /// names them (each resource group, `events`, `tracing`); the default is
    /// its default features. The code of `tracing` and `events` needs the
    /// `tracing` and `tokio-tungstenite` crates.
    pub fn features<I: IntoIterator<Item = S>, S: Into<String>>(mut self, features: I) -> Self {
        self.features = Some(features.into_iter().map(Into::into).collect());
        self
    }

    /// The name of the file in `OUT_DIR` (default `client.rs`).
    pub fn file_name(mut self, name: &str) -> Self {
        self.file_name = name.to_owned();
        self
    }

    /// Generates the client in memory.
    pub fn generate(&self) -> Result<Generated, BuildError> {
        let mut settings = Settings::default();
        if let Some(path) = &self.config {
            let config = crate::config::read(path).map_err(|d| invalid(d, path))?;
            settings = config.settings;
        }
        settings.overlay(self.settings.clone());
        settings.without_examples = true;
        let unused = unused_dependencies(&settings);
        let spec_name = self.spec.display().to_string();
        let options = crate::Options {
            command: "cargo build (the build script)".to_owned(),
            spec_name: Some(spec_name),
            access: self.access,
            settings,
        };
        let location = Location::File(self.spec.clone());
        let output =
            crate::generate_from(&location, &FsReader::default(), &options).map_err(|error| {
                match error {
                    crate::Error::Spec(diagnostics) => invalid(diagnostics, &self.spec),
                    other => BuildError::Generate(other),
                }
            })?;
        let mut inputs: Vec<PathBuf> = Vec::new();
        let documents = output.documents.iter().filter_map(|d| match d {
            Location::File(path) => Some(path.clone()),
            Location::Url(_) => None,
        });
        for input in documents.chain(self.config.clone()) {
            if !inputs.contains(&input) {
                inputs.push(input);
            }
        }
        let features = self.resolve_features(&output.files)?;
        let body = single_file::join(&output.files, &features)?;
        let code = format!(
            "// @generated by the build script (`generator::build::Builder`, run by `cargo build`) from {}. Do not edit by hand.\n{body}",
            self.spec.display()
        );
        let mut warnings = unused;
        warnings.extend(output.warnings);
        Ok(Generated {
            code,
            spec: self.spec.clone(),
            inputs,
            warnings,
            features,
        })
    }

    /// Generates the client into `path`, writing only when the text changed.
    pub fn write_to(&self, path: &Path) -> Result<Generated, BuildError> {
        let generated = self.generate()?;
        let unchanged = std::fs::read_to_string(path).is_ok_and(|old| old == generated.code);
        if !unchanged {
            std::fs::write(path, &generated.code).map_err(|source| BuildError::Write {
                path: path.to_owned(),
                source,
            })?;
        }
        Ok(generated)
    }

    /// Generates the client into `OUT_DIR`, prints `cargo:rerun-if-changed`
    /// for every input and `cargo:warning` for every warning; returns the path.
    pub fn write_to_out_dir(&self) -> Result<PathBuf, BuildError> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or(BuildError::NoOutDir)?;
        let path = PathBuf::from(out_dir).join(&self.file_name);
        let written = self.write_to(&path);
        let instructions = match &written {
            Ok(generated) => generated.cargo_instructions(),
            Err(_) => self.failure_instructions(),
        };
        for line in instructions {
            println!("{line}");
        }
        written.map(|_| path)
    }

    /// After a failure, Cargo is still told to run the script again when the
    /// spec or the config changes, so fixing them is enough.
    fn failure_instructions(&self) -> Vec<String> {
        std::iter::once(&self.spec)
            .chain(&self.config)
            .map(|path| format!("cargo:rerun-if-changed={}", path.display()))
            .collect()
    }

    /// The features asked for (else the default ones) and all they turn on,
    /// from the generated `Cargo.toml`.
    fn resolve_features(
        &self,
        files: &crate::files::Files,
    ) -> Result<BTreeSet<String>, BuildError> {
        let table = files
            .get("Cargo.toml")
            .and_then(|text| text.parse::<toml::Table>().ok())
            .and_then(|manifest| manifest.get("features").and_then(|f| f.as_table()).cloned())
            .unwrap_or_default();
        let enables: BTreeMap<&str, Vec<&str>> = table
            .iter()
            .map(|(name, list)| {
                let list = list.as_array().map(Vec::as_slice).unwrap_or_default();
                (
                    name.as_str(),
                    list.iter().filter_map(|v| v.as_str()).collect(),
                )
            })
            .collect();
        let wanted: Vec<String> = match &self.features {
            Some(features) => features.clone(),
            None => vec!["default".to_owned()],
        };
        let mut on = BTreeSet::new();
        let mut pending = wanted;
        while let Some(feature) = pending.pop() {
            let Some(list) = enables.get(feature.as_str()) else {
                let known: Vec<&str> = enables
                    .keys()
                    .copied()
                    .filter(|k| !k.starts_with('_'))
                    .collect();
                return Err(BuildError::UnknownFeature {
                    feature,
                    known: known.join(", "),
                });
            };
            if !on.insert(feature.clone()) {
                continue;
            }
            // `dep:x` and `x/y` name dependencies, which the including crate has itself.
            pending.extend(
                list.iter()
                    .filter(|e| !e.starts_with("dep:") && !e.contains('/'))
                    .map(|e| (*e).to_owned()),
            );
        }
        on.remove("default");
        Ok(on)
    }
}

impl Generated {
    /// What a build script prints for Cargo: `cargo:rerun-if-changed` for
    /// every input, then `cargo:warning` for every warning, with its place.
    pub fn cargo_instructions(&self) -> Vec<String> {
        let reruns = self
            .inputs
            .iter()
            .map(|input| format!("cargo:rerun-if-changed={}", input.display()));
        let warnings = self.warnings.iter().map(|warning| {
            let place = match (&warning.file, warning.line_column) {
                (Some(file), Some((line, column))) => format!("{file}:{line}:{column}: "),
                (None, Some((line, column))) => {
                    format!("{}:{line}:{column}: ", self.spec.display())
                }
                _ => String::new(),
            };
            let hint = if warning.hint.is_empty() {
                String::new()
            } else {
                format!("; {}", warning.hint)
            };
            format!(
                "cargo:warning={place}{} ({}){hint}",
                warning.message, warning.pointer
            )
        });
        reruns.chain(warnings).collect()
    }
}

/// A warning for each dependency the settings add: one file has no
/// `Cargo.toml` to add it to, so the including crate must list it.
fn unused_dependencies(settings: &Settings) -> Vec<Diagnostic> {
    settings
        .dependencies
        .iter()
        .map(|dependency| {
            dependency.spec.origin.diagnostic(
                Severity::Warning,
                format!(
                    "dependency `{}` is not added by a build script, which writes no Cargo.toml",
                    dependency.name
                ),
                format!(
                    "list it in the including crate's Cargo.toml: {} = {}",
                    dependency.name, dependency.spec.value
                ),
            )
        })
        .collect()
}

fn invalid(diagnostics: Diagnostics, file: &Path) -> BuildError {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let rendered: Vec<String> = diagnostics
        .items
        .iter()
        .map(|d| d.render(&name, &text))
        .collect();
    let errors = diagnostics
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    BuildError::Invalid {
        rendered: format!("{}\n{errors} error(s)", rendered.join("\n\n")),
        diagnostics,
    }
}
