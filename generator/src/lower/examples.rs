//! Lowers the `x-rust-examples` extension: example programs that ship with the
//! spec and become `examples/<name>.rs` of the generated crate.
//!
//! ```yaml
//! x-rust-examples:
//!   - name: list_chats
//!     file: examples/list_chats.rs
//!     summary: The accounts, then the inbox as a stream.
//!     features: [events]
//! ```
//!
//! Only the names are checked here; `lib.rs` reads the files (relative to the
//! spec, inside its folder) when it writes the crate. A malformed entry is a
//! warning and is left out.

use serde_json::Value;

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::Example;

/// The extension's key at the top level of the spec.
const EXTENSION: &str = "x-rust-examples";

const HINT: &str = "write `x-rust-examples: [{name: list_items, file: examples/list_items.rs}]`";

impl Lowerer<'_> {
    /// The examples the spec lists, in its order, without duplicates.
    pub(super) fn lower_examples(&mut self) -> Vec<Example> {
        let Some(value) = self.spec.extensions.get(EXTENSION) else {
            return Vec::new();
        };
        let at = Pointer::root().push(EXTENSION);
        let Some(entries) = value.as_array() else {
            self.warn_example(&at, "`x-rust-examples` must be a list; it is ignored");
            return Vec::new();
        };
        let mut examples: Vec<Example> = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let at = at.push(index.to_string());
            let Some(example) = self.lower_example(entry, &at) else {
                continue;
            };
            if examples.iter().any(|e| e.name == example.name) {
                let message = format!(
                    "a second example is named `{}`; it is left out",
                    example.name
                );
                self.warn_example(&at, &message);
                continue;
            }
            examples.push(example);
        }
        examples
    }

    fn lower_example(&mut self, entry: &Value, at: &Pointer) -> Option<Example> {
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::trim);
        let Some(name) = text("name").filter(|name| is_example_name(name)) else {
            let message =
                "an example needs a `name` of lowercase letters, digits and `_`; it is left out";
            self.warn_example(&at.push("name"), message);
            return None;
        };
        let Some(file) = text("file").filter(|file| is_relative_rust_file(file)) else {
            let message = format!(
                "example `{name}` needs a `file`: a relative path to a `.rs` file inside the spec's folder; it is left out"
            );
            self.warn_example(&at.push("file"), &message);
            return None;
        };
        let features = entry
            .get("features")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Some(Example {
            name: name.to_owned(),
            file: file.to_owned(),
            pointer: at.push("file").to_string(),
            summary: text("summary").filter(|s| !s.is_empty()).map(str::to_owned),
            features,
            test: entry.get("test").and_then(Value::as_bool).unwrap_or(false),
        })
    }

    fn warn_example(&mut self, at: &Pointer, message: &str) {
        self.sink
            .warning_with_hint(Code::BadExtension, at, message.to_owned(), HINT);
    }
}

/// A Cargo example name that is also a file name on every system.
fn is_example_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `examples/a.rs`, not `/etc/a.rs`, `../a.rs`, `C:\a.rs` or a URL.
fn is_relative_rust_file(file: &str) -> bool {
    file.ends_with(".rs")
        && !file.starts_with(['/', '\\'])
        && !file.contains(':')
        && file
            .split(['/', '\\'])
            .all(|part| part != ".." && !part.is_empty())
}

#[cfg(test)]
mod tests {
    use super::{is_example_name, is_relative_rust_file};

    #[test]
    fn example_names_and_files_are_checked() {
        for (name, ok) in [
            ("list_chats", true),
            ("a1", true),
            ("", false),
            ("1a", false),
            ("List", false),
            ("a-b", false),
        ] {
            assert_eq!(is_example_name(name), ok, "{name}");
        }
        let files = [
            ("examples/a.rs", true),
            ("a.rs", true),
            ("examples/a.txt", false),
            ("../a.rs", false),
            ("examples/../../a.rs", false),
            ("/etc/a.rs", false),
            ("C:\\a.rs", false),
            ("https://x/a.rs", false),
            ("examples//a.rs", false),
        ];
        for (file, ok) in files {
            assert_eq!(is_relative_rust_file(file), ok, "{file}");
        }
    }
}
