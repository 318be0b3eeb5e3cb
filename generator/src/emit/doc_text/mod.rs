//! Spec prose made into rustdoc Markdown that reads as its author meant and
//! that rustdoc neither warns about nor tests.
//!
//! Descriptions are Markdown (or HTML, or plain text) written for people and
//! for other renderers. Read as rustdoc reads a doc comment, it goes wrong in
//! a few ways, each repaired here without changing what a reader sees:
//!
//! * **Code.** A fenced block without a language, or marked `rust`, and an
//!   indented block, are doctests: every fence is marked `text`, an indented
//!   block becomes a `text` fence, and other indentation is capped so that no
//!   line starts a code block by accident. A fence still open at the end is
//!   closed, and tabs are expanded (clippy's `tabs_in_doc_comments`).
//! * **Brackets.** `[id]`, `[OBSOLETE]` or `[x][y]` are intra-doc links to
//!   items that do not exist: brackets that do not make a Markdown link are
//!   escaped, and `` [`Name`] `` (a doc link copied from a Rust server's source)
//!   keeps its code span without the link. A link whose target looks like a Rust
//!   path (`[the pet](Pet)`) keeps its text only.
//! * **HTML.** `<id>`, `Bearer <token>` or `List<Item>` are unclosed tags: `<`
//!   is written `&lt;` unless it starts an element of the HTML subset rustdoc
//!   pages render (`<b>`, `<br>`, `<table>`, …) that is closed in the same text.
//!   Anything else (`<script>`, event handler attributes) is shown, not run.
//! * **URLs.** A bare `https://…` becomes an autolink `<https://…>`.
//!
//! Code spans, code blocks, links, autolinks and kept HTML pass through as they
//! are; so do emphasis, lists, headings, tables and backslash escapes.
//!
//! Part of the emit phase: `emit::docs` puts every description through
//! [`sanitize`] (or one line through [`sanitize_inline`]) before it becomes
//! `#[doc]` attributes. Two passes do the work: `blocks` cuts the text into
//! lines and paragraphs (code blocks, tabs, reference definitions, HTML blocks,
//! list items), then `inline` scans each paragraph (code spans, brackets and
//! links, autolinks and bare URLs, tags); `html` holds the element lists and
//! reads and balances tags for both. Dependencies run one way: this module uses
//! `blocks` and `inline`, `inline` uses `blocks` (for link labels), and both use
//! `html`, which uses neither.

mod blocks;
mod html;
mod inline;

use blocks::{blocks, Line};
use inline::{Piece, Scanner};

/// Lines of spec Markdown made safe for rustdoc.
pub fn sanitize(text: &str) -> Vec<String> {
    // A carriage return on its own is a line break of old Mac text; rustdoc
    // refuses it inside a doc comment.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let blocks = blocks(&text);
    // Each paragraph is scanned as one text (links and code spans may span
    // lines), then split back into its lines.
    let mut raw: Vec<bool> = blocks.paragraphs.iter().map(|(_, raw)| *raw).collect();
    let rendered: Vec<String> = loop {
        let mut scanner = Scanner::new(&blocks.definitions);
        let pieces: Vec<Vec<Piece>> = blocks
            .paragraphs
            .iter()
            .zip(&raw)
            .map(|((text, _), raw)| scanner.scan(text, *raw))
            .collect();
        scanner.balance_tags();
        // An HTML block whose opening tag is not kept is a paragraph after all,
        // where Markdown is read: scan again.
        let mut changed = false;
        for (pieces, raw) in pieces.iter().zip(raw.iter_mut()) {
            let opening_kept = match pieces.first() {
                Some(Piece::Tag(index)) => scanner.tags[*index].keep,
                _ => false,
            };
            if *raw && !opening_kept {
                *raw = false;
                changed = true;
            }
        }
        if !changed {
            break pieces.iter().map(|p| scanner.render(p)).collect();
        }
    };
    let mut paragraph_lines: Vec<std::vec::IntoIter<String>> = rendered
        .iter()
        .map(|text| {
            text.split('\n')
                .map(str::to_owned)
                .collect::<Vec<_>>()
                .into_iter()
        })
        .collect();
    blocks
        .lines
        .iter()
        .map(|line| match line {
            Line::Blank => String::new(),
            Line::Verbatim(text) => text.clone(),
            Line::Prose { indent, paragraph } => {
                let text = paragraph_lines[*paragraph].next().unwrap_or_default();
                format!("{}{text}", " ".repeat(*indent))
            }
        })
        .collect()
}

/// One line of spec text made safe for rustdoc, for places that hold a single
/// line (a list item): whitespace is collapsed and only inline rules apply.
pub fn sanitize_inline(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let no_definitions = Vec::new();
    let mut scanner = Scanner::new(&no_definitions);
    let pieces = scanner.scan(&text, false);
    scanner.balance_tags();
    scanner.render(&pieces)
}

/// `text` as a Markdown code span, whatever backticks it holds.
pub fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick needs a space to tell it from the
    // fence; a space on both sides would be stripped, so it gets one more.
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty());
    if pad {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_code_spans_may_span_lines() {
        assert_eq!(
            sanitize("see [the\nguide](https://x.org) and `a\n[b]` [c]"),
            ["see [the", "guide](https://x.org) and `a", r"[b]` \[c\]"]
        );
    }

    #[test]
    fn tags_balance_across_paragraphs() {
        assert_eq!(
            sanitize(
                "<details><summary>JSON schema</summary>\n\n```json { \"a\": [1] } ``` </details>"
            ),
            [
                "<details><summary>JSON schema</summary>",
                "",
                "```json { \"a\": [1] } ``` </details>",
            ]
        );
        assert_eq!(sanitize("<p>one\n\ntwo"), ["&lt;p>one", "", "two"]);
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code(" a "), "`  a  `");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a\nb"), "`a b`");
    }

    #[test]
    fn carriage_returns_are_line_breaks() {
        assert_eq!(super::sanitize("a\r\nb\rc"), ["a", "b", "c"]);
    }
}
