//! OpenAPI 3.2's `$self`: the root document's own URI, which its relative
//! references resolve against (RFC 3986 base URI) instead of where the file was
//! read from.
//!
//! The generator reads files, not the URI a spec calls itself, so a reference
//! is brought home: one that resolves to `$self` itself is a reference inside
//! the root document; one that resolves into `$self`'s folder is the file at the
//! same relative place beside the root file (the folder is published as it is
//! kept); anything else is the URL it resolves to, which the access policy
//! refuses (E0104) unless remote references are allowed. A relative `$self` is
//! only compared as written: a reference to that text is the root document.

use serde_json::Value;

use super::Bundler;
use crate::sources::Location;

/// Where a reference's document part leads once `$self` is taken into account.
pub(super) enum Resolved {
    /// The root document.
    Root,
    /// A file relative to the root document's folder.
    Local(String),
    /// The document part as written (no `$self`, or not its business).
    Written,
    /// An absolute URL outside `$self`'s folder.
    Remote(String),
}

/// The root's `$self`, without a fragment; absolute URLs normalized.
pub(super) fn read_self(root: &Value) -> Option<String> {
    let raw = root.get("$self")?.as_str()?;
    let raw = raw.split('#').next().unwrap_or_default();
    if raw.is_empty() {
        return None;
    }
    Some(absolute(raw).unwrap_or_else(|| raw.to_owned()))
}

/// `text` as a normalized absolute `http(s)` URL, if it is one.
fn absolute(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    match Location::Url(String::new()).join(text) {
        Location::Url(url) => Some(url),
        Location::File(_) => None,
    }
}

impl Bundler<'_> {
    /// Where `file` (the part of a `$ref` before `#`, written in document
    /// `from`) leads, by the root's `$self`.
    pub(super) fn via_self(&self, file: &str, from: usize) -> Resolved {
        let Some(own) = &self.self_uri else {
            return Resolved::Written;
        };
        let Some(base) = absolute(own) else {
            return if file == own {
                Resolved::Root
            } else {
                Resolved::Written
            };
        };
        // Relative references of other documents resolve against their own place.
        let resolved = match absolute(file) {
            Some(url) => url,
            None if from == 0 => match Location::Url(base.clone()).join(file) {
                Location::Url(url) => url,
                Location::File(_) => return Resolved::Written,
            },
            None => return Resolved::Written,
        };
        if resolved == base {
            return Resolved::Root;
        }
        let folder = &base[..base.rfind('/').map_or(base.len(), |at| at + 1)];
        match resolved.strip_prefix(folder) {
            Some(relative) if !relative.is_empty() => Resolved::Local(relative.to_owned()),
            _ => Resolved::Remote(resolved),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_is_read_without_its_fragment() {
        let root = serde_json::json!({"$self": "https://example.com/api/./openapi.yaml#x"});
        assert_eq!(
            read_self(&root).as_deref(),
            Some("https://example.com/api/openapi.yaml")
        );
        assert_eq!(read_self(&serde_json::json!({"$self": 3})), None);
        assert_eq!(absolute("../shared/pet.yaml"), None);
    }
}
