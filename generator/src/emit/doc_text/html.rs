//! HTML in spec text: the elements kept (the subset rustdoc pages render), the
//! lines that open an HTML block, what a tag is, and which tags balance, as
//! rustdoc checks them. `blocks` asks it about lines and `inline` about the tags
//! it finds; it uses neither.

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

/// An HTML tag found in the text, and whether it is kept.
pub(super) struct Tag {
    pub(super) text: String,
    /// In an HTML block, where a tag written as text is not read as Markdown.
    pub(super) raw: bool,
    pub(super) name: String,
    pub(super) closing: bool,
    /// Self-closing (`<b/>`) or a void element: needs no closing tag.
    pub(super) complete: bool,
    pub(super) keep: bool,
}

/// Whether `tag` is of a kept element, with attributes that cannot run script.
pub(super) fn may_keep(tag: &Tag) -> bool {
    is_one_of(&tag.name, ELEMENTS) && safe_attributes(&tag.text)
}

/// Whether `line` starts an HTML block of an element that is kept: `Some(true)`
/// for one that ends at a blank line, `Some(false)` for `<pre>`, which ends at
/// its closing tag.
pub(super) fn opens_html_block(line: &str) -> Option<bool> {
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

/// An HTML tag at `i` (`<name attributes>`, `</name>`, `<name/>`), with its end.
pub(super) fn tag_at(chars: &[char], i: usize) -> Option<(usize, Tag)> {
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

/// Keeps the tags that open and close in order, as rustdoc checks them;
/// the others are written as text.
pub(super) fn balance_tags(tags: &mut [Tag]) {
    let mut open: Vec<usize> = Vec::new();
    for index in 0..tags.len() {
        let tag = &tags[index];
        if tag.complete {
            // `</br>` reads as `<br>` in browsers; rustdoc wants `<br>`.
            if tag.closing {
                tags[index].text = format!("<{}>", tag.name);
            }
            tags[index].keep = true;
        } else if !tag.closing {
            open.push(index);
        } else if let Some(at) = open.iter().rposition(|o| tags[*o].name == tag.name) {
            // Tags opened inside this element and never closed stay text.
            tags[open[at]].keep = true;
            tags[index].keep = true;
            open.truncate(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{sanitize, sanitize_inline};

    #[test]
    fn html_rules() {
        let cases = [
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
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input).join("\n"), expected, "for {input:?}");
            assert_eq!(sanitize_inline(input), expected, "inline, for {input:?}");
        }
    }
}
