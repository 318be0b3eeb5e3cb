//! Which files a spec's references may bring in, for the bundler: remote
//! documents only when allowed, no local file from a remote one, and nothing
//! outside the root spec's folder unless allowed. Containment is decided on
//! absolute paths with symbolic links resolved, whatever way the spec's path
//! was written.

use super::{pointer_of, Bundler};
use crate::diagnostics::{Code, Sink};
use crate::sources::{absolute_path, Location};

impl Bundler<'_> {
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
