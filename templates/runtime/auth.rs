//! Credentials: the spec's security schemes (a table the generator writes in
//! `src/auth.rs`, with a [`ClientBuilder`](super::ClientBuilder) method for
//! each), the secrets a client holds for them, and which of them a request
//! carries.
//!
//! The choice follows OpenAPI's security requirements: an operation accepts a
//! list of alternatives (OR), each a set of schemes that go together (AND). The
//! first alternative whose schemes are all configured is sent. An empty
//! alternative (`{}` in the spec) makes credentials optional: sent when
//! configured, left out otherwise. An operation without requirements sends
//! none, and one whose requirements cannot be met fails before anything is sent
//! ([`MissingCredentials`]).

use std::fmt;

/// How a scheme's credential goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // A spec uses only some of them.
pub(crate) enum Placement {
    /// `Authorization: Bearer <token>`: HTTP bearer, OAuth 2 and OpenID Connect.
    Bearer,
    /// `Authorization: Basic <user name and password>`.
    Basic,
    /// An API key in the header of this name.
    Header(&'static str),
    /// An API key in the query parameter of this name.
    Query(&'static str),
    /// An API key in the cookie of this name.
    Cookie(&'static str),
}

/// One security scheme of the spec.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Scheme {
    /// Its name under `components.securitySchemes`.
    pub(crate) name: &'static str,
    pub(crate) placement: Placement,
    /// The [`ClientBuilder`](super::ClientBuilder) method that sets it.
    pub(crate) method: &'static str,
    /// The environment variable `from_env` reads it from (for HTTP basic, the
    /// user name's).
    pub(crate) variable: &'static str,
    /// For HTTP basic, the password's variable; empty otherwise.
    pub(crate) password_variable: &'static str,
}

/// Which credentials an operation takes: indexes into the scheme table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Security {
    /// The alternatives, each a set of schemes sent together.
    pub(crate) alternatives: &'static [&'static [usize]],
    /// Whether the request may go without credentials.
    pub(crate) optional: bool,
}

impl Security {
    /// No requirement: nothing is sent.
    pub(crate) const NONE: Security = Security {
        alternatives: &[],
        optional: true,
    };
}

/// A credential as configured.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Secret {
    /// A token or API key.
    Token(String),
    /// HTTP basic's pair.
    Basic { username: String, password: String },
}

impl Secret {
    fn is_empty(&self) -> bool {
        match self {
            Secret::Token(token) => token.is_empty(),
            Secret::Basic { username, .. } => username.is_empty(),
        }
    }
}

/// The credentials a client holds, by scheme index. `Debug` names the schemes
/// that are set, never a secret.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    secrets: Vec<Option<Secret>>,
}

impl Credentials {
    /// Sets the credential of scheme `index`; an empty one counts as unset.
    pub(crate) fn set(&mut self, index: usize, secret: Secret) {
        if self.secrets.len() <= index {
            self.secrets.resize(index + 1, None);
        }
        self.secrets[index] = Some(secret).filter(|s| !s.is_empty());
    }

    fn get(&self, index: usize) -> Option<&Secret> {
        self.secrets.get(index).and_then(Option::as_ref)
    }

    /// Fills the schemes not set yet from their environment variables (blank
    /// values count as unset).
    pub(crate) fn fill_from(
        &mut self,
        schemes: &[Scheme],
        lookup: &dyn Fn(&str) -> Option<String>,
    ) {
        let read = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        for (index, scheme) in schemes.iter().enumerate() {
            if self.get(index).is_some() {
                continue;
            }
            let secret = match scheme.placement {
                Placement::Basic => read(scheme.variable).map(|username| Secret::Basic {
                    username,
                    password: read(scheme.password_variable).unwrap_or_default(),
                }),
                _ => read(scheme.variable).map(Secret::Token),
            };
            if let Some(secret) = secret {
                self.set(index, secret);
            }
        }
    }

    /// The credentials a request with `security` carries, scheme by scheme: the
    /// first alternative that is fully configured; none when none is and the
    /// credentials are optional; else which ones are missing.
    pub(crate) fn choose(
        &self,
        schemes: &'static [Scheme],
        security: &Security,
    ) -> Result<Vec<(&'static Scheme, &Secret)>, MissingCredentials> {
        let configured = security
            .alternatives
            .iter()
            .find(|alternative| alternative.iter().all(|&index| self.get(index).is_some()));
        match configured {
            Some(alternative) => Ok(alternative
                .iter()
                .filter_map(|&index| Some((schemes.get(index)?, self.get(index)?)))
                .collect()),
            None if security.optional || security.alternatives.is_empty() => Ok(Vec::new()),
            None => Err(MissingCredentials {
                alternatives: security
                    .alternatives
                    .iter()
                    .map(|alternative| {
                        alternative
                            .iter()
                            .filter_map(|&index| schemes.get(index))
                            .collect()
                    })
                    .collect(),
            }),
        }
    }

    /// The names of the schemes that are set, for `Debug`.
    pub(crate) fn names(&self, schemes: &[Scheme]) -> Vec<&'static str> {
        schemes
            .iter()
            .enumerate()
            .filter(|(index, _)| self.get(*index).is_some())
            .map(|(_, scheme)| scheme.name)
            .collect()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.names(crate::auth::SCHEMES))
            .finish()
    }
}

/// Where the chosen credentials go: headers (marked sensitive, so `Debug` of a
/// header map hides them), query pairs and cookies. The request adds the
/// query pairs and cookies to its own; URLs kept for errors and traces are
/// made before, so no key ends up in one.
#[derive(Default)]
pub(crate) struct Placed {
    pub(crate) headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
}

/// Puts each chosen credential where its scheme says.
pub(crate) fn place(chosen: &[(&'static Scheme, &Secret)]) -> Result<Placed, String> {
    use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
    let mut placed = Placed::default();
    for (scheme, secret) in chosen {
        let token = match secret {
            Secret::Token(token) => token.clone(),
            Secret::Basic { username, password } => {
                base64(format!("{username}:{password}").as_bytes())
            }
        };
        let header = match scheme.placement {
            Placement::Bearer => Some((AUTHORIZATION, format!("Bearer {token}"))),
            Placement::Basic => Some((AUTHORIZATION, format!("Basic {token}"))),
            Placement::Header(name) => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("the header name of `{}` is not valid", scheme.name))?;
                Some((name, token))
            }
            Placement::Query(name) => {
                placed.query.push((name.to_owned(), token));
                None
            }
            Placement::Cookie(name) => {
                placed.cookies.push((name.to_owned(), token));
                None
            }
        };
        if let Some((name, value)) = header {
            // Never the value in the message: it is the secret.
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                format!(
                    "the credential of `{}` is not a valid header value",
                    scheme.name
                )
            })?;
            value.set_sensitive(true);
            placed.headers.push((name, value));
        }
    }
    Ok(placed)
}

/// Standard base64 with padding, for HTTP basic's `user:password`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An operation needs credentials the client was not given, so nothing was
/// sent. It names each scheme that would do, with the builder method and the
/// environment variable that supply it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingCredentials {
    alternatives: Vec<Vec<&'static Scheme>>,
}

impl MissingCredentials {
    /// The security schemes the operation accepts, as alternatives: any one
    /// inner list, all of its schemes set, would have done.
    pub fn schemes(&self) -> Vec<Vec<&'static str>> {
        self.alternatives
            .iter()
            .map(|alternative| alternative.iter().map(|s| s.name).collect())
            .collect()
    }
}

impl fmt::Display for MissingCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("this operation needs credentials, and none that it accepts are set: ")?;
        for (position, alternative) in self.alternatives.iter().enumerate() {
            if position > 0 {
                f.write_str("; or ")?;
            }
            for (index, scheme) in alternative.iter().enumerate() {
                if index > 0 {
                    f.write_str(" and ")?;
                }
                write!(
                    f,
                    "`{}` (`ClientBuilder::{}` or {}",
                    scheme.name, scheme.method, scheme.variable
                )?;
                if !scheme.password_variable.is_empty() {
                    write!(f, " with {}", scheme.password_variable)?;
                }
                f.write_str(")")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for MissingCredentials {}

#[cfg(test)]
mod tests {
    use super::*;

    static SCHEMES: &[Scheme] = &[
        Scheme {
            name: "bearer",
            placement: Placement::Bearer,
            method: "bearer",
            variable: "T_BEARER",
            password_variable: "",
        },
        Scheme {
            name: "key",
            placement: Placement::Header("x-key"),
            method: "key",
            variable: "T_KEY",
            password_variable: "",
        },
        Scheme {
            name: "basic",
            placement: Placement::Basic,
            method: "basic",
            variable: "T_BASIC_USERNAME",
            password_variable: "T_BASIC_PASSWORD",
        },
    ];

    fn names(chosen: &[(&'static Scheme, &Secret)]) -> Vec<&'static str> {
        chosen.iter().map(|(scheme, _)| scheme.name).collect()
    }

    #[test]
    fn the_first_alternative_that_is_fully_set_is_sent() {
        let security = Security {
            alternatives: &[&[0], &[1, 2]],
            optional: false,
        };
        let mut credentials = Credentials::default();
        credentials.set(1, Secret::Token("k".into()));
        let missing = credentials.choose(SCHEMES, &security).err();
        assert_eq!(
            missing.map(|m| m.schemes()),
            Some(vec![vec!["bearer"], vec!["key", "basic"]])
        );
        credentials.set(
            2,
            Secret::Basic {
                username: "u".into(),
                password: "p".into(),
            },
        );
        let chosen = credentials.choose(SCHEMES, &security).unwrap_or_default();
        assert_eq!(names(&chosen), ["key", "basic"]);
        credentials.set(0, Secret::Token("t".into()));
        let chosen = credentials.choose(SCHEMES, &security).unwrap_or_default();
        assert_eq!(names(&chosen), ["bearer"]);
    }

    #[test]
    fn optional_and_absent_requirements_send_nothing_when_unset() {
        let optional = Security {
            alternatives: &[&[0]],
            optional: true,
        };
        let empty = Credentials::default();
        assert_eq!(empty.choose(SCHEMES, &optional).map(|c| c.len()), Ok(0));
        assert_eq!(
            empty.choose(SCHEMES, &Security::NONE).map(|c| c.len()),
            Ok(0)
        );
        let mut set = Credentials::default();
        set.set(0, Secret::Token("t".into()));
        assert_eq!(set.choose(SCHEMES, &optional).map(|c| c.len()), Ok(1));
        assert_eq!(set.choose(SCHEMES, &Security::NONE).map(|c| c.len()), Ok(0));
    }

    #[test]
    fn the_environment_fills_what_is_unset_and_blank_is_unset() {
        let lookup = |name: &str| match name {
            "T_BEARER" => Some("from-env".to_owned()),
            "T_KEY" => Some("  ".to_owned()),
            "T_BASIC_USERNAME" => Some("user".to_owned()),
            "T_BASIC_PASSWORD" => Some("pass".to_owned()),
            _ => None,
        };
        let mut credentials = Credentials::default();
        credentials.set(0, Secret::Token("mine".into()));
        credentials.fill_from(SCHEMES, &lookup);
        assert!(credentials.get(0) == Some(&Secret::Token("mine".into())));
        assert!(credentials.get(1).is_none());
        assert!(
            credentials.get(2)
                == Some(&Secret::Basic {
                    username: "user".into(),
                    password: "pass".into()
                })
        );
        assert_eq!(credentials.names(SCHEMES), ["bearer", "basic"]);
    }

    #[test]
    fn base64_is_rfc_4648s() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ];
        for (text, encoded) in cases {
            assert_eq!(base64(text.as_bytes()), encoded, "{text}");
        }
    }

    #[test]
    fn each_placement_puts_the_secret_where_it_belongs_and_hides_headers() {
        let basic = Secret::Basic {
            username: "Aladdin".into(),
            password: "open sesame".into(),
        };
        let query = Scheme {
            name: "q",
            placement: Placement::Query("api_key"),
            method: "q",
            variable: "Q",
            password_variable: "",
        };
        let cookie = Scheme {
            name: "c",
            placement: Placement::Cookie("session"),
            method: "c",
            variable: "C",
            password_variable: "",
        };
        let (query, cookie) = (Box::leak(Box::new(query)), Box::leak(Box::new(cookie)));
        let chosen = [
            (&SCHEMES[2], &basic),
            (&SCHEMES[1], &Secret::Token("k1".into())),
            (&*query, &Secret::Token("k2".into())),
            (&*cookie, &Secret::Token("k3".into())),
        ];
        let placed = place(&chosen).unwrap_or_default();
        let headers: Vec<(String, String)> = placed
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect();
        assert_eq!(
            headers,
            [
                (
                    "authorization".to_owned(),
                    "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_owned()
                ),
                ("x-key".to_owned(), "k1".to_owned())
            ]
        );
        assert!(placed.headers.iter().all(|(_, v)| v.is_sensitive()));
        assert_eq!(placed.query, [("api_key".to_owned(), "k2".to_owned())]);
        assert_eq!(placed.cookies, [("session".to_owned(), "k3".to_owned())]);
        let bad = [(&SCHEMES[0], &Secret::Token("line\nbreak".into()))];
        let error = place(&bad).err().unwrap_or_default();
        assert!(
            error.contains("`bearer`") && !error.contains("line"),
            "{error}"
        );
    }

    #[test]
    fn the_error_names_schemes_methods_and_variables() {
        let security = Security {
            alternatives: &[&[0], &[2]],
            optional: false,
        };
        let text = Credentials::default()
            .choose(SCHEMES, &security)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            text.contains("`bearer` (`ClientBuilder::bearer` or T_BEARER)"),
            "{text}"
        );
        assert!(
            text.contains(
                "; or `basic` (`ClientBuilder::basic` or T_BASIC_USERNAME with T_BASIC_PASSWORD)"
            ),
            "{text}"
        );
    }
}
