//! The second pass of `sanitize` (and all of `sanitize_inline`), the inline
//! scanner: a paragraph (or a single line) of prose made into pieces, final text
//! or HTML tags whose fate waits until every tag of the description is read. Code spans, links and autolinks are kept; brackets that make no link
//! are escaped, a doc link to a code span keeps the code span, a link to a Rust
//! path keeps its text, a bare URL becomes an autolink and a `<` that starts no
//! kept tag is written `&lt;`. Tags are read and balanced by `html`; reference
//! labels are matched the way `blocks` collected them.

use super::blocks::{normalize_label, path_like};
use super::html::{balance_tags, may_keep, tag_at, Tag};

/// A piece of scanned text: final text, or an HTML tag whose fate depends on
/// the tags around it.
pub(super) enum Piece {
    Text(String),
    /// Index into [`Scanner::tags`].
    Tag(usize),
}

/// Scans the paragraphs of one description, collecting the tags of all of them
/// so that they can be balanced together.
pub(super) struct Scanner<'a> {
    definitions: &'a [String],
    pub(super) tags: Vec<Tag>,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(definitions: &'a [String]) -> Self {
        Scanner {
            definitions,
            tags: Vec::new(),
        }
    }

    /// The pieces of one paragraph. In an HTML block (`raw_html`) Markdown is
    /// not read, so only tags are looked at.
    pub(super) fn scan(&mut self, text: &str, raw_html: bool) -> Vec<Piece> {
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
            if may_keep(&tag) {
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

    /// Keeps the tags that open and close in order; see `html::balance_tags`.
    pub(super) fn balance_tags(&mut self) {
        balance_tags(&mut self.tags);
    }

    pub(super) fn render(&self, pieces: &[Piece]) -> String {
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
    use super::super::{sanitize, sanitize_inline};

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
}
