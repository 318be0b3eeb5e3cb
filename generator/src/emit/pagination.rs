//! Pagination for cursor-paginated operations: `items`/`pages` (older) and
//! `items_newer`/`pages_newer` (newer) on the builder, the runtime's `Paginated`
//! trait for the builder, and `CursorPage` for each page type.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_ident, type_tokens};
use crate::ir::{Api, Gate, Operation, PageField, Pagination, TypeRef};

/// Stream methods for the builder's `impl`, and the `Paginated` impl that follows it.
pub(super) fn emit_builder_pagination(
    api: &Api,
    operation: &Operation,
    pagination: &Pagination,
) -> (TokenStream, TokenStream) {
    let builder = type_ident(&operation.builder);
    let page = type_tokens(api, &TypeRef::Named(pagination.page));
    let item = type_tokens(api, &pagination.item);
    let cursor = ident(&pagination.cursor_param);
    let error = super::send::error_type(api, operation);
    // Streams of an operation with its own error bodies yield its own error type.
    let stream_error = operation.errors.is_some().then(|| quote!(, #error));
    let forwards = pagination.direction_param.is_some() && pagination.newest_field.is_some();
    let newer = forwards.then(|| {
        quote! {
            /// Every item from this request's cursor on, walking towards newer ones
            /// (`direction=after`, each page's newest cursor): for keeping a copy in sync.
            pub fn items_newer(self) -> crate::PageStream<#item #stream_error> {
                crate::runtime::items(self, crate::runtime::Direction::Newer)
            }

            /// Every page from this request's cursor on, walking towards newer ones.
            pub fn pages_newer(self) -> crate::PageStream<#page #stream_error> {
                crate::runtime::pages(self, crate::runtime::Direction::Newer)
            }
        }
    });
    let methods = quote! {
        /// Every item, page after page, walking towards older ones (each page's
        /// oldest cursor) until the server has no more. Other parameters carry over.
        pub fn items(self) -> crate::PageStream<#item #stream_error> {
            crate::runtime::items(self, crate::runtime::Direction::Older)
        }

        /// Every page, walking towards older ones until the server has no more.
        pub fn pages(self) -> crate::PageStream<#page #stream_error> {
            crate::runtime::pages(self, crate::runtime::Direction::Older)
        }

        #newer
    };
    let set_direction = match &pagination.direction_param {
        Some(direction) => {
            let direction = ident(direction);
            quote!(self.operation.#direction = ::std::option::Option::Some(::std::convert::From::from(direction.as_str()));)
        }
        // Without a direction parameter only the default (older) walk is offered.
        None => quote!(let _ = direction;),
    };
    let paginated = quote! {
        impl crate::runtime::Paginated for #builder {
            type Page = #page;
            type Error = #error;

            fn cursor(&self) -> ::std::option::Option<&str> {
                self.operation.#cursor.as_deref()
            }

            fn set_cursor(&mut self, cursor: ::std::string::String, direction: crate::runtime::Direction) {
                self.operation.#cursor = ::std::option::Option::Some(cursor);
                #set_direction
            }

            fn fetch(
                self,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<#page, #error>> + ::std::marker::Send {
                self.send()
            }
        }
    };
    (methods, paginated)
}

/// `CursorPage` for every page type, once each, with the page type's gate (an
/// operation of any feature that needs the type may page through it).
pub(super) fn emit_cursor_pages(api: &Api) -> Vec<(TokenStream, &Gate)> {
    let mut seen = BTreeSet::new();
    let paginations = api.operations.iter().filter_map(|o| o.pagination.as_ref());
    paginations
        .filter(|p| seen.insert(p.page))
        .map(|p| (emit_cursor_page(api, p), &api.type_def(p.page).gate))
        .collect()
}

fn emit_cursor_page(api: &Api, pagination: &Pagination) -> TokenStream {
    let page = type_tokens(api, &TypeRef::Named(pagination.page));
    let item = type_tokens(api, &pagination.item);
    let items = field_access(&pagination.items_field);
    let (items_ref, items_owned) = if pagination.items_field.optional {
        (
            quote!(self.#items.as_deref().unwrap_or_default()),
            quote!(self.#items.unwrap_or_default()),
        )
    } else {
        (quote!(&self.#items), quote!(self.#items))
    };
    let has_more = field_access(&pagination.has_more_field);
    let has_more = if pagination.has_more_field.optional {
        quote!(self.#has_more.unwrap_or(false))
    } else {
        quote!(self.#has_more)
    };
    let oldest = cursor_access(Some(&pagination.oldest_field));
    let newest = cursor_access(pagination.newest_field.as_ref());
    quote! {
        impl crate::runtime::CursorPage for #page {
            type Item = #item;

            fn items(&self) -> &[#item] {
                #items_ref
            }

            fn into_items(self) -> ::std::vec::Vec<#item> {
                #items_owned
            }

            fn has_more(&self) -> bool {
                #has_more
            }

            fn oldest_cursor(&self) -> ::std::option::Option<&str> {
                #oldest
            }

            fn newest_cursor(&self) -> ::std::option::Option<&str> {
                #newest
            }
        }
    }
}

fn field_access(field: &PageField) -> proc_macro2::Ident {
    ident(&field.rust)
}

fn cursor_access(field: Option<&PageField>) -> TokenStream {
    match field {
        Some(field) if field.optional => {
            let name = field_access(field);
            quote!(self.#name.as_deref())
        }
        Some(field) => {
            let name = field_access(field);
            quote!(::std::option::Option::Some(self.#name.as_str()))
        }
        None => quote!(::std::option::Option::None),
    }
}
