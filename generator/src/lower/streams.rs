//! Answers whose media type is a sequence of items, for the `lower` phase:
//! `text/event-stream`, `application/x-ndjson`, `application/jsonl`,
//! `application/json-seq`. Their schema describes one item (`load::sequences`
//! rewrote 3.2's `itemSchema` into that form): for an event stream, each
//! event's `data`, and with the kinds of events beside it, the data of each
//! kind (a [`TypeKind::Events`] enum).

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::schemas::SchemaRef;
use super::Lowerer;
use crate::diagnostics::Pointer;
use crate::ir::{EventData, EventVariant, Framing, StreamItem, StreamResponse, TypeKind, TypeRef};
use crate::load::sequences::SSE_EVENTS;
use crate::naming::event_variant_names;

/// How a media type frames a sequence, if it is one.
pub(super) fn framing_of(media_type: &str) -> Option<Framing> {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/event-stream" => Some(Framing::Sse),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonl"
        | "application/jsonlines"
        | "application/x-jsonlines"
        | "application/json-lines"
        | "application/stream+json" => Some(Framing::Lines),
        "application/json-seq" => Some(Framing::JsonSeq),
        _ => None,
    }
}

/// The first media type of `content` that is a sequence.
pub(super) fn stream_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType, Framing)> {
    content
        .iter()
        .find_map(|(media_type, media)| Some((media_type, media, framing_of(media_type)?)))
}

impl<'a> Lowerer<'a> {
    /// The stream a media type answers with; `None` when a schema of it fails
    /// to lower (its error is recorded).
    pub(super) fn lower_stream(
        &mut self,
        media_type: &str,
        media: &'a openapiv3::MediaType,
        framing: Framing,
        at: &Pointer,
        hint: &str,
    ) -> Option<StreamResponse> {
        let at = at.push("content").push(media_type).push("schema");
        // `ChatResponse` names the whole answer; the items are `ChatItem`, `ChatEvent`.
        let hint = hint.strip_suffix("Response").unwrap_or(hint);
        let kinds = media.extensions.get(SSE_EVENTS).and_then(|v| v.as_array());
        let item = match (&media.schema, kinds) {
            (Some(ReferenceOr::Item(schema)), Some(kinds)) if framing == Framing::Sse => {
                self.event_kinds(schema, kinds, &at, hint)?
            }
            (Some(schema), _) => {
                let hint = format!("{hint}Item");
                let ty = self.lower_schema(schema.into(), &at, &hint)?.folded();
                StreamItem::Data(self.data_of(ty, framing))
            }
            // An event stream without a schema: its data is text; lines are any JSON.
            (None, _) => StreamItem::Data(self.data_of(TypeRef::Any, framing)),
        };
        Some(StreamResponse {
            media_type: media_type.to_owned(),
            framing,
            item,
        })
    }

    /// What a decoded item holds: for an event stream, a string schema (or
    /// none) is the data's text as it came; everything else is JSON.
    fn data_of(&self, ty: TypeRef, framing: Framing) -> EventData {
        match (framing, ty) {
            (Framing::Sse, TypeRef::String | TypeRef::Any) => EventData::Text,
            (_, ty) => EventData::Json(ty),
        }
    }

    /// The data of each kind of event (the rewritten `oneOf` and its kinds): one
    /// branch without a kind is the data of every event, else an enum by kind.
    fn event_kinds(
        &mut self,
        schema: &'a Schema,
        kinds: &[serde_json::Value],
        at: &Pointer,
        hint: &str,
    ) -> Option<StreamItem> {
        let SchemaKind::OneOf { one_of } = &schema.schema_kind else {
            let ty = self
                .lower_schema(SchemaRef::Inline(schema), at, &format!("{hint}Data"))?
                .folded();
            return Some(StreamItem::Data(self.data_of(ty, Framing::Sse)));
        };
        let kinds: Vec<Option<&str>> = kinds.iter().map(|kind| kind.as_str()).collect();
        if let ([data], [None]) = (one_of.as_slice(), kinds.as_slice()) {
            let ty = self
                .lower_schema(
                    data.into(),
                    &at.push("oneOf").push(0),
                    &format!("{hint}Data"),
                )?
                .folded();
            return Some(StreamItem::Data(self.data_of(ty, Framing::Sse)));
        }
        let names = event_variant_names(&kinds);
        let mut variants = Vec::new();
        for (index, (data, rust)) in one_of.iter().zip(names).enumerate() {
            let data_hint = format!("{hint}{rust}Data");
            let ty = self
                .lower_schema(data.into(), &at.push("oneOf").push(index), &data_hint)?
                .folded();
            variants.push(EventVariant {
                kind: kinds.get(index).copied().flatten().map(str::to_owned),
                rust,
                data: self.data_of(ty, Framing::Sse),
                boxed: false,
            });
        }
        let doc = Some("The data of the stream's events, by the event's kind.".to_owned());
        let id = self.add_type(format!("{hint}Event"), doc, at, TypeKind::Events(variants));
        Some(StreamItem::Events(id))
    }
}
