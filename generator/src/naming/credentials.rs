//! Names for the credentials of a spec's security schemes: the `ClientBuilder`
//! method that sets each (`bearer_auth`, `api_key`) and the environment variable
//! `from_env` reads it from (`PETSTORE_API_KEY`). `lower::security` asks for them.

use std::collections::BTreeSet;

use heck::ToShoutySnakeCase;

use super::{claim_unique_ident, snake_ident};
use crate::ir::Ident;

/// `ClientBuilder`'s own methods (and `token`, the alias of the token scheme),
/// which a scheme's method must not take.
const CLIENT_BUILDER_METHODS: &[&str] = &[
    "new",
    "token",
    "base_url",
    "timeout",
    "max_retries",
    "default_header",
    "http_client",
    "retry_base_delay",
    "retry_max_delay",
    "max_retry_after",
    "from_env",
    "with_env",
    "hook",
    "build",
    "credential",
    "clone",
    "default",
    "fmt",
];

/// The taken names a scheme's method must avoid, to start with.
pub fn client_builder_methods() -> BTreeSet<String> {
    CLIENT_BUILDER_METHODS
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// The method that sets the credential of scheme `scheme`: its name in snake
/// case, with `_auth` after it when the builder has a method of that name, and
/// numbered when another scheme has it.
pub fn credential_method(taken: &mut BTreeSet<String>, scheme: &str) -> Ident {
    let wanted = snake_ident(scheme);
    if CLIENT_BUILDER_METHODS.contains(&wanted.text.as_str()) {
        return claim_unique_ident(taken, snake_ident(&format!("{} auth", wanted.text)));
    }
    claim_unique_ident(taken, wanted)
}

/// The environment variable of scheme `scheme` in the crate whose variables
/// start with `prefix`: `PREFIX_SCHEME`, in shouting snake case with only
/// letters, digits and `_`.
pub fn credential_variable(prefix: &str, scheme: &str) -> String {
    let cleaned: String = scheme
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let scheme = cleaned.to_shouty_snake_case();
    match scheme.is_empty() {
        true => format!("{prefix}_CREDENTIAL"),
        false => format!("{prefix}_{scheme}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_the_scheme_in_snake_case_clear_of_the_builder() {
        let mut taken = client_builder_methods();
        let table = [
            ("bearerAuth", "bearer_auth"),
            ("api_key", "api_key"),
            ("ApiKeyAuth", "api_key_auth"),
            ("petstore_auth", "petstore_auth"),
            ("OAuth2", "o_auth2"),
            ("token", "token_auth"),
            ("timeout", "timeout_auth"),
            ("bearer-auth", "bearer_auth_2"),
            ("type", "r#type"),
            ("Basic Auth!", "basic_auth"),
        ];
        for (scheme, method) in table {
            assert_eq!(
                credential_method(&mut taken, scheme).to_string(),
                method,
                "{scheme}"
            );
        }
    }

    #[test]
    fn variables_are_the_prefix_and_the_scheme_shouted() {
        let table = [
            ("bearerAuth", "PETS_BEARER_AUTH"),
            ("api_key", "PETS_API_KEY"),
            ("X-API-Key", "PETS_X_API_KEY"),
            ("oauth2.client", "PETS_OAUTH2_CLIENT"),
            ("***", "PETS_CREDENTIAL"),
        ];
        for (scheme, variable) in table {
            assert_eq!(credential_variable("PETS", scheme), variable, "{scheme}");
        }
    }
}
