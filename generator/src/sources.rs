//! Where spec documents come from: a [`Location`] (a file or a URL), the
//! [`Reader`] trait `load` uses to read the documents a spec's `$ref`s name, and
//! [`Access`], the policy that says which of them may be read at all.
//!
//! The library does no I/O of its own: [`generate_from`](crate::generate_from)
//! reads through the reader it is given. [`FsReader`] is the reader of the CLI and
//! the tests (files from disk, URLs over HTTP with a timeout); [`NoReader`] reads
//! nothing, for a spec given as text.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// Where a document is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// A file on disk.
    File(PathBuf),
    /// An `http://` or `https://` URL.
    Url(String),
}

impl Location {
    /// The location of `reference` (the part of a `$ref` before `#`) written in
    /// the document at `self`: URLs as they are, other text relative to this
    /// document's folder (or URL).
    pub fn join(&self, reference: &str) -> Location {
        let reference = percent_decode(reference);
        if is_url(&reference) {
            return Location::Url(normalize_url(&reference));
        }
        if let Some(path) = reference.strip_prefix("file://") {
            return Location::File(normalize_path(Path::new(path)));
        }
        match self {
            Location::File(path) => {
                let folder = path.parent().unwrap_or(Path::new(""));
                Location::File(normalize_path(&folder.join(&reference)))
            }
            Location::Url(url) => {
                let base = match url.rfind('/') {
                    Some(at) if at > url.find("://").map_or(0, |s| s + 2) => &url[..=at],
                    _ => url.as_str(),
                };
                let joined = if reference.starts_with('/') {
                    let origin_end = url
                        .find("://")
                        .and_then(|s| url[s + 3..].find('/').map(|p| s + 3 + p))
                        .unwrap_or(url.len());
                    format!("{}{reference}", &url[..origin_end])
                } else {
                    format!("{base}{reference}")
                };
                Location::Url(normalize_url(&joined))
            }
        }
    }

    /// How the location is shown in diagnostics.
    pub fn display(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Url(url) => url.clone(),
        }
    }
}

/// Which documents a spec's references may bring in besides the spec itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    /// Files outside the root spec's folder (by default a stranger's spec cannot
    /// read arbitrary files into the docs of a generated crate).
    pub refs_outside: bool,
    /// `http://` and `https://` references (by default nothing is fetched).
    pub remote_refs: bool,
}

/// Reads documents for `load`.
pub trait Reader {
    /// The text at `location`, or why it cannot be read.
    fn read(&self, location: &Location) -> Result<String, String>;

    /// `location` with symbolic links resolved, so the folder check cannot be
    /// escaped through one; as it is when that cannot be worked out.
    fn canonical(&self, location: &Location) -> Location {
        location.clone()
    }
}

/// Reads nothing: for a spec given as text, whose references cannot be followed.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoReader;

impl Reader for NoReader {
    fn read(&self, location: &Location) -> Result<String, String> {
        Err(format!(
            "{} is not read: the spec was given as text, not as a file",
            location.display()
        ))
    }
}

/// Reads files from disk and fetches URLs over HTTP(S).
#[derive(Debug, Clone)]
pub struct FsReader {
    /// The longest a URL may take to answer, connection included.
    pub timeout: Duration,
}

impl Default for FsReader {
    fn default() -> Self {
        FsReader {
            timeout: Duration::from_secs(30),
        }
    }
}

impl Reader for FsReader {
    fn read(&self, location: &Location) -> Result<String, String> {
        match location {
            Location::File(path) => std::fs::read_to_string(path).map_err(|e| e.to_string()),
            Location::Url(url) => self.fetch(url),
        }
    }

    fn canonical(&self, location: &Location) -> Location {
        match location {
            Location::File(path) => Location::File(canonical_path(path)),
            Location::Url(_) => location.clone(),
        }
    }
}

/// `path` absolute with every symbolic link resolved. A file that does not exist
/// (yet) still gets an answer: its longest existing ancestor is resolved and the
/// rest appended, so whether it lies inside a folder is decided the same way.
fn canonical_path(path: &Path) -> PathBuf {
    let absolute = absolute_path(path);
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(resolved) = std::fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(resolved, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// `path` made absolute against the working folder without touching the file
/// system, with `.` and `..` resolved; the empty path is the working folder.
pub(crate) fn absolute_path(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    match std::path::absolute(path) {
        Ok(absolute) => normalize_path(&absolute),
        Err(_) => normalize_path(path),
    }
}

impl FsReader {
    fn fetch(&self, url: &str) -> Result<String, String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .build()
            .into();
        let mut response = agent.get(url).call().map_err(|e| match e {
            ureq::Error::Timeout(_) => format!("no answer within {:?}", self.timeout),
            other => other.to_string(),
        })?;
        response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .map_err(|e| e.to_string())
    }
}

fn is_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `a/./b/../c` → `a/c`, without touching the file system (the file may not exist).
fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `..` cancels the folder before it; a leading run of `..` stays
            // (`../../x` is two levels up), and `..` at the root is the root.
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::ParentDir | Component::CurDir) | None => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path of a URL with `.` and `..` segments resolved.
fn normalize_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let after = scheme_end + 3;
    let path_start = url[after..].find('/').map_or(url.len(), |p| after + p);
    let (origin, path) = url.split_at(path_start);
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    if path.is_empty() {
        origin.to_owned()
    } else {
        format!("{origin}/{}", segments.join("/"))
    }
}

/// Undoes `%XX` escapes (a file name with a space is written `my%20file.yaml`,
/// a fragment may encode `{`, `}` and spaces).
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_joined_to_their_document() {
        let file = Location::File(PathBuf::from("/specs/api/openapi.yaml"));
        let table = [
            (
                "schemas/user.yaml",
                Location::File("/specs/api/schemas/user.yaml".into()),
            ),
            (
                "../common.yaml",
                Location::File("/specs/common.yaml".into()),
            ),
            ("./a/../b.json", Location::File("/specs/api/b.json".into())),
            (
                "my%20file.yaml",
                Location::File("/specs/api/my file.yaml".into()),
            ),
            (
                "https://x.test/a/../b.yaml",
                Location::Url("https://x.test/b.yaml".into()),
            ),
        ];
        for (reference, expected) in table {
            assert_eq!(file.join(reference), expected, "{reference}");
        }
        let url = Location::Url("http://127.0.0.1:8/specs/api.yaml".into());
        assert_eq!(
            url.join("parts/user.yaml"),
            Location::Url("http://127.0.0.1:8/specs/parts/user.yaml".into())
        );
        assert_eq!(
            url.join("../other.yaml"),
            Location::Url("http://127.0.0.1:8/other.yaml".into())
        );
        assert_eq!(
            url.join("/root.yaml"),
            Location::Url("http://127.0.0.1:8/root.yaml".into())
        );
    }

    #[test]
    fn relative_spec_paths_keep_every_level_they_go_up() {
        // A build script names its spec from the package folder, so the spec
        // itself often lies a few levels up.
        let table = [
            (
                "../../spec/api.yaml",
                "examples/a.rs",
                "../../spec/examples/a.rs",
            ),
            ("../../api.yaml", "../x.yaml", "../../../x.yaml"),
            ("../spec/api.yaml", "../../x.yaml", "../../x.yaml"),
            ("spec/api.yaml", "../../x.yaml", "../x.yaml"),
            ("./api.yaml", "x/../../y.yaml", "../y.yaml"),
            ("/api.yaml", "../../x.yaml", "/x.yaml"),
        ];
        for (spec, reference, expected) in table {
            let joined = Location::File(PathBuf::from(spec)).join(reference);
            assert_eq!(
                joined,
                Location::File(expected.into()),
                "{spec} + {reference}"
            );
        }
    }
}
