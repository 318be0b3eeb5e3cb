//! Which files a spec's references may bring in, for the bundler: remote
//! documents only when allowed, no local file from a remote one, and nothing
//! outside the root spec's folder unless allowed. Containment is decided on
//! absolute paths with symbolic links resolved, whatever way the spec's path
//! was written.

use super::{pointer_of, Bundler};
use crate::diagnostics::{Code, Sink};
use crate::sources::{absolute_path, Location};

/// Why a referenced file's text was not read.
pub(super) enum Unread {
    /// The access policy refused it, and said so.
    Refused,
    /// The spec was given as text, or reading failed: why.
    Failed(String),
}

impl Bundler<'_> {
    /// Where `file`, written in document `from`, is: as written and with links
    /// resolved; `None` when `from` was given as text and has no place.
    pub(super) fn locate(&self, file: &str, from: usize) -> Option<(Location, Location)> {
        let location = self.documents[from].location.as_ref()?.join(file);
        let canonical = self.reader.canonical(&location);
        Some((location, canonical))
    }

    /// The text at `canonical` (which `reference` in document `from` names),
    /// if the access policy allows reading it.
    pub(super) fn read_allowed(
        &mut self,
        (location, canonical): &(Location, Location),
        from: usize,
        reference: &str,
        path: &[String],
        sink: &mut Sink,
    ) -> Result<String, Unread> {
        if !self.allowed(canonical, from, reference, path, sink) {
            return Err(Unread::Refused);
        }
        self.reader.read(canonical).map_err(|error| {
            Unread::Failed(format!("{} cannot be read: {error}", location.display()))
        })
    }

    /// Whether `location` may be read, by the access policy; an error if not.
    pub(super) fn allowed(
        &mut self,
        location: &Location,
        from: usize,
        reference: &str,
        path: &[String],
        sink: &mut Sink,
    ) -> bool {
        let at = pointer_of(path);
        let from_remote = matches!(self.documents[from].location, Some(Location::Url(_)));
        match location {
            Location::Url(url) if !self.access.remote_refs => {
                let message = format!(
                    "`$ref: {reference}` names a remote document ({url}), which is not fetched"
                );
                sink.error_with_hint(
                    Code::ExternalReference,
                    &at,
                    message,
                    "pass `--allow-remote-refs` to fetch it, or save it beside the spec",
                );
                false
            }
            Location::File(path) if from_remote => {
                let message = format!(
                    "`$ref: {reference}` in a remote document names the local file {}",
                    path.display()
                );
                sink.error_with_hint(
                    Code::ExternalReference,
                    &at,
                    message,
                    "a remote document may only reference other remote documents",
                );
                false
            }
            Location::File(path) if !self.access.refs_outside => {
                let inside = self
                    .root_folder
                    .as_ref()
                    .is_some_and(|folder| absolute_path(path).starts_with(folder));
                if !inside {
                    let message = format!(
                        "`$ref: {reference}` names {}, outside the spec's folder",
                        path.display()
                    );
                    sink.error_with_hint(
                        Code::ExternalReference,
                        &at,
                        message,
                        "pass `--allow-refs-outside` to read files outside the spec's folder",
                    );
                }
                inside
            }
            _ => true,
        }
    }
}
