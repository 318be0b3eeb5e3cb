//! An OpenAPI 3.0, 3.1 and 3.2 to Rust client generator, and the source of the
//! `beeper-desktop-api` crate.
//!
//! # Pipeline
//!
//! ```text
//! spec text ─load─▶ openapiv3::OpenAPI ─lower─▶ ir::Api ─emit/render─▶ Files (in memory)
//! ```
//!
//! * [`load`]: YAML/JSON text into the `openapiv3` model: other documents that
//!   `$ref`s name are bundled in (read through a [`sources::Reader`], as
//!   [`sources::Access`] allows), and what has one obvious repair is repaired
//!   with a located warning.
//! * `lower`: `$ref`s resolved, inline schemas named, names made final and sorted.
//! * [`emit`]: `quote!` → syn → prettyplease for the Rust files; [`render`]:
//!   minijinja for `Cargo.toml` and `README.md`; the runtime is copied verbatim.
//!
//! [`generate`] (a spec as text) and [`generate_from`] (a spec at a location,
//! with the files it references) are the entry points and do no I/O of their own;
//! [`files`] holds the edge helpers the CLI and the tests use to write or compare
//! a tree on disk, and [`sources::FsReader`] reads files and URLs.
//!
//! # Invariants
//!
//! * Emitters read only the IR; nothing under `emit` imports `openapiv3`.
//! * Every Rust name is decided in [`naming`] (called from `lower`).
//! * The same spec gives the same bytes: ordered maps, sorted IR, no timestamps.
//! * A bad spec gives every problem at once, each with a JSON pointer (and the
//!   file and line it is in); never a panic.

#![deny(missing_docs)]

pub mod build;
pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod files;
pub mod ir;
pub mod load;
mod locate;
mod lower;
pub mod naming;
pub mod render;
pub mod settings;
pub mod single_file;
pub mod sources;
pub mod type_map;

use diagnostics::{Diagnostic, Diagnostics, Severity, Sink};
use files::Files;
use load::bundle::Document;
use settings::Settings;
use sources::{Access, Location, NoReader, Reader};

/// The runtime module of the generated crate, copied verbatim into `src/runtime/`.
const RUNTIME: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../templates/runtime/auth.rs")),
    (
        "builder.rs",
        include_str!("../../templates/runtime/builder.rs"),
    ),
    (
        "client.rs",
        include_str!("../../templates/runtime/client.rs"),
    ),
    (
        "config.rs",
        include_str!("../../templates/runtime/config.rs"),
    ),
    (
        "custom.rs",
        include_str!("../../templates/runtime/custom.rs"),
    ),
    (
        "decode.rs",
        include_str!("../../templates/runtime/decode.rs"),
    ),
    ("enums.rs", include_str!("../../templates/runtime/enums.rs")),
    ("error.rs", include_str!("../../templates/runtime/error.rs")),
    (
        "error_text.rs",
        include_str!("../../templates/runtime/error_text.rs"),
    ),
    (
        "fields.rs",
        include_str!("../../templates/runtime/fields.rs"),
    ),
    ("form.rs", include_str!("../../templates/runtime/form.rs")),
    (
        "framing.rs",
        include_str!("../../templates/runtime/framing.rs"),
    ),
    ("hooks.rs", include_str!("../../templates/runtime/hooks.rs")),
    ("items.rs", include_str!("../../templates/runtime/items.rs")),
    ("mod.rs", include_str!("../../templates/runtime/mod.rs")),
    (
        "multipart.rs",
        include_str!("../../templates/runtime/multipart.rs"),
    ),
    (
        "nullable.rs",
        include_str!("../../templates/runtime/nullable.rs"),
    ),
    (
        "pagination.rs",
        include_str!("../../templates/runtime/pagination.rs"),
    ),
    (
        "params.rs",
        include_str!("../../templates/runtime/params.rs"),
    ),
    ("retry.rs", include_str!("../../templates/runtime/retry.rs")),
    (
        "stream.rs",
        include_str!("../../templates/runtime/stream.rs"),
    ),
    (
        "styles.rs",
        include_str!("../../templates/runtime/styles.rs"),
    ),
    (
        "tagged.rs",
        include_str!("../../templates/runtime/tagged.rs"),
    ),
    ("trace.rs", include_str!("../../templates/runtime/trace.rs")),
    (
        "untagged.rs",
        include_str!("../../templates/runtime/untagged.rs"),
    ),
];

/// What a successful run produces.
#[derive(Debug, Clone)]
pub struct Output {
    /// Every file of the generated crate, by relative path.
    pub files: Files,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// Every document read: the spec and the files its references brought in.
    pub documents: Vec<Location>,
    /// How many operations the crate has.
    pub operations: usize,
    /// How many named types it has (replaced schemas included, as aliases).
    pub types: usize,
    /// For each component schema and each operation's JSON request and response
    /// schema, its JSON pointer in the spec and the Rust type the crate decodes
    /// it into (the CLI writes it with `--type-map FILE`).
    pub type_map: type_map::TypeMap,
}

/// Why a run produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec has errors; every one of them is listed.
    #[error(transparent)]
    Spec(#[from] Diagnostics),
    /// The generator produced invalid Rust (a bug in the generator).
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    /// A template failed to render (a bug in a template).
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// The root spec could not be read.
    #[error("cannot read the spec at {location}: {message}")]
    Read {
        /// Where the spec was looked for.
        location: String,
        /// Why it could not be read.
        message: String,
    },
}

/// How a run is set up beyond the spec itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The command that regenerates the crate, named in the first line of every
    /// file; `cargo run -p generator` for `generated/`.
    pub command: String,
    /// The spec's file name, if it has one: the crate is named after it when
    /// `info.title` gives no name, and diagnostics name it.
    pub spec_name: Option<String>,
    /// Which other documents the spec's references may bring in.
    pub access: Access,
    /// What the user sets beside the spec (flags, config file, build script).
    pub settings: Settings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            command: DEFAULT_COMMAND.to_owned(),
            spec_name: None,
            access: Access::default(),
            settings: Settings::default(),
        }
    }
}

/// The command that regenerates `generated/` from `spec/`.
pub const DEFAULT_COMMAND: &str = "cargo run -p generator";

/// Generates the client crate for `spec_text` (YAML or JSON), entirely in memory,
/// with the headers naming `cargo run -p generator`.
pub fn generate(spec_text: &str) -> Result<Output, Error> {
    generate_with(spec_text, &Options::default())
}

/// Like [`generate`], with the headers naming `options.command`. References to
/// other documents cannot be followed from a text; see [`generate_from`].
pub fn generate_with(spec_text: &str, options: &Options) -> Result<Output, Error> {
    let root = Document {
        name: options
            .spec_name
            .clone()
            .unwrap_or_else(|| "spec".to_owned()),
        location: None,
        text: spec_text.to_owned(),
    };
    run(root, &NoReader, options)
}

/// Generates the crate for the spec at `location`, reading it and every document
/// its references name through `reader` (as `options.access` allows).
pub fn generate_from(
    location: &Location,
    reader: &dyn Reader,
    options: &Options,
) -> Result<Output, Error> {
    let text = reader.read(location).map_err(|message| Error::Read {
        location: location.display(),
        message,
    })?;
    let root = Document {
        name: options
            .spec_name
            .clone()
            .unwrap_or_else(|| location.display()),
        location: Some(location.clone()),
        text,
    };
    run(root, reader, options)
}

fn run(root: Document, reader: &dyn Reader, options: &Options) -> Result<Output, Error> {
    let mut output = generate_default(root, reader, options)?;
    if options.command != DEFAULT_COMMAND {
        for text in output.files.values_mut() {
            *text = stamp(text, &options.command);
        }
    }
    Ok(output)
}

/// Names `command` instead of the default one in the header (first) line of `text`.
fn stamp(text: &str, command: &str) -> String {
    let (first, rest) = text.split_at(text.find('\n').unwrap_or(text.len()));
    let default = format!("`{DEFAULT_COMMAND}`");
    format!(
        "{}{rest}",
        first.replacen(&default, &format!("`{command}`"), 1)
    )
}

fn generate_default(
    root: Document,
    reader: &dyn Reader,
    options: &Options,
) -> Result<Output, Error> {
    // Settings that are malformed on their own stop the run before the spec is read.
    let problems = options.settings.check();
    if !problems.is_empty() {
        return Err(Diagnostics { items: problems }.into());
    }
    let mut sink = Sink::default();
    let stem = options
        .spec_name
        .clone()
        .map(|name| file_stem(&name).to_owned());
    let root_location = root.location.clone();
    let (spec, bundled) = load::load_documents(root, reader, options.access, &mut sink);
    let api =
        spec.and_then(|spec| lower::lower(&spec, stem.as_deref(), &options.settings, &mut sink));
    let examples = match &api {
        Some(api) => read_examples(api, root_location.as_ref(), reader, &mut sink),
        None => Vec::new(),
    };
    let failed = api.is_none() || sink.has_errors();
    let diagnostics = locate::locate(sink.into_sorted(), &bundled);
    let mut api = match api {
        Some(api) if !failed => api,
        _ => return Err(Diagnostics { items: diagnostics }.into()),
    };
    // An example whose file could not be read is left out of the manifest too.
    api.examples.retain(|e| {
        examples
            .iter()
            .any(|(path, _)| *path == format!("examples/{}.rs", e.name))
    });
    let warnings = diagnostics;
    let mut files = Files::new();
    files.insert("src/lib.rs".to_owned(), emit::emit_lib(&api)?);
    files.insert("src/auth.rs".to_owned(), emit::emit_auth(&api)?);
    files.extend(emit::emit_types(&api)?);
    files.extend(emit::emit_resources(&api)?);
    if let Some(events) = emit::emit_events(&api) {
        files.insert("src/events/mod.rs".to_owned(), events?);
        for (name, text) in emit::EVENTS_ENGINE {
            let text = format!("{}{}", emit::RUST_HEADER, text);
            files.insert(format!("src/events/{name}"), text);
        }
    }
    files.extend(emit::emit_mocks(&api)?);
    for (name, text) in emit::MOCK_ENGINE {
        if emit::engine_file_wanted(&api, name) {
            let text = format!("{}{}", emit::RUST_HEADER, text);
            files.insert(format!("src/mock/{name}"), text);
        }
    }
    for (path, text) in examples {
        files.insert(path, text);
    }
    for (name, text) in RUNTIME {
        files.insert(
            format!("src/runtime/{name}"),
            format!("{}{text}", emit::RUST_HEADER),
        );
    }
    for (path, text) in render::render(&api)? {
        files.insert(path.to_owned(), text);
    }
    let warnings = warnings
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    let documents = bundled
        .documents
        .into_iter()
        .filter_map(|d| d.location)
        .collect();
    Ok(Output {
        files,
        warnings,
        documents,
        operations: api.operations.len(),
        types: api.types.len(),
        type_map: type_map::TypeMap::of(&api),
    })
}

/// The example programs the spec lists, as `(path in the crate, text)`, read
/// relative to the spec; one that cannot be read is a warning and is left out.
fn read_examples(
    api: &ir::Api,
    root: Option<&Location>,
    reader: &dyn Reader,
    sink: &mut Sink,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for example in &api.examples {
        let at = diagnostics::Pointer::parse_local_ref(&example.pointer).unwrap_or_default();
        let text = match root {
            Some(root) => reader.read(&root.join(&example.file)),
            None => Err("the spec was given as text, so files beside it cannot be read".to_owned()),
        };
        match text {
            Ok(text) => {
                let header = format!(
                    "// @generated by `{DEFAULT_COMMAND}` from the spec's example {}. Do not edit by hand.\n",
                    example.file
                );
                files.push((
                    format!("examples/{}.rs", example.name),
                    format!("{header}{text}"),
                ));
            }
            Err(reason) => sink.warning_with_hint(
                diagnostics::Code::BadReference,
                &at,
                format!(
                    "example `{}` is left out: {} cannot be read ({reason})",
                    example.name, example.file
                ),
                "put the example's file beside the spec, at the path `file` gives",
            ),
        }
    }
    files
}

/// The file name of `path` without folders and extension.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stamp_replaces_the_command_in_the_first_line_only() {
        let text =
            "// @generated by `cargo run -p generator` from x\n// `cargo run -p generator`\n";
        assert_eq!(
            super::stamp(text, "cargo run -p generator -- --out a"),
            "// @generated by `cargo run -p generator -- --out a` from x\n// `cargo run -p generator`\n"
        );
    }

    /// Every file of `templates/runtime/` is copied, so a new runtime module cannot be forgotten.
    #[test]
    fn every_runtime_template_is_copied() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = super::RUNTIME.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, listed);
    }
}
