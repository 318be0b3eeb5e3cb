//! Multi-file specs into one document, the `load` step right after parsing.
//!
//! A `$ref` that names another document (`./schemas/user.yaml`,
//! `../common.yaml#/components/schemas/Error`, `https://…`) brings the object it
//! points at into the root document: into the `components` section of the kind
//! its place expects (a schema under `schemas`, a response under `responses`, …),
//! named after its own key or file, and the reference is rewritten to point there.
//! The object's own references are resolved against its own document, the same
//! way, so references between other files, and cycles across files, work. Path
//! items given by `$ref` (local or not) are copied in place, since OpenAPI 3.0
//! has no section for them.
//!
//! Which documents may be read is [`Access`]'s decision, made in `access`: files
//! outside the root spec's folder and URLs are refused (located errors that name
//! the flag to allow them) unless allowed. A `$ref` where prose is expected
//! (`description: {$ref: ./intro.md}`) is read as text, in `prose`. A document that cannot be read, or a fragment
//! that names nothing, leaves the reference unresolved with its reason;
//! `references` then repairs it like any reference to nothing.
//!
//! Every object brought in records where it came from ([`Origin`]), so that
//! diagnostics name the file and line where a problem really is.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde_json::Value;

mod access;
mod prose;
mod self_uri;

use access::Unread;

use super::parse;
use super::tree::{add_entry, entry_names, is_data_key, place_of, value_at, Place};
use crate::diagnostics::{Code, Pointer, Sink};
use crate::naming::{camel_name, claim_unique};
use crate::sources::{absolute_path, percent_decode, Access, Location, Reader};

/// The most objects copied into one another through `$ref`s (path items, examples),
/// as a bound on a cycle of them.
const MAX_INLINE_DEPTH: usize = 32;

/// A document read while bundling.
#[derive(Debug, Clone)]
pub struct Document {
    /// How diagnostics name it: the path relative to the root's folder, or the URL.
    pub name: String,
    /// Where it was read from (`None` for a root given as text).
    pub location: Option<Location>,
    /// Its text, for line and column positions.
    pub text: String,
}

/// A part of the bundled document that came from another document.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Where it is in the bundled document.
    pub bundled: Vec<String>,
    /// Index of the document in [`Bundled::documents`].
    pub document: usize,
    /// Where it is in that document.
    pub at: Vec<String>,
}

/// The outcome of bundling.
#[derive(Debug, Clone)]
pub struct Bundled {
    /// Every document read, the root first.
    pub documents: Vec<Document>,
    /// Where the parts brought in came from.
    pub origins: Vec<Origin>,
    /// References left unresolved, with the reason, for `references`.
    pub unresolved: BTreeMap<String, String>,
    /// References the access policy refused, reported as errors already.
    pub refused: BTreeSet<String>,
}

struct Loaded {
    value: Value,
}

/// A reference target: a document and the pointer segments in it.
type Target = (usize, Vec<String>);

struct Bundler<'r> {
    reader: &'r dyn Reader,
    access: Access,
    /// The root's folder, absolute with links resolved, for the folder check.
    root_folder: Option<PathBuf>,
    documents: Vec<Document>,
    values: Vec<Loaded>,
    by_location: HashMap<Location, usize>,
    /// Targets already brought in, to the local reference that names them.
    placed: BTreeMap<Target, String>,
    /// Targets brought in but not yet copied: target, section and name.
    pending: Vec<(Target, Place, String)>,
    taken: BTreeMap<&'static str, BTreeSet<String>>,
    /// The objects being copied in place right now, innermost last: one that
    /// would be copied into itself is a cycle.
    inlining: Vec<Target>,
    origins: Vec<Origin>,
    unresolved: BTreeMap<String, String>,
    refused: BTreeSet<String>,
    /// The root's `$self` (OpenAPI 3.2), the base of its relative references.
    self_uri: Option<String>,
}

/// Bundles `root` (parsed from `document`) with every document it references.
pub fn bundle(
    root: &mut Value,
    document: Document,
    reader: &dyn Reader,
    access: Access,
    sink: &mut Sink,
) -> Bundled {
    // Containment is decided on absolute paths after the reader resolved
    // symbolic links: a bare file name's folder is the empty path, which every
    // relative path starts with, so written paths cannot decide it.
    let root_folder = match &document.location {
        Some(location @ Location::File(_)) => match reader.canonical(location) {
            Location::File(path) => path.parent().map(absolute_path),
            Location::Url(_) => None,
        },
        _ => None,
    };
    let mut bundler = Bundler {
        reader,
        access,
        root_folder,
        by_location: document
            .location
            .iter()
            .map(|l| (reader.canonical(l), 0))
            .collect(),
        documents: vec![document],
        values: vec![Loaded { value: Value::Null }],
        placed: BTreeMap::new(),
        pending: Vec::new(),
        taken: BTreeMap::new(),
        inlining: Vec::new(),
        origins: Vec::new(),
        unresolved: BTreeMap::new(),
        refused: BTreeSet::new(),
        self_uri: self_uri::read_self(root),
    };
    // Other documents may refer back into the root: they read it as it was written.
    bundler.values[0].value = root.clone();
    for place in [
        Place::Schema,
        Place::Parameter,
        Place::RequestBody,
        Place::Response,
        Place::Header,
    ] {
        bundler
            .taken
            .insert(place.section(), entry_names(root, place.section()));
    }
    bundler.rewrite(root, 0, &mut Vec::new(), 0, sink);
    while let Some(((document, at), place, name)) = bundler.pending.pop() {
        let Some(mut value) = value_at(&bundler.values[document].value, &at).cloned() else {
            continue;
        };
        let mut path = vec![
            "components".to_owned(),
            place.section().to_owned(),
            name.clone(),
        ];
        bundler.rewrite(&mut value, document, &mut path, 0, sink);
        add_entry(root, place.section(), &name, value);
        bundler.origins.push(Origin {
            bundled: path,
            document,
            at,
        });
    }
    Bundled {
        documents: bundler.documents,
        origins: bundler.origins,
        unresolved: bundler.unresolved,
        refused: bundler.refused,
    }
}

impl Bundler<'_> {
    /// Rewrites every reference in `value`, a part of `document` that sits at
    /// `path` in the bundled document.
    fn rewrite(
        &mut self,
        value: &mut Value,
        document: usize,
        path: &mut Vec<String>,
        depth: usize,
        sink: &mut Sink,
    ) {
        if let Some(text) = self.prose(value, document, path, sink) {
            *value = Value::String(text);
            return;
        }
        let reference = value.get("$ref").and_then(Value::as_str).map(str::to_owned);
        if let Some(reference) = reference {
            let place = place_of(path);
            let foreign = document != 0 || !reference.starts_with('#');
            // Path items have no section of their own in 3.0, and objects in places
            // `tree` does not classify (examples, links) are copied where they are used.
            if place == Some(Place::PathItem) || (place.is_none() && foreign) {
                self.inline(value, &reference, document, path, depth, sink);
                return;
            }
            if let Some(local) = self.localize(&reference, document, place, path, sink) {
                if let Some(map) = value.as_object_mut() {
                    map.insert("$ref".to_owned(), local.into());
                }
            }
        }
        match value {
            Value::Object(map) => {
                self.rewrite_mapping(map, document, path, sink);
                let parent = path.last().cloned();
                for (key, child) in map.iter_mut() {
                    path.push(key.clone());
                    if !is_data_key(parent.as_deref(), key) {
                        self.rewrite(child, document, path, depth, sink);
                    } else if let Some(text) = self.prose(child, document, path, sink) {
                        // An extension is data, but one naming a text file is prose.
                        *child = Value::String(text);
                    }
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    path.push(index.to_string());
                    self.rewrite(child, document, path, depth, sink);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// A discriminator's `mapping` names schemas by reference too.
    fn rewrite_mapping(
        &mut self,
        map: &mut serde_json::Map<String, Value>,
        document: usize,
        path: &[String],
        sink: &mut Sink,
    ) {
        let Some(Value::Object(mapping)) = map
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
        else {
            return;
        };
        for target in mapping.values_mut() {
            let Value::String(reference) = target else {
                continue;
            };
            // Bare schema names (`Dog`, `v1.Dog`) are not references.
            let is_file = [".yaml", ".yml", ".json"].iter().any(|ext| {
                reference
                    .split('#')
                    .next()
                    .unwrap_or_default()
                    .ends_with(ext)
            });
            if !reference.contains('#') && !is_file {
                continue;
            }
            let at = path.to_vec();
            if let Some(local) =
                self.localize(&reference.clone(), document, Some(Place::Schema), &at, sink)
            {
                *reference = local;
            }
        }
    }

    /// The local reference for `reference` written in `document`: unchanged for
    /// the root's own references, else the target brought into the root.
    fn localize(
        &mut self,
        reference: &str,
        document: usize,
        place: Option<Place>,
        path: &[String],
        sink: &mut Sink,
    ) -> Option<String> {
        if document == 0 && reference.starts_with('#') {
            return None;
        }
        let target = self.resolve(reference, document, path, sink)?;
        if target.0 == 0 {
            return Some(format!("#{}", pointer_text(&target.1)));
        }
        Some(self.place(target, place, reference))
    }

    /// The document and pointer a reference names, reading the document if needed.
    fn resolve(
        &mut self,
        reference: &str,
        document: usize,
        path: &[String],
        sink: &mut Sink,
    ) -> Option<Target> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let segments = match Pointer::parse_local_ref(&format!("#{}", percent_decode(fragment))) {
            Some(pointer) => pointer.segments().to_vec(),
            None => {
                self.unresolve(reference, "its fragment is not a JSON pointer");
                return None;
            }
        };
        let target_document = match self.via_self(file, document) {
            _ if file.is_empty() => document,
            self_uri::Resolved::Root => 0,
            self_uri::Resolved::Local(relative) => {
                self.document_for(&relative, 0, reference, path, sink)?
            }
            self_uri::Resolved::Remote(url) => {
                self.document_for(&url, document, reference, path, sink)?
            }
            self_uri::Resolved::Written => {
                self.document_for(file, document, reference, path, sink)?
            }
        };
        if value_at(&self.values[target_document].value, &segments).is_none() {
            let name = self.documents[target_document].name.clone();
            self.unresolve(reference, &format!("{name} has nothing at `#{fragment}`"));
            return None;
        }
        Some((target_document, segments))
    }

    /// The index of the document `file` names from `from`, read and parsed once.
    fn document_for(
        &mut self,
        file: &str,
        from: usize,
        reference: &str,
        path: &[String],
        sink: &mut Sink,
    ) -> Option<usize> {
        let Some(located) = self.locate(file, from) else {
            let reason = "the spec was given as text, so other files cannot be read";
            self.unresolve(reference, reason);
            return None;
        };
        if let Some(index) = self.by_location.get(&located.1) {
            return Some(*index);
        }
        let text = match self.read_allowed(&located, from, reference, path, sink) {
            Ok(text) => text,
            Err(Unread::Refused) => {
                self.refused.insert(reference.to_owned());
                return None;
            }
            Err(Unread::Failed(reason)) => {
                self.unresolve(reference, &reason);
                return None;
            }
        };
        let canonical = located.1;
        let name = self.name_of(&canonical);
        let value = match parse::parse(&text) {
            Ok(parsed) => {
                if parsed.lenient_flows {
                    sink.push_diagnostic(crate::diagnostics::Diagnostic {
                        severity: crate::diagnostics::Severity::Warning,
                        code: Code::Syntax,
                        pointer: Pointer::root().to_string(),
                        message: super::LENIENT_FLOWS.to_owned(),
                        hint: super::LENIENT_FLOWS_HINT.to_owned(),
                        line_column: Some((1, 1)),
                        file: Some(name.clone()),
                        source_line: text.lines().next().map(str::to_owned),
                    });
                }
                parsed.value
            }
            Err(error) => {
                let message = format!("{name} is not valid {}: {}", error.format, error.message);
                sink.push_diagnostic(crate::diagnostics::Diagnostic {
                    severity: crate::diagnostics::Severity::Error,
                    code: Code::Syntax,
                    pointer: Pointer::root().to_string(),
                    message,
                    hint: Code::Syntax.default_hint().to_owned(),
                    line_column: error.line_column,
                    file: Some(name.clone()),
                    source_line: error
                        .line_column
                        .and_then(|(line, _)| text.lines().nth(line.saturating_sub(1)))
                        .map(str::to_owned),
                });
                self.unresolve(reference, "the document is not valid");
                return None;
            }
        };
        let index = self.documents.len();
        self.documents.push(Document {
            name,
            location: Some(canonical.clone()),
            text,
        });
        self.values.push(Loaded { value });
        self.by_location.insert(canonical, index);
        Some(index)
    }

    /// How diagnostics name a document: relative to the root's folder when inside it.
    fn name_of(&self, location: &Location) -> String {
        match (location, &self.root_folder) {
            (Location::File(path), Some(folder)) => match path.strip_prefix(folder) {
                Ok(relative) => relative.display().to_string(),
                Err(_) => path.display().to_string(),
            },
            _ => location.display(),
        }
    }

    /// The local reference for a target of another document: inside an object
    /// already brought in, that object's reference plus the rest of the pointer;
    /// else a new `components` entry of the section `place` expects.
    fn place(&mut self, target: Target, place: Option<Place>, reference: &str) -> String {
        if let Some(found) = self.placed.get(&target) {
            return found.clone();
        }
        let enclosing = self.placed.iter().find(|((document, at), _)| {
            *document == target.0 && target.1.len() > at.len() && target.1.starts_with(at)
        });
        if let Some(((_, at), local)) = enclosing {
            let rest = &target.1[at.len()..];
            return format!("{local}/{}", pointer_text(rest).trim_start_matches('/'));
        }
        let place = place
            .or_else(|| section_place(&target.1))
            .unwrap_or(Place::Schema);
        let place = if place == Place::PathItem {
            Place::Schema
        } else {
            place
        };
        let name = self.component_name(&target, place, reference);
        let local = format!("#/components/{}/{}", place.section(), escape(&name));
        self.placed.insert(target.clone(), local.clone());
        self.pending.push((target, place, name));
        local
    }

    /// A `components` key for a target: its own key when it is one, else the file name.
    fn component_name(&mut self, target: &Target, place: Place, reference: &str) -> String {
        let own = target.1.last().cloned().filter(|k| is_component_key(k));
        let from_file = || {
            let file = reference.split('#').next().unwrap_or_default();
            let stem = file.rsplit('/').next().unwrap_or(file);
            let stem = stem.split('.').next().unwrap_or(stem);
            camel_name(stem)
        };
        let wanted = own.unwrap_or_else(|| match target.1.last() {
            Some(last) => camel_name(last),
            None => from_file(),
        });
        let taken = self.taken.entry(place.section()).or_default();
        claim_unique(taken, &wanted, false)
    }

    /// Replaces an object given by `$ref` with a copy of its target (siblings of
    /// the `$ref` win), resolved against the target's own document.
    fn inline(
        &mut self,
        value: &mut Value,
        reference: &str,
        document: usize,
        path: &mut Vec<String>,
        depth: usize,
        sink: &mut Sink,
    ) {
        if depth >= MAX_INLINE_DEPTH {
            let message =
                format!("`$ref: {reference}` is part of a cycle of objects copied into each other");
            sink.error(Code::ReferenceCycle, &pointer_of(path), message);
            return;
        }
        let Some(target) = self.resolve(reference, document, path, sink) else {
            return;
        };
        // A target that holds the place being filled (`$ref: '#/paths'` in a
        // path item) or is being copied already would be copied into itself.
        let holds_itself = target.0 == document && path.starts_with(&target.1);
        if holds_itself || self.inlining.contains(&target) {
            let message = format!("`$ref: {reference}` would copy an object into itself");
            sink.error(Code::ReferenceCycle, &pointer_of(path), message);
            return;
        }
        let Some(mut item) = value_at(&self.values[target.0].value, &target.1).cloned() else {
            return;
        };
        if let (Value::Object(item), Value::Object(siblings)) = (&mut item, &*value) {
            for (key, sibling) in siblings {
                if key != "$ref" {
                    item.insert(key.clone(), sibling.clone());
                }
            }
        }
        if target.0 != 0 {
            self.origins.push(Origin {
                bundled: path.clone(),
                document: target.0,
                at: target.1.clone(),
            });
        }
        // The copy may itself be given by `$ref`.
        let from = target.0;
        self.inlining.push(target);
        self.rewrite(&mut item, from, path, depth + 1, sink);
        self.inlining.pop();
        *value = item;
    }

    fn unresolve(&mut self, reference: &str, reason: &str) {
        self.unresolved
            .entry(reference.to_owned())
            .or_insert_with(|| reason.to_owned());
    }
}

/// The kind of a target by the `components` section it sits in, if it does.
fn section_place(at: &[String]) -> Option<Place> {
    match at {
        [components, section, _] if components == "components" => Place::of_section(section),
        _ => None,
    }
}

/// Whether `key` may be a `components` key as it is (`^[a-zA-Z0-9.\-_]+$`).
fn is_component_key(key: &str) -> bool {
    !key.is_empty()
        && !key.bytes().all(|b| b.is_ascii_digit())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

fn pointer_of(path: &[String]) -> Pointer {
    path.iter().fold(Pointer::root(), |p, s| p.push(s))
}

/// `/a/b~1c` for the segments `a`, `b/c`.
fn pointer_text(segments: &[String]) -> String {
    segments.iter().map(|s| format!("/{}", escape(s))).collect()
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
