//! What a spec says about the service as a whole, for the `lower` phase: the
//! crate's name and version, the environment variables of `Client::from_env`,
//! and the default base URL from `servers` (the credentials are `security`'s).
//! The user's settings for the name, version and variables win over the spec.
//!
//! Servers the client cannot use as written get a located warning: a URL with
//! variables takes their defaults, and a relative or host-less URL is made
//! absolute (the user sets the real one).

use openapiv3::ReferenceOr;

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::settings::Setting;

/// The base URL when the spec gives none the client can use.
const FALLBACK_BASE_URL: &str = "http://localhost";

impl Lowerer<'_> {
    pub(super) fn crate_name(&self) -> String {
        if let Some(name) = &self.settings.crate_name {
            return name.value.clone();
        }
        let wanted = self
            .info_extension("x-rust-crate-name")
            .unwrap_or_else(|| self.spec.info.title.clone());
        crate::naming::crate_name(&wanted, self.file_stem)
    }

    pub(super) fn crate_version(&self) -> String {
        if let Some(version) = &self.settings.crate_version {
            return version.value.clone();
        }
        self.info_extension("x-rust-crate-version")
            .unwrap_or_else(|| {
                semver_of(&self.spec.info.version).unwrap_or_else(|| "0.1.0".to_owned())
            })
    }

    /// An environment variable name from `info`, else `<CRATE_NAME>_<suffix>`.
    /// A setting, when given, wins over both.
    pub(super) fn env_name(
        &self,
        set: Option<&Setting<String>>,
        key: &str,
        suffix: &str,
    ) -> String {
        if let Some(name) = set {
            return name.value.clone();
        }
        self.info_extension(key).unwrap_or_else(|| {
            let prefix = heck::ToShoutySnakeCase::to_shouty_snake_case(self.crate_name().as_str());
            format!("{prefix}_{suffix}")
        })
    }

    pub(super) fn info_extension(&self, key: &str) -> Option<String> {
        self.spec
            .info
            .extensions
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }

    /// The first server's URL, absolute, with each `{variable}` replaced by its
    /// default; `None` when the spec lists no server.
    pub(super) fn base_url(&mut self) -> Option<String> {
        // No server at all is valid (the host the spec is served from): the
        // crate's fallback applies, as the README of the crate says.
        let (server, at) = self.first_server()?;
        let mut url = server.url.trim().to_owned();
        for (name, variable) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        let (absolute, why) = if url.contains(['{', '}']) {
            (
                FALLBACK_BASE_URL.to_owned(),
                Some("names variables the spec does not define"),
            )
        } else if url.is_empty() {
            (
                FALLBACK_BASE_URL.to_owned(),
                Some("is empty (the host the spec is served from)"),
            )
        } else if let Some(rest) = url.strip_prefix("//") {
            (format!("https://{rest}"), Some("has no scheme"))
        } else if url.starts_with('/') {
            (
                format!("{FALLBACK_BASE_URL}{url}"),
                Some("is relative to the host the spec is served from"),
            )
        } else if !url.contains("://") {
            (format!("https://{url}"), Some("has no scheme"))
        } else {
            (url, None)
        };
        // The client joins the base URL and a path that starts with `/`; the
        // constant says what the client will use.
        let absolute = match absolute.trim_end_matches('/') {
            base if base.contains("://") && !base.ends_with(':') && !base.ends_with("//") => {
                base.to_owned()
            }
            _ => absolute,
        };
        if let Some(why) = why {
            let message = format!(
                "the server URL `{}` {why}; the default base URL is `{absolute}`",
                server.url
            );
            self.sink.warning_with_hint(
                Code::MissingField,
                &at,
                message,
                "give an absolute URL; users set theirs with `Client::builder().base_url(…)`",
            );
        }
        Some(absolute)
    }

    /// The first server of the document, else (with a warning) the first one a
    /// path item or operation lists; with the pointer of its URL.
    fn first_server(&mut self) -> Option<(&openapiv3::Server, Pointer)> {
        let spec = self.spec;
        if let Some(server) = spec.servers.first() {
            return Some((server, Pointer::root().push("servers").push(0).push("url")));
        }
        for (path, item) in &spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let at = Pointer::root().push("paths").push(path);
            let operations = (self.operations.iter())
                .filter(|o| o.path == path)
                .map(|o| (&o.operation.servers, o.pointer.clone()));
            let found = std::iter::once((&item.servers, at.clone()))
                .chain(operations)
                .find_map(|(servers, at)| {
                    Some((servers.first()?, at.push("servers").push(0).push("url")))
                });
            if let Some((server, at)) = found {
                let message = format!(
                    "the spec lists servers only for some paths; the default base URL is this one, `{}`, for every request",
                    server.url
                );
                self.sink.warning_with_hint(
                    Code::MissingField,
                    &at,
                    message,
                    "list the API's server under the top-level `servers`",
                );
                return Some((server, at));
            }
        }
        None
    }
}

/// `info.version` as a version Cargo accepts: three numbers, written without
/// leading zeros (`11.1.00` → `11.1.0`, which Cargo would refuse as written);
/// `None` for anything else (`v2`, `2024-01-01`, `1.0`).
fn semver_of(version: &str) -> Option<String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(|part| match part.chars().all(|c| c.is_ascii_digit()) {
            true => part.parse().ok(),
            false => None,
        })
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [major, minor, patch] => Some(format!("{major}.{minor}.{patch}")),
        _ => None,
    }
}

#[cfg(test)]
mod version_tests {
    use super::semver_of;

    #[test]
    fn spec_versions_become_cargo_versions_or_none() {
        let cases = [
            ("1.2.3", Some("1.2.3")),
            ("11.1.00", Some("11.1.0")),
            ("01.002.0", Some("1.2.0")),
            ("1.0", None),
            ("v1.2.3", None),
            ("1.2.3-beta", None),
            ("2024-01-01", None),
            ("1..3", None),
            ("99999999999999999999.0.0", None),
        ];
        for (version, expected) in cases {
            assert_eq!(semver_of(version).as_deref(), expected, "{version}");
        }
    }
}
