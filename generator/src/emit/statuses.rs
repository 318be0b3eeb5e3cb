//! Enums chosen by HTTP status, for the `types` module: the success answers of an
//! operation with several different ones (decoded by a generated
//! `from_response`), and the error bodies of an operation with its own (an
//! `ErrorBody` impl the runtime calls when it builds an `ApiError`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::{boxed_type, boxed_value, type_ident, type_tokens};
use crate::ir::{Api, Response, StatusMatch, StatusVariant};

/// The enum of success answers and its `from_response`.
pub(super) fn emit_responses(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[StatusVariant],
) -> TokenStream {
    let decodes = variants.iter().map(|variant| {
        let pattern = status_pattern(variant.status, variants);
        let ident = type_ident(&variant.rust);
        let value = match &variant.body {
            Response::Json(_) => Some(quote!(crate::runtime::decode_json(status, body)?)),
            Response::Text(_) => Some(quote!(crate::runtime::text_body(body))),
            Response::Bytes(_) | Response::Stream(_) => Some(quote!(body.to_vec())),
            Response::Empty | Response::ByStatus(_) => None,
        };
        match value {
            Some(value) => {
                let value = boxed_value(value, variant.boxed);
                quote!(#pattern => Self::#ident(#value),)
            }
            None => quote!(#pattern => Self::#ident,),
        }
    });
    let fallback = (!variants.iter().any(|v| v.status == StatusMatch::Default)).then(|| {
        let declared = variants.iter().filter_map(|v| match v.status {
            StatusMatch::Code(code) => Some(code.to_string()),
            StatusMatch::Range(class) => Some(format!("{class}XX")),
            StatusMatch::Default => None,
        });
        quote! {
            _ => return ::std::result::Result::Err(
                crate::runtime::undeclared_status(status, body, &[#(#declared),*]),
            ),
        }
    });
    let declaration = emit_enum(api, doc, name, variants);
    quote! {
        #declaration

        impl #name {
            /// Decodes a `status` answer as the spec describes it, as the operation's
            /// `send` does: for an answer read some other way (`send_stream`, a cache).
            pub fn from_response(
                status: u16,
                body: &[u8],
            ) -> ::std::result::Result<Self, crate::DecodeError> {
                ::std::result::Result::Ok(match status {
                    #(#decodes)*
                    #fallback
                })
            }
        }
    }
}

/// The enum of error bodies and its `ErrorBody` impl.
pub(super) fn emit_error_bodies(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[StatusVariant],
) -> TokenStream {
    let (status, body) = match variants {
        // Only `default`: every status decodes the same way, so there is nothing to match.
        [only] if only.status == StatusMatch::Default => (quote!(_status), decode_error_body(only)),
        _ => {
            let decodes = variants.iter().map(|variant| {
                let pattern = status_pattern(variant.status, variants);
                let decode = decode_error_body(variant);
                quote!(#pattern => #decode,)
            });
            let fallback = (!variants.iter().any(|v| v.status == StatusMatch::Default))
                .then(|| quote!(_ => ::std::option::Option::None,));
            let body = quote! {
                match status {
                    #(#decodes)*
                    #fallback
                }
            };
            (quote!(status), body)
        }
    };
    let declaration = emit_enum(api, doc, name, variants);
    quote! {
        #declaration

        impl crate::runtime::ErrorBody for #name {
            fn from_response(#status: u16, body: &[u8]) -> ::std::option::Option<Self> {
                #body
            }
        }
    }
}

/// `json_body(body)` into an error variant: the expression for its statuses.
fn decode_error_body(variant: &StatusVariant) -> TokenStream {
    let ident = type_ident(&variant.rust);
    if variant.boxed {
        quote!(crate::runtime::json_body(body).map(|value| Self::#ident(::std::boxed::Box::new(value))))
    } else {
        quote!(crate::runtime::json_body(body).map(Self::#ident))
    }
}

/// The enum itself, one variant per status.
fn emit_enum(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[StatusVariant],
) -> TokenStream {
    let arms = variants.iter().map(|v| emit_variant(api, v));
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #name {
            #(#arms)*
        }
    }
}

/// One variant: its docs (description and statuses) and its payload.
fn emit_variant(api: &Api, variant: &StatusVariant) -> TokenStream {
    let statuses = match variant.status {
        StatusMatch::Code(code) => format!("Status {code}."),
        StatusMatch::Range(class) => format!("Any {class}xx status not listed otherwise."),
        StatusMatch::Default => "Any status not listed otherwise.".to_owned(),
    };
    let text = match variant.doc.as_deref() {
        Some(doc) => format!("{statuses} {doc}"),
        None => statuses,
    };
    let doc = doc_attrs(Some(&text), "");
    let ident = type_ident(&variant.rust);
    let payload = match &variant.body {
        Response::Json(ty) => Some(type_tokens(api, ty)),
        Response::Text(_) => Some(quote!(::std::string::String)),
        Response::Bytes(_) | Response::Stream(_) => Some(quote!(::std::vec::Vec<u8>)),
        Response::Empty | Response::ByStatus(_) => None,
    };
    match payload {
        Some(ty) => {
            let ty = boxed_type(ty, variant.boxed);
            quote!(#doc #ident(#ty),)
        }
        None => quote!(#doc #ident,),
    }
}

/// The `match` pattern for the statuses a variant answers. A class leaves out the
/// codes of its own that other variants list, so no two arms overlap.
fn status_pattern(status: StatusMatch, variants: &[StatusVariant]) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(class) => {
            let listed: Vec<u16> = variants
                .iter()
                .filter_map(|v| match v.status {
                    StatusMatch::Code(code) if code / 100 == class => Some(code),
                    _ => None,
                })
                .collect();
            let pieces = class_pieces(class, &listed).into_iter().map(|(low, high)| {
                let (low_literal, high_literal) =
                    (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
                if low == high {
                    quote!(#low_literal)
                } else {
                    quote!(#low_literal..=#high_literal)
                }
            });
            quote!(#(#pieces)|*)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// The codes of a class (`class`00 to `class`99) without `listed`, as inclusive ranges.
fn class_pieces(class: u16, listed: &[u16]) -> Vec<(u16, u16)> {
    let mut pieces = Vec::new();
    let mut start = class * 100;
    for code in class * 100..=class * 100 + 99 {
        if listed.contains(&code) {
            if start < code {
                pieces.push((start, code - 1));
            }
            start = code + 1;
        }
    }
    if start <= class * 100 + 99 {
        pieces.push((start, class * 100 + 99));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::class_pieces;

    #[test]
    fn classes_leave_out_listed_codes() {
        assert_eq!(class_pieces(2, &[]), [(200, 299)]);
        assert_eq!(class_pieces(2, &[200, 202, 299]), [(201, 201), (203, 298)]);
        assert_eq!(class_pieces(4, &[404]), [(400, 403), (405, 499)]);
    }
}
