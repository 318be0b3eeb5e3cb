//! The responses of an operation, for the `lower` phase.
//!
//! Success answers (2xx, or `default` when no 2xx is declared) that all decode the
//! same way give one type; different ones give a [`TypeKind::Responses`] enum
//! chosen by status. Error answers with a JSON body are collected per status here;
//! once every operation is lowered and the crate's common error schema is known,
//! [`Lowerer::error_enum`] gives an operation whose errors differ from it a
//! [`TypeKind::ErrorBodies`] enum of its own.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, StatusCode};

use super::bodies::{is_json, is_wildcard_json};
use super::streams::stream_media;
use super::Lowerer;
use crate::diagnostics::{Code, Pointer};
use crate::ir::{
    DeclaredAnswer, Response, StatusMatch, StatusVariant, StreamResponse, TypeId, TypeKind, TypeRef,
};
use crate::naming::status_variant_name;

/// What an operation answers: the success response, the error responses, and
/// a stream the same success status offers beside JSON (callable as a twin).
pub(super) struct Answers {
    pub response: Response,
    pub errors: Vec<ErrorResponse>,
    pub stream_twin: Option<StreamResponse>,
    pub declared: Vec<DeclaredAnswer>,
}

/// An error response with a JSON body, waiting for the crate's error schema.
#[derive(Debug, Clone)]
pub(super) struct ErrorResponse {
    pub status: StatusMatch,
    pub ty: TypeRef,
    pub doc: Option<String>,
}

impl<'a> Lowerer<'a> {
    /// What a successful call returns, and the typed error responses.
    pub(super) fn lower_responses(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &Pointer,
        prefix: &str,
    ) -> Option<Answers> {
        let at = at.push("responses");
        let mut listed: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, Pointer)> =
            operation
                .responses
                .responses
                .iter()
                .map(|(code, item)| (status_match(code), item, at.push(code.to_string())))
                .collect();
        if let Some(item) = &operation.responses.default {
            listed.push((StatusMatch::Default, item, at.push("default")));
        }
        listed.sort_by_key(|(status, _, _)| *status);
        let has_success = listed.iter().any(|(status, _, _)| is_success(*status));
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut stream_twin = None;
        let mut declared = Vec::new();
        for (status, item, pointer) in listed {
            let Some((response, pointer)) = self.resolve_response(item, &pointer) else {
                continue;
            };
            let doc = Some(response.description.trim().to_owned()).filter(|d| !d.is_empty());
            // Without a 2xx, `default` is what a successful call answers.
            if is_success(status) || (status == StatusMatch::Default && !has_success) {
                let hint = match successes.len() {
                    0 => format!("{prefix}Response"),
                    _ => format!("{prefix}{}Response", status_variant_name(status)),
                };
                let (body, twin) = self.success_body(&response.content, &pointer, &hint)?;
                stream_twin = stream_twin.or(twin);
                declared.push(DeclaredAnswer {
                    status,
                    body: body.clone(),
                    error: false,
                });
                successes.push((status, body, doc));
            } else {
                let hint = format!("{prefix}{}Error", status_variant_name(status));
                let ty = self.error_body(&response.content, &pointer, &hint)?;
                declared.push(DeclaredAnswer {
                    status,
                    body: ty.clone().map_or(Response::Empty, Response::Json),
                    error: true,
                });
                if let Some(ty) = ty {
                    errors.push(ErrorResponse { status, ty, doc });
                }
            }
        }
        let response = self.success_response(successes, &at, prefix);
        // The twin is for the one success answer that offers JSON and a stream.
        let stream_twin = stream_twin.filter(|_| matches!(response, Response::Json(_)));
        Some(Answers {
            response,
            errors,
            stream_twin,
            declared,
        })
    }

    /// One type when every success answer decodes the same way, else an enum.
    fn success_response(
        &mut self,
        successes: Vec<(StatusMatch, Response, Option<String>)>,
        at: &Pointer,
        prefix: &str,
    ) -> Response {
        let Some((_, first, _)) = successes.first() else {
            let message = "no 2xx or `default` response is declared; the call returns `()`";
            self.sink.warning(Code::Unsupported, at, message);
            return Response::Empty;
        };
        if successes.iter().all(|(_, body, _)| body == first) {
            return first.clone();
        }
        let variants = successes
            .into_iter()
            .map(|(status, body, doc)| StatusVariant {
                status,
                rust: status_variant_name(status),
                body: self.read_whole(body, at, status),
                doc,
                boxed: false,
            })
            .collect();
        let doc = Some("The answers of a successful call, by HTTP status.".to_owned());
        let kind = TypeKind::Responses(variants);
        Response::ByStatus(self.add_type(format!("{prefix}Success"), doc, at, kind))
    }

    /// A stream among answers chosen by status is read whole, as bytes: the
    /// enum holds one value per answer.
    fn read_whole(&mut self, body: Response, at: &Pointer, status: StatusMatch) -> Response {
        let Response::Stream(stream) = body else {
            return body;
        };
        let code = match status {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(class) => format!("{class}XX"),
            StatusMatch::Default => "default".to_owned(),
        };
        let message = format!(
            "the {code} answer is a stream ({}) among answers of other kinds; it is read whole, as bytes",
            stream.media_type
        );
        self.sink.warning(Code::Unsupported, at, message);
        Response::Bytes(stream.media_type)
    }

    /// What a success body decodes into: JSON first, else a stream, else text,
    /// else bytes; with the stream the same answer offers beside JSON.
    fn success_body(
        &mut self,
        content: &'a IndexMap<String, openapiv3::MediaType>,
        at: &Pointer,
        hint: &str,
    ) -> Option<(Response, Option<StreamResponse>)> {
        let stream = match stream_media(content) {
            Some((media_type, media, framing)) => {
                Some(self.lower_stream(media_type, media, framing, at, hint)?)
            }
            None => None,
        };
        let Some((media_type, media)) = json_media(content) else {
            let response = match (stream, content.keys().next()) {
                (Some(stream), _) => Response::Stream(stream),
                (None, None) => Response::Empty,
                (None, Some(media_type)) if media_type.starts_with("text/") => {
                    Response::Text(media_type.clone())
                }
                (None, Some(media_type)) => Response::Bytes(media_type.clone()),
            };
            return Some((response, None));
        };
        let ty = self.json_schema_type(media_type, media, at, hint)?;
        Some((Response::Json(ty.unwrap_or(TypeRef::Any)), stream))
    }

    /// The type of a JSON error body, `None` inside when the response has no JSON
    /// or no schema.
    fn error_body(
        &mut self,
        content: &'a IndexMap<String, openapiv3::MediaType>,
        at: &Pointer,
        hint: &str,
    ) -> Option<Option<TypeRef>> {
        let Some((media_type, media)) = json_media(content) else {
            return Some(None);
        };
        // A body without a schema (or with `{}`) says nothing about its type; it
        // stays untyped rather than giving the operation an error enum of its own.
        let ty = self.json_schema_type(media_type, media, at, hint)?;
        Some(ty.filter(|ty| *ty != TypeRef::Any))
    }

    /// The type of a JSON media type's schema, `None` inside when it has none.
    fn json_schema_type(
        &mut self,
        media_type: &str,
        media: &'a openapiv3::MediaType,
        at: &Pointer,
        hint: &str,
    ) -> Option<Option<TypeRef>> {
        let Some(schema) = &media.schema else {
            return Some(None);
        };
        let at = at.push("content").push(media_type).push("schema");
        let ty = self.lower_schema(schema.into(), &at, hint)?.folded();
        self.note_json_schema(&at, &ty);
        Some(Some(ty))
    }

    /// The error enum of an operation, or `None` when every typed error response
    /// is the crate's error schema (`common`) and the crate's `Error` fits.
    pub(super) fn error_enum(
        &mut self,
        errors: &[ErrorResponse],
        common: Option<&TypeRef>,
        at: &Pointer,
        prefix: &str,
    ) -> Option<TypeId> {
        if errors.iter().all(|e| Some(&e.ty) == common) {
            return None;
        }
        let variants = errors
            .iter()
            .map(|error| StatusVariant {
                status: error.status,
                rust: status_variant_name(error.status),
                body: Response::Json(error.ty.clone()),
                doc: error.doc.clone(),
                boxed: false,
            })
            .collect();
        let doc = Some("The error bodies of this operation, by HTTP status.".to_owned());
        let at = at.push("responses");
        let kind = TypeKind::ErrorBodies(variants);
        Some(self.add_type(format!("{prefix}ErrorBody"), doc, &at, kind))
    }
}

/// The JSON media type of an answer: a JSON one, else a wildcard one with a
/// structured schema (`*/*` as springdoc writes every answer).
fn json_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType)> {
    content
        .iter()
        .find(|(m, _)| is_json(m))
        .or_else(|| content.iter().find(|(m, media)| is_wildcard_json(m, media)))
}

/// The IR form of a status key.
fn status_match(code: &StatusCode) -> StatusMatch {
    match code {
        StatusCode::Code(n) => StatusMatch::Code(*n),
        StatusCode::Range(n) => StatusMatch::Range(*n),
    }
}

/// Statuses outside 2xx that are answers, not failures: the 3xx codes an HTTP
/// client does not follow by itself (`304 Not Modified`, `300 Multiple Choices`).
/// When a spec declares one, the call returns it like a 2xx.
const ANSWER_REDIRECTS: [u16; 2] = [300, 304];

/// The declared statuses of `operation` outside 2xx that count as success.
pub(super) fn declared_redirect_answers(operation: &openapiv3::Operation) -> Vec<u16> {
    let mut codes: Vec<u16> = operation
        .responses
        .responses
        .keys()
        .filter_map(|code| match status_match(code) {
            StatusMatch::Code(n) if ANSWER_REDIRECTS.contains(&n) => Some(n),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(n) => (200..300).contains(&n) || ANSWER_REDIRECTS.contains(&n),
        StatusMatch::Range(n) => n == 2,
        StatusMatch::Default => false,
    }
}
