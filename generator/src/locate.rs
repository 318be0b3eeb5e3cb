//! The last step before diagnostics reach the user: each one is placed in the
//! document where its problem is written, with the line and column of its JSON
//! pointer there.
//!
//! `load` and `lower` report pointers into the bundled document. A part that
//! bundling brought in from another file records its origin, so the pointer is
//! translated into that file (and the diagnostic names it); the rest are in the
//! root spec. Positions come from re-reading each document's text as YAML events
//! (`load::positions`), once per document and only when a diagnostic needs it.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Pointer};
use crate::load::bundle::{Bundled, Origin};
use crate::load::positions::Positions;

/// Locates every diagnostic of a run over `bundled`.
pub(crate) fn locate(mut diagnostics: Vec<Diagnostic>, bundled: &Bundled) -> Vec<Diagnostic> {
    let unplaced = |d: &Diagnostic| d.file.is_none() && d.line_column.is_none();
    let translated: Vec<Option<(usize, String)>> = diagnostics
        .iter()
        .map(|d| unplaced(d).then(|| translate(&d.pointer, &bundled.origins)))
        .collect();
    // Each document is read once, for the pointers asked of it only.
    let mut wanted: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (document, pointer) in translated.iter().flatten() {
        wanted.entry(*document).or_default().push(pointer);
    }
    let positions: BTreeMap<usize, Positions> = wanted
        .into_iter()
        .filter_map(|(document, pointers)| {
            let source = bundled.documents.get(document)?;
            Some((document, Positions::index_for(&source.text, pointers)))
        })
        .collect();
    for (diagnostic, translated) in diagnostics.iter_mut().zip(&translated) {
        let Some((document, pointer)) = translated else {
            continue;
        };
        let (Some(source), Some(index)) =
            (bundled.documents.get(*document), positions.get(document))
        else {
            continue;
        };
        let document = *document;
        let pointer = pointer.clone();
        diagnostic.line_column = index.find(&pointer);
        if document != 0 {
            diagnostic.pointer = pointer;
            diagnostic.file = Some(source.name.clone());
            diagnostic.source_line = diagnostic
                .line_column
                .and_then(|(line, _)| source.text.lines().nth(line.saturating_sub(1)))
                .map(str::to_owned);
        }
    }
    diagnostics
}

/// The document and pointer in it of a pointer into the bundled document: the
/// origin with the longest matching prefix wins (an object brought in from one
/// file may hold another brought in from a second).
fn translate(pointer: &str, origins: &[Origin]) -> (usize, String) {
    let Some(parsed) = Pointer::parse_local_ref(pointer) else {
        return (0, pointer.to_owned());
    };
    let segments = parsed.segments();
    let best = origins
        .iter()
        .filter(|o| segments.starts_with(&o.bundled))
        .max_by_key(|o| o.bundled.len());
    match best {
        Some(origin) => {
            let rest = &segments[origin.bundled.len()..];
            let translated = origin
                .at
                .iter()
                .chain(rest)
                .fold(Pointer::root(), |p, s| p.push(s));
            (origin.document, translated.to_string())
        }
        None => (0, pointer.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_into_brought_in_parts_are_translated_to_their_file() {
        let origins = vec![
            Origin {
                bundled: vec!["components".into(), "schemas".into(), "User".into()],
                document: 1,
                at: vec![],
            },
            Origin {
                bundled: vec!["components".into(), "schemas".into(), "Error".into()],
                document: 2,
                at: vec!["components".into(), "schemas".into(), "Error".into()],
            },
        ];
        let table = [
            (
                "#/components/schemas/User/properties/a",
                (1, "#/properties/a"),
            ),
            (
                "#/components/schemas/Error",
                (2, "#/components/schemas/Error"),
            ),
            (
                "#/components/schemas/Other",
                (0, "#/components/schemas/Other"),
            ),
            ("#/paths/~1a", (0, "#/paths/~1a")),
        ];
        for (pointer, (document, expected)) in table {
            assert_eq!(
                translate(pointer, &origins),
                (document, expected.to_owned()),
                "{pointer}"
            );
        }
    }
}
