//! Problems found in a spec, each located by a JSON pointer, collected rather than
//! thrown so the user sees every one of them in a single run.
//!
//! `load` and `lower` push into a [`Sink`]; `generate` turns a sink with errors into
//! the [`Diagnostics`] error, and hands warnings back with the generated files.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation stops; nothing is written.
    Error,
    /// Generation goes on; the problem is printed.
    Warning,
}

/// Stable identifiers of every kind of problem, with the hint printed beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// The text is not valid YAML or JSON.
    Syntax,
    /// The document has no `openapi` version field.
    MissingVersion,
    /// The document is Swagger 2.0 or an OpenAPI version we do not read.
    UnsupportedVersion,
    /// The document does not match the OpenAPI 3.0 object model.
    Shape,
    /// A form of another OpenAPI or JSON Schema version (3.1 in 3.0, Swagger 2).
    VersionHabit,
    /// A number that does not fit its keyword (beyond 64 bits, or not a count).
    NumberRange,
    /// A required field is missing or empty.
    MissingField,
    /// A `$ref` points at nothing, outside the document, or at the wrong kind of object.
    BadReference,
    /// A `$ref` leads back to itself through references only.
    ReferenceCycle,
    /// A `$ref` points at a component of the wrong kind.
    WrongKindReference,
    /// A `$ref` names another document that may not be read (outside the spec's
    /// folder, or remote) without a flag.
    ExternalReference,
    /// Path template and path parameters disagree.
    PathParameter,
    /// Two items end up with the same Rust name where that cannot be resolved.
    NameCollision,
    /// A construct the generator does not support (yet).
    Unsupported,
    /// A vendor extension of ours has a value of the wrong form.
    BadExtension,
    /// A setting (a flag, a config key or a builder call) is malformed or names
    /// something the spec does not have.
    Setting,
}

impl Code {
    /// The short stable code printed in brackets, e.g. `E0201`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "E0001",
            Code::MissingVersion => "E0002",
            Code::UnsupportedVersion => "E0003",
            Code::Shape => "E0004",
            Code::VersionHabit => "E0005",
            Code::NumberRange => "E0006",
            Code::MissingField => "E0007",
            Code::BadReference => "E0101",
            Code::ReferenceCycle => "E0102",
            Code::WrongKindReference => "E0103",
            Code::ExternalReference => "E0104",
            Code::PathParameter => "E0201",
            Code::NameCollision => "E0202",
            Code::Unsupported => "E0301",
            Code::BadExtension => "E0302",
            Code::Setting => "E0401",
        }
    }

    /// A default hint, used when the site that found the problem has no better one.
    pub fn default_hint(self) -> &'static str {
        match self {
            Code::Syntax => "check indentation, quoting and brackets near the location",
            Code::MissingVersion => "add `openapi: 3.0.3` at the top of the document",
            Code::UnsupportedVersion => "use an OpenAPI 3.0, 3.1 or 3.2 document",
            Code::Shape => "compare this part with the OpenAPI 3.0 specification",
            Code::VersionHabit => "write the form of the version the document declares",
            Code::NumberRange => "keep numbers within what the keyword allows",
            Code::MissingField => "fill in the field",
            Code::BadReference => "point the `$ref` at an existing `#/components/...` entry",
            Code::ReferenceCycle => "one of the referenced entries must define something itself",
            Code::WrongKindReference => {
                "point the `$ref` into the section of the kind expected here"
            }
            Code::ExternalReference => "see `--allow-refs-outside` and `--allow-remote-refs`",
            Code::PathParameter => {
                "every `{name}` in the path needs a path parameter and vice versa"
            }
            Code::NameCollision => "rename one of them or set `x-rust-name`",
            Code::Unsupported => "simplify this part of the spec or open an issue",
            Code::BadExtension => "see the README for the extensions the generator reads",
            Code::Setting => "see `--help` and the README's \"Use it on your own spec\"",
        }
    }
}

/// One problem with its location in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the problem stops generation.
    pub severity: Severity,
    /// Stable kind of problem.
    pub code: Code,
    /// JSON pointer of the offending part, e.g. `#/paths/~1v1~1chats/get`.
    pub pointer: String,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// 1-based line and column in the source text, where the parser knows them.
    pub line_column: Option<(usize, usize)>,
    /// The document the problem is in, when it is not the root spec (a file that
    /// a `$ref` brought in); `pointer` and `line_column` are then in that file.
    pub file: Option<String>,
    /// The text of the line at `line_column`, for documents other than the root.
    pub source_line: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{severity}[{}]: {}", self.code.as_str(), self.message)?;
        match self.line_column {
            Some((line, column)) => {
                writeln!(f, "  --> {} (line {line}, column {column})", self.pointer)?
            }
            None => writeln!(f, "  --> {}", self.pointer)?,
        }
        write!(f, "  = hint: {}", self.hint)
    }
}

impl Diagnostic {
    /// The diagnostic in the style of rustc: location in `file`, the source line with
    /// a caret under the column, the JSON pointer and the hint.
    ///
    /// `file` and `text` are the root spec's; a diagnostic in another document
    /// carries that document's name and line itself.
    pub fn render(&self, file: &str, text: &str) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = self.file.as_deref().unwrap_or(file);
        let mut out = format!("{severity}[{}]: {}\n", self.code.as_str(), self.message);
        match self.line_column {
            Some((line, column)) => {
                let number = line.to_string();
                let pad = " ".repeat(number.len());
                out.push_str(&format!("{pad}--> {file}:{line}:{column}\n"));
                let source = match &self.source_line {
                    Some(line) => Some(line.as_str()),
                    None if self.file.is_none() => text.lines().nth(line.saturating_sub(1)),
                    None => None,
                };
                if let Some(source) = source {
                    let (shown, column) = excerpt(source, column);
                    let caret = " ".repeat(column.saturating_sub(1));
                    out.push_str(&format!("{pad} |\n{number} | {shown}\n{pad} | {caret}^\n"));
                }
                out.push_str(&format!(
                    "{pad} = at: {}\n{pad} = hint: {}",
                    self.pointer, self.hint
                ));
            }
            None => out.push_str(&format!(
                " --> {file} at {}\n  = hint: {}",
                self.pointer, self.hint
            )),
        }
        out
    }
}

/// At most this many characters of a source line are shown around the caret, so
/// a one-line JSON spec does not print megabytes.
const EXCERPT: usize = 100;

/// The part of `line` shown around `column` (1-based), and the column in it.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= EXCERPT {
        return (line.to_owned(), column);
    }
    let start = column
        .saturating_sub(EXCERPT / 2 + 1)
        .min(chars.len().saturating_sub(EXCERPT));
    let end = (start + EXCERPT).min(chars.len());
    let mut shown: String = chars[start..end].iter().collect();
    let mut column = column - start;
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, column)
}

/// Every error found in a spec; the error type of [`crate::generate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics {
    /// All problems, errors first, each group in pointer order.
    pub items: Vec<Diagnostic>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            writeln!(f, "{item}")?;
        }
        let errors = self
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        write!(f, "{errors} error(s) in the spec; nothing was generated")
    }
}

/// Collects diagnostics during a run.
#[derive(Debug, Default)]
pub struct Sink {
    items: Vec<Diagnostic>,
}

impl Sink {
    /// Records an error at `pointer` with the code's default hint.
    pub fn error(&mut self, code: Code, pointer: &Pointer, message: impl Into<String>) {
        self.push(Severity::Error, code, pointer, message.into(), None);
    }

    /// Records an error with a hint written for this site.
    pub fn error_with_hint(
        &mut self,
        code: Code,
        pointer: &Pointer,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(
            Severity::Error,
            code,
            pointer,
            message.into(),
            Some(hint.into()),
        );
    }

    /// Records a warning with a hint written for this site.
    pub fn warning_with_hint(
        &mut self,
        code: Code,
        pointer: &Pointer,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(
            Severity::Warning,
            code,
            pointer,
            message.into(),
            Some(hint.into()),
        );
    }

    /// Records a warning at `pointer`.
    pub fn warning(&mut self, code: Code, pointer: &Pointer, message: impl Into<String>) {
        self.push(Severity::Warning, code, pointer, message.into(), None);
    }

    /// Records a fully built diagnostic (used by `load` for parser errors).
    pub fn push_diagnostic(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Whether any error (not warning) has been recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Sorted diagnostics: errors first, then by pointer, then by message.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (a.severity, &a.pointer, a.code, &a.message)
                .cmp(&(b.severity, &b.pointer, b.code, &b.message))
        });
        self.items.dedup();
        self.items
    }

    fn push(
        &mut self,
        severity: Severity,
        code: Code,
        pointer: &Pointer,
        message: String,
        hint: Option<String>,
    ) {
        self.items.push(Diagnostic {
            severity,
            code,
            pointer: pointer.to_string(),
            message,
            hint: hint.unwrap_or_else(|| code.default_hint().to_owned()),
            line_column: None,
            file: None,
            source_line: None,
        });
    }
}

/// A JSON pointer into the spec, built segment by segment.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pointer {
    segments: Vec<String>,
}

impl Pointer {
    /// The pointer to the whole document, `#`.
    pub fn root() -> Self {
        Pointer::default()
    }

    /// Parses the fragment of a local `$ref` (`#/components/schemas/Chat`).
    pub fn parse_local_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix("#")?;
        if rest.is_empty() {
            return Some(Pointer::root());
        }
        let rest = rest.strip_prefix('/')?;
        let segments = rest
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        Some(Pointer { segments })
    }

    /// A new pointer one level deeper.
    pub fn push(&self, segment: impl ToString) -> Self {
        let mut segments = self.segments.clone();
        segments.push(segment.to_string());
        Pointer { segments }
    }

    /// The pointer one level up (the root stays the root).
    pub fn parent(&self) -> Self {
        let mut segments = self.segments.clone();
        segments.pop();
        Pointer { segments }
    }

    /// The unescaped segments, outermost first.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("#")?;
        for segment in &self.segments {
            write!(f, "/{}", segment.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_parse_back() {
        let pointer = Pointer::root()
            .push("paths")
            .push("/v1/chats/{chatID}")
            .push("get")
            .push(0);
        assert_eq!(pointer.to_string(), "#/paths/~1v1~1chats~1{chatID}/get/0");
        assert_eq!(
            Pointer::parse_local_ref(&pointer.to_string()),
            Some(pointer)
        );
        assert_eq!(
            Pointer::parse_local_ref("#/a~0b").map(|p| p.segments().to_vec()),
            Some(vec!["a~b".to_owned()])
        );
        assert_eq!(Pointer::parse_local_ref("other.yaml#/x"), None);
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let (shown, column) = excerpt(&line, 501);
        assert!(shown.chars().count() <= EXCERPT + 2, "{shown}");
        assert_eq!(shown.chars().nth(column - 1), Some('X'));
        assert_eq!(excerpt("short", 3), ("short".to_owned(), 3));
    }

    #[test]
    fn diagnostics_print_code_pointer_and_hint() {
        let mut sink = Sink::default();
        sink.warning(Code::Unsupported, &Pointer::root().push("b"), "second");
        sink.error(Code::BadReference, &Pointer::root().push("a"), "first");
        let items = sink.into_sorted();
        assert_eq!(items[0].message, "first");
        let text = items[0].to_string();
        assert!(
            text.starts_with("error[E0101]: first\n  --> #/a\n  = hint: point the `$ref`"),
            "{text}"
        );
    }
}
