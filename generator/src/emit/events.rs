//! Emits `src/events/mod.rs` for a spec with live events (`x-rust-events`): the
//! channel's path and subscribe message, the `Event` alias of the server-message
//! type, and `Client::events`. The engine itself (`src/events/socket.rs`) does not
//! depend on the spec and is copied verbatim from `templates/events/`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{lines_to_attrs, sanitize};
use super::{format_items, type_tokens, EmitError};
use crate::ir::{Api, Events};

/// The verbatim engine, copied to `src/events/`: the stream and its task, the
/// connection attempts, and the errors.
pub const ENGINE: &[(&str, &str)] = &[
    (
        "socket.rs",
        include_str!("../../../templates/events/socket.rs"),
    ),
    (
        "connect.rs",
        include_str!("../../../templates/events/connect.rs"),
    ),
    (
        "error.rs",
        include_str!("../../../templates/events/error.rs"),
    ),
];

/// The text of `src/events/mod.rs`, when the spec has live events.
pub fn emit_events(api: &Api) -> Option<Result<String, EmitError>> {
    let events = api.events.as_ref()?;
    Some(format_items(
        "src/events/mod.rs",
        module_docs(events),
        items(api, events),
    ))
}

fn module_docs(events: &Events) -> TokenStream {
    let mut lines = vec![format!(
        "Live events from the WebSocket at `{}`, as a typed stream.",
        events.path
    )];
    if let Some(doc) = &events.doc {
        lines.push(String::new());
        lines.extend(sanitize(doc));
    }
    lines.push(String::new());
    lines.extend(
        [
            "[`crate::Client::events`] opens the channel and [`Events::subscribe`] returns an",
            "[`EventStream`]: it connects on first poll with the client's base URL",
            "(`http` becomes `ws`, `https` becomes `wss`), credentials and headers, answers",
            "pings, pings the server every 20 s ([`Events::keepalive`]) and counts a",
            "connection silent for 45 s as dropped ([`Events::idle_timeout`]). It reconnects",
            "with the client's retry backoff when the connection drops, yielding",
            "[`Item::Reconnected`] once the subscription is sent again; the backoff grows",
            "while connections keep dropping soon after they open. A close frame is an",
            "[`Item::Closed`] with its code and reason, except a policy or application code",
            "(1008, 4000-4999), which ends the stream with [`EventError::Closed`].",
            "A frame that does not decode is an [`EventError::Decode`] that keeps the",
            "text, and the stream goes on. Dropping the stream closes the connection.",
        ]
        .map(str::to_owned),
    );
    super::docs::lines_to_inner_attrs(&lines)
}

fn items(api: &Api, events: &Events) -> Vec<TokenStream> {
    let server = type_tokens(api, &events.server_messages);
    let server_doc = format!(
        " What the server sends on the channel: [`{}`].",
        type_path(api, &events.server_messages)
    );
    let path = &events.path;
    let subscribe = &events.subscribe;
    let (tag, message, field) = (&subscribe.tag, &subscribe.message, &subscribe.field);
    let subscribe_doc = format!(" The frame that sets the subscription: `{{\"{tag}\": \"{message}\", \"{field}\": [...]}}`.");
    let mut items = vec![
        quote! {
            mod connect;
            mod error;
            mod socket;
        },
        quote! {
            pub use error::{CloseError, EventError, FrameError, SocketError};
        },
        quote! {
            pub use socket::{EventStream, Events, Item};
        },
        quote! {
            #[doc = #server_doc]
            pub type Event = #server;
        },
    ];
    if let Some(client) = &events.client_messages {
        let ty = type_tokens(api, client);
        let doc = format!(
            " What a client may send on the channel: [`{}`].",
            type_path(api, client)
        );
        items.push(quote! {
            #[doc = #doc]
            pub type ClientMessage = #ty;
        });
    }
    let events_doc = client_method_doc(events);
    items.extend([
        quote! {
            /// Where the channel is and how a subscription is written.
            pub(crate) const CHANNEL: socket::Channel = socket::Channel {
                path: #path,
                subscribe: subscribe_message,
            };
        },
        quote! {
            #[doc = #subscribe_doc]
            fn subscribe_message(ids: &[::std::string::String]) -> ::std::string::String {
                let message = ::serde_json::Map::from_iter([
                    (::std::string::String::from(#tag), ::serde_json::Value::from(#message)),
                    (::std::string::String::from(#field), ::serde_json::Value::from(ids)),
                ]);
                ::serde_json::Value::Object(message).to_string()
            }
        },
        quote! {
            /// The IDs of a subscription frame, when `text` is one (the mock's check).
            #[cfg(feature = "mock")]
            pub(crate) fn read_subscription(text: &str) -> ::std::option::Option<::std::vec::Vec<::std::string::String>> {
                let value: ::serde_json::Value = ::serde_json::from_str(text).ok()?;
                let message = value.as_object()?;
                if message.get(#tag)?.as_str()? != #message {
                    return ::std::option::Option::None;
                }
                message
                    .get(#field)?
                    .as_array()?
                    .iter()
                    .map(|id| id.as_str().map(::std::borrow::ToOwned::to_owned))
                    .collect()
            }
        },
        quote! {
            impl crate::Client {
                #events_doc
                pub fn events(&self) -> Events<Event> {
                    Events::new(::std::clone::Clone::clone(self), CHANNEL)
                }
            }
        },
    ]);
    items
}

fn client_method_doc(events: &Events) -> TokenStream {
    let param = &events.subscribe.field;
    let lines = [
        format!(
            "Live events from `{}`: call [`Events::subscribe`] with the `{param}` to follow.",
            events.path
        ),
        String::new(),
        "See the [`events`](crate::events) module for reconnects and errors.".to_owned(),
    ];
    lines_to_attrs(&lines)
}

/// `crate::types::Name` of a named type, for intra-doc links.
fn type_path(api: &Api, ty: &crate::ir::TypeRef) -> String {
    match ty {
        crate::ir::TypeRef::Named(id) => format!("crate::types::{}", api.type_def(*id).name),
        other => type_tokens(api, other).to_string().replace(' ', ""),
    }
}
