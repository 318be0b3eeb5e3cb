//! The security part of the IR: the schemes a client can send credentials for,
//! and which of them each operation takes. `lower::security` fills it from the
//! spec's `securitySchemes` and `security` requirements; `emit::auth` writes the
//! scheme table and the builder methods, `emit::send` each operation's choice.

/// A security scheme the client sends by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name under `components.securitySchemes` (the wire side).
    pub name: String,
    /// The `ClientBuilder` method that sets it (the Rust side).
    pub method: super::Ident,
    /// The environment variable `from_env` reads it from; for HTTP basic, the
    /// user name's.
    pub variable: String,
    /// For HTTP basic, the password's variable.
    pub password_variable: Option<String>,
    /// Where the credential goes.
    pub placement: Placement,
    /// What the spec calls it, for docs: `HTTP bearer`, `OAuth 2`, `API key`.
    pub kind: &'static str,
    /// The scheme's `description`.
    pub description: Option<String>,
}

/// Where a credential goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic …` from a user name and a password.
    Basic,
    /// An API key in this header.
    Header(String),
    /// An API key in this query parameter.
    Query(String),
    /// An API key in this cookie.
    Cookie(String),
}

/// Which credentials a request carries, as OpenAPI's security requirements say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Security {
    /// Alternatives (any one will do), each a set of indexes into
    /// [`super::Api::security_schemes`] that go together.
    pub alternatives: Vec<Vec<usize>>,
    /// Whether the request may go without credentials (`{}` among the
    /// requirements): they are sent when configured.
    pub optional: bool,
}

impl Security {
    /// Whether the request never carries credentials.
    pub fn is_none(&self) -> bool {
        self.alternatives.is_empty()
    }
}
