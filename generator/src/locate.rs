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
    let mut positions: BTreeMap<usize, Positions> = BTreeMap::new();
    for diagnostic in diagnostics.iter_mut() {
        if diagnostic.file.is_some() || diagnostic.line_column.is_some() {
            continue;
        }
        let (document, pointer) = translate(&diagnostic.pointer, &bundled.origins);
        let Some(source) = bundled.documents.get(document) else {
            continue;
        };
        let index = positions
            .entry(document)
            .or_insert_with(|| Positions::index(&source.text));
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
