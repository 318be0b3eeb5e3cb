//! The first pass of `sanitize`, at line and block level: the spec text cut into
//! lines, each blank, verbatim (code fences and their contents, reference
//! definitions) or the next line of a paragraph of prose, which `inline` scans
//! next.
//!
//! Here every fence is marked `text` and closed, an indented code block becomes
//! a `text` fence, tabs become spaces, other indentation is capped (and list
//! item continuations indented to the item's text), reference definitions are
//! collected, and HTML blocks (where Markdown is not read) are marked.

use std::borrow::Cow;

use super::html::opens_html_block;

pub(super) enum Line {
    Blank,
    /// Output as is: code fences and their contents, reference definitions.
    Verbatim(String),
    /// The next line of a paragraph, indented by `indent` spaces.
    Prose {
        indent: usize,
        paragraph: usize,
    },
}

pub(super) struct Blocks {
    pub(super) lines: Vec<Line>,
    /// The text of each paragraph (its lines joined by `\n`, without their
    /// indentation) and whether it is an HTML block, where Markdown is not read.
    pub(super) paragraphs: Vec<(String, bool)>,
    /// Labels of the reference definitions (`[label]: url`), normalized.
    pub(super) definitions: Vec<String>,
}

/// A code fence: its character, its length and the fence written out.
struct Fence {
    ch: char,
    len: usize,
}

pub(super) fn blocks(text: &str) -> Blocks {
    let mut out = Blocks {
        lines: Vec::new(),
        paragraphs: Vec::new(),
        definitions: Vec::new(),
    };
    let mut fence: Option<Fence> = None;
    // Inside an indented code block: the blank lines not yet written, which go
    // inside the block if more code follows and after it otherwise.
    let mut indented: Option<usize> = None;
    // The column where the text of the list item above starts, while its
    // paragraph lasts: continuation lines are indented to it, as rustdoc
    // (and clippy's `doc_lazy_continuation`) expect.
    let mut item_column: Option<usize> = None;
    // Whether a list is still going on (it may go on after blank lines), where an
    // indented line is the item's text, not code.
    let mut in_list = false;
    let mut after_blank = true;
    let mut after_definition = false;
    // An HTML block: `Some(true)` lasts until a blank line, `Some(false)` (a
    // `<pre>`) until its closing tag.
    let mut html: Option<bool> = None;
    let mut paragraph: Option<usize> = None;

    for raw in text.lines() {
        let line = expand_tabs(raw);
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();

        if let Some(open) = &fence {
            if closes_fence(trimmed, open) {
                out.lines
                    .push(Line::Verbatim(open.ch.to_string().repeat(open.len)));
                fence = None;
                after_blank = false;
            } else {
                out.lines.push(Line::Verbatim(line.to_owned()));
            }
            continue;
        }
        if let Some(blanks) = indented {
            if trimmed.is_empty() {
                indented = Some(blanks + 1);
                continue;
            }
            if indent >= 4 {
                out.lines
                    .extend((0..blanks).map(|_| Line::Verbatim(String::new())));
                out.lines.push(Line::Verbatim(line[4..].to_owned()));
                indented = Some(0);
                continue;
            }
            out.lines.push(Line::Verbatim("```".to_owned()));
            out.lines.extend((0..blanks).map(|_| Line::Blank));
            indented = None;
            after_blank = blanks > 0;
        }
        if trimmed.is_empty() {
            out.lines.push(Line::Blank);
            item_column = None;
            after_blank = true;
            after_definition = false;
            paragraph = None;
            if html == Some(true) {
                html = None;
            }
            continue;
        }
        if html.is_none() {
            if let Some(open) = opens_fence(trimmed) {
                out.lines.push(Line::Verbatim(format!(
                    "{}text",
                    open.ch.to_string().repeat(open.len)
                )));
                fence = Some(open);
                item_column = None;
                paragraph = None;
                continue;
            }
            if after_blank && !in_list && indent >= 4 {
                out.lines.push(Line::Verbatim("```text".to_owned()));
                out.lines.push(Line::Verbatim(line[4..].to_owned()));
                indented = Some(0);
                paragraph = None;
                continue;
            }
            // Not inside a list item, where clippy (`doc_nested_refdefs`) objects.
            let in_item = item_column.is_some() || (in_list && indent > 0);
            if (after_blank || after_definition) && !in_item && indent < 4 {
                if let Some(label) = definition(trimmed) {
                    out.definitions.push(label);
                    out.lines.push(Line::Verbatim(trimmed.to_owned()));
                    after_definition = true;
                    after_blank = false;
                    paragraph = None;
                    continue;
                }
            }
            if let Some(block) = opens_html_block(trimmed).filter(|_| indent < 4) {
                html = Some(block);
                paragraph = None;
            }
        }
        after_definition = false;

        // Four spaces would start an indented code block, which rustdoc tests;
        // in a `<pre>` block spaces are the text.
        let mut column = indent.min(2);
        match list_marker_len(trimmed) {
            _ if html == Some(false) => column = indent,
            Some(marker) => {
                item_column = Some(column + marker);
                in_list = true;
            }
            None => {
                column = column.max(item_column.unwrap_or(0));
                if after_blank && indent == 0 {
                    in_list = false;
                }
            }
        }
        after_blank = false;
        let index = *paragraph.get_or_insert_with(|| {
            out.paragraphs.push((String::new(), html.is_some()));
            out.paragraphs.len() - 1
        });
        let text = &mut out.paragraphs[index].0;
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(trimmed);
        out.lines.push(Line::Prose {
            indent: column,
            paragraph: index,
        });
        if html == Some(false) && trimmed.to_ascii_lowercase().contains("</pre>") {
            html = None;
            paragraph = None;
        }
    }
    if let Some(open) = fence {
        out.lines
            .push(Line::Verbatim(open.ch.to_string().repeat(open.len)));
    }
    if indented.is_some() {
        out.lines.push(Line::Verbatim("```".to_owned()));
    }
    out
}

/// Tabs as spaces, to the next multiple of four.
fn expand_tabs(line: &str) -> Cow<'_, str> {
    if !line.contains('\t') {
        return line.into();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 4 - column % 4;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out.into()
}

/// The fence `line` opens: three or more backticks (with no backtick after
/// them, else it is a code span) or tildes.
fn opens_fence(line: &str) -> Option<Fence> {
    let ch = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = line.chars().take_while(|c| *c == ch).count();
    let info = &line[len..];
    (len >= 3 && !(ch == '`' && info.contains('`'))).then_some(Fence { ch, len })
}

fn closes_fence(line: &str, open: &Fence) -> bool {
    let len = line.chars().take_while(|c| *c == open.ch).count();
    len >= open.len && line[len..].trim().is_empty()
}

/// The normalized label of a reference definition (`[label]: destination`) or
/// footnote (`[^1]: text`), unless its destination is a Rust path that rustdoc
/// would try to resolve.
fn definition(line: &str) -> Option<String> {
    let rest = line.strip_prefix('[')?;
    let end = rest.find(']')?;
    let label = &rest[..end];
    let after = rest[end + 1..].strip_prefix(':')?;
    if label.trim().is_empty()
        || label.contains('[')
        || !(after.is_empty() || after.starts_with(' '))
    {
        return None;
    }
    let destination = after.split_whitespace().next().unwrap_or_default();
    if !label.starts_with('^') && (destination.is_empty() || path_like(destination)) {
        return None;
    }
    Some(normalize_label(label))
}

pub(super) fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a link destination is one rustdoc reads as an intra-doc link.
pub(super) fn path_like(destination: &str) -> bool {
    let path = destination.split('#').next().unwrap_or_default();
    !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || ":_<>,!*&;@()".contains(c))
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
    use super::super::sanitize;

    #[test]
    fn reference_definitions_keep_their_links() {
        let text = "Read [the guide][g], [g] and [RFC 1] or [missing].\n\n[g]: https://example.com/guide\n[rfc 1]: https://www.rfc-editor.org/rfc/rfc1\n[bad]: Path\n\n* item\n\n  [in]: https://example.com/in";
        assert_eq!(
            sanitize(text),
            [
                r"Read [the guide][g], [g] and [RFC 1] or \[missing\].",
                "",
                "[g]: https://example.com/guide",
                "[rfc 1]: https://www.rfc-editor.org/rfc/rfc1",
                r"\[bad\]: Path",
                "",
                "* item",
                "",
                r"  \[in\]: <https://example.com/in>",
            ]
        );
    }

    #[test]
    fn html_blocks_are_not_read_as_markdown() {
        assert_eq!(
            sanitize("<ul>\n<li>[DEPRECATED] https://x.org <id></li>\n</ul>\n\n[after]"),
            [
                "<ul>",
                "<li>[DEPRECATED] https://x.org &lt;id></li>",
                "</ul>",
                "",
                r"\[after\]",
            ]
        );
        assert_eq!(
            sanitize("<pre>\n[a]\n\n    b\n</pre>\n[c]"),
            ["<pre>", "[a]", "", "    b", "</pre>", r"\[c\]"]
        );
    }

    #[test]
    fn fences_are_text_and_closed() {
        let lines = sanitize(
            "Intro\n\n```\nraw\n```\n```rust\nfn f() {}\n```\n~~~~json\n~~~\n~~~~\n````\nopen",
        );
        assert_eq!(
            lines,
            [
                "Intro",
                "",
                "```text",
                "raw",
                "```",
                "```text",
                "fn f() {}",
                "```",
                "~~~~text",
                "~~~",
                "~~~~",
                "````text",
                "open",
                "````",
            ]
        );
        // Three backticks with more backticks on the line are a code span.
        assert_eq!(sanitize("```json {} ``` [x]"), [r"```json {} ``` \[x\]"]);
    }

    #[test]
    fn indented_code_becomes_a_text_fence() {
        let text =
            "Intro:\n\n    GET /a\n\n    \tb\nAfter\n  not code\n\n      after a blank\n\nend";
        assert_eq!(
            sanitize(text),
            [
                "Intro:",
                "",
                "```text",
                "GET /a",
                "",
                "    b",
                "```",
                "After",
                "  not code",
                "",
                "```text",
                "  after a blank",
                "```",
                "",
                "end",
            ]
        );
        // Indentation right after a paragraph line continues the paragraph.
        assert_eq!(
            sanitize("Body:\n      let x = 1;"),
            ["Body:", "  let x = 1;"]
        );
        assert_eq!(
            sanitize("    starts indented"),
            ["```text", "starts indented", "```"]
        );
    }

    #[test]
    fn tabs_are_spaces() {
        assert_eq!(
            sanitize("a\tb\n```\n\tcode\n```"),
            ["a   b", "```text", "    code", "```"]
        );
    }

    #[test]
    fn list_item_continuations_are_indented_to_the_item_text() {
        let text = "Intro\n\n* `now` returns\nnothing.\n  * **Root**:\n  Items are sorted\n  by name.\n\nAfter\n12. twelve\nmore\n-1 is not a list\n\n*   wide\n  marker\n\n    still the item";
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
                "",
                "  still the item",
            ]
        );
    }
}
