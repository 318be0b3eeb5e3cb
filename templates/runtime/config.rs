//! [`ClientBuilder`]: credentials, base URL, timeout, retries, default headers
//! and the HTTP client, from code or from the environment, checked once at
//! `build`. The method for each credential is generated (`src/auth.rs`): its
//! name comes from the spec's security scheme.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::auth::{Credentials, Secret};
use super::client::{Client, Config};
use super::hooks::Hook;
use super::retry::RetryPolicy;
use super::ConfigError;

/// How long one attempt may take unless configured otherwise (as in the official SDKs).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How many times a failed request is retried unless configured otherwise.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;

/// Configures a [`Client`]. Values set here win over the environment, which wins
/// over the defaults (the spec's server, 30 s per attempt, 2 retries).
#[derive(Clone, Default)]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: Option<String>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
}

impl ClientBuilder {
    /// A builder with nothing set. It makes ring the process's TLS crypto
    /// provider if none is installed yet (see [`ClientBuilder::http_client`]).
    pub fn new() -> Self {
        install_crypto_provider();
        Self::default()
    }

    /// Sets the credential of the security scheme at `index` of
    /// `crate::auth::SCHEMES` (the generated methods call this).
    #[allow(dead_code)] // A spec may have no security schemes.
    pub(crate) fn credential(mut self, index: usize, secret: Secret) -> Self {
        self.credentials.set(index, secret);
        self
    }

    /// A test credential for every security scheme: `mock-token`, or
    /// `mock-user` and `mock-password` for HTTP basic (`crate::mock`).
    #[cfg(feature = "mock")]
    pub(crate) fn test_credentials(mut self) -> Self {
        for (index, scheme) in crate::auth::SCHEMES.iter().enumerate() {
            let secret = match scheme.placement {
                super::auth::Placement::Basic => Secret::Basic {
                    username: crate::mock::TEST_USERNAME.to_owned(),
                    password: crate::mock::TEST_PASSWORD.to_owned(),
                },
                _ => Secret::Token(crate::mock::TEST_TOKEN.to_owned()),
            };
            self.credentials.set(index, secret);
        }
        self
    }

    /// The server to talk to; without it (and its environment variable),
    /// [`crate::DEFAULT_BASE_URL`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// How long each attempt may take before it fails with `Error::Timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a retryable failure is retried (0 turns retries off).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// A header sent with every request (a request's own headers win).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends requests through this `reqwest::Client` (proxies, TLS roots, pools).
    ///
    /// This crate builds reqwest with rustls and no crypto provider of its own
    /// (the default one, aws-lc, needs a C toolchain): a client is built after
    /// ring is installed as the process's provider, which [`ClientBuilder::new`]
    /// does when no other is. Build yours after calling it, as in
    /// `Client::builder().http_client(reqwest::Client::builder()…build()?)`,
    /// or install a provider of your choice first.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The wait before the first retry when the server gives none (default 0.5 s);
    /// it doubles for each further retry.
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry.base_delay = delay;
        self
    }

    /// The longest computed wait between retries (default 8 s).
    pub fn retry_max_delay(mut self, delay: Duration) -> Self {
        self.retry.max_delay = delay;
        self
    }

    /// The longest wait a server may ask for with `Retry-After` (default 60 s);
    /// when it asks for more, the error is returned instead of waiting.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.retry.max_retry_after = delay;
        self
    }

    /// Fills the credentials and the base URL from the environment where not set
    /// yet: each security scheme's variable and the crate's base-URL variable (an
    /// empty one counts as unset).
    pub fn from_env(self) -> Self {
        self.with_env(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] with another source of variables.
    pub(crate) fn with_env(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let read = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        self.credentials.fill_from(crate::auth::SCHEMES, &lookup);
        if self.base_url.is_none() {
            self.base_url = read(crate::BASE_URL_ENV);
        }
        self
    }

    /// Adds behaviour around every attempt of every request (see [`Hook`]);
    /// hooks run in the order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Checks the configuration and builds the client. No credential is
    /// needed to build one: an operation that needs a credential the client
    /// lacks fails when it is sent, with `Error::MissingCredentials`.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base_url = self
            .base_url
            .unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_owned());
        check_base_url(&base_url)?;
        let config = Config {
            base_url: base_url.trim_end_matches('/').to_owned(),
            credentials: self.credentials,
            http: match self.http {
                Some(http) => http,
                None => default_http()?,
            },
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            retry: self.retry,
            headers: header_map(&self.headers)?,
            hooks: self.hooks,
        };
        Ok(Client {
            inner: Arc::new(config),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field(
                "default_headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("hooks", &self.hooks.len())
            .finish_non_exhaustive()
    }
}

/// Makes ring the process's rustls crypto provider, unless one is installed.
/// reqwest is built without a provider and cannot build a client without one.
// rustls deprecated ring's provider (0.23.48) because it offers no
// post-quantum key exchange; the one that does, aws-lc, needs a C toolchain and
// CMake, which this crate promises not to. A program that wants post-quantum
// key exchange installs aws-lc's provider before building a client: an
// installed provider is kept.
#[allow(deprecated)]
pub(crate) fn install_crypto_provider() {
    // `Err` means a provider is installed already: the program's own choice wins.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The HTTP client of a builder that was given none.
pub(crate) fn default_http() -> Result<reqwest::Client, ConfigError> {
    install_crypto_provider();
    reqwest::Client::builder()
        .build()
        .map_err(|error| ConfigError::Http {
            reason: error.to_string(),
        })
}

fn check_base_url(base_url: &str) -> Result<(), ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidBaseUrl {
        url: base_url.to_owned(),
        reason,
    };
    let url = reqwest::Url::parse(base_url).map_err(|e| invalid(e.to_string()))?;
    match url.scheme() {
        "http" | "https" => Ok(()),
        other => Err(invalid(format!(
            "the scheme must be http or https, not {other}"
        ))),
    }
}

fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, ConfigError> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let invalid = || ConfigError::InvalidHeader { name: name.clone() };
        let name_value = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let header_value = HeaderValue::from_str(value).map_err(|_| invalid())?;
        map.insert(name_value, header_value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn environment_fills_what_code_did_not_set() {
        let client = ClientBuilder::new()
            .with_env(env(&[(crate::BASE_URL_ENV, "http://h:1/")]))
            .build();
        assert_eq!(
            client.map(|c| c.base_url().to_owned()).ok().as_deref(),
            Some("http://h:1")
        );
        let explicit = ClientBuilder::new()
            .base_url("http://mine:2")
            .with_env(env(&[(crate::BASE_URL_ENV, "http://h:1")]))
            .build();
        assert_eq!(
            explicit.map(|c| c.base_url().to_owned()).ok().as_deref(),
            Some("http://mine:2")
        );
    }

    #[test]
    fn empty_base_url_means_the_default_and_no_credential_is_needed_to_build() {
        let client = ClientBuilder::new()
            .with_env(env(&[(crate::BASE_URL_ENV, "")]))
            .build();
        assert_eq!(
            client.map(|c| c.base_url().to_owned()).ok().as_deref(),
            Some(crate::DEFAULT_BASE_URL)
        );
    }

    #[test]
    fn bad_base_urls_and_headers_are_refused() {
        let build = |b: ClientBuilder| b.build().err();
        assert!(matches!(
            build(ClientBuilder::new().base_url("localhost:1")),
            Some(ConfigError::InvalidBaseUrl { .. })
        ));
        assert!(matches!(
            build(ClientBuilder::new().base_url("ftp://x")),
            Some(ConfigError::InvalidBaseUrl { .. })
        ));
        assert!(matches!(
            build(ClientBuilder::new().default_header("bad name", "v")),
            Some(ConfigError::InvalidHeader { .. })
        ));
        assert!(matches!(
            build(ClientBuilder::new().default_header("x-ok", "line\nbreak")),
            Some(ConfigError::InvalidHeader { .. })
        ));
    }

    #[test]
    fn debug_names_the_schemes_set_but_never_a_secret() {
        let builder = (0..crate::auth::SCHEMES.len()).fold(ClientBuilder::new(), |b, index| {
            b.credential(index, Secret::Token("secret-token-123".to_owned()))
        });
        let text = format!("{builder:?}");
        assert!(!text.contains("secret-token-123"), "{text}");
        for scheme in crate::auth::SCHEMES {
            assert!(text.contains(scheme.name), "{text}");
        }
        let client = builder
            .build()
            .map(|c| format!("{c:?}"))
            .unwrap_or_default();
        assert!(
            !client.contains("secret-token-123") && client.contains("Client"),
            "{client}"
        );
    }
}
