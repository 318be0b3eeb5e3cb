//! `cargo run -p generator`: regenerates `generated/` from `spec/`, or with
//! `--check` reports every file that is out of date. The library does the work;
//! this binary parses flags, reads the spec, writes or compares files, and adds
//! context to errors.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use generator::diagnostics::Severity;
use generator::files;
use generator::sources::{FsReader, Location};

const USAGE: &str = "\
usage: cargo run -p generator -- [--check] [--spec PATH] [--out DIR] [flags]

  (no flags)   regenerate generated/ from spec/beeper-desktop-api.yaml
  --check      write nothing; exit 1 and list every changed, missing or stale file
  --spec PATH  read another OpenAPI 3.0 or 3.1 description (YAML or JSON); the
               files its `$ref`s name are read too
  --out DIR    write the crate somewhere else (it is standalone there)
  --deny-warnings       treat warnings as errors (nothing is written)
  --allow-refs-outside  let `$ref`s read files outside the spec's folder
  --allow-remote-refs   let `$ref`s fetch http:// and https:// documents
  --remote-timeout SECS the longest one fetch may take (default 30)
  --help       show this text";

struct Args {
    check: bool,
    deny_warnings: bool,
    access: generator::sources::Access,
    remote_timeout: std::time::Duration,
    spec: PathBuf,
    out: PathBuf,
    /// The command that regenerates the output, as written in the file headers:
    /// the flags as given, so `--check` expects what the same command wrote.
    command: String,
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(mut raw: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().map(PathBuf::from).unwrap_or(manifest);
    let mut args = Args {
        check: false,
        deny_warnings: false,
        access: generator::sources::Access::default(),
        remote_timeout: std::time::Duration::from_secs(30),
        spec: root.join("spec/beeper-desktop-api.yaml"),
        out: root.join("generated"),
        command: generator::DEFAULT_COMMAND.to_owned(),
    };
    let mut paths = Vec::new();
    while let Some(flag) = raw.next() {
        match flag.as_str() {
            "--check" => args.check = true,
            "--deny-warnings" => args.deny_warnings = true,
            "--allow-refs-outside" => {
                args.access.refs_outside = true;
                paths.push(flag.clone());
            }
            "--allow-remote-refs" => {
                args.access.remote_refs = true;
                paths.push(flag.clone());
            }
            "--remote-timeout" => {
                let seconds = raw
                    .next()
                    .ok_or("--remote-timeout needs a number of seconds")?;
                let seconds: f64 = seconds
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| {
                        format!("--remote-timeout: `{seconds}` is not a number of seconds")
                    })?;
                args.remote_timeout = std::time::Duration::from_secs_f64(seconds);
            }
            "--spec" => {
                let path = raw.next().ok_or("--spec needs a path")?;
                paths.push(format!("--spec {}", shell_word(&path)));
                args.spec = path.into();
            }
            "--out" => {
                let path = raw.next().ok_or("--out needs a directory")?;
                paths.push(format!("--out {}", shell_word(&path)));
                args.out = path.into();
            }
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if !paths.is_empty() {
        args.command = format!("{} -- {}", generator::DEFAULT_COMMAND, paths.join(" "));
    }
    Ok(Some(args))
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

fn run(args: &Args) -> Result<ExitCode> {
    let spec_name = args.spec.display().to_string();
    let options = generator::Options {
        command: args.command.clone(),
        spec_name: Some(spec_name.clone()),
        access: args.access,
    };
    let reader = FsReader {
        timeout: args.remote_timeout,
    };
    let location = Location::File(args.spec.clone());
    let generated = generator::generate_from(&location, &reader, &options);
    // The root's text, for the source lines of diagnostics in it.
    let text = std::fs::read_to_string(&args.spec).unwrap_or_default();
    let output = match generated {
        Ok(output) => output,
        Err(generator::Error::Spec(diagnostics)) => {
            for diagnostic in &diagnostics.items {
                eprintln!("{}\n", diagnostic.render(&spec_name, &text));
            }
            let errors = diagnostics
                .items
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!("{errors} error(s) in {spec_name}; nothing was generated");
            return Ok(ExitCode::FAILURE);
        }
        Err(error @ generator::Error::Read { .. }) => return Err(error.into()),
        Err(other) => return Err(other).context("generation failed"),
    };
    for warning in &output.warnings {
        eprintln!("{}\n", warning.render(&spec_name, &text));
    }
    if args.deny_warnings && !output.warnings.is_empty() {
        eprintln!(
            "{} warning(s) in {spec_name} and --deny-warnings is set; nothing was generated",
            output.warnings.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    if args.check {
        check(args, &output.files)
    } else {
        let report = files::write(&args.out, &output.files)
            .with_context(|| format!("cannot write the crate to {}", args.out.display()))?;
        for path in &report.written {
            println!("wrote   {path}");
        }
        for path in &report.removed {
            println!("removed {path}");
        }
        for path in &report.foreign {
            eprintln!("warning: {path} is not generated; left in place");
        }
        println!(
            "{} is up to date ({} files)",
            args.out.display(),
            output.files.len()
        );
        Ok(ExitCode::SUCCESS)
    }
}

fn check(args: &Args, expected: &files::Files) -> Result<ExitCode> {
    let mismatches = files::compare(&args.out, expected)
        .with_context(|| format!("cannot read {}", args.out.display()))?;
    if mismatches.is_empty() {
        println!("{} is up to date", args.out.display());
        return Ok(ExitCode::SUCCESS);
    }
    for mismatch in &mismatches {
        eprintln!("{mismatch}");
    }
    eprintln!(
        "{} file(s) out of date in {}; run `{}` and commit the result",
        mismatches.len(),
        args.out.display(),
        args.command
    );
    Ok(ExitCode::FAILURE)
}

// Generating a large spec allocates millions of small token and syntax nodes on two
// threads; mimalloc does that in a third less time than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
