//! Security schemes and requirements, for the `lower` phase: which schemes the
//! client sends by itself (with the builder method and environment variable of
//! each, from `naming`), and which of them each operation carries.
//!
//! OpenAPI's rules: an operation's `security` applies, else the root's; with
//! neither there is no requirement and nothing is sent. `[]` is none. Each
//! requirement object is a set of schemes sent together, and the list is a
//! choice among them; `{}` in the list makes credentials optional. HTTP bearer,
//! OAuth 2 and OpenID Connect send a bearer token, HTTP basic a user name and
//! password, API keys go in their header, query parameter or cookie. Other
//! schemes (HTTP digest, mutual TLS) are named in one warning, and a
//! requirement that needs one is left out of the choice.

use std::collections::BTreeSet;

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme};

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::{Placement, Security};
use crate::naming::{client_builder_methods, credential_method, credential_variable};

/// The schemes of the spec as lowered: the ones the client sends, and the
/// names of the others (so a requirement naming one is not called unknown).
#[derive(Debug, Default)]
pub(super) struct Schemes {
    pub(super) sent: Vec<crate::ir::SecurityScheme>,
    unsent: BTreeSet<String>,
    /// Names requirements use that no scheme has, warned about once each.
    unknown: BTreeSet<String>,
}

impl Schemes {
    fn index_of(&self, name: &str) -> Option<usize> {
        self.sent.iter().position(|s| s.name == name)
    }
}

impl Lowerer<'_> {
    /// Lowers `components.securitySchemes`, in the spec's order.
    pub(super) fn lower_security_schemes(&mut self) {
        self.lower_schemes();
        // The crate's token variable, when the user or the spec named one, is the
        // token scheme's: that is what `--token-env` has always set.
        match (self.token_scheme(), self.explicit_token_env()) {
            (Some(index), Some(variable)) => self.schemes.sent[index].variable = variable,
            (None, Some(_)) => self.warn_token_env_unused(),
            _ => {}
        }
    }

    fn lower_schemes(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        let prefix = self.variable_prefix();
        let mut methods = client_builder_methods();
        let mut unsupported = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let ReferenceOr::Item(scheme) = scheme else {
                unsupported.push((name.clone(), "a `$ref` to another scheme".to_owned()));
                continue;
            };
            let Some((placement, kind)) = placement_of(scheme) else {
                unsupported.push((name.clone(), describe(scheme)));
                continue;
            };
            let variable = credential_variable(&prefix, name);
            let (variable, password_variable) = match placement {
                Placement::Basic => (
                    format!("{variable}_USERNAME"),
                    Some(format!("{variable}_PASSWORD")),
                ),
                _ => (variable, None),
            };
            self.schemes.sent.push(crate::ir::SecurityScheme {
                name: name.clone(),
                method: credential_method(&mut methods, name),
                variable,
                password_variable,
                placement,
                kind,
                description: description_of(scheme),
            });
        }
        self.schemes.unsent = unsupported.iter().map(|(name, _)| name.clone()).collect();
        self.warn_unsent_schemes(&unsupported);
    }

    /// The scheme `ClientBuilder::token` sets: the first whose credential is one token.
    pub(super) fn token_scheme(&self) -> Option<usize> {
        self.schemes
            .sent
            .iter()
            .position(|s| s.placement != Placement::Basic)
    }

    /// The requirement an operation carries: its own `security`, else the
    /// root's, else none; `at` locates warnings about it.
    pub(super) fn security_of(
        &mut self,
        own: Option<&Vec<SecurityRequirement>>,
        at: &Pointer,
    ) -> Security {
        match (own, &self.spec.security) {
            (Some(requirements), _) => self.requirements(requirements, &at.push("security")),
            (None, Some(root)) => self.requirements(root, &Pointer::root().push("security")),
            (None, None) => Security::default(),
        }
    }

    /// What routes the spec does not describe carry: the root requirement, else
    /// any one scheme; never required.
    pub(super) fn undeclared_security(&mut self) -> Security {
        let root = self.spec.security.clone().unwrap_or_default();
        let mut security = self.requirements(&root, &Pointer::root().push("security"));
        if security.alternatives.is_empty() {
            security.alternatives = (0..self.schemes.sent.len()).map(|i| vec![i]).collect();
        }
        security.optional = true;
        security
    }

    fn requirements(&mut self, requirements: &[SecurityRequirement], at: &Pointer) -> Security {
        let mut security = Security::default();
        for (position, requirement) in requirements.iter().enumerate() {
            if requirement.is_empty() {
                security.optional = true;
                continue;
            }
            let mut schemes = Vec::new();
            for name in requirement.keys() {
                match self.schemes.index_of(name) {
                    Some(index) => schemes.push(index),
                    None => {
                        self.warn_unknown_scheme(name, &at.push(position.to_string()));
                        schemes.clear();
                        break;
                    }
                }
            }
            if !schemes.is_empty() && !security.alternatives.contains(&schemes) {
                security.alternatives.push(schemes);
            }
        }
        security
    }

    fn warn_unknown_scheme(&mut self, name: &str, at: &Pointer) {
        if self.schemes.unsent.contains(name) || !self.schemes.unknown.insert(name.to_owned()) {
            return;
        }
        self.sink.warning_with_hint(
            Code::BadReference,
            at,
            format!("the security requirement names `{name}`, which `components.securitySchemes` does not define; requirements naming it are left out"),
            "define the scheme under `components.securitySchemes`, or fix the name",
        );
    }

    /// One warning for all the schemes the client does not send: a spec with one
    /// such scheme often has several.
    fn warn_unsent_schemes(&mut self, unsupported: &[(String, String)]) {
        let Some((first, _)) = unsupported.first() else {
            return;
        };
        let at = Pointer::root()
            .push("components")
            .push("securitySchemes")
            .push(first);
        let listed: Vec<String> = unsupported
            .iter()
            .map(|(name, kind)| format!("`{name}` ({kind})"))
            .collect();
        self.sink.warning_with_hint(
            Code::Unsupported,
            &at,
            format!(
                "the client does not send these security schemes by itself: {}",
                listed.join(", ")
            ),
            "send them with `Client::builder().default_header(…)` (or per request with `.header(…)`)",
        );
    }

    /// A token variable the user set, for a spec with no scheme that takes a token.
    fn warn_token_env_unused(&mut self) {
        let Some(setting) = &self.settings.token_env else {
            // The spec's own `x-rust-token-env` says nothing wrong by itself.
            return;
        };
        self.sink.push_diagnostic(setting.origin.diagnostic(
            crate::diagnostics::Severity::Warning,
            format!(
                "no security scheme takes a token, so the token variable `{}` is never read; this setting does nothing",
                setting.value
            ),
            "each scheme's variable is named after it; see the crate's README",
        ));
    }

    /// `<CRATE_NAME>`, the start of the crate's variable names.
    fn variable_prefix(&self) -> String {
        heck::ToShoutySnakeCase::to_shouty_snake_case(self.crate_name().as_str())
    }

    /// The token variable the user's settings or the spec's `x-rust-token-env` name.
    fn explicit_token_env(&self) -> Option<String> {
        match &self.settings.token_env {
            Some(setting) => Some(setting.value.clone()),
            None => self.info_extension("x-rust-token-env"),
        }
    }
}

/// Where a scheme's credential goes and what the spec calls the scheme, or
/// `None` when the client does not send it by itself.
fn placement_of(scheme: &SecurityScheme) -> Option<(Placement, &'static str)> {
    match scheme {
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
            Some((Placement::Bearer, "HTTP bearer"))
        }
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
            Some((Placement::Basic, "HTTP basic"))
        }
        SecurityScheme::HTTP { .. } => None,
        SecurityScheme::APIKey { location, name, .. } => Some(match location {
            APIKeyLocation::Header => (Placement::Header(name.clone()), "API key"),
            APIKeyLocation::Query => (Placement::Query(name.clone()), "API key"),
            APIKeyLocation::Cookie => (Placement::Cookie(name.clone()), "API key"),
        }),
        // Their access tokens go out as bearer tokens; getting one is the user's part.
        SecurityScheme::OAuth2 { .. } => Some((Placement::Bearer, "OAuth 2")),
        SecurityScheme::OpenIDConnect { .. } => Some((Placement::Bearer, "OpenID Connect")),
    }
}

/// A scheme the client does not send, for the warning.
fn describe(scheme: &SecurityScheme) -> String {
    match scheme {
        SecurityScheme::HTTP { scheme, .. } => format!("HTTP `{scheme}` authentication"),
        _ => "an unsupported scheme".to_owned(),
    }
}

fn description_of(scheme: &SecurityScheme) -> Option<String> {
    match scheme {
        SecurityScheme::HTTP { description, .. }
        | SecurityScheme::APIKey { description, .. }
        | SecurityScheme::OAuth2 { description, .. }
        | SecurityScheme::OpenIDConnect { description, .. } => description.clone(),
    }
}
