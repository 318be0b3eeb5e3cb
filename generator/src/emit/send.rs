//! The sending half of an operation: its `crate::Operation` impl, which turns
//! the operation's values into a request (the path with every path parameter
//! percent-encoded, query, headers, cookies, body) and decodes a success body.
//! The options and `send` themselves are the runtime's `RequestBuilder`, written
//! once for every operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_ident, type_tokens};
use crate::ir::{
    Api, Body, BodyMedia, Operation, Param, ParamLocation, ParamStyle, PathPart, Response,
    TypeKind, TypeRef,
};

/// The statements that put the body on the request, in its media type.
fn emit_body(body: &Body) -> TokenStream {
    let content_type = &body.content_type;
    match body.media {
        BodyMedia::Multipart => {
            let parts = body.fields.iter().map(|part| {
                let name = ident(&part.setter);
                let wire = &part.wire;
                if is_file(&part.ty) {
                    quote!(parts.file(#wire, &self.#name);)
                } else {
                    quote!(parts.text(#wire, &self.#name)?;)
                }
            });
            // A body without parts is an empty form: nothing is added to it.
            let mutable = (!body.fields.is_empty()).then(|| quote!(mut));
            quote! {
                let #mutable parts = crate::runtime::Multipart::default();
                #(#parts)*
                request.multipart(parts);
            }
        }
        BodyMedia::Text => quote! {
            if let ::std::option::Option::Some(body) = &self.body {
                request.raw(::std::convert::AsRef::<[u8]>::as_ref(body), #content_type);
            }
        },
        BodyMedia::Binary => quote! {
            if let ::std::option::Option::Some(body) = &self.body {
                request.binary(body, #content_type);
            }
        },
        BodyMedia::Json | BodyMedia::Form => {
            // JSON goes out under the spec's media type (`application/vnd.api+json`).
            let (encode, media) = if body.media == BodyMedia::Json {
                (quote!(json), Some(quote!(, #content_type)))
            } else {
                (quote!(form), None)
            };
            if body.fields.is_empty() {
                quote!(if let ::std::option::Option::Some(body) = &self.body { request.#encode(body #media)?; })
            } else {
                quote!(request.#encode(&self.body #media)?;)
            }
        }
    }
}

/// Whether a multipart part holds files rather than text.
fn is_file(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::File => true,
        TypeRef::Array(item) => is_file(item),
        _ => false,
    }
}

/// The statement that adds one parameter to the request, in its location and style.
fn push_param(api: &Api, param: &Param) -> TokenStream {
    let name = ident(&param.rust);
    push_param_from(api, param, &quote!(self.#name))
}

/// [`push_param`] with the value taken from `source` (a place expression):
/// the mock encodes a test's value exactly as a request would.
pub(super) fn push_param_from(api: &Api, param: &Param, source: &TokenStream) -> TokenStream {
    let wire = &param.wire;
    let list = match param.location {
        ParamLocation::Query => quote!(query),
        ParamLocation::Cookie => quote!(cookies),
        // Headers with one text of their own go through `ParamList`; lists, objects
        // and unions are written in the `simple` style (`a,b`), one header each.
        ParamLocation::Header if param.style == ParamStyle::Json => {
            return quote!(crate::runtime::push_styled(&mut request.headers, #wire, &#source, crate::runtime::QueryStyle::Json)?;)
        }
        ParamLocation::Header if is_scalar(api, &param.ty) => {
            return quote!(crate::runtime::ParamList::push_to(&#source, #wire, &mut request.headers);)
        }
        ParamLocation::Header => {
            let explode = matches!(param.style, ParamStyle::Simple { explode: true });
            return quote!(crate::runtime::push_header(&mut request.headers, #wire, &#source, #explode)?;);
        }
        // Path parameters are part of the path, built before this, and so is a
        // whole query string (`request_line`).
        ParamLocation::Path | ParamLocation::QueryString => return TokenStream::new(),
    };
    let style = match param.style {
        ParamStyle::Exploded if has_param_value(api, &param.ty) => {
            return quote!(crate::runtime::ParamList::push_to(&#source, #wire, &mut request.#list);)
        }
        // Unions and objects have no text form of their own; serde gives them one.
        ParamStyle::Exploded
        | ParamStyle::Simple { .. }
        | ParamStyle::Label { .. }
        | ParamStyle::Matrix { .. } => quote!(Exploded),
        ParamStyle::FormJoined => quote!(FormJoined),
        ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(PipeDelimited),
        ParamStyle::DeepObject => quote!(DeepObject),
        ParamStyle::Json => quote!(Json),
        // Only a whole query string is a form; as one pair it is exploded.
        ParamStyle::Form => quote!(Exploded),
    };
    quote!(crate::runtime::push_styled(&mut request.#list, #wire, &#source, crate::runtime::QueryStyle::#style)?;)
}

/// Whether `ty` has one text of its own (`ParamValue`): a scalar or an enum, not a list.
fn is_scalar(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Array(_) => false,
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Alias(target) => is_scalar(api, target),
            _ => has_param_value(api, ty),
        },
        _ => has_param_value(api, ty),
    }
}

/// The path segment of a parameter, percent-encoded: scalars through `ParamValue`
/// in the `simple` style, everything else through the runtime's RFC 6570 styles.
fn path_segment(api: &Api, param: &Param) -> TokenStream {
    let field = ident(&param.rust);
    path_segment_from(api, param, &quote!(self.#field))
}

/// [`path_segment`] with the value taken from `source` (a place expression).
pub(super) fn path_segment_from(api: &Api, param: &Param, source: &TokenStream) -> TokenStream {
    let wire = &param.wire;
    if param.style == ParamStyle::Json {
        let text = quote!(crate::runtime::to_json_text(&#source)?);
        return quote!(crate::runtime::encode_path_segment(#wire, &#text)?);
    }
    let simple = matches!(
        param.style,
        ParamStyle::Simple { .. } | ParamStyle::Exploded
    );
    if simple && is_scalar(api, &param.ty) {
        let text = quote!(crate::runtime::ParamValue::to_param(&#source));
        return quote!(crate::runtime::encode_path_segment(#wire, &#text)?);
    }
    if simple && !matches!(param.ty, TypeRef::Array(_)) && !is_object(api, &param.ty) {
        // A union: the text of whichever variant it holds.
        let text = quote!(crate::runtime::to_text(&#source)?);
        return quote!(crate::runtime::encode_path_segment(#wire, &#text)?);
    }
    let style = match param.style {
        ParamStyle::Label { explode } => quote!(Label { explode: #explode }),
        ParamStyle::Matrix { explode } => quote!(Matrix { explode: #explode }),
        ParamStyle::Simple { explode } => quote!(Simple { explode: #explode }),
        _ => quote!(Simple { explode: false }),
    };
    quote!(crate::runtime::path_segment(#wire, &#source, crate::runtime::PathStyle::#style)?)
}

/// Whether `ty` is a struct or map (through aliases).
fn is_object(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(_) => true,
            TypeKind::Alias(target) => is_object(api, target),
            _ => false,
        },
        _ => false,
    }
}

/// Whether the runtime's `ParamValue` (or `ParamList`, for arrays) covers `ty`:
/// scalars, string and integer enums, and arrays of those, through aliases.
fn has_param_value(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Array(item) => !matches!(**item, TypeRef::Array(_)) && has_param_value(api, item),
        // A replacement type is the user's: serde gives it a text, as for unions.
        TypeRef::Map(_) | TypeRef::Nullable(_) | TypeRef::External(_) => false,
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => true,
            TypeKind::Alias(target) => has_param_value(api, target),
            TypeKind::Struct(_)
            | TypeKind::Union(_)
            | TypeKind::Tagged(..)
            | TypeKind::Responses(_)
            | TypeKind::ErrorBodies(_)
            | TypeKind::Events(_) => false,
        },
        _ => true,
    }
}

/// `impl crate::Operation for Params`: `encode` (the request) and `decode` (the answer).
pub(super) fn emit_operation_impl(api: &Api, operation: &Operation) -> TokenStream {
    let params_ty = type_ident(&operation.values);
    let method = super::request_line::method_expr(&operation.method);
    let path = emit_path(api, operation);
    let query_string = super::request_line::query_string(operation);
    let params = operation
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| push_param(api, p));
    let fixed = operation.fixed_query.iter().map(|(key, value)| {
        quote!(request.query.push((::std::borrow::ToOwned::to_owned(#key), ::std::borrow::ToOwned::to_owned(#value)));)
    });
    let token = (!operation.security.is_none()).then(|| {
        let (alternatives, optional) = super::auth::security_parts(&operation.security);
        quote!(request.security(#alternatives, #optional);)
    });
    let error_fields = (!operation.error_fields.is_empty()).then(|| {
        let paths = |paths: &[Vec<String>]| {
            let paths = paths.iter().map(|path| quote!(&[#(#path),*]));
            quote!(&[#(#paths),*])
        };
        let (message, code) = (
            paths(&operation.error_fields.message),
            paths(&operation.error_fields.code),
        );
        quote!(request.error_fields(#message, #code);)
    });
    let answers = (!operation.redirect_answers.is_empty()).then(|| {
        let codes = operation
            .redirect_answers
            .iter()
            .map(|code| proc_macro2::Literal::u16_unsuffixed(*code));
        quote!(request.answers(&[#(#codes),*]);)
    });
    let params: Vec<TokenStream> = fixed
        .chain(params)
        .chain(token)
        .chain(error_fields)
        .chain(answers)
        .collect();
    let accept = accept_header(api, &operation.response);
    let mutable =
        (!params.is_empty() || operation.body.is_some() || accept.is_some()).then(|| quote!(mut));
    let body = operation.body.as_ref().map(emit_body);
    let (output, decode) = output_and_decode(api, &operation.response);
    let accept = accept.map(|accept| quote!(request.accept(#accept);));
    let error_body = error_body_type(api, operation);
    let stream = match &operation.response {
        Response::Stream(stream) => {
            let is_get = operation.method == crate::ir::Method::Get;
            Some(super::sequences::stream_const(api, stream, is_get))
        }
        _ => None,
    };
    let stream_flag = stream_flag(api, operation);
    let receiver = if stream_flag.is_some() {
        quote!(mut self)
    } else {
        quote!(self)
    };
    let (id, template) = (&operation.id, &operation.path);
    quote! {
        impl crate::Operation for crate::resources::#params_ty {
            type Output = #output;
            type ErrorBody = #error_body;
            const ID: &'static str = #id;
            const PATH: &'static str = #template;
            #stream

            fn encode(
                #receiver,
                options: crate::runtime::RequestOptions,
            ) -> ::std::result::Result<crate::runtime::Request, crate::BuildError> {
                #stream_flag
                #path
                #query_string
                let #mutable request = crate::runtime::Request::new(#method, path, options);
                #(#params)*
                #body
                #accept
                ::std::result::Result::Ok(request)
            }

            fn decode(
                status: u16,
                body: ::std::vec::Vec<u8>,
            ) -> ::std::result::Result<Self::Output, crate::DecodeError> {
                #decode
            }
        }
    }
}

/// The type a success decodes to, and the body of `decode` that makes it.
fn output_and_decode(api: &Api, response: &Response) -> (TokenStream, TokenStream) {
    match response {
        Response::Json(ty) => (
            type_tokens(api, ty),
            quote!(crate::runtime::decode_json(status, &body)),
        ),
        Response::Empty => (
            quote!(()),
            quote!(let _ = (status, body); ::std::result::Result::Ok(())),
        ),
        Response::Text(_) => (
            quote!(::std::string::String),
            quote!(let _ = status; ::std::result::Result::Ok(crate::runtime::text_body(&body))),
        ),
        Response::Bytes(_) => (
            quote!(::std::vec::Vec<u8>),
            quote!(let _ = status; ::std::result::Result::Ok(body)),
        ),
        Response::ByStatus(id) => {
            let ty = type_tokens(api, &TypeRef::Named(*id));
            (ty.clone(), quote!(#ty::from_response(status, &body)))
        }
        Response::Stream(stream) => (
            super::sequences::stream_output(api, stream),
            super::sequences::decode_whole(api, stream),
        ),
    }
}

/// What the operation's error answers carry: its own enum, or the crate's error schema.
fn error_body_type(api: &Api, operation: &Operation) -> TokenStream {
    match operation.errors {
        Some(id) => type_tokens(api, &TypeRef::Named(id)),
        None => super::default_error_body(api),
    }
}

/// The error type of a call: the crate's `Error`, or with the operation's own bodies.
pub(super) fn error_type(api: &Api, operation: &Operation) -> TokenStream {
    match operation.errors {
        Some(id) => {
            let body = type_tokens(api, &TypeRef::Named(id));
            quote!(crate::Error<#body>)
        }
        None => quote!(crate::Error),
    }
}

/// The `Accept` header for answers that are not JSON. Errors still come as JSON,
/// so the success media types are asked for first.
fn accept_header(api: &Api, response: &Response) -> Option<String> {
    let media_types: Vec<&str> = match response {
        Response::Text(media_type) | Response::Bytes(media_type) => vec![media_type.as_str()],
        Response::Stream(stream) => vec![stream.media_type.as_str()],
        Response::ByStatus(id) => match &api.type_def(*id).kind {
            TypeKind::Responses(variants) => variants
                .iter()
                .filter_map(|v| match &v.body {
                    Response::Text(media_type) | Response::Bytes(media_type) => {
                        Some(media_type.as_str())
                    }
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        },
        Response::Json(_) | Response::Empty => Vec::new(),
    };
    if media_types.is_empty() {
        return None;
    }
    let mut unique: Vec<&str> = Vec::new();
    for media_type in media_types.into_iter().chain(["application/json"]) {
        if !unique.contains(&media_type) {
            unique.push(media_type);
        }
    }
    Some(unique.join(", "))
}

/// `let path = format!(…)` with every path parameter percent-encoded first.
pub(super) fn emit_path(api: &Api, operation: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut segments = Vec::new();
    let mut names = Vec::new();
    for part in &operation.path_parts {
        match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathPart::Param(wire) => {
                let Some(param) = operation
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && &p.wire == wire)
                else {
                    continue;
                };
                let encoded = path_segment(api, param);
                let segment = quote::format_ident!("segment_{}", names.len());
                // Inline arguments: the emitted text is compiled from source, so
                // `{segment_0}` resolves like hand-written code.
                template.push_str(&format!("{{{segment}}}"));
                segments.push(quote! {
                    let #segment = #encoded;
                });
                names.push(segment);
            }
        }
    }
    if names.is_empty() {
        quote!(let path = ::std::string::String::from(#template);)
    } else {
        quote!(#(#segments)* let path = ::std::format!(#template);)
    }
}

/// For a call that answers JSON or a stream: the body's boolean `stream` field
/// set to match (servers such as ollama decide by it, not by `Accept`). The
/// twin always sends `true`; the plain call sends `false` unless it was set.
fn stream_flag(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let asks = operation.asks_for_stream?;
    let body = operation
        .body
        .as_ref()
        .filter(|b| b.media == BodyMedia::Json)?;
    let field = body
        .fields
        .iter()
        .find(|f| f.wire == "stream" && is_boolean(api, &f.ty) && !f.tri_state)?;
    let name = ident(&field.field);
    Some(match (field.optional, asks) {
        (true, true) => quote!(self.body.#name = ::std::option::Option::Some(true);),
        (true, false) => quote! {
            if self.body.#name.is_none() {
                self.body.#name = ::std::option::Option::Some(false);
            }
        },
        // A required field is the caller's argument: only the twin overrides it.
        (false, true) => quote!(self.body.#name = true;),
        (false, false) => return None,
    })
}

/// Whether `ty` is a boolean (through aliases).
fn is_boolean(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Boolean => true,
        TypeRef::Named(id) => {
            matches!(&api.type_def(*id).kind, TypeKind::Alias(t) if is_boolean(api, t))
        }
        _ => false,
    }
}
