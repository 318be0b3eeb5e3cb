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

/// Lines of spec Markdown made safe for rustdoc.
pub fn sanitize(text: &str) -> Vec<String> {
    let blocks = blocks(text);
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

// ---------------------------------------------------------------------------
// Blocks: code, HTML blocks, paragraphs of prose, reference definitions.

enum Line {
    Blank,
    /// Output as is: code fences and their contents, reference definitions.
    Verbatim(String),
    /// The next line of a paragraph, indented by `indent` spaces.
    Prose {
        indent: usize,
        paragraph: usize,
    },
}

struct Blocks {
    lines: Vec<Line>,
    /// The text of each paragraph (its lines joined by `\n`, without their
    /// indentation) and whether it is an HTML block, where Markdown is not read.
    paragraphs: Vec<(String, bool)>,
    /// Labels of the reference definitions (`[label]: url`), normalized.
    definitions: Vec<String>,
}

/// A code fence: its character, its length and the fence written out.
struct Fence {
    ch: char,
    len: usize,
}

fn blocks(text: &str) -> Blocks {
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
fn expand_tabs(line: &str) -> std::borrow::Cow<'_, str> {
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

fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a link destination is one rustdoc reads as an intra-doc link.
fn path_like(destination: &str) -> bool {
    let path = destination.split('#').next().unwrap_or_default();
    !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || ":_<>,!*&;@()".contains(c))
}

/// Whether `line` starts an HTML block of an element that is kept: `Some(true)`
/// for one that ends at a blank line, `Some(false)` for `<pre>`, which ends at
/// its closing tag.
fn opens_html_block(line: &str) -> Option<bool> {
    let rest = line.strip_prefix('<')?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = rest[..name_len].to_ascii_lowercase();
    let next = rest[name_len..].chars().next();
    if !matches!(next, None | Some(' ' | '>' | '/')) {
        return None;
    }
    if name == "pre" {
        Some(false)
    } else {
        is_one_of(&name, BLOCK_ELEMENTS).then_some(true)
    }
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

// ---------------------------------------------------------------------------
// Inline: code spans, links, brackets, HTML tags, URLs.

/// The HTML elements kept when their tags balance: what rustdoc pages render
/// as the author meant.
const ELEMENTS: &str = concat!(
    "a abbr b bdi bdo big blockquote br caption center cite code col colgroup dd ",
    "del details dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ",
    "ins kbd li mark ol p pre q s samp small span strike strong sub summary sup ",
    "table tbody td tfoot th thead time tr tt u ul var wbr"
);

/// Elements without a closing tag.
const VOID_ELEMENTS: &str = "br col hr img wbr";

/// Kept elements whose tag at the start of a line starts an HTML block.
const BLOCK_ELEMENTS: &str = concat!(
    "blockquote caption center col colgroup dd details div dl dt figcaption ",
    "figure h1 h2 h3 h4 h5 h6 hr li ol p summary table tbody td tfoot th thead tr ",
    "ul"
);

/// Whether `name` is one of the space-separated `names`.
fn is_one_of(name: &str, names: &str) -> bool {
    names.split(' ').any(|n| n == name)
}

/// A piece of scanned text: final text, or an HTML tag whose fate depends on
/// the tags around it.
enum Piece {
    Text(String),
    /// Index into [`Scanner::tags`].
    Tag(usize),
}

struct Tag {
    text: String,
    /// In an HTML block, where a tag written as text is not read as Markdown.
    raw: bool,
    name: String,
    closing: bool,
    /// Self-closing (`<b/>`) or a void element: needs no closing tag.
    complete: bool,
    keep: bool,
}

struct Scanner<'a> {
    definitions: &'a [String],
    tags: Vec<Tag>,
}

impl<'a> Scanner<'a> {
    fn new(definitions: &'a [String]) -> Self {
        Scanner {
            definitions,
            tags: Vec::new(),
        }
    }

    /// The pieces of one paragraph. In an HTML block (`raw_html`) Markdown is
    /// not read, so only tags are looked at.
    fn scan(&mut self, text: &str, raw_html: bool) -> Vec<Piece> {
        let chars: Vec<char> = text.chars().collect();
        let mut pieces = Vec::new();
        self.scan_into(&chars, raw_html, false, &mut pieces);
        pieces
    }

    fn scan_into(&mut self, chars: &[char], raw_html: bool, in_link: bool, out: &mut Vec<Piece>) {
        let mut text = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '\\' if !raw_html && chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                    text.push(c);
                    text.push(chars[i + 1]);
                    i += 2;
                }
                '`' if !raw_html => {
                    let end = code_span_end(chars, i);
                    text.extend(&chars[i..end]);
                    i = end;
                }
                '<' => {
                    let consumed = self.angle(chars, i, raw_html, &mut text, out);
                    i += consumed;
                }
                '!' if !raw_html && !in_link && chars.get(i + 1) == Some(&'[') => {
                    // An image keeps its syntax; its alt text is still scanned.
                    text.push('!');
                    i += 1;
                }
                '[' if !raw_html => {
                    i = self.bracket(chars, i, in_link, &mut text, out);
                }
                ']' if !raw_html => {
                    text.push_str("\\]");
                    i += 1;
                }
                'h' | 'H' if !raw_html && !in_link && url_start(chars, i) => {
                    let end = url_end(chars, i);
                    text.push('<');
                    text.extend(&chars[i..end]);
                    text.push('>');
                    i = end;
                }
                _ => {
                    text.push(c);
                    i += 1;
                }
            }
        }
        if !text.is_empty() {
            out.push(Piece::Text(text));
        }
    }

    /// What starts with `<` at `i`: an autolink or a closed comment (kept), a tag
    /// of a kept element (decided later), or text (`&lt;`). Returns how many
    /// characters were consumed.
    fn angle(
        &mut self,
        chars: &[char],
        i: usize,
        raw_html: bool,
        text: &mut String,
        out: &mut Vec<Piece>,
    ) -> usize {
        let rest: String = chars[i..].iter().take(4).collect();
        if rest.starts_with("<!--") {
            if let Some(end) = find(chars, i + 4, &['-', '-', '>']) {
                text.extend(&chars[i..end + 3]);
                return end + 3 - i;
            }
        } else if let Some(end) = autolink_end(chars, i) {
            text.extend(&chars[i..end]);
            return end - i;
        } else if let Some((end, mut tag)) = tag_at(chars, i) {
            tag.raw = raw_html;
            if is_one_of(&tag.name, ELEMENTS) && safe_attributes(&tag.text) {
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(text)));
                }
                out.push(Piece::Tag(self.tags.len()));
                self.tags.push(tag);
                return end - i;
            }
        }
        // A `<` that cannot start a tag reads as itself.
        match chars.get(i + 1) {
            Some(c) if c.is_ascii_alphabetic() || "/!?".contains(*c) => text.push_str("&lt;"),
            _ => text.push('<'),
        }
        1
    }

    /// A `[` at `i`: a Markdown link (kept), a doc link to a code span (the code
    /// span), a link to a Rust path (its text), or brackets (escaped). Returns
    /// where scanning goes on.
    fn bracket(
        &mut self,
        chars: &[char],
        i: usize,
        in_link: bool,
        text: &mut String,
        out: &mut Vec<Piece>,
    ) -> usize {
        let Some(close) = matching_bracket(chars, i) else {
            text.push_str("\\[");
            return i + 1;
        };
        let label = &chars[i + 1..close];
        let label_pieces = |scanner: &mut Self, text: &mut String, out: &mut Vec<Piece>| {
            if !text.is_empty() {
                out.push(Piece::Text(std::mem::take(text)));
            }
            scanner.scan_into(label, false, true, out);
        };
        if !in_link {
            // `[text](destination)`
            if chars.get(close + 1) == Some(&'(') {
                if let Some(end) = link_destination_end(chars, close + 1) {
                    let destination: String = chars[close + 2..end].iter().collect();
                    let destination = destination.trim().trim_start_matches('<');
                    let target = destination.split_whitespace().next().unwrap_or_default();
                    let target = target.trim_end_matches('>');
                    if path_like(target) {
                        label_pieces(self, text, out);
                    } else {
                        text.push('[');
                        label_pieces(self, text, out);
                        text.extend(&chars[close..=end]);
                    }
                    return end + 1;
                }
            }
            // `[text][label]`, `[text][]`
            if chars.get(close + 1) == Some(&'[') {
                if let Some(second) = matching_bracket(chars, close + 1) {
                    let reference: String = chars[close + 2..second].iter().collect();
                    let reference = if reference.trim().is_empty() {
                        label.iter().collect()
                    } else {
                        reference
                    };
                    if self.defined(&reference) {
                        text.push('[');
                        label_pieces(self, text, out);
                        text.extend(&chars[close..=second]);
                        return second + 1;
                    }
                }
            }
            // `[label]`
            let label_text: String = label.iter().collect();
            if self.defined(&label_text) {
                text.push('[');
                label_pieces(self, text, out);
                text.push(']');
                return close + 1;
            }
            if is_one_code_span(label) {
                text.push_str(&label_text);
                return close + 1;
            }
        }
        text.push_str("\\[");
        label_pieces(self, text, out);
        text.push_str("\\]");
        close + 1
    }

    fn defined(&self, label: &str) -> bool {
        let label = normalize_label(label);
        !label.is_empty() && self.definitions.contains(&label)
    }

    /// Keeps the tags that open and close in order, as rustdoc checks them;
    /// the others are written as text.
    fn balance_tags(&mut self) {
        let mut open: Vec<usize> = Vec::new();
        for index in 0..self.tags.len() {
            let tag = &self.tags[index];
            if tag.complete {
                // `</br>` reads as `<br>` in browsers; rustdoc wants `<br>`.
                if tag.closing {
                    self.tags[index].text = format!("<{}>", tag.name);
                }
                self.tags[index].keep = true;
            } else if !tag.closing {
                open.push(index);
            } else if let Some(at) = open.iter().rposition(|o| self.tags[*o].name == tag.name) {
                // Tags opened inside this element and never closed stay text.
                self.tags[open[at]].keep = true;
                self.tags[index].keep = true;
                open.truncate(at);
            }
        }
    }

    fn render(&self, pieces: &[Piece]) -> String {
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Tag(index) => {
                    let tag = &self.tags[*index];
                    if tag.keep {
                        out.push_str(&tag.text);
                    } else if tag.raw {
                        out.push_str("&lt;");
                        out.push_str(&tag.text[1..]);
                    } else {
                        // Now text, its attributes are Markdown (a URL, brackets).
                        out.push_str("&lt;");
                        let mut inner = Scanner::new(self.definitions);
                        let pieces = inner.scan(&tag.text[1..], false);
                        out.push_str(&inner.render(&pieces));
                    }
                }
            }
        }
        out
    }
}

/// Where the code span (or run of literal backticks) starting at `i` ends.
fn code_span_end(chars: &[char], i: usize) -> usize {
    let run = chars[i..].iter().take_while(|c| **c == '`').count();
    let mut j = i + run;
    while j < chars.len() {
        if chars[j] == '`' {
            let other = chars[j..].iter().take_while(|c| **c == '`').count();
            if other == run {
                return j + other;
            }
            j += other;
        } else {
            j += 1;
        }
    }
    i + run
}

fn is_one_code_span(label: &[char]) -> bool {
    label.first() == Some(&'`') && code_span_end(label, 0) == label.len() && label.len() > 2
}

/// The `]` that closes the `[` at `i`, skipping code spans, escapes and nested
/// brackets.
fn matching_bracket(chars: &[char], i: usize) -> Option<usize> {
    let mut depth = 0;
    let mut j = i;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '`' => {
                j = code_span_end(chars, j);
                continue;
            }
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// The `)` that closes a link destination opened at `i`, on the same line.
fn link_destination_end(chars: &[char], i: usize) -> Option<usize> {
    let mut depth = 0;
    for (j, c) in chars.iter().enumerate().skip(i) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            '\n' => return None,
            _ => {}
        }
    }
    None
}

fn find(chars: &[char], from: usize, needle: &[char]) -> Option<usize> {
    (from..chars.len()).find(|j| chars[*j..].starts_with(needle))
}

/// The end of an autolink (`<scheme:…>` or `<user@host>`) at `i`.
fn autolink_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < chars.len() && !matches!(chars[j], '<' | '>' | ' ' | '\n' | '\t') {
        j += 1;
    }
    if chars.get(j) != Some(&'>') {
        return None;
    }
    let inner: String = chars[i + 1..j].iter().collect();
    let scheme = inner.split(':').next().unwrap_or_default();
    let is_uri = inner.contains(':')
        && (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    let is_email = inner
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.contains('@'));
    (is_uri || is_email).then_some(j + 1)
}

/// An HTML tag at `i` (`<name attributes>`, `</name>`, `<name/>`), with its end.
fn tag_at(chars: &[char], i: usize) -> Option<(usize, Tag)> {
    let mut j = i + 1;
    let closing = chars.get(j) == Some(&'/');
    if closing {
        j += 1;
    }
    let name_start = j;
    if !chars.get(j).is_some_and(char::is_ascii_alphabetic) {
        return None;
    }
    while chars
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '-')
    {
        j += 1;
    }
    let name: String = chars[name_start..j]
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    let name_end = j;
    if !matches!(chars.get(j), Some('>' | '/' | ' ' | '\n' | '\t')) {
        return None;
    }
    let mut quote = None;
    while j < chars.len() {
        let c = chars[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '<' => return None,
            None if c == '>' => {
                let text: String = chars[i..=j].iter().collect();
                let self_closing = chars[j - 1] == '/';
                let complete = self_closing || is_one_of(&name, VOID_ELEMENTS);
                // `</b attr>` is not a tag.
                if closing && !chars[name_end..j].iter().all(|c| c.is_whitespace()) {
                    return None;
                }
                return Some((
                    j + 1,
                    Tag {
                        text,
                        raw: false,
                        name,
                        closing,
                        complete,
                        keep: false,
                    },
                ));
            }
            None => {}
        }
        j += 1;
    }
    None
}

/// Attributes that cannot run script: no event handlers, no `javascript:` URLs.
fn safe_attributes(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    let handler = lower
        .split(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
        .any(|word| word.starts_with("on") && word.contains('='));
    !handler && !lower.contains("javascript:") && !lower.contains("vbscript:")
}

/// Whether a bare `http://` or `https://` URL starts at `i`.
fn url_start(chars: &[char], i: usize) -> bool {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '/') {
        return false;
    }
    let head: String = chars[i..]
        .iter()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = if head.starts_with("https://") {
        8
    } else if head.starts_with("http://") {
        7
    } else {
        return false;
    };
    chars
        .get(i + scheme)
        .is_some_and(|c| c.is_alphanumeric() || *c == '[')
}

/// Where the URL at `i` ends: at whitespace or a character no URL in prose
/// has, less trailing punctuation and unbalanced closing brackets.
fn url_end(chars: &[char], i: usize) -> usize {
    let mut end = i;
    while end < chars.len() && !chars[end].is_whitespace() && !"<>\"`|".contains(chars[end]) {
        end += 1;
    }
    loop {
        let last = chars[end - 1];
        let url = &chars[i..end];
        let unbalanced = |open: char, close: char| {
            last == close
                && url.iter().filter(|c| **c == close).count()
                    > url.iter().filter(|c| **c == open).count()
        };
        if ".,;:!?*_~'\\".contains(last) || unbalanced('(', ')') || unbalanced('[', ']') {
            end -= 1;
        } else {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> String {
        sanitize(text).join("\n")
    }

    #[test]
    fn inline_rules() {
        let cases = [
            // Brackets that make no link.
            (
                "[id] and [OBSOLETE] and [0]",
                r"\[id\] and \[OBSOLETE\] and \[0\]",
            ),
            ("[a, b] [foo bar] [*]", r"\[a, b\] \[foo bar\] \[*\]"),
            ("stray ] and [ alone", r"stray \] and \[ alone"),
            (
                "[x][y] without a definition",
                r"\[x\]\[y\] without a definition",
            ),
            ("[[nested]]", r"\[\[nested\]\]"),
            (r"already \[escaped\]", r"already \[escaped\]"),
            // Links stay links; a Rust-path target keeps the text only.
            (
                "see [the docs](https://example.com/a_(b)).",
                "see [the docs](https://example.com/a_(b)).",
            ),
            (
                "[here](#section) [there](/path) [file](a.html)",
                "[here](#section) [there](/path) [file](a.html)",
            ),
            ("[the pet](Pet) and [x](y::z)", "the pet and x"),
            (
                "![logo](https://example.com/logo.png)",
                "![logo](https://example.com/logo.png)",
            ),
            ("[a <id> b](https://x.org)", "[a &lt;id> b](https://x.org)"),
            ("[`StepEvent`] after", "`StepEvent` after"),
            ("[`a`, `b`]", r"\[`a`, `b`\]"),
            // Code spans are left alone.
            ("`[id] <id> https://x.org`", "`[id] <id> https://x.org`"),
            ("``a ` [b]`` [c]", r"``a ` [b]`` \[c\]"),
            ("unclosed ` tick [d]", r"unclosed ` tick \[d\]"),
            // HTML: kept when balanced, else text.
            (
                "Bearer <token>, List<Item>, Map<String, Object>",
                "Bearer &lt;token>, List&lt;Item>, Map&lt;String, Object>",
            ),
            ("a <b>bold</b> and <i>x</i>", "a <b>bold</b> and <i>x</i>"),
            ("line<br>break<br/>and</br>", "line<br>break<br/>and<br>"),
            ("<b>never closed", "&lt;b>never closed"),
            ("closed only</b>", "closed only&lt;/b>"),
            ("<b><i>x</b>", "<b>&lt;i>x</b>"),
            ("<T>x</T> <x-y>", "&lt;T>x&lt;/T> &lt;x-y>"),
            (
                "<script>alert(1)</script>",
                "&lt;script>alert(1)&lt;/script>",
            ),
            (
                "<a href=\"https://x.org\" onclick=\"f()\">x</a>",
                "&lt;a href=\"<https://x.org>\" onclick=\"f()\">x&lt;/a>",
            ),
            (
                "<b title=\"[x] https://x.org\">open",
                "&lt;b title=\"\\[x\\] <https://x.org>\">open",
            ),
            (
                "<a href=\"https://x.org\">x</a>",
                "<a href=\"https://x.org\">x</a>",
            ),
            ("a < b, a <= b, <1>, <_x>", "a < b, a <= b, <1>, <_x>"),
            (
                "<!-- note --> and <!-- open",
                "<!-- note --> and &lt;!-- open",
            ),
            // URLs.
            ("See https://example.com/x.", "See <https://example.com/x>."),
            (
                "(at http://localhost:8080/a?b=c&d)",
                "(at <http://localhost:8080/a?b=c&d>)",
            ),
            (
                "<https://example.com> and <me@example.com>",
                "<https://example.com> and <me@example.com>",
            ),
            (
                "https://x.org/a_(b)_c, then",
                "<https://x.org/a_(b)_c>, then",
            ),
            (
                "xhttps://no and http:// alone",
                "xhttps://no and http:// alone",
            ),
            ("*https://x.org/a*", "*<https://x.org/a>*"),
            // Emphasis, escapes and entities pass.
            (
                "**bold** _em_ \\* &amp; &lt;",
                "**bold** _em_ \\* &amp; &lt;",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(one(input), expected, "for {input:?}");
            assert_eq!(sanitize_inline(input), expected, "inline, for {input:?}");
        }
    }

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

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code(" a "), "`  a  `");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a\nb"), "`a b`");
    }
}
