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
    // The column where the text of the list item above starts, while its
    // paragraph lasts: continuation lines are indented to it, as rustdoc
    // (and clippy's `doc_lazy_continuation`) expect.
    let mut item_column: Option<usize> = None;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                in_fence = !in_fence;
                item_column = None;
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
            let trimmed = trimmed.trim_end();
            if trimmed.is_empty() {
                item_column = None;
                return String::new();
            }
            // Four spaces would start an indented code block, which rustdoc tests.
            let mut indent = (line.len() - line.trim_start().len()).min(2);
            match list_marker_len(trimmed) {
                Some(marker) => item_column = Some(indent + marker),
                None => indent = indent.max(item_column.unwrap_or(0)),
            }
            format!("{}{trimmed}", " ".repeat(indent))
        })
        .collect()
}

/// The length of the list marker and its spaces (`- `, `*   `, `+ `, `12. `, `3) `)
/// that `line` starts with, if any.
fn list_marker_len(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match line.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..10).contains(&digits) => digits + 1,
        Some(b'-' | b'*' | b'+') if digits == 0 => 1,
        _ => return None,
    };
    // The text starts after one to four spaces (more would be code inside the item).
    let spaces = line.bytes().skip(marker).take_while(|b| *b == b' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
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

    #[test]
    fn list_item_continuations_are_indented_to_the_item_text() {
        let text = "Intro\n\n* `now` returns\nnothing.\n  * **Root**:\n  Items are sorted\n  by name.\n\nAfter\n12. twelve\nmore\n-1 is not a list\n\n*   wide\n  marker";
        assert_eq!(
            sanitize(text),
            [
                "Intro",
                "",
                "* `now` returns",
                "  nothing.",
                "  * **Root**:",
                "    Items are sorted",
                "    by name.",
                "",
                "After",
                "12. twelve",
                "    more",
                "    -1 is not a list",
                "",
                "*   wide",
                "    marker",
            ]
        );
    }
}
