//! Answers that are sequences of items (Server-Sent Events, JSON Lines, JSON
//! text sequences): the `crate::ItemStream` an operation returns, the decoder of
//! its items, and for events of several kinds the enum of their data with its
//! `from_event`. The framing and the stream itself are the runtime's
//! (`templates/runtime/framing.rs`, `items.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::{boxed_type, type_ident, type_tokens};
use crate::ir::{Api, EventData, EventVariant, Framing, StreamItem, StreamResponse, TypeRef};

/// The type of one item: an event with its decoded data, or a decoded line.
fn item_type(api: &Api, stream: &StreamResponse) -> TokenStream {
    let data = match &stream.item {
        StreamItem::Data(EventData::Json(ty)) => type_tokens(api, ty),
        StreamItem::Data(EventData::Text) => quote!(::std::string::String),
        StreamItem::Events(id) => type_tokens(api, &TypeRef::Named(*id)),
    };
    match stream.framing {
        Framing::Sse => quote!(crate::SseEvent<#data>),
        Framing::Lines | Framing::JsonSeq => data,
    }
}

/// What the call returns: the stream of its items.
pub(super) fn stream_output(api: &Api, stream: &StreamResponse) -> TokenStream {
    let item = item_type(api, stream);
    quote!(crate::ItemStream<#item>)
}

/// The function that decodes one frame into an item.
fn decoder(api: &Api, stream: &StreamResponse) -> TokenStream {
    match (&stream.item, stream.framing) {
        (StreamItem::Data(EventData::Json(ty)), Framing::Sse) => {
            let ty = type_tokens(api, ty);
            quote!(crate::runtime::sse_json::<#ty>)
        }
        (StreamItem::Data(EventData::Text), Framing::Sse) => quote!(crate::runtime::sse_text),
        (StreamItem::Events(id), _) => {
            let ty = type_tokens(api, &TypeRef::Named(*id));
            quote! {
                |frame| {
                    let raw = crate::runtime::raw_event(frame)?;
                    let data = #ty::from_event(&raw)?;
                    ::std::result::Result::Ok(crate::SseEvent { data, raw })
                }
            }
        }
        (StreamItem::Data(EventData::Json(ty)), _) => {
            let ty = type_tokens(api, ty);
            quote!(crate::runtime::line_json::<#ty>)
        }
        (StreamItem::Data(EventData::Text), _) => {
            quote!(crate::runtime::line_json::<::std::string::String>)
        }
    }
}

/// `ItemStream::sse(body, decoder, reopen)` (or `lines`, `json_seq`): the
/// stream over `body`; only a GET event stream keeps `reopen`.
fn open_stream(
    api: &Api,
    stream: &StreamResponse,
    body: TokenStream,
    reopen: TokenStream,
) -> TokenStream {
    let decoder = decoder(api, stream);
    match stream.framing {
        Framing::Sse => quote!(crate::runtime::ItemStream::sse(#body, #decoder, #reopen)),
        Framing::Lines => quote!(crate::runtime::ItemStream::lines(#body, #decoder)),
        Framing::JsonSeq => quote!(crate::runtime::ItemStream::json_seq(#body, #decoder)),
    }
}

/// The `STREAM` constant of the operation's `crate::Operation` impl: how the
/// body is read as it arrives.
pub(super) fn stream_const(api: &Api, stream: &StreamResponse, is_get: bool) -> TokenStream {
    let reconnects = is_get && stream.framing == Framing::Sse;
    let (reopen_arg, reopen) = if reconnects {
        (quote!(reopen), quote!(reopen))
    } else {
        (quote!(_reopen), quote!(::std::option::Option::None))
    };
    let open = open_stream(api, stream, quote!(body), reopen);
    quote! {
        const STREAM: ::std::option::Option<crate::runtime::OpenStream<Self::Output>> =
            ::std::option::Option::Some(|body, #reopen_arg| #open);
    }
}

/// The body of `decode` for a stream: the items of a body already read whole.
pub(super) fn decode_whole(api: &Api, stream: &StreamResponse) -> TokenStream {
    let body = quote!(crate::runtime::ByteStream::whole(
        status,
        ::std::default::Default::default(),
        body
    ));
    let open = open_stream(api, stream, body, quote!(::std::option::Option::None));
    quote!(::std::result::Result::Ok(#open))
}

/// The enum of the data of a stream's kinds of events, and its `from_event`.
pub(super) fn emit_events(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[EventVariant],
) -> TokenStream {
    let declared = variants.iter().map(|variant| {
        let text = match &variant.kind {
            Some(kind) => format!("A `{kind}` event."),
            None => "An event of any kind the others are not.".to_owned(),
        };
        let doc = doc_attrs(Some(&text), "");
        let ident = type_ident(&variant.rust);
        let ty = match &variant.data {
            EventData::Json(ty) => type_tokens(api, ty),
            EventData::Text => quote!(::std::string::String),
        };
        let ty = boxed_type(ty, variant.boxed);
        quote!(#doc #ident(#ty),)
    });
    let arms = variants.iter().map(|variant| {
        let ident = type_ident(&variant.rust);
        let data = match &variant.data {
            EventData::Json(_) => quote!(crate::runtime::event_data(raw)?),
            EventData::Text => quote!(::std::clone::Clone::clone(&raw.data)),
        };
        let data = if variant.boxed {
            quote!(::std::boxed::Box::new(#data))
        } else {
            data
        };
        match &variant.kind {
            Some(kind) => quote!(#kind => Self::#ident(#data),),
            None => quote!(_ => Self::#ident(#data),),
        }
    });
    let fallback = (!variants.iter().any(|v| v.kind.is_none())).then(|| {
        let kinds = variants.iter().filter_map(|v| v.kind.as_deref());
        quote! {
            _ => return ::std::result::Result::Err(crate::runtime::unknown_event(
                ::std::clone::Clone::clone(raw),
                &[#(#kinds),*],
            )),
        }
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #name {
            #(#declared)*
        }

        impl #name {
            /// The data of `raw`, decoded as its kind (`event`) says, as the
            /// operation's stream does: for events read some other way.
            pub fn from_event(raw: &crate::RawSseEvent) -> ::std::result::Result<Self, crate::ItemError> {
                ::std::result::Result::Ok(match raw.kind() {
                    #(#arms)*
                    #fallback
                })
            }
        }
    }
}
