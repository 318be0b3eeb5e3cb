//! The command line of `openapi-rustgen`, parsed by clap, and how it combines
//! with a config file: a flag wins over the file, the file over the spec.

use std::path::{Path, PathBuf};

use clap::Parser;
use generator::config::Config;
use generator::settings::{Setting, Settings};

/// The installed binary's name, for the file headers outside this repository.
pub const BINARY: &str = "openapi-rustgen";

const ABOUT: &str = "Generates a Rust client crate from an OpenAPI 3.0, 3.1 or 3.2 description";

const LONG_ABOUT: &str = "\
Generates a Rust client crate from an OpenAPI 3.0, 3.1 or 3.2 description (YAML or
JSON). The crate is written to --out: Cargo.toml, README.md, src/ with one module
per resource group and one Cargo feature per top-level group, and examples/.

Every file starts with a header naming the command that regenerates it; files
the generator did not write are left alone. A spec with errors writes nothing:
every problem is printed at once, each with its file, line and JSON pointer.
Defects with one obvious repair are repaired, with a located warning.

Settings come from, in order of precedence: these flags, a config file
(--config FILE, else ./generator.toml if there is one), and the spec's own
x-rust-* extensions.";

const AFTER_LONG_HELP: &str = "\
CONFIG FILE
  A TOML file with the same settings as the flags (spec, out, crate-name,
  crate-version, token-env, base-url-env, include-tags, exclude-tags,
  include-paths, deny-warnings, allow-refs-outside, allow-remote-refs,
  remote-timeout, quiet) and these, which have no flag:
    derives = [\"Hash\"]                  extra derives on every type
    [type-derives] Chat = [\"Eq\"]        extra derives on one type
    [replace] ChatId = \"uuid::Uuid\"     a schema becomes an existing type
    [rename.operations] listChats = \"chats.all\"
    [rename.groups] chats = \"conversations\"
    [dependencies] uuid = { version = \"1\", features = [\"serde\"] }
  Paths in it are relative to its folder. See the README, \"Use it on your own
  spec\".

EXIT STATUS
  0  the crate was written, or --check found it up to date
  1  the spec or config has errors, --check found stale files, or a file could
     not be read or written
  2  the command line is wrong

EXAMPLES
  openapi-rustgen --spec openapi.yaml --out client
  openapi-rustgen --spec openapi.yaml --out client --include-tag chats \\
      --crate-name acme-chats
  openapi-rustgen --config generator.toml --check";

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = BINARY,
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP
)]
pub struct Cli {
    /// The OpenAPI description to read; the files its `$ref`s name are read too.
    /// Inside the generator's repository the default is spec/beeper-desktop-api.yaml
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// The folder the crate is written to (it is a standalone crate there).
    /// Inside the generator's repository the default is generated/
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// A config file (TOML); without it, ./generator.toml is read if it exists
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write nothing; exit 1 and list every changed, missing or stale file
    #[arg(long)]
    pub check: bool,
    /// Treat warnings as errors: nothing is written
    #[arg(long)]
    pub deny_warnings: bool,
    /// Let `$ref`s read files outside the spec's folder
    #[arg(long)]
    pub allow_refs_outside: bool,
    /// Let `$ref`s fetch http:// and https:// documents
    #[arg(long)]
    pub allow_remote_refs: bool,
    /// The longest one fetch of a remote document may take [default: 30]
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub remote_timeout: Option<f64>,
    /// The generated crate's name (else `x-rust-crate-name`, else the spec's title)
    #[arg(long, value_name = "NAME")]
    pub crate_name: Option<String>,
    /// The generated crate's version (else `x-rust-crate-version`, else `info.version`)
    #[arg(long, value_name = "SEMVER")]
    pub crate_version: Option<String>,
    /// The variable `Client::from_env` reads the token scheme's credential from (the first security scheme that takes one token) [default: <CRATE>_<SCHEME>]
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
    /// The variable `Client::from_env` reads the base URL from [default: <CRATE>_BASE_URL]
    #[arg(long, value_name = "VAR")]
    pub base_url_env: Option<String>,
    /// Keep only operations with this tag (repeat for several); the schemas
    /// only the others use are left out too
    #[arg(long = "include-tag", value_name = "TAG")]
    pub include_tags: Vec<String>,
    /// Leave out operations with this tag (repeat for several)
    #[arg(long = "exclude-tag", value_name = "TAG")]
    pub exclude_tags: Vec<String>,
    /// Keep only operations whose path matches this glob (repeat for several):
    /// `*` is any text within a segment, `**` any text, `?` one character;
    /// e.g. '/v1/chats/**'
    #[arg(long = "include-path", value_name = "GLOB")]
    pub include_paths: Vec<String>,
    /// Print only warnings and errors: no list of files, no summary
    #[arg(long, short)]
    pub quiet: bool,
    /// Decode structs with serde's derive instead of the generated tables
    /// (which compile faster and decode as fast); the baseline of the decode
    /// benchmark
    #[arg(long)]
    pub derive_decoders: bool,
    /// Also write the type map to FILE (JSON): for each component schema and
    /// each operation's JSON request and response schema, its JSON pointer in
    /// the spec and the Rust type of the crate that decodes it (not with --check)
    #[arg(long, value_name = "FILE")]
    pub type_map: Option<PathBuf>,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .ok_or_else(|| format!("`{text}` is not a positive number of seconds"))
}

/// What a run does, once flags and the config file are combined.
#[derive(Debug)]
pub struct Run {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub check: bool,
    pub deny_warnings: bool,
    pub quiet: bool,
    pub access: generator::sources::Access,
    pub remote_timeout: std::time::Duration,
    pub settings: Settings,
    /// Where to write the type map, if asked.
    pub type_map: Option<PathBuf>,
    /// The command that regenerates the output, for the file headers: the
    /// settings' flags in a fixed order, so `--check` expects what the same
    /// command wrote whatever order the flags were given in.
    pub command: String,
}

/// Where this repository is when the binary runs inside it (so the defaults of
/// `cargo run -p generator` apply), else `None`.
pub fn repository() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent()?.canonicalize().ok()?;
    let here = std::env::current_dir().ok()?.canonicalize().ok()?;
    (here.starts_with(&root) && root.join("spec/beeper-desktop-api.yaml").is_file()).then_some(root)
}

impl Cli {
    /// The run these flags and `config` (with the path it was read from) ask for;
    /// `Err` says what is missing.
    pub fn combine(
        self,
        config: Option<(Config, PathBuf)>,
        repository: Option<&Path>,
    ) -> Result<Run, String> {
        let (config, config_path) = match config {
            Some((config, path)) => (config, Some(path)),
            None => (Config::default(), None),
        };
        let spec = self.spec.clone().or(config.spec.clone());
        let out = self.out.clone().or(config.out.clone());
        let (spec, out) = match (spec, out, repository) {
            (Some(spec), Some(out), _) => (spec, out),
            (spec, out, Some(root)) => (
                spec.unwrap_or_else(|| root.join("spec/beeper-desktop-api.yaml")),
                out.unwrap_or_else(|| root.join("generated")),
            ),
            (spec, _, None) => {
                let missing = if spec.is_none() { "--spec" } else { "--out" };
                return Err(format!(
                    "{missing} is needed: outside the generator's repository there is no \
                     default spec or output folder; give --spec PATH and --out DIR, or a \
                     config file with `spec` and `out`"
                ));
            }
        };
        let command = self.header_command(config_path.as_deref(), repository.is_some());
        let settings = self.settings(config.settings);
        Ok(Run {
            spec,
            out,
            check: self.check,
            deny_warnings: self.deny_warnings || config.deny_warnings.unwrap_or(false),
            quiet: self.quiet || config.quiet.unwrap_or(false),
            access: generator::sources::Access {
                refs_outside: self.allow_refs_outside || config.allow_refs_outside.unwrap_or(false),
                remote_refs: self.allow_remote_refs || config.allow_remote_refs.unwrap_or(false),
            },
            remote_timeout: std::time::Duration::from_secs_f64(
                self.remote_timeout
                    .or(config.remote_timeout)
                    .unwrap_or(30.0),
            ),
            settings,
            type_map: self.type_map.clone(),
            command,
        })
    }

    /// The config's settings with every flag given put over them.
    fn settings(&self, mut settings: Settings) -> Settings {
        let single = |value: &Option<String>, flag: &str| {
            value.as_ref().map(|v| Setting::from_flag(v.clone(), flag))
        };
        let list = |values: &[String], flag: &str| -> Vec<Setting<String>> {
            values
                .iter()
                .map(|v| Setting::from_flag(v.clone(), flag))
                .collect()
        };
        settings.overlay(Settings {
            crate_name: single(&self.crate_name, "--crate-name"),
            crate_version: single(&self.crate_version, "--crate-version"),
            token_env: single(&self.token_env, "--token-env"),
            base_url_env: single(&self.base_url_env, "--base-url-env"),
            include_tags: list(&self.include_tags, "--include-tag"),
            exclude_tags: list(&self.exclude_tags, "--exclude-tag"),
            include_paths: list(&self.include_paths, "--include-path"),
            derive_decoders: self.derive_decoders,
            ..Settings::default()
        });
        settings
    }

    /// The flags that decide what is written, as one would type them again.
    fn header_command(&self, config: Option<&Path>, in_repository: bool) -> String {
        let mut words: Vec<String> = Vec::new();
        let mut flag = |name: &str, value: Option<&str>| {
            words.push(name.to_owned());
            if let Some(value) = value {
                words.push(shell_word(value));
            }
        };
        let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
        if let Some(spec) = path(&self.spec) {
            flag("--spec", Some(&spec));
        }
        if let Some(out) = path(&self.out) {
            flag("--out", Some(&out));
        }
        if let (Some(_), Some(config)) = (&self.config, config) {
            flag("--config", Some(&config.display().to_string()));
        }
        if self.allow_refs_outside {
            flag("--allow-refs-outside", None);
        }
        if self.allow_remote_refs {
            flag("--allow-remote-refs", None);
        }
        if self.derive_decoders {
            flag("--derive-decoders", None);
        }
        // A fetch that times out is a reference to nothing: the limit shapes the output.
        if let Some(seconds) = self.remote_timeout {
            flag("--remote-timeout", Some(&seconds.to_string()));
        }
        for (name, value) in [
            ("--crate-name", &self.crate_name),
            ("--crate-version", &self.crate_version),
            ("--token-env", &self.token_env),
            ("--base-url-env", &self.base_url_env),
        ] {
            if let Some(value) = value {
                flag(name, Some(value));
            }
        }
        for (name, values) in [
            ("--include-tag", &self.include_tags),
            ("--exclude-tag", &self.exclude_tags),
            ("--include-path", &self.include_paths),
        ] {
            for value in values {
                flag(name, Some(value));
            }
        }
        let program = if in_repository {
            generator::DEFAULT_COMMAND
        } else {
            BINARY
        };
        match (words.is_empty(), in_repository) {
            (true, _) => program.to_owned(),
            (false, true) => format!("{program} -- {}", words.join(" ")),
            (false, false) => format!("{program} {}", words.join(" ")),
        }
    }
}

/// `word` as a shell would need it to stay one argument, so the command in the
/// file headers can be pasted back.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
