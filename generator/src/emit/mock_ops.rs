//! The typed half of one operation's mock expectation: `impl
//! crate::mock::Expect<Params>` with a setter per parameter and JSON body
//! field (each encoding its value with the client's own encoder, through
//! `send`'s statements), a `<setter>_where` predicate beside each, the typed
//! whole-body matchers, and one responder per answer the spec declares.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::code;
use super::resources::argument;
use super::send::{path_segment_from, push_param_from};
use super::{ident, type_ident, type_tokens};
use crate::ir::{
    Api, BodyField, BodyMedia, DeclaredAnswer, EventData, FieldRole, Framing, Operation, Param,
    ParamLocation, Response, StatusMatch, StreamItem, StreamResponse,
};
use crate::naming::{expect_methods, mock_predicate, mock_setter, responder_name};

/// `impl crate::mock::Expect<Params> { … }` for `operation`, or nothing when
/// it has no values and declares no answer.
pub(super) fn emit_expect_impl(api: &Api, operation: &Operation) -> TokenStream {
    let mut taken = expect_methods();
    let mut methods = Vec::new();
    for param in &operation.params {
        methods.extend(param_methods(api, param, &mut taken));
    }
    if let Some(body) = operation
        .body
        .as_ref()
        .filter(|b| b.media == BodyMedia::Json)
    {
        for field in body
            .fields
            .iter()
            .filter(|f| f.role != FieldRole::Additional)
        {
            methods.push(field_methods(api, field, &mut taken));
        }
        methods.push(body_methods(api, &body.ty));
    }
    for answer in &operation.answers {
        methods.push(responder(api, answer, &mut taken));
    }
    if methods.is_empty() {
        return TokenStream::new();
    }
    let values = type_ident(&operation.values);
    quote! {
        impl crate::mock::Expect<crate::resources::#values> {
            #(#methods)*
        }
    }
}

/// The setter and predicate of one parameter (none for a whole query string,
/// which [`crate::mock::Expect::matching`]'s caller checks as they like).
fn param_methods(api: &Api, param: &Param, taken: &mut BTreeSet<String>) -> Option<TokenStream> {
    let wire = &param.wire;
    let place = match param.location {
        ParamLocation::Query => quote!(Query),
        ParamLocation::Header => quote!(Header),
        ParamLocation::Cookie => quote!(Cookie),
        ParamLocation::Path => quote!(Path),
        ParamLocation::QueryString => return None,
    };
    let setter = mock_setter(taken, &param.rust, param.location.as_str());
    let predicate = mock_predicate(taken, &setter);
    let (setter, predicate) = (ident(&setter), ident(&predicate));
    let (arg_ty, convert) = argument(api, &param.ty, false, &quote!(value));
    let stored = type_tokens(api, &param.ty);
    let (stored, wrapped) = match param.required {
        true => (stored, convert),
        false => (
            quote!(::std::option::Option<#stored>),
            quote!(::std::option::Option::Some(#convert)),
        ),
    };
    let setter_doc = format!(
        " Matches requests whose {} parameter {} is `value`, written as the client writes it.",
        param.location.as_str(),
        code(wire)
    );
    let value = quote!(value);
    if param.location == ParamLocation::Path {
        let segment = path_segment_from(api, param, &value);
        let predicate_doc = format!(
            " Matches requests whose path parameter {} (decoded) passes `test`.",
            code(wire)
        );
        return Some(quote! {
            #[doc = #setter_doc]
            pub fn #setter(self, value: #arg_ty) -> Self {
                let value: #stored = #wrapped;
                self.match_path(#wire, move || {
                    let segment = #segment;
                    ::std::result::Result::Ok(segment)
                })
            }
            #[doc = #predicate_doc]
            pub fn #predicate(self, test: impl ::std::ops::Fn(&str) -> bool + ::std::marker::Send + ::std::marker::Sync + 'static) -> Self {
                self.match_path_where(#wire, test)
            }
        });
    }
    let push = push_param_from(api, param, &value);
    let predicate_doc = format!(
        " Matches requests whose values of the {} parameter {} pass `test` (decoded query values; header and cookie values as sent).",
        param.location.as_str(),
        code(wire)
    );
    Some(quote! {
        #[doc = #setter_doc]
        pub fn #setter(self, value: #arg_ty) -> Self {
            let value: #stored = #wrapped;
            self.match_param(crate::mock::Place::#place, #wire, move |request| {
                #push
                ::std::result::Result::Ok(())
            })
        }
        #[doc = #predicate_doc]
        pub fn #predicate(self, test: impl ::std::ops::Fn(&[&str]) -> bool + ::std::marker::Send + ::std::marker::Sync + 'static) -> Self {
            self.match_param_where(crate::mock::Place::#place, #wire, test)
        }
    })
}

/// The setter and predicate of one JSON body field.
fn field_methods(api: &Api, field: &BodyField, taken: &mut BTreeSet<String>) -> TokenStream {
    let wire = &field.wire;
    let setter = mock_setter(taken, &field.setter, "body");
    let predicate = mock_predicate(taken, &setter);
    let (setter, predicate) = (ident(&setter), ident(&predicate));
    let (arg_ty, convert) = argument(api, &field.ty, false, &quote!(value));
    let ty = type_tokens(api, &field.ty);
    let setter_doc = format!(
        " Matches requests whose JSON body has the field {} equal to `value`.",
        code(wire)
    );
    let predicate_doc = format!(
        " Matches requests whose JSON body field {}, decoded, passes `test`.",
        code(wire)
    );
    quote! {
        #[doc = #setter_doc]
        pub fn #setter(self, value: #arg_ty) -> Self {
            let value: #ty = #convert;
            self.match_field(#wire, ::serde_json::to_value(value))
        }
        #[doc = #predicate_doc]
        pub fn #predicate(self, test: impl ::std::ops::Fn(&#ty) -> bool + ::std::marker::Send + ::std::marker::Sync + 'static) -> Self {
            self.match_field_where::<#ty>(#wire, test)
        }
    }
}

/// `body` (equal to a value) and `body_matches` (a typed predicate).
fn body_methods(api: &Api, ty: &crate::ir::TypeRef) -> TokenStream {
    let ty = type_tokens(api, ty);
    quote! {
        /// Matches requests whose JSON body equals `body` encoded.
        pub fn body(self, body: #ty) -> Self {
            self.match_body(&body)
        }
        /// Matches requests whose JSON body, decoded, passes `test`.
        pub fn body_matches(self, test: impl ::std::ops::Fn(&#ty) -> bool + ::std::marker::Send + ::std::marker::Sync + 'static) -> Self {
            self.match_body_where::<#ty>(test)
        }
    }
}

/// The responder of one declared answer, typed by its body.
fn responder(api: &Api, answer: &DeclaredAnswer, taken: &mut BTreeSet<String>) -> TokenStream {
    let name = ident(&responder_name(taken, answer.status));
    let (status_arg, status, key) = match answer.status {
        StatusMatch::Code(code) => {
            let literal = proc_macro2::Literal::u16_unsuffixed(code);
            (None, quote!(#literal), code.to_string())
        }
        StatusMatch::Range(class) => (
            Some(quote!(status: u16,)),
            quote!(status),
            format!("{class}XX"),
        ),
        StatusMatch::Default => (
            Some(quote!(status: u16,)),
            quote!(status),
            "default".to_owned(),
        ),
    };
    let kind = if answer.error {
        "error answer"
    } else {
        "answer"
    };
    let (args, response, what) = match &answer.body {
        Response::Json(ty) => {
            let ty = type_tokens(api, ty);
            (
                quote!(body: #ty),
                quote!(crate::mock::MockResponse::json(#status, &body)),
                "`body` as JSON",
            )
        }
        Response::Empty | Response::ByStatus(_) => (
            TokenStream::new(),
            quote!(crate::mock::MockResponse::status(#status)),
            "no body",
        ),
        Response::Text(media) => (
            quote!(body: impl ::std::convert::Into<::std::string::String>),
            quote!(crate::mock::MockResponse::bytes(#status, #media, body.into())),
            "`body` as text",
        ),
        Response::Bytes(media) => (
            quote!(body: impl ::std::convert::Into<::bytes::Bytes>),
            quote!(crate::mock::MockResponse::bytes(#status, #media, body)),
            "`body` as it is",
        ),
        Response::Stream(stream) => {
            let (args, script) = stream_script(api, stream);
            (
                args,
                quote!(crate::mock::MockResponse::stream(#status, #script)),
                "the items streamed",
            )
        }
    };
    let doc = format!(" Answers with the spec's {key} {kind}: {what}.");
    quote! {
        #[doc = #doc]
        pub fn #name(self, #status_arg #args) -> crate::mock::Mocked {
            self.respond(#response)
        }
    }
}

/// The argument of a stream responder and the script it makes: typed items
/// for a stream of data, a [`crate::mock::MockStream`] for an event union.
fn stream_script(api: &Api, stream: &StreamResponse) -> (TokenStream, TokenStream) {
    let media = &stream.media_type;
    let start = match stream.framing {
        Framing::Sse => quote!(crate::mock::MockStream::sse()),
        Framing::Lines => quote!(crate::mock::MockStream::lines()),
        Framing::JsonSeq => quote!(crate::mock::MockStream::json_seq()),
    };
    match &stream.item {
        StreamItem::Data(EventData::Json(ty)) => {
            let ty = type_tokens(api, ty);
            (
                quote!(items: impl ::std::iter::IntoIterator<Item = #ty>),
                quote!(items.into_iter().fold(#start.content_type(#media), |stream, item| stream.item(&item))),
            )
        }
        StreamItem::Data(EventData::Text) => (
            quote!(items: impl ::std::iter::IntoIterator<Item = impl ::std::convert::AsRef<str>>),
            quote!(items.into_iter().fold(#start.content_type(#media), |stream, item| stream.text(item.as_ref()))),
        ),
        StreamItem::Events(_) => (
            quote!(stream: crate::mock::MockStream),
            quote!(stream.content_type(#media)),
        ),
    }
}
