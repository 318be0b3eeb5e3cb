//! Path templates against path parameters, for the `lower` phase: the template is
//! split into literal text and parameters, and the two are made to agree, each
//! repair with a located warning (E0201):
//!
//! * a query string written into the path key (`/rides?page={page}`) becomes query
//!   parameters (a template value) or fixed query pairs (a literal value), and a
//!   fragment (`/cookies#exploded`), which is never sent, is left out;
//! * a `{name}` with no path parameter declared becomes a required text parameter;
//! * a declared path parameter the template does not name is dropped.

use std::collections::BTreeSet;

use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::{Param, ParamLocation, ParamStyle, PathPart, TypeRef};
use crate::naming::{builder_reserved, claim_unique_ident, snake_ident};

/// A path template made to agree with its parameters.
pub(super) struct Route {
    /// The path without any query string.
    pub path: String,
    /// The path split into text and parameters.
    pub parts: Vec<PathPart>,
    /// Query pairs with a literal value, sent with every request.
    pub fixed_query: Vec<(String, String)>,
}

impl Lowerer<'_> {
    /// Splits `template` and repairs `params` until both agree.
    pub(super) fn route(&mut self, template: &str, params: &mut Vec<Param>, at: &Pointer) -> Route {
        // Some specs tell operations on one route apart by a fragment
        // (`/cookies#exploded`); a fragment is never sent, so it is not the path.
        let template = match template.split_once('#') {
            Some((route, _)) => {
                self.fragments.push((at.clone(), template.to_owned()));
                route
            }
            None => template,
        };
        let (path, query) = match template.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (template, None),
        };
        let fixed_query = match query {
            Some(query) => self.query_from_template(template, query, params, at),
            None => Vec::new(),
        };
        let parts = split_template(path);
        let named: BTreeSet<&str> = parts
            .iter()
            .filter_map(|p| match p {
                PathPart::Param(name) => Some(name.as_str()),
                PathPart::Literal(_) => None,
            })
            .collect();
        self.drop_unnamed_path_params(path, &named, params, at);
        for name in &named {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire == *name)
            {
                let message = format!(
                    "the path names `{{{name}}}` but no path parameter `{name}` is declared; it is a required text parameter"
                );
                self.sink.warning_with_hint(
                    Code::PathParameter,
                    at,
                    message,
                    format!("declare `{name}` with `in: path`"),
                );
                add_param(params, name, ParamLocation::Path);
            }
        }
        params.sort_by_key(|p| (!p.required, p.location));
        Route {
            path: path.to_owned(),
            parts,
            fixed_query,
        }
    }

    /// The pairs of a query string written into the path key: `k={v}` makes the
    /// parameter `v` (declared anywhere, or a new text one) the required query
    /// parameter `k`; `k=text` is a fixed pair.
    fn query_from_template(
        &mut self,
        template: &str,
        query: &str,
        params: &mut Vec<Param>,
        at: &Pointer,
    ) -> Vec<(String, String)> {
        let mut fixed = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let variable = value
                .strip_prefix('{')
                .and_then(|v| v.strip_suffix('}'))
                .filter(|v| !v.contains(['{', '}']));
            match variable {
                Some(variable) => {
                    match params
                        .iter_mut()
                        .find(|p| p.wire == variable || p.wire == key)
                    {
                        Some(param) => {
                            param.location = ParamLocation::Query;
                            param.style = ParamStyle::Exploded;
                            param.wire = key.to_owned();
                            param.required = true;
                        }
                        None => add_param(params, key, ParamLocation::Query),
                    }
                }
                None => fixed.push((key.to_owned(), value.to_owned())),
            }
        }
        let message = format!(
            "the path `{template}` carries a query string; its pairs are read as query parameters"
        );
        self.sink.warning_with_hint(
            Code::PathParameter,
            at,
            message,
            "declare query parameters with `in: query` and keep the path key a path",
        );
        fixed
    }

    /// One warning for every path key that carries a fragment, at the first.
    pub(super) fn warn_fragments(&mut self) {
        let Some((at, first)) = self.fragments.first().cloned() else {
            return;
        };
        let others = match self.fragments.len() - 1 {
            0 => String::new(),
            1 => " (and 1 other path key)".to_owned(),
            n => format!(" (and {n} other path keys)"),
        };
        let message = format!(
            "the path `{first}`{others} carries a fragment (`#…`), which is never sent; each route is the path before `#`"
        );
        self.sink.warning_with_hint(
            Code::PathParameter,
            &at,
            message,
            "give each route one path key, without `#`",
        );
    }

    fn drop_unnamed_path_params(
        &mut self,
        path: &str,
        named: &BTreeSet<&str>,
        params: &mut Vec<Param>,
        at: &Pointer,
    ) {
        let mut dropped = Vec::new();
        params.retain(|p| {
            let keep = p.location != ParamLocation::Path || named.contains(p.wire.as_str());
            if !keep {
                dropped.push(p.wire.clone());
            }
            keep
        });
        for wire in dropped {
            let message = format!(
                "path parameter `{wire}` does not appear in the path `{path}`; it is dropped"
            );
            self.sink.warning_with_hint(
                Code::PathParameter,
                at,
                message,
                "name every path parameter in the path, as `{name}`",
            );
        }
    }
}

/// A required text parameter the spec forgot to declare.
fn add_param(params: &mut Vec<Param>, wire: &str, location: ParamLocation) {
    let mut taken = builder_reserved();
    taken.extend(params.iter().map(|p| p.rust.text.clone()));
    let style = match location {
        ParamLocation::Path => ParamStyle::Simple { explode: false },
        _ => ParamStyle::Exploded,
    };
    params.push(Param {
        wire: wire.to_owned(),
        rust: claim_unique_ident(&mut taken, snake_ident(wire)),
        location,
        style,
        ty: TypeRef::String,
        required: true,
        doc: None,
    });
}

/// The template split into literal text and `{name}`s; an unclosed `{` is text.
fn split_template(path: &str) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        parts.push(PathPart::Literal(rest[..open].to_owned()));
        parts.push(PathPart::Param(rest[open + 1..close].to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    parts.retain(|p| p != &PathPart::Literal(String::new()));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_text_and_names() {
        let lit = |s: &str| PathPart::Literal(s.to_owned());
        let param = |s: &str| PathPart::Param(s.to_owned());
        assert_eq!(
            split_template("/a/{id}/b{x}"),
            [lit("/a/"), param("id"), lit("/b"), param("x")]
        );
        assert_eq!(split_template("/a/{open"), [lit("/a/{open")]);
        assert_eq!(split_template("{a}{b}"), [param("a"), param("b")]);
    }
}
