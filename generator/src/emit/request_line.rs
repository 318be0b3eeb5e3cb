//! What an operation's request line needs beyond its path template: the method
//! (OpenAPI 3.2's `QUERY` and the methods of `additionalOperations`, which
//! `reqwest::Method` has no constant for, are made from their bytes) and the
//! whole query string of an `in: querystring` parameter.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::{Method, Operation, ParamLocation, ParamStyle};

/// The `reqwest::Method` expression of `method`: a constant for the standard
/// ones, else its bytes, checked (the generator checked the name is a token).
pub(super) fn method_expr(method: &Method) -> TokenStream {
    if method.is_standard() {
        let constant = quote::format_ident!("{}", method.as_str());
        return quote!(::reqwest::Method::#constant);
    }
    let name = method.as_str();
    let bytes = Literal::byte_string(name.as_bytes());
    let message = format!("the method `{name}` is not valid: {{error}}");
    quote! {
        ::reqwest::Method::from_bytes(#bytes).map_err(|error| crate::BuildError {
            message: ::std::format!(#message),
        })?
    }
}

/// The statement that appends the `in: querystring` parameter to `path`, as
/// `?` and the text its media type makes; nothing for other operations. It
/// comes first in the query: other pairs (fixed ones, credentials) follow it.
pub(super) fn query_string(operation: &Operation) -> TokenStream {
    let Some(param) = operation
        .params
        .iter()
        .find(|p| p.location == ParamLocation::QueryString)
    else {
        return TokenStream::new();
    };
    let name = ident(&param.rust);
    let kind = match param.style {
        ParamStyle::Form => quote!(Form),
        ParamStyle::Json => quote!(Json),
        _ => quote!(Text),
    };
    quote! {
        let path = match crate::runtime::query_string(&self.#name, crate::runtime::QueryString::#kind)? {
            ::std::option::Option::Some(query) => ::std::format!("{path}?{query}"),
            ::std::option::Option::None => path,
        };
    }
}
