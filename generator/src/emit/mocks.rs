//! Emits `src/mock/`, the `mock` feature of the generated crate: the engine
//! (`templates/mock/`, copied verbatim: the server, expectations, answers,
//! the live-events socket), `mod.rs` with its docs and re-exports, and one
//! module per resource feature with the handles that mirror the client's
//! (`server.chats().messages()`) and each operation's typed expectation
//! (`mock_ops`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::code;
use super::{format_items, ident, type_ident, EmitError};
use crate::ir::{Api, Feature, Group, Ident, Operation};
use crate::naming::{mock_handle, server_method};

/// The verbatim engine, copied to `src/mock/`; `socket.rs` only for a spec
/// with live events.
pub const ENGINE: [(&str, &str); 6] = [
    (
        "expect.rs",
        include_str!("../../../templates/mock/expect.rs"),
    ),
    ("plan.rs", include_str!("../../../templates/mock/plan.rs")),
    (
        "received.rs",
        include_str!("../../../templates/mock/received.rs"),
    ),
    (
        "respond.rs",
        include_str!("../../../templates/mock/respond.rs"),
    ),
    (
        "server.rs",
        include_str!("../../../templates/mock/server.rs"),
    ),
    (
        "socket.rs",
        include_str!("../../../templates/mock/socket.rs"),
    ),
];

/// The generated files of `src/mock/`: `mod.rs` and a module per feature.
pub fn emit_mocks(api: &Api) -> Result<Vec<(String, String)>, EmitError> {
    let mut files = Vec::new();
    let mut modules = Vec::new();
    for feature in api.features.iter().filter(|f| !f.schemas_only) {
        let file = format!("src/mock/{}.rs", feature.module);
        let doc = format!(
            " Typed expectations of the `{}` feature's operations.",
            feature.name
        );
        files.push((
            file.clone(),
            format_items(&file, quote!(#![doc = #doc]), feature_items(api, feature))?,
        ));
        modules.push(declare_module(api, feature));
    }
    let file = "src/mock/mod.rs";
    let mut items = engine_items(api);
    items.extend(modules);
    files.push((
        file.to_owned(),
        format_items(file, module_docs(api), items)?,
    ));
    Ok(files)
}

/// `mod feature;` under its feature, and its handles re-exported.
fn declare_module(api: &Api, feature: &Feature) -> TokenStream {
    let name = quote::format_ident!("{}", feature.module);
    let cfg_feature = &feature.name;
    let handles: Vec<proc_macro2::Ident> = api
        .groups
        .iter()
        .filter(|g| g.feature == feature.name)
        .map(|g| type_ident(&mock_handle(&g.handle)))
        .collect();
    let reexport = (!handles.is_empty()).then(|| {
        quote! {
            #[cfg(feature = #cfg_feature)]
            pub use self::#name::{#(#handles),*};
        }
    });
    quote! {
        #[cfg(feature = #cfg_feature)]
        mod #name;
        #reexport
    }
}

/// Whether `name` of [`ENGINE`] is copied for `api`.
pub fn engine_file_wanted(api: &Api, name: &str) -> bool {
    name != "socket.rs" || api.events.is_some()
}

fn module_docs(api: &Api) -> TokenStream {
    let mut lines = vec![
        "A mock of the API for tests, on 127.0.0.1 (the `mock` feature: enable it in".to_owned(),
        "`[dev-dependencies]`).".to_owned(),
        String::new(),
        "[`MockServer::start`] starts it; [`MockServer::client`] is a client pointed at it"
            .to_owned(),
        "with test credentials and retries off. Each operation has a typed expectation,".to_owned(),
        "reached like its request builder (`server.chats().retrieve()` for".to_owned(),
        "`client.chats().retrieve(…)`): its setters narrow what it matches, value by value"
            .to_owned(),
        "as the client encodes them or by a `_where` predicate, and its `respond_*`".to_owned(),
        "methods answer with the spec's declared answers, typed by their bodies (or raw,"
            .to_owned(),
        "delayed, streamed, or by dropping the connection). `times(n)`,".to_owned(),
        "[`Mocked::hits`] and [`MockServer::verify`] check what was called; a request no"
            .to_owned(),
        "expectation matches is answered `501` with a body naming the closest one and how"
            .to_owned(),
        "it differed, which the client's error shows.".to_owned(),
    ];
    if api.events.is_some() {
        lines.extend([
            String::new(),
            "[`MockServer::events`] mocks the live-events socket: each connection is a".to_owned(),
            "[`MockConnection`] that reads the subscription, sends typed events, closes with a"
                .to_owned(),
            "code or cuts the connection.".to_owned(),
        ]);
    }
    super::docs::lines_to_inner_attrs(&lines)
}

fn engine_items(api: &Api) -> Vec<TokenStream> {
    let mut items = vec![
        quote! {
            mod expect;
            mod plan;
            mod received;
            mod respond;
            mod server;
        },
        quote! {
            pub use expect::{Expect, Mocked};
            #[allow(unused_imports)] // Used only by operations with query, header or cookie parameters.
            pub(crate) use plan::Place;
            pub use received::Received;
            pub use respond::{MockResponse, MockStream};
            pub use server::{MockServer, VerifyError, TEST_PASSWORD, TEST_TOKEN, TEST_USERNAME};
        },
    ];
    if api.events.is_some() {
        items.push(quote! {
            #[cfg(feature = "events")]
            mod socket;
            #[cfg(feature = "events")]
            pub use socket::{MockConnection, MockEvents, SocketClosed};
        });
    }
    items
}

/// A feature's module: the server's methods into it, its groups' handles and
/// its operations' expectations.
fn feature_items(api: &Api, feature: &Feature) -> Vec<TokenStream> {
    let mut items = vec![handle_impl(api, None, &feature.name)];
    for group in api.groups.iter().filter(|g| g.feature == feature.name) {
        items.push(handle(api, group));
    }
    for operation in api.operations.iter().filter(|o| o.feature == feature.name) {
        items.push(super::mock_ops::emit_expect_impl(api, operation));
    }
    items
}

fn handle(api: &Api, group: &Group) -> TokenStream {
    let name = type_ident(&mock_handle(&group.handle));
    let doc = format!(
        " Expectations of the operations under `{}`.",
        dotted(&group.path)
    );
    let methods = handle_impl(api, Some(group), &group.feature);
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy)]
        pub struct #name<'a> {
            server: &'a crate::mock::MockServer,
        }

        #methods
    }
}

/// Accessors for child groups and an expectation per operation of one
/// feature; `None` is the server itself.
fn handle_impl(api: &Api, group: Option<&Group>, feature: &str) -> TokenStream {
    let path: &[Ident] = group.map(|g| g.path.as_slice()).unwrap_or_default();
    let (server, lifetime) = match group {
        Some(_) => (quote!(self.server), quote!('a)),
        None => (quote!(self), quote!('_)),
    };
    let name_of = |wanted: &Ident| match group {
        Some(_) => ident(wanted),
        None => ident(&server_method(wanted)),
    };
    let accessors = api
        .groups
        .iter()
        .filter(|g| {
            g.path.len() == path.len() + 1 && g.path.starts_with(path) && g.feature == feature
        })
        .map(|child| {
            let method = name_of(&child.path[child.path.len() - 1]);
            let handle = type_ident(&mock_handle(&child.handle));
            let doc = format!(
                " Expectations of the operations under `{}`.",
                dotted(&child.path)
            );
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> #handle<#lifetime> {
                    #handle { server: #server }
                }
            }
        });
    let expectations = api
        .operations
        .iter()
        .filter(|o| o.group.as_slice() == path && o.feature == feature)
        .map(|operation| expectation(operation, name_of(&operation.method_name), &server));
    let accessors: Vec<TokenStream> = accessors.chain(expectations).collect();
    if accessors.is_empty() {
        return TokenStream::new();
    }
    match group {
        Some(group) => {
            let name = type_ident(&mock_handle(&group.handle));
            quote!(impl<'a> #name<'a> { #(#accessors)* })
        }
        None => quote!(impl crate::mock::MockServer { #(#accessors)* }),
    }
}

/// The method that starts an operation's expectation.
fn expectation(
    operation: &Operation,
    method: proc_macro2::Ident,
    server: &TokenStream,
) -> TokenStream {
    let values = type_ident(&operation.values);
    let mut label: Vec<&str> = operation.group.iter().map(|i| i.text.as_str()).collect();
    label.push(&operation.method_name.text);
    let call = label.join("().");
    let label = label.join(".");
    let verb = operation.method.as_str();
    let template = &operation.path;
    let doc = format!(
        " Expects {} ({}), as `client.{call}(…)` sends it.",
        code(&format!("{verb} {template}")),
        code(&operation.id)
    );
    quote! {
        #[doc = #doc]
        pub fn #method(&self) -> crate::mock::Expect<crate::resources::#values> {
            crate::mock::Expect::new(#server, #label, #verb, #template)
        }
    }
}

fn dotted(path: &[Ident]) -> String {
    path.iter()
        .map(|i| i.text.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::ENGINE;
    use crate::naming::MOCK_ENGINE_MODULES;

    #[test]
    fn the_engine_files_are_the_module_names_features_avoid() {
        let files: Vec<String> = ENGINE.iter().map(|(file, _)| file.to_string()).collect();
        let reserved: Vec<String> = MOCK_ENGINE_MODULES
            .iter()
            .map(|m| format!("{m}.rs"))
            .collect();
        assert_eq!(files, reserved);
    }
}
