//! Operations into [`Operation`]s, for the `lower` phase: parameters (path-level
//! and operation-level merged), the JSON request body with its fields exposed as
//! builder arguments, the success response, and the schemas of error responses.
//!
//! An operation the generator cannot express is skipped with a warning naming it,
//! so one odd endpoint does not cost the user the whole client.

use std::collections::BTreeSet;

use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr};

use super::responses::{Answers, ErrorResponse};
use super::schemas::SchemaRef;
use super::spec_operations::SpecOperation;
use super::{join_doc, Lowerer};
use crate::diagnostics::{Code, Pointer};
use crate::ir::Ident;
use crate::ir::{
    DeclaredAnswer, Operation, Param, ParamLocation, ParamStyle, Response, StreamResponse, TypeRef,
};
use crate::load::openapi32;
use crate::naming::{builder_reserved, camel_name, param_name, snake_ident};

/// An operation before its names are checked for collisions.
pub(super) struct PendingOperation {
    pub operation: Operation,
    /// `x-replaced-by`: the operationId of the replacement, and where it was written.
    pub replaced_by: Option<(String, Pointer)>,
    /// The error responses with a JSON body, typed once the crate's error schema is known.
    pub errors: Vec<ErrorResponse>,
    /// The camel-case operation name that inline types are named after.
    pub prefix: String,
}

impl<'a> Lowerer<'a> {
    /// Lowers every operation of every path, in document order, then the
    /// stream twins of operations that answer JSON or a stream (after every
    /// operation, so one the spec names like a twin keeps its name).
    pub(super) fn lower_operations(&mut self) -> Vec<PendingOperation> {
        let spec = self.spec;
        for (path, item) in &spec.paths.paths {
            if let ReferenceOr::Reference { .. } = item {
                let at = Pointer::root().push("paths").push(path);
                self.sink.error(
                    Code::Unsupported,
                    &at,
                    "path items given by `$ref` are not supported",
                );
            }
        }
        let mut operations = Vec::new();
        let mut twins = Vec::new();
        for found in self.operations {
            if !self.keeps_operation(found.path, found.operation) {
                continue;
            }
            if let Some((lowered, twin)) = self.lower_operation(found) {
                operations.push(lowered);
                twins.extend(twin);
            }
        }
        operations.extend(twins);
        operations
    }

    fn lower_operation(
        &mut self,
        found: &SpecOperation<'a>,
    ) -> Option<(PendingOperation, Option<PendingOperation>)> {
        let SpecOperation {
            path,
            item,
            operation,
            ..
        } = *found;
        let (method, at) = (&found.name, &found.pointer);
        let id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {path}"));
        let prefix = camel_name(&id);
        let (group, method_name) = match self.renamed_operation(&id, method, path) {
            Some(renamed) => renamed,
            None => self.rust_path(operation, &id, at),
        };
        let group = self.renamed_group(group);
        let path_at = Pointer::root().push("paths").push(path);
        // An operation skipped before this one may have noted schemas already.
        self.json_schemas.clear();
        let mut params = self.lower_params(operation, item, (&path_at, at), &prefix)?;
        let route = self.route(path, &mut params, at);
        let body = self.lower_body(operation, at, &prefix, &params)?;
        // A response that fails to lower has recorded its error; keeping the
        // operation lets later checks (such as name collisions) see it too.
        let answers = self
            .lower_responses(operation, at, &prefix)
            .unwrap_or(Answers {
                response: Response::Empty,
                errors: Vec::new(),
                stream_twin: None,
                declared: Vec::new(),
            });
        let (response, errors) = (answers.response, answers.errors);
        let replaced_by = self.replaced_by(operation, at);
        let pagination = self.detect_pagination(operation, &params, &response);
        let operation = Operation {
            id,
            pointer: at.to_string(),
            method: found.method.clone(),
            path: route.path,
            path_parts: route.parts,
            fixed_query: route.fixed_query,
            group,
            method_name,
            feature: String::new(),
            builder: format!("{prefix}Request"),
            values: format!("{prefix}Params"),
            doc: join_doc(operation.summary.as_ref(), operation.description.as_ref()),
            deprecation: operation
                .deprecated
                .then_some(crate::ir::Deprecation { replacement: None }),
            params,
            body,
            response,
            errors: None,
            pagination,
            security: self.security_of(operation.security.as_ref(), at),
            error_fields: crate::ir::ErrorFields::default(),
            redirect_answers: super::responses::declared_redirect_answers(operation),
            json_schemas: std::mem::take(&mut self.json_schemas),
            asks_for_stream: None,
            answers: answers.declared,
        };
        let twin = answers
            .stream_twin
            .map(|stream| stream_twin(&operation, stream, &errors, &prefix));
        let mut operation = operation;
        operation.asks_for_stream = twin.as_ref().map(|_| false);
        let lowered = PendingOperation {
            operation,
            replaced_by,
            errors,
            prefix,
        };
        Some((lowered, twin))
    }

    /// Group path and method name from `x-rust-name`, else from the tags and the id.
    fn rust_path(
        &mut self,
        operation: &openapiv3::Operation,
        id: &str,
        at: &Pointer,
    ) -> (Vec<Ident>, Ident) {
        if let Some(value) = operation.extensions.get("x-rust-name") {
            let segments: Option<Vec<&str>> = value
                .as_str()
                .map(|s| s.split('.').collect::<Vec<_>>())
                .filter(|parts| parts.iter().all(|p| !p.is_empty()));
            match segments {
                Some(mut parts) => {
                    let method = parts
                        .pop()
                        .map(snake_ident)
                        .unwrap_or_else(|| snake_ident(id));
                    return (parts.into_iter().map(snake_ident).collect(), method);
                }
                None => self.sink.warning_with_hint(
                    Code::BadExtension,
                    &at.push("x-rust-name"),
                    "`x-rust-name` must be dot-separated names; it is ignored",
                    "write it like `chats.messages.list`",
                ),
            }
        }
        let group = self.tag_groups.group_of(&operation.tags);
        (group, snake_ident(id))
    }

    fn replaced_by(
        &mut self,
        operation: &openapiv3::Operation,
        at: &Pointer,
    ) -> Option<(String, Pointer)> {
        let value = operation.extensions.get("x-replaced-by")?;
        let pointer = at.push("x-replaced-by");
        match value.as_str() {
            Some(id) => Some((id.to_owned(), pointer)),
            None => {
                self.sink.warning_with_hint(
                    Code::BadExtension,
                    &pointer,
                    "`x-replaced-by` must be an operationId; it is ignored",
                    "name the operationId of the replacement",
                );
                None
            }
        }
    }

    /// Path and operation parameters merged (the operation's win), required ones first.
    fn lower_params(
        &mut self,
        operation: &'a openapiv3::Operation,
        item: &'a PathItem,
        (path_at, at): (&Pointer, &Pointer),
        prefix: &str,
    ) -> Option<Vec<Param>> {
        let path_level = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, path_at.push("parameters").push(i)));
        let own = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, at.push("parameters").push(i)));
        let mut resolved: Vec<(&'a Parameter, Pointer)> = Vec::new();
        for (item, pointer) in path_level.chain(own) {
            let Some((parameter, pointer)) = self.resolve_parameter(item, &pointer) else {
                continue;
            };
            let data = parameter.parameter_data_ref();
            resolved.retain(|(p, _)| {
                let other = p.parameter_data_ref();
                !(other.name == data.name
                    && std::mem::discriminant(*p) == std::mem::discriminant(parameter))
            });
            resolved.push((parameter, pointer));
        }
        let mut taken = builder_reserved();
        let mut params = Vec::new();
        for (parameter, pointer) in resolved {
            params.push(self.lower_param(parameter, &pointer, prefix, &mut taken)?);
        }
        params.sort_by_key(|p| (!p.required, p.location));
        Some(params)
    }

    fn lower_param(
        &mut self,
        parameter: &'a Parameter,
        at: &Pointer,
        prefix: &str,
        taken: &mut BTreeSet<String>,
    ) -> Option<Param> {
        let data = parameter.parameter_data_ref();
        let (location, style) = match parameter {
            Parameter::Path { style, .. } => (ParamLocation::Path, path_style(style, data.explode)),
            Parameter::Header { .. } => (
                ParamLocation::Header,
                ParamStyle::Simple {
                    explode: data.explode == Some(true),
                },
            ),
            // Cookies take the `form` style, exploded unless the spec says not.
            Parameter::Cookie { .. } => (
                ParamLocation::Cookie,
                query_style(&QueryStyle::Form, data.explode),
            ),
            // `load` reads 3.2's `in: querystring` as a marked query parameter.
            Parameter::Query { .. } if data.extensions.contains_key(openapi32::QUERYSTRING) => {
                (ParamLocation::QueryString, ParamStyle::Exploded)
            }
            Parameter::Query { style, .. } => {
                (ParamLocation::Query, query_style(style, data.explode))
            }
        };
        // A parameter with `content` is that media type's text: JSON for JSON
        // types (a value of the schema, serialized), the text itself otherwise.
        let (schema, style, schema_at) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (Some(schema), style, at.push("schema")),
            ParameterSchemaOrContent::Content(content) => {
                let Some((media, media_type)) = content.iter().next() else {
                    let message = format!(
                        "parameter `{}` has an empty `content`; it is dropped",
                        data.name
                    );
                    self.sink.warning(Code::Shape, at, message);
                    return None;
                };
                let style = if super::bodies::is_json(media) {
                    ParamStyle::Json
                } else if location == ParamLocation::QueryString && is_form(media) {
                    ParamStyle::Form
                } else {
                    style
                };
                let schema_at = at.push("content").push(media).push("schema");
                (media_type.schema.as_ref(), style, schema_at)
            }
        };
        let hint = format!("{prefix}{}", camel_name(&data.name));
        let ty = match schema {
            Some(schema) => {
                self.lower_schema(SchemaRef::from(schema), &schema_at, &hint)?
                    .ty
            }
            None => TypeRef::Any,
        };
        Some(Param {
            wire: data.name.clone(),
            rust: param_name(taken, &data.name, location.as_str()),
            location,
            style,
            ty,
            required: data.required || location == ParamLocation::Path,
            doc: data.description.clone(),
        })
    }
}

/// Whether `media` is `application/x-www-form-urlencoded` (parameters: `charset` and so on).
fn is_form(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// The IR style of a query parameter; OpenAPI's `explode` defaults to true for `form`.
fn query_style(style: &QueryStyle, explode: Option<bool>) -> ParamStyle {
    match style {
        QueryStyle::Form if explode == Some(false) => ParamStyle::FormJoined,
        QueryStyle::Form => ParamStyle::Exploded,
        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
        QueryStyle::DeepObject => ParamStyle::DeepObject,
    }
}

/// The IR style of a path parameter; `explode` defaults to false there.
fn path_style(style: &openapiv3::PathStyle, explode: Option<bool>) -> ParamStyle {
    let explode = explode == Some(true);
    match style {
        openapiv3::PathStyle::Simple => ParamStyle::Simple { explode },
        openapiv3::PathStyle::Label => ParamStyle::Label { explode },
        openapiv3::PathStyle::Matrix => ParamStyle::Matrix { explode },
    }
}

/// The twin of an operation whose success answer is JSON or a stream: the same
/// request, asking for the stream (`Accept`) and returning it, as
/// `<method>_stream`.
fn stream_twin(
    operation: &Operation,
    stream: StreamResponse,
    errors: &[ErrorResponse],
    prefix: &str,
) -> PendingOperation {
    let note = format!(
        "The answer as it arrives: a stream of items (`{}`), asked for with `Accept`.",
        stream.media_type
    );
    let doc = match &operation.doc {
        Some(doc) => format!("{doc}\n\n{note}"),
        None => note,
    };
    let prefix = format!("{prefix}Stream");
    let answers = stream_answers(&operation.answers, &stream);
    let twin = Operation {
        method_name: snake_ident(&format!("{}_stream", operation.method_name.text)),
        builder: format!("{prefix}Request"),
        values: format!("{prefix}Params"),
        doc: Some(doc),
        response: Response::Stream(stream),
        pagination: None,
        // The schemas were noted with the operation.
        json_schemas: Vec::new(),
        asks_for_stream: Some(true),
        answers,
        ..operation.clone()
    };
    PendingOperation {
        operation: twin,
        replaced_by: None,
        errors: errors.to_vec(),
        prefix,
    }
}

/// The twin's answers: the operation's, with the JSON success it shares with
/// the stream answered as the stream.
fn stream_answers(answers: &[DeclaredAnswer], stream: &StreamResponse) -> Vec<DeclaredAnswer> {
    answers
        .iter()
        .map(|answer| match (&answer.body, answer.error) {
            (Response::Json(_), false) => DeclaredAnswer {
                body: Response::Stream(stream.clone()),
                ..answer.clone()
            },
            _ => answer.clone(),
        })
        .collect()
}
