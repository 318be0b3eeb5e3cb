//! The lenient reading of YAML flow collections, for `parse`: a multi-line
//! `{…}` or `[…]` whose lines sit at or left of its key's column is outside YAML
//! 1.2 (yaml-rust2 refuses it) but common in hand-written specs, and PyYAML and
//! libyaml read it. When the strict reading fails on indentation, `parse` reads
//! the text again with those lines indented past the line that opened the
//! collection.

/// `text` with every line that continues a multi-line flow collection indented
/// at least one column past the line that opened it; `None` when no line moved.
///
/// Quotes, comments and block scalars are followed so that a brace inside a
/// string or a `|` block does not count. Lines keep their numbers.
pub(super) fn indent_flow_lines(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut depth = 0usize;
    let mut minimum = 0usize;
    let mut block_scalar: Option<usize> = None;
    let mut moved = false;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                out.push_str(line);
                continue;
            }
            block_scalar = None;
        }
        if depth > 0 && indent < minimum && !blank {
            out.extend(std::iter::repeat_n(' ', minimum - indent));
            moved = true;
        }
        let opened_at = indent;
        let (end_depth, ends_with_block_indicator) = scan_flow(line, depth, |d| {
            if d == 0 {
                minimum = opened_at + 1;
            }
        });
        depth = end_depth;
        if depth == 0 && ends_with_block_indicator {
            block_scalar = Some(indent);
        }
        out.push_str(line);
    }
    moved.then_some(out)
}

/// The flow depth after `line`, starting from `depth` (`opened` is called with
/// the depth before each `{` or `[`), and whether the line ends with a block
/// scalar indicator (`|`, `>-`, …) outside quotes.
fn scan_flow(line: &str, mut depth: usize, mut opened: impl FnMut(usize)) -> (usize, bool) {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => {
                // `''` inside single quotes is an escaped quote.
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None => match c {
                '#' if previous == ' ' || previous == '\t' => break,
                '"' | '\'' if matches!(previous, ' ' | '\t' | '{' | '[' | ',' | ':') => {
                    quote = Some(c)
                }
                '{' | '[' => {
                    opened(depth);
                    depth += 1;
                }
                '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = c;
    }
    let trimmed = line.trim_end();
    let indicator = trimmed
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
        .ends_with(['|', '>']);
    (depth, quote.is_none() && indicator && depth == 0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::parse::parse_yaml;

    #[test]
    fn flow_collections_indented_less_than_their_key_are_read() {
        let text = "a:\n  b:\n    example: {\n      \"x\": \"{ not a brace\",\n      \"y\": [1,\n    2]\n    }\n    c: |\n      { literal\n    d: 1\n";
        let parsed = parse_yaml(text).ok();
        assert_eq!(
            parsed.as_ref().map(|p| p.value.clone()),
            Some(
                json!({"a": {"b": {"example": {"x": "{ not a brace", "y": [1, 2]}, "c": "{ literal\n", "d": 1}}})
            )
        );
        assert_eq!(parsed.map(|p| p.lenient_flows), Some(true));
        assert!(parse_yaml("a: {b: 1}\n").is_ok_and(|p| !p.lenient_flows));
    }
}
