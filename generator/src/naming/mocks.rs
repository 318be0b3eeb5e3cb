//! Names in the generated `mock` module: the typed setters of an operation's
//! expectation (the request builder's names, kept clear of `Expect`'s own
//! methods), the predicate beside each (`<setter>_where`), the responder of
//! each declared answer (`respond_ok`, `respond_not_found`) and the methods of
//! `MockServer` that lead to groups and operations. `emit::mocks` asks for them.

use std::collections::BTreeSet;

use heck::ToSnakeCase;

use super::{claim_unique_ident, snake_ident, status_variant_name};
use crate::ir::{Ident, StatusMatch};

/// `Expect`'s own methods, public and crate-visible, which a setter must not take.
const EXPECT_METHODS: &[&str] = &[
    "new",
    "with",
    "times",
    "any_times",
    "delay",
    "header",
    "query",
    "json_body",
    "body_where",
    "matching",
    "respond",
    "respond_status",
    "respond_json",
    "respond_raw",
    "respond_script",
    "respond_with",
    "drop_connection",
    "register",
    "match_path",
    "match_path_where",
    "match_param",
    "match_param_where",
    "match_field",
    "match_field_where",
    "match_body",
    "match_body_where",
    "unusable",
    // The typed whole-body matchers of an operation with a JSON body.
    "body",
    "body_matches",
];

/// The items of the mock engine, which a group's handle must not be named.
const ENGINE_ITEMS: &[&str] = &[
    "Expect",
    "Mocked",
    "MockServer",
    "MockResponse",
    "MockStream",
    "Received",
    "VerifyError",
    "MockEvents",
    "MockConnection",
    "SocketClosed",
    "Place",
];

/// The engine's modules in `src/mock/` (`templates/mock/`), which feature modules avoid.
pub const MOCK_ENGINE_MODULES: [&str; 6] =
    ["expect", "plan", "received", "respond", "server", "socket"];

/// The handle of a group in the mock module: the client's handle name, or
/// `<name>Group` when the engine has an item of that name.
pub fn mock_handle(handle: &str) -> String {
    match ENGINE_ITEMS.contains(&handle) {
        true => format!("{handle}Group"),
        false => handle.to_owned(),
    }
}

/// `MockServer`'s own methods, which a group or root operation must not take.
const SERVER_METHODS: &[&str] = &[
    "start",
    "try_start",
    "url",
    "client",
    "client_builder",
    "expect",
    "received",
    "reset",
    "verify",
    "try_verify",
    "events",
    "add",
    "set_upgrade",
    "shared",
    "clone",
    "fmt",
];

/// The names an operation's setters and responders must avoid, to start with.
pub fn expect_methods() -> BTreeSet<String> {
    EXPECT_METHODS.iter().map(|s| (*s).to_owned()).collect()
}

/// The setter of a parameter or body field whose builder method is `wanted`:
/// the same name, or `<name>_<location>` when `Expect` (or an earlier setter)
/// has it, so `server.x().timeout(5)` still reads like `client.x().timeout(5)`.
pub fn mock_setter(taken: &mut BTreeSet<String>, wanted: &Ident, location: &str) -> Ident {
    if taken.contains(&wanted.text) || wanted.text.starts_with("respond_") {
        let located = snake_ident(&format!("{} {location}", wanted.text));
        return claim_unique_ident(taken, located);
    }
    claim_unique_ident(taken, wanted.clone())
}

/// The predicate beside `setter`: `<setter>_where`.
pub fn mock_predicate(taken: &mut BTreeSet<String>, setter: &Ident) -> Ident {
    claim_unique_ident(taken, snake_ident(&format!("{}_where", setter.text)))
}

/// The responder of the answer declared under `status`: `respond_` and the
/// status's reason phrase (`respond_ok`, `respond_not_found`), its class
/// (`respond_client_error` for `4XX`) or `respond_default`.
pub fn responder_name(taken: &mut BTreeSet<String>, status: StatusMatch) -> Ident {
    let reason = status_variant_name(status).to_snake_case();
    claim_unique_ident(taken, snake_ident(&format!("respond_{reason}")))
}

/// The `MockServer` method for a top-level group or operation named `wanted`
/// on the client: the same name, or `<name>_mock` when the server has it.
pub fn server_method(wanted: &Ident) -> Ident {
    match SERVER_METHODS.contains(&wanted.text.as_str()) {
        true => snake_ident(&format!("{}_mock", wanted.text)),
        false => wanted.clone(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{expect_methods, mock_predicate, mock_setter, responder_name, server_method};
    use crate::ir::StatusMatch;
    use crate::naming::snake_ident;

    #[test]
    fn setters_keep_the_builder_name_unless_expect_has_it() {
        let mut taken = expect_methods();
        let cases = [
            ("chat_id", "path", "chat_id"),
            ("max_participant_count", "query", "max_participant_count"),
            ("times", "query", "times_query"),
            ("header", "header", "header_header"),
            ("respond_ok", "body", "respond_ok_body"),
            ("delay", "body", "delay_body"),
            ("chat_id", "query", "chat_id_query"),
            ("type", "query", "type"),
        ];
        for (wanted, location, expected) in cases {
            let got = mock_setter(&mut taken, &snake_ident(wanted), location);
            assert_eq!(got.text, expected, "{wanted} in {location}");
        }
        assert!(snake_ident("type").is_raw);
    }

    #[test]
    fn predicates_and_responders_are_unique() {
        let mut taken = BTreeSet::new();
        taken.insert("limit_where".to_owned());
        assert_eq!(
            mock_predicate(&mut taken, &snake_ident("limit")).text,
            "limit_where_2"
        );
        let cases = [
            (StatusMatch::Code(200), "respond_ok"),
            (StatusMatch::Code(201), "respond_created"),
            (StatusMatch::Code(404), "respond_not_found"),
            (StatusMatch::Code(429), "respond_too_many_requests"),
            (StatusMatch::Code(599), "respond_status599"),
            (StatusMatch::Range(4), "respond_client_error"),
            (StatusMatch::Range(2), "respond_success"),
            (StatusMatch::Default, "respond_default"),
        ];
        for (status, expected) in cases {
            assert_eq!(responder_name(&mut taken, status).text, expected);
        }
    }

    #[test]
    fn handles_avoid_the_engine_items() {
        assert_eq!(super::mock_handle("Chats"), "Chats");
        assert_eq!(super::mock_handle("Expect"), "ExpectGroup");
        assert_eq!(super::mock_handle("MockServer"), "MockServerGroup");
    }

    #[test]
    fn server_methods_are_kept_clear() {
        for (wanted, expected) in [
            ("chats", "chats"),
            ("verify", "verify_mock"),
            ("client", "client_mock"),
            ("events", "events_mock"),
            ("info", "info"),
        ] {
            assert_eq!(server_method(&snake_ident(wanted)).text, expected);
        }
    }

    /// Fails unless every method the engine's `impl <header>` blocks define is
    /// in `reserved`; `known` is one the scan must find, so an empty scan fails too.
    fn assert_engine_methods_reserved(header: &str, reserved: &[&str], known: &str) {
        let found: Vec<String> = crate::emit::MOCK_ENGINE
            .iter()
            .flat_map(|(_, source)| crate::naming::impl_methods(source, &[header]))
            .collect();
        assert!(
            found.iter().any(|name| name == known),
            "{header}: {found:?}"
        );
        for name in &found {
            assert!(
                reserved.contains(&name.as_str()),
                "{header}: `{name}` is not reserved"
            );
        }
    }

    #[test]
    fn every_method_of_the_engine_is_reserved() {
        assert_engine_methods_reserved("impl MockServer {", super::SERVER_METHODS, "verify");
        assert_engine_methods_reserved("impl<O> Expect<O> {", super::EXPECT_METHODS, "times");
    }
}
