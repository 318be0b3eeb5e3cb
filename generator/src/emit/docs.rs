//! Doc comments for generated items, made from spec descriptions.
//!
//! One `#[doc]` attribute per line, so prettyplease prints `///` lines rather than
//! a block comment. Spec text is Markdown written for people, not for rustdoc:
//! indented lines and code fences would become doctests that do not compile,
//! so indentation is capped and every fence is marked as `text`.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text`, or for `fallback` when the spec has none.
pub fn doc_attrs(text: Option<&str>, fallback: &str) -> TokenStream {
    let text = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(fallback);
    lines_to_attrs(&sanitize(text))
}

/// `#[doc]` attributes for text that is already rustdoc-safe.
pub fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Lines of spec Markdown made safe for rustdoc.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                in_fence = !in_fence;
                // Every fence is text: spec examples are not Rust that compiles here.
                return if in_fence {
                    "```text".to_owned()
                } else {
                    "```".to_owned()
                };
            }
            if in_fence {
                return line.to_owned();
            }
            // Four spaces would start an indented code block, which rustdoc tests.
            let indent = (line.len() - trimmed.len()).min(2);
            format!("{}{}", " ".repeat(indent), trimmed.trim_end())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_code_and_fences_cannot_become_doctests() {
        let lines = sanitize("Intro\n\n      let x = 1;\n```\nraw\n```\n```rust\nfn f() {}\n```");
        assert_eq!(
            lines,
            [
                "Intro",
                "",
                "  let x = 1;",
                "```text",
                "raw",
                "```",
                "```text",
                "fn f() {}",
                "```"
            ]
        );
    }
}
