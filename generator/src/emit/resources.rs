//! Emits `src/resources/`: a handle type per resource group (`client.chats()`,
//! `client.chats().messages()`), and a request builder per operation, in the
//! module of their feature (see `modules`).
//!
//! A builder takes the required parameters (and required body fields) as
//! constructor arguments, offers a setter per optional one, and sends with
//! `.send().await`. Encoding (path segments, repeated query keys, JSON) is done by
//! `crate::runtime`, so the emitted code only says *what* goes *where*.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, sanitize_inline};
use super::modules::{emit_index, Submodule};
use super::{format_batches_parallel, Batch};
use super::{ident, type_ident, type_tokens, EmitError};
use crate::ir::Ident;
use crate::ir::{
    Api, Body, BodyField, BodyMedia, Feature, FieldRole, Group, Operation, Param, TypeRef,
};

/// The files of `src/resources/`: a module per feature with its groups' handles,
/// the client methods that lead to them, and its operations' builders; `mod.rs`
/// declares them and holds the page impls, which any feature may need.
pub fn emit_resources(api: &Api) -> Result<Vec<(String, String)>, EmitError> {
    let mut heads = Vec::new();
    let mut sources = Vec::new();
    let mut submodules = Vec::new();
    for feature in api.features.iter().filter(|f| !f.schemas_only) {
        let file = format!("src/resources/{}.rs", feature.module);
        let doc = format!(
            " Handles and request builders of the `{}` feature.",
            feature.name
        );
        heads.push(super::format_head(&file, quote!(#![doc = #doc]))?);
        let mut here = vec![Source::ClientMethods(feature)];
        here.extend(
            api.groups
                .iter()
                .filter(|group| group.feature == feature.name)
                .map(Source::Handle),
        );
        here.extend(
            api.operations
                .iter()
                .filter(|o| o.feature == feature.name)
                .map(Source::Builder),
        );
        sources.push((file, here));
        submodules.push(Submodule {
            name: &feature.module,
            feature: Some(&feature.name),
        });
    }
    let batches: Vec<Batch<'_, Source<'_>>> = sources
        .iter()
        .map(|(file, here)| Batch {
            file: file.clone(),
            sources: here.iter().collect(),
        })
        .collect();
    let bodies = format_batches_parallel(&batches, |source| Ok(emit_source(api, source).into()))?;
    let mut files: Vec<(String, String)> = sources
        .into_iter()
        .zip(heads.into_iter().zip(bodies))
        .map(|((file, _), (head, body))| (file, head + &body))
        .collect();
    let inner = quote! {
        //! Resource handles and request builders, one builder per operation of the spec.
        //!
        //! Each Cargo feature's handles and builders live in a module of their own, all
        //! re-exported here.
    };
    let file = "src/resources/mod.rs";
    let pages = super::pagination::emit_cursor_pages(api)
        .into_iter()
        .map(|(tokens, gate)| super::gated(file, tokens, &super::cfg_attr(gate)))
        .collect::<Result<Vec<_>, _>>()?;
    files.push((
        file.to_owned(),
        emit_index(file, inner, &submodules, pages)?,
    ));
    Ok(files)
}

/// What an item of a feature's module is made from. The module holds, in
/// this order, the client's methods into the feature, its groups' handles and
/// its operations' builders, all printed on the emitting threads.
enum Source<'a> {
    /// The client's methods that lead into the feature.
    ClientMethods(&'a Feature),
    /// A group's handle struct and its methods.
    Handle(&'a Group),
    /// An operation's request builder.
    Builder(&'a Operation),
}

fn emit_source(api: &Api, source: &Source<'_>) -> TokenStream {
    match source {
        Source::ClientMethods(feature) => emit_handle_impl(api, None, &feature.name),
        Source::Handle(group) => emit_handle(api, group),
        Source::Builder(operation) => emit_builder(api, operation),
    }
}

/// The handle struct of a group, plus its methods.
fn emit_handle(api: &Api, group: &Group) -> TokenStream {
    let name = type_ident(&group.handle);
    let doc = format!(" Operations under `{}`.", dotted(&group.path));
    let methods = emit_handle_impl(api, Some(group), &group.feature);
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy)]
        pub struct #name<'a> {
            client: &'a crate::Client,
        }

        #methods
    }
}

/// Accessors for child groups and constructors for the group's operations, of
/// one feature. `None` is the client itself, whose methods are the top of the tree.
fn emit_handle_impl(api: &Api, group: Option<&Group>, feature: &str) -> TokenStream {
    let path: &[Ident] = group.map(|g| g.path.as_slice()).unwrap_or_default();
    let children = api.groups.iter().filter(|g| {
        g.path.len() == path.len() + 1 && g.path.starts_with(path) && g.feature == feature
    });
    let accessors = children.map(|child| {
        let method = ident(&child.path[child.path.len() - 1]);
        let handle = type_ident(&child.handle);
        let doc = format!(" Operations under `{}`.", dotted(&child.path));
        let client = if group.is_some() {
            quote!(self.client)
        } else {
            quote!(self)
        };
        let lifetime = if group.is_some() {
            quote!('a)
        } else {
            quote!('_)
        };
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #handle<#lifetime> {
                #handle { client: #client }
            }
        }
    });
    let operations = api
        .operations
        .iter()
        .filter(|o| o.group.as_slice() == path && o.feature == feature);
    let constructors =
        operations.map(|operation| emit_constructor(api, operation, group.is_some()));
    match group {
        Some(group) => {
            let name = type_ident(&group.handle);
            quote!(impl<'a> #name<'a> { #(#accessors)* #(#constructors)* })
        }
        None => quote!(impl crate::Client { #(#accessors)* #(#constructors)* }),
    }
}

/// The method that starts a request: required values in, builder out.
fn emit_constructor(api: &Api, operation: &Operation, in_handle: bool) -> TokenStream {
    let method = ident(&operation.method_name);
    let builder = type_ident(&operation.builder);
    let params = type_ident(&operation.values);
    let route = format!(
        " {}",
        code(&format!("{} {}", operation.method.as_str(), operation.path))
    );
    let doc = doc_attrs(
        operation.doc.as_deref(),
        &format!("Calls {}.", code(&operation.id)),
    );
    let deprecated = operation.deprecation.as_ref().map(|d| {
        let note = match &d.replacement {
            Some(call) => format!("use `{call}` instead"),
            None => "this operation is deprecated by the API".to_owned(),
        };
        quote!(#[deprecated(note = #note)])
    });
    let required_params = operation.params.iter().filter(|p| p.required);
    let required_fields = body_fields(operation).filter(|f| f.required);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for param in required_params {
        let name = ident(&param.rust);
        let (arg_ty, convert) = argument(api, &param.ty, false, &quote!(#name));
        args.push(quote!(#name: #arg_ty));
        inits.push(quote!(#name: #convert));
    }
    for param in operation.params.iter().filter(|p| !p.required) {
        let name = ident(&param.rust);
        inits.push(quote!(#name: ::std::option::Option::None));
    }
    for field in required_fields {
        let name = ident(&field.setter);
        let (arg_ty, _) = argument(api, &field.ty, field.optional, &quote!(#name));
        args.push(quote!(#name: #arg_ty));
    }
    if let Some(body) = &operation.body {
        if body.required && body.fields.is_empty() && body.media != BodyMedia::Multipart {
            let ty = type_tokens(api, &body.ty);
            args.push(quote!(body: impl ::std::convert::Into<#ty>));
        }
        inits.extend(body_init(api, body));
    }
    let client = if in_handle {
        quote!(self.client.clone())
    } else {
        quote!(self.clone())
    };
    // Clippy counts `&self` too: seven arguments are already too many for it.
    let too_many = (args.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // The struct literal names every body field, deprecated ones included.
    let uses_deprecated = body_fields(operation).any(|f| f.deprecated);
    let allow_deprecated = uses_deprecated.then(|| quote!(#[allow(deprecated)]));
    let arguments = argument_docs(operation);
    quote! {
        #doc
        #[doc = ""]
        #[doc = #route]
        #arguments
        #deprecated
        #allow_deprecated
        #too_many
        pub fn #method(&self, #(#args),*) -> crate::resources::#builder {
            crate::RequestBuilder::new(#client, crate::resources::#params {
                #(#inits,)*
            })
        }
    }
}

/// An `# Arguments` section naming each constructor argument with its spec description.
fn argument_docs(operation: &Operation) -> TokenStream {
    let params = operation
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (&p.rust, &p.wire, &p.doc));
    let fields = body_fields(operation)
        .filter(|f| f.required)
        .map(|f| (&f.setter, &f.field.text, &f.doc));
    let lines: Vec<String> = params
        .chain(fields)
        .map(|(rust, wire, doc)| {
            let text = doc.as_deref().map(sanitize_inline);
            format!(
                "* `{}`: {}",
                rust.text,
                text.unwrap_or_else(|| format!("the {} value.", code(wire)))
            )
        })
        .collect();
    if lines.is_empty() {
        return TokenStream::new();
    }
    let mut all = vec![String::new(), "# Arguments".to_owned(), String::new()];
    all.extend(lines);
    super::docs::lines_to_attrs(&all)
}

/// The initial body: a struct literal from the required fields, or nothing yet;
/// for multipart bodies, one initializer per part (none for a body without parts).
fn body_init(api: &Api, body: &Body) -> Vec<TokenStream> {
    if body.media == BodyMedia::Multipart {
        // Parts live on the builder itself, one field each.
        let parts = body.fields.iter().map(|part| {
            let name = ident(&part.setter);
            if part.required {
                let (_, convert) = argument(api, &part.ty, false, &quote!(#name));
                quote!(#name: #convert)
            } else {
                quote!(#name: ::std::option::Option::None)
            }
        });
        return parts.collect();
    }
    if body.fields.is_empty() {
        return vec![if body.required {
            quote!(body: ::std::option::Option::Some(::std::convert::Into::into(body)))
        } else {
            quote!(body: ::std::option::Option::None)
        }];
    }
    let ty = type_tokens(api, &body.ty);
    let fields = body.fields.iter().map(|field| {
        let name = ident(&field.field);
        if field.required {
            let setter = ident(&field.setter);
            let (_, convert) = argument(api, &field.ty, field.optional, &quote!(#setter));
            let convert = if field.boxed && !field.optional {
                quote!(::std::boxed::Box::new(#convert))
            } else if field.boxed {
                quote!(#convert.map(::std::boxed::Box::new))
            } else {
                convert
            };
            quote!(#name: #convert)
        } else if field.tri_state {
            quote!(#name: crate::Nullable::Absent)
        } else if field.role == FieldRole::Additional {
            quote!(#name: ::std::default::Default::default())
        } else {
            quote!(#name: ::std::option::Option::None)
        }
    });
    vec![quote!(body: #ty { #(#fields,)* })]
}

/// The builder's field(s) holding the body: the struct, an optional value, or
/// one field per multipart part.
fn body_storage(api: &Api, body: &Body) -> TokenStream {
    if body.media == BodyMedia::Multipart {
        let parts = body.fields.iter().map(|part| {
            let name = ident(&part.setter);
            let ty = type_tokens(api, &part.ty);
            if part.required {
                quote!(#name: #ty,)
            } else {
                quote!(#name: ::std::option::Option<#ty>,)
            }
        });
        return quote!(#(#parts)*);
    }
    let ty = type_tokens(api, &body.ty);
    if body.fields.is_empty() {
        quote!(body: ::std::option::Option<#ty>,)
    } else {
        quote!(body: #ty,)
    }
}

/// The builder (an alias of the runtime's `RequestBuilder`), the struct of the
/// operation's values, the setters for its optional ones, and its `Operation` impl.
fn emit_builder(api: &Api, operation: &Operation) -> TokenStream {
    let name = type_ident(&operation.builder);
    let params_ty = type_ident(&operation.values);
    let has_setters = operation.params.iter().any(|p| !p.required) || operation.body.is_some();
    let then = if has_setters {
        "set optional values, then call `send`"
    } else {
        "call `send`"
    };
    let route = code(&format!("{} {}", operation.method.as_str(), operation.path));
    let doc = format!(" Request builder for {route}: {then}.");
    let params_doc = format!(
        " The values of a {route} request, which [`{}`] sends.",
        operation.builder
    );
    let params = operation.params.iter().map(|param| {
        let name = ident(&param.rust);
        let ty = type_tokens(api, &param.ty);
        if param.required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: ::std::option::Option<#ty>,)
        }
    });
    let body = operation.body.as_ref().map(|body| body_storage(api, body));
    let param_setters = operation
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| param_setter(api, p));
    let multipart = operation
        .body
        .as_ref()
        .is_some_and(|b| b.media == BodyMedia::Multipart);
    let field_setters: Vec<TokenStream> = body_fields(operation)
        .filter(|f| !f.required)
        .map(|f| field_setter(api, f, multipart))
        .collect();
    let body_setter = operation
        .body
        .as_ref()
        .filter(|body| body.media != BodyMedia::Multipart)
        .map(|body| body_setter(api, body));
    let encode = super::send::emit_operation_impl(api, operation);
    let (page_methods, paginated) = match &operation.pagination {
        Some(pagination) => super::pagination::emit_builder_pagination(api, operation, pagination),
        None => (TokenStream::new(), TokenStream::new()),
    };
    let methods: Vec<TokenStream> = param_setters
        .chain(field_setters)
        .chain(body_setter)
        .chain([page_methods])
        .filter(|m| !m.is_empty())
        .collect();
    let methods = (!methods.is_empty()).then(|| quote!(impl #name { #(#methods)* }));
    quote! {
        #[doc = #doc]
        pub type #name = crate::RequestBuilder<#params_ty>;

        #[doc = #params_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct #params_ty {
            #(#params)*
            #body
        }

        #methods

        #encode

        #paginated
    }
}

fn param_setter(api: &Api, param: &Param) -> TokenStream {
    let name = ident(&param.rust);
    let doc = doc_attrs(
        param.doc.as_deref(),
        &format!("Sets the {} parameter.", code(&param.wire)),
    );
    let (arg_ty, convert) = argument(api, &param.ty, false, &quote!(value));
    quote! {
        #doc
        pub fn #name(mut self, value: #arg_ty) -> Self {
            self.operation.#name = ::std::option::Option::Some(#convert);
            self
        }
    }
}

fn field_setter(api: &Api, field: &BodyField, multipart: bool) -> TokenStream {
    if field.role == FieldRole::Additional {
        return additional_setter(api, field);
    }
    let deprecated = field
        .deprecated
        .then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let setter = ident(&field.setter);
    let target = ident(&field.field);
    // Multipart parts are fields of the builder; other body fields live in `self.body`.
    let place = if multipart {
        quote!(self.operation.#setter)
    } else {
        quote!(self.operation.body.#target)
    };
    let doc = doc_attrs(
        field.doc.as_deref(),
        &format!("Sets the `{}` body field.", field.field.text),
    );
    let (arg_ty, convert) = argument(api, &field.ty, false, &quote!(value));
    let convert = if field.boxed {
        quote!(::std::boxed::Box::new(#convert))
    } else {
        convert
    };
    let wrapped = if field.tri_state {
        quote!(crate::Nullable::Value(#convert))
    } else {
        quote!(::std::option::Option::Some(#convert))
    };
    let clear = field.clear.as_ref().map(|clear| {
        let clear = ident(clear);
        let doc = format!(
            " Sends `{}` as `null`, which clears it on the server.",
            field.field.text
        );
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #clear(mut self) -> Self {
                #place = crate::Nullable::Null;
                self
            }
        }
    });
    quote! {
        #doc
        #deprecated
        pub fn #setter(mut self, value: #arg_ty) -> Self {
            #place = #wrapped;
            self
        }
        #clear
    }
}

/// The setter that adds one key the body's schema does not declare
/// (`additionalProperties`) to its map.
fn additional_setter(api: &Api, field: &BodyField) -> TokenStream {
    let setter = ident(&field.setter);
    let target = ident(&field.field);
    let value = match &field.ty {
        TypeRef::Map(value) => value.as_ref(),
        other => other,
    };
    let (arg_ty, convert) = argument(api, value, false, &quote!(value));
    quote! {
        /// Adds a property the spec does not declare (the body allows others,
        /// `additionalProperties`); a second value for a name replaces the first.
        pub fn #setter(mut self, name: impl ::std::convert::Into<::std::string::String>, value: #arg_ty) -> Self {
            self.operation.body.#target.insert(name.into(), #convert);
            self
        }
    }
}

fn body_setter(api: &Api, body: &Body) -> TokenStream {
    let ty = type_tokens(api, &body.ty);
    let value = if body.fields.is_empty() {
        quote!(::std::option::Option::Some(body))
    } else {
        quote!(body)
    };
    quote! {
        /// Replaces the whole request body.
        pub fn body(mut self, body: #ty) -> Self {
            self.operation.body = #value;
            self
        }
    }
}

/// The argument type a builder method takes for `ty`, and `input` converted to the stored type.
pub(super) fn argument(
    api: &Api,
    ty: &TypeRef,
    optional: bool,
    input: &TokenStream,
) -> (TokenStream, TokenStream) {
    let stored = type_tokens(api, ty);
    if optional {
        return (
            quote!(impl ::std::convert::Into<::std::option::Option<#stored>>),
            quote!(#input.into()),
        );
    }
    match ty {
        TypeRef::Array(item) => {
            let item_ty = type_tokens(api, item);
            (
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item_ty>>),
                quote!(#input.into_iter().map(::std::convert::Into::into).collect()),
            )
        }
        _ => (
            quote!(impl ::std::convert::Into<#stored>),
            quote!(#input.into()),
        ),
    }
}

fn body_fields(operation: &Operation) -> impl Iterator<Item = &BodyField> {
    operation.body.iter().flat_map(|b| b.fields.iter())
}

fn dotted(path: &[Ident]) -> String {
    path.iter()
        .map(|i| i.text.as_str())
        .collect::<Vec<_>>()
        .join(".")
}
