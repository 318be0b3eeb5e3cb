//! Emits `src/auth.rs`: the table of the spec's security schemes the runtime
//! reads (`crate::runtime::auth`), what routes the spec does not describe
//! carry, a `ClientBuilder` method for each scheme, and `Client::new`, whose
//! arguments depend on whether the spec has a token scheme.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, lines_to_attrs, sanitize};
use super::{format_items, EmitError};
use crate::ir::{Api, Placement, Security, SecurityScheme};

/// The text of `src/auth.rs`.
pub fn emit_auth(api: &Api) -> Result<String, EmitError> {
    let inner = quote! {
        //! The security schemes of the spec: the table the runtime reads to put
        //! each credential where its scheme says, and the `ClientBuilder` method
        //! that sets each.
    };
    let schemes = api.security_schemes.iter().map(scheme_row);
    let undeclared = security_tokens(&api.undeclared_security);
    let mut items = vec![
        quote! {
            /// The spec's security schemes the client sends, in the spec's order;
            /// requests name them by index.
            pub(crate) static SCHEMES: &[crate::runtime::auth::Scheme] = &[#(#schemes),*];
        },
        quote! {
            /// What routes the spec does not describe carry (`Client::request`, the
            /// live-events socket): the spec's root requirement when it has one,
            /// else any one scheme that is set; they are never required.
            pub(crate) const UNDECLARED: crate::runtime::auth::Security = #undeclared;
        },
    ];
    let methods = api
        .security_schemes
        .iter()
        .enumerate()
        .map(|(index, scheme)| builder_method(index, scheme));
    let token = api
        .token_scheme
        .map(|index| token_alias(&api.security_schemes[index]));
    items.push(quote! {
        impl crate::ClientBuilder {
            #(#methods)*
            #token
        }
    });
    items.push(client_new(api));
    format_items("src/auth.rs", inner, items)
}

/// `Security { alternatives: &[&[0], &[1, 2]], optional: false }`.
pub(super) fn security_tokens(security: &Security) -> TokenStream {
    let (alternatives, optional) = security_parts(security);
    quote!(crate::runtime::auth::Security { alternatives: #alternatives, optional: #optional })
}

/// `&[&[0], &[1, 2]]` and the `optional` flag, as `Request::security` takes them.
pub(super) fn security_parts(security: &Security) -> (TokenStream, bool) {
    let alternatives = security.alternatives.iter().map(|alternative| {
        let indexes = alternative
            .iter()
            .map(|i| proc_macro2::Literal::usize_unsuffixed(*i));
        quote!(&[#(#indexes),*])
    });
    (quote!(&[#(#alternatives),*]), security.optional)
}

fn scheme_row(scheme: &SecurityScheme) -> TokenStream {
    let (name, method, variable) = (&scheme.name, &scheme.method.text, &scheme.variable);
    let password = scheme.password_variable.as_deref().unwrap_or_default();
    let placement = match &scheme.placement {
        Placement::Bearer => quote!(Bearer),
        Placement::Basic => quote!(Basic),
        Placement::Header(name) => quote!(Header(#name)),
        Placement::Query(name) => quote!(Query(#name)),
        Placement::Cookie(name) => quote!(Cookie(#name)),
    };
    quote! {
        crate::runtime::auth::Scheme {
            name: #name,
            placement: crate::runtime::auth::Placement::#placement,
            method: #method,
            variable: #variable,
            password_variable: #password,
        }
    }
}

/// Where the credential goes, for docs.
pub fn placement_text(placement: &Placement) -> String {
    match placement {
        Placement::Bearer => "`Authorization: Bearer <token>`".to_owned(),
        Placement::Basic => "`Authorization: Basic …` (user name and password)".to_owned(),
        Placement::Header(name) => format!("the `{name}` header"),
        Placement::Query(name) => format!("the `{name}` query parameter"),
        Placement::Cookie(name) => format!("the `{name}` cookie"),
    }
}

fn builder_method(index: usize, scheme: &SecurityScheme) -> TokenStream {
    let method = super::ident(&scheme.method);
    let mut lines = vec![format!(
        "The credential of the {} scheme `{}`, sent as {}.",
        scheme.kind,
        scheme.name,
        placement_text(&scheme.placement)
    )];
    if let Some(description) = &scheme.description {
        lines.push(String::new());
        lines.extend(sanitize(description));
    }
    lines.push(String::new());
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    match &scheme.password_variable {
        Some(password) => {
            lines.push(format!(
                "[`crate::ClientBuilder::from_env`] reads them from {} and {}.",
                code(&scheme.variable),
                code(password)
            ));
            let doc = lines_to_attrs(&lines);
            quote! {
                #doc
                pub fn #method(
                    self,
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    self.credential(#index, crate::runtime::auth::Secret::Basic {
                        username: username.into(),
                        password: password.into(),
                    })
                }
            }
        }
        None => {
            lines.push(format!(
                "[`crate::ClientBuilder::from_env`] reads it from {}.",
                code(&scheme.variable)
            ));
            let doc = lines_to_attrs(&lines);
            quote! {
                #doc
                pub fn #method(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.credential(#index, crate::runtime::auth::Secret::Token(token.into()))
                }
            }
        }
    }
}

/// `token`, the name every client has for its main credential.
fn token_alias(scheme: &SecurityScheme) -> TokenStream {
    let method = super::ident(&scheme.method);
    let line = format!(
        " The access token: the credential of `{}`, as [`crate::ClientBuilder::{}`] sets it.",
        scheme.name, scheme.method.text
    );
    quote! {
        #[doc = #line]
        pub fn token(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.#method(token)
        }
    }
}

fn client_new(api: &Api) -> TokenStream {
    match api.token_scheme {
        Some(index) => {
            let line = format!(
                " A client for the server at `base_url` (such as [`crate::DEFAULT_BASE_URL`]) with the access token of `{}`, and the default timeout and retries. A malformed `base_url` is reported by each request as `Error::Build`; [`crate::Client::builder`] reports it at once.",
                api.security_schemes[index].name
            );
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            quote! {
                impl crate::Client {
                    #[doc = #line]
                    pub fn new(
                        base_url: impl ::std::convert::Into<::std::string::String>,
                        token: impl ::std::convert::Into<::std::string::String>,
                    ) -> Self {
                        let mut credentials = crate::runtime::auth::Credentials::default();
                        credentials.set(#index, crate::runtime::auth::Secret::Token(token.into()));
                        crate::runtime::client_with_credentials(base_url.into(), credentials)
                    }
                }
            }
        }
        None => quote! {
            impl crate::Client {
                /// A client for the server at `base_url` (such as [`crate::DEFAULT_BASE_URL`])
                /// with the default timeout and retries and no credentials (set them with
                /// [`crate::Client::builder`]). A malformed `base_url` is reported by each
                /// request as `Error::Build`; the builder reports it at once.
                pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                    crate::runtime::client_with_credentials(base_url.into(), crate::runtime::auth::Credentials::default())
                }
            }
        },
    }
}
