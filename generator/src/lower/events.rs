//! Lowers the `x-rust-events` extension, our description of a WebSocket channel
//! of server events, into [`crate::ir::Events`]. Runs after the component schemas
//! are registered, since the extension names its message schemas among them.
//!
//! ```yaml
//! x-rust-events:
//!   path: /v1/ws
//!   summary: Live events
//!   serverMessages: '#/components/schemas/ServerMessage'
//!   clientMessages: '#/components/schemas/ClientMessage'
//!   subscribe: {tag: type, message: subscriptions.set, field: chatIDs}
//! ```
//!
//! OpenAPI has no words for a WebSocket, so nothing else in a spec says this. A
//! malformed extension is a warning and the crate is generated without events:
//! the HTTP client is still useful.

use serde_json::Value;

use super::{join_doc, Lowerer};
use crate::diagnostics::{Code, Pointer};
use crate::ir::{Events, Subscribe, TypeRef};
use crate::naming::snake_ident;

/// The extension's key at the top level of the spec.
pub(super) const EXTENSION: &str = "x-rust-events";

/// What a well-formed extension looks like, for every warning's hint.
const HINT: &str = "write `x-rust-events: {path: /ws, serverMessages: '#/components/schemas/…', \
                    subscribe: {tag: type, message: subscribe, field: ids}}`";

impl Lowerer<'_> {
    /// The events channel the spec describes, or `None` (with a warning when the
    /// extension is there but cannot be used).
    pub(super) fn lower_events(&mut self) -> Option<Events> {
        let value = self.spec.extensions.get(EXTENSION)?;
        let at = Pointer::root().push(EXTENSION);
        let Some(object) = value.as_object() else {
            self.warn_events(&at, "`x-rust-events` must be an object");
            return None;
        };
        let path = self.events_path(object.get("path"), &at.push("path"))?;
        let server_messages = self.message_schema(object, "serverMessages", &at, true)?;
        let client_messages = self.message_schema(object, "clientMessages", &at, false);
        let subscribe = self.subscribe(object.get("subscribe"), &at.push("subscribe"))?;
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(Events {
            path,
            doc: join_doc(text("summary").as_ref(), text("description").as_ref()),
            server_messages,
            client_messages,
            subscribe,
        })
    }

    /// The upgrade path: required, and made absolute like a path key.
    fn events_path(&mut self, value: Option<&Value>, at: &Pointer) -> Option<String> {
        match value.and_then(Value::as_str).map(str::trim) {
            Some(path) if !path.is_empty() => match path.starts_with('/') {
                true => Some(path.to_owned()),
                false => {
                    let fixed = format!("/{path}");
                    let message = format!("the events path `{path}` is read as `{fixed}`");
                    self.sink.warning(Code::BadExtension, at, message);
                    Some(fixed)
                }
            },
            _ => {
                self.warn_events(at, "`x-rust-events` needs a `path` (the WebSocket's path)");
                None
            }
        }
    }

    /// A message schema named by `key`: `'#/components/schemas/Name'`, a `$ref`
    /// object with that value, or the bare component name.
    fn message_schema(
        &mut self,
        object: &serde_json::Map<String, Value>,
        key: &str,
        at: &Pointer,
        required: bool,
    ) -> Option<TypeRef> {
        let at = at.push(key);
        let Some(value) = object.get(key) else {
            if required {
                let message = format!("`x-rust-events` needs `{key}` (a component schema)");
                self.warn_events(&at, &message);
            }
            return None;
        };
        let reference = value
            .as_str()
            .or_else(|| value.get("$ref").and_then(Value::as_str));
        let name = reference.map(|r| r.strip_prefix("#/components/schemas/").unwrap_or(r));
        match name.and_then(|name| self.components.get(name)) {
            Some((id, _)) => Some(TypeRef::Named(*id)),
            None => {
                let shown = reference.unwrap_or("a value that is not a reference");
                let message = format!("`{key}` names {shown}, which is not a component schema");
                if required {
                    self.warn_events(&at, &message);
                } else {
                    let message = format!("{message}; it is ignored");
                    self.sink.warning(Code::BadExtension, &at, message);
                }
                None
            }
        }
    }

    /// `subscribe: {tag, message, field}`, each a non-empty string.
    fn subscribe(&mut self, value: Option<&Value>, at: &Pointer) -> Option<Subscribe> {
        let text = |key: &str| {
            value
                .and_then(|v| v.get(key))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        match (text("tag"), text("message"), text("field")) {
            (Some(tag), Some(message), Some(field)) => Some(Subscribe {
                tag,
                message,
                param: snake_ident(&field),
                field,
            }),
            _ => {
                let message = "`subscribe` needs `tag`, `message` and `field` (all text)";
                self.warn_events(at, message);
                None
            }
        }
    }

    fn warn_events(&mut self, at: &Pointer, problem: &str) {
        let message = format!("{problem}; the crate is generated without live events");
        self.sink
            .warning_with_hint(Code::BadExtension, at, message, HINT);
    }
}
