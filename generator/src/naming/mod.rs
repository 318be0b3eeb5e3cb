//! Every Rust name the generator invents comes from here: case conversion (heck),
//! the keyword policy, sanitising odd wire names, and deterministic collision
//! resolution.
//!
//! `lower` calls these functions while it builds the IR; emitters never invent a
//! name of their own, they only print the ones stored in the IR.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

use crate::ir::{Field, FieldRole, Ident};

mod client;
mod credentials;
mod mocks;
mod variants;

pub use client::{client_methods, renamed_root_group};
pub use credentials::{client_builder_methods, credential_method, credential_variable};
pub use mocks::{
    expect_methods, mock_handle, mock_predicate, mock_setter, responder_name, server_method,
    MOCK_ENGINE_MODULES,
};
pub use variants::{
    event_variant_names, integer_variant_name, plural, status_variant_name, union_variant_name,
    VariantHint,
};

/// Words that are keywords in some Rust edition and therefore need `r#` or a suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers; they get a trailing `_`.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Names of the request builder's own fields and methods, which a parameter
/// or body field setter must not take.
const BUILDER_RESERVED: &[&str] = &[
    // The builder's own fields.
    "client",
    "options",
    // Its methods.
    "send",
    "send_with_response",
    "send_stream",
    "extra_query",
    "extra_body_field",
    "body",
    "timeout",
    "max_retries",
    "header",
    "items",
    "pages",
    "items_newer",
    "pages_newer",
];

/// The items at the root of every generated crate: the runtime's public types
/// (which the crate root re-exports) and the `Error` alias.
/// A schema named like one is named with [`SCHEMA_SUFFIX`] in `types`, so
/// `use crate_name::*` and `use crate_name::types::*` together bring no name
/// twice.
pub(crate) const CRATE_ITEMS: &[&str] = &[
    "ApiError",
    "ApiResponse",
    "AttemptInfo",
    "AttemptOutcome",
    "Body",
    "BoxError",
    "BuildError",
    "ByteStream",
    "Client",
    "ClientBuilder",
    "ConfigError",
    "ConnectionError",
    "CursorPage",
    "CustomRoute",
    "DecodeError",
    "Error",
    "FilePart",
    "Hook",
    "ItemError",
    "ItemStream",
    "MissingCredentials",
    "Nullable",
    "Operation",
    "PageStream",
    "RawSseEvent",
    "RequestBuilder",
    "SseEvent",
    "StreamError",
];

/// What a type named like a crate-level item gets after its name.
pub const SCHEMA_SUFFIX: &str = "Schema";

/// The name a type of `types` is given for the name it asks for: the same,
/// unless the crate root has an item of that name (`Error` → `ErrorSchema`).
pub fn type_name(wanted: &str) -> String {
    if CRATE_ITEMS.contains(&wanted) {
        format!("{wanted}{SCHEMA_SUFFIX}")
    } else {
        wanted.to_owned()
    }
}

/// The name of a parameter: its wire name in snake case, or, when a builder
/// method or another parameter has that, the name with its location
/// (`timeout_query`, `id_path`), else numbered.
pub fn param_name(taken: &mut BTreeSet<String>, wire: &str, location: &str) -> Ident {
    let wanted = snake_ident(wire);
    if !taken.contains(&wanted.text) {
        taken.insert(wanted.text.clone());
        return wanted;
    }
    let located = snake_ident(&format!("{} {location}", wanted.text));
    claim_unique_ident(taken, located)
}

/// The request builder's reserved names, as the start of a set of taken names.
pub fn builder_reserved() -> BTreeSet<String> {
    BUILDER_RESERVED.iter().map(|s| (*s).to_owned()).collect()
}

/// The name of a struct's map of the keys its schema does not declare, after
/// the keyword it comes from.
pub const ADDITIONAL_PROPERTIES: &str = "additional_properties";

/// The request builder's setter that adds one undeclared key to a body.
pub const ADDITIONAL_PROPERTY_SETTER: &str = "additional_property";

/// Makes the Rust names of a field list unique, in field order (the map of
/// additional properties comes last, so a declared property keeps its name).
pub fn name_fields(mut fields: Vec<Field>) -> Vec<Field> {
    let mut taken = BTreeSet::new();
    for field in &mut fields {
        let wanted = match field.role {
            FieldRole::Additional => ADDITIONAL_PROPERTIES,
            FieldRole::Property | FieldRole::Composed => &field.wire,
        };
        field.rust = claim_unique_ident(&mut taken, snake_ident(wanted));
    }
    fields
}

/// Turns a wire name into a `snake_case` identifier for a field, argument or method.
pub fn snake_ident(wire: &str) -> Ident {
    let snake = split_plural_acronyms(&sanitize(wire)).to_snake_case();
    finish_ident(snake, "field")
}

/// Turns a wire name into an `UpperCamelCase` name for a type or enum variant.
pub fn camel_name(wire: &str) -> String {
    let camel = split_plural_acronyms(&sanitize(wire)).to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Empty".to_owned()
    } else {
        camel
    };
    let camel = if starts_with_digit(&camel) {
        format!("V{camel}")
    } else {
        camel
    };
    if KEYWORDS.contains(&camel.as_str()) {
        // Only `Self` can get here; it cannot be raw, so it takes a suffix.
        format!("{camel}_")
    } else {
        camel
    }
}

/// Package names Cargo refuses besides Rust keywords: the built-in crates and the
/// folders of a target directory.
const RESERVED_CRATES: &[&str] = &[
    "alloc",
    "core",
    "proc-macro",
    "proc_macro",
    "std",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
];

/// The package name of the generated crate: `wanted` (the `x-rust-crate-name` or
/// the title) in kebab case, else the spec's file stem, else `openapi-client`.
/// A name Cargo would refuse (a leading digit, a keyword, `test`) gets a prefix
/// or suffix, so the crate always builds.
pub fn crate_name(wanted: &str, file_stem: Option<&str>) -> String {
    let kebab = |text: &str| -> String {
        let words = split_plural_acronyms(&sanitize(text)).to_kebab_case();
        words
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .split('-')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    let name = [Some(wanted), file_stem]
        .into_iter()
        .flatten()
        .map(kebab)
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "openapi-client".to_owned());
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else if KEYWORDS.contains(&name.as_str()) || RESERVED_CRATES.contains(&name.as_str()) {
        format!("{name}-api")
    } else {
        name
    }
}

/// The Cargo feature of a resource group or path segment: snake case without
/// any keyword treatment (`system_hardware`, `type`, `3d_secure`), since feature
/// names are strings, not identifiers; `root` when nothing is left.
pub fn feature_name(wire: &str) -> String {
    let snake = split_plural_acronyms(&sanitize(wire)).to_snake_case();
    if snake.is_empty() {
        "root".to_owned()
    } else {
        snake
    }
}

/// The module of `types/` for what several features need; feature modules avoid its name.
pub const SHARED_MODULE: &str = "shared";

/// The modules a feature's modules sit in (`src/resources/`, `src/types/`,
/// `src/mock/`): a child of the same name is clippy's `module_inception`.
const FEATURE_MODULE_PARENTS: [&str; 3] = ["resources", "types", "mock"];

/// The module names a feature's module must not take: its parents' names,
/// `types/shared.rs`, and the mock engine's files beside the feature modules in
/// `src/mock/` (a tag named `server` would otherwise be a second `mod server;`).
pub fn reserved_modules() -> BTreeSet<String> {
    std::iter::once(SHARED_MODULE)
        .chain(FEATURE_MODULE_PARENTS)
        .chain(MOCK_ENGINE_MODULES)
        .map(str::to_owned)
        .collect()
}

/// The module for a feature's files: an identifier that needs no `r#` (a module
/// file cannot be named `r#type.rs`), unique among `taken`.
pub fn module_name(feature: &str, taken: &mut BTreeSet<String>) -> String {
    let ident = finish_ident(feature.to_owned(), "root");
    let text = if ident.is_raw {
        format!("{}_", ident.text)
    } else {
        ident.text
    };
    claim_unique(taken, &text, true)
}

/// Appends a suffix until `candidate` is not in `taken`, then records it.
///
/// The first occurrence keeps its name; later ones get `2`, `3`, … (or `_2`
/// for snake-case names), so the result depends only on the order of calls,
/// which `lower` keeps sorted.
pub fn claim_unique(taken: &mut BTreeSet<String>, candidate: &str, snake: bool) -> String {
    let mut name = candidate.to_owned();
    // `self_` and `Self_` carry a `_` only to avoid the keyword; a number does that
    // too (`self_2`, `Self2`), and a doubled `_` would break Rust's case lints.
    let stem = candidate.trim_end_matches('_');
    let stem = if stem.is_empty() { candidate } else { stem };
    let mut counter = 2;
    while taken.contains(&name) {
        name = if snake {
            format!("{stem}_{counter}")
        } else {
            format!("{stem}{counter}")
        };
        counter += 1;
    }
    taken.insert(name.clone());
    name
}

/// Like [`claim_unique`] for identifiers that may need `r#`.
pub fn claim_unique_ident(taken: &mut BTreeSet<String>, ident: Ident) -> Ident {
    if !taken.contains(&ident.text) {
        taken.insert(ident.text.clone());
        return ident;
    }
    let text = claim_unique(taken, &ident.text, true);
    finish_ident(text, "field")
}

/// Applies the keyword policy to a snake-case word: raw where possible, else a trailing `_`.
fn finish_ident(snake: String, fallback: &str) -> Ident {
    let snake = if snake.is_empty() {
        fallback.to_owned()
    } else {
        snake
    };
    let snake = if starts_with_digit(&snake) {
        format!("_{snake}")
    } else {
        snake
    };
    if NOT_RAW.contains(&snake.as_str()) {
        Ident {
            text: format!("{snake}_"),
            is_raw: false,
        }
    } else if KEYWORDS.contains(&snake.as_str()) {
        Ident {
            text: snake,
            is_raw: true,
        }
    } else {
        Ident {
            text: snake,
            is_raw: false,
        }
    }
}

/// Replaces every character that cannot appear in an identifier with a word break.
fn sanitize(wire: &str) -> String {
    wire.chars()
        .map(|c| {
            if c != '_' && unicode_ident::is_xid_continue(c) {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Rewrites plural acronyms (`IDs`, `URLs`) as one word (`Ids`, `Urls`).
///
/// Without this heck reads `accountIDs` as `account`, `I`, `Ds` and produces
/// `account_i_ds`; with it the result is `account_ids`.
fn split_plural_acronyms(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run_end = (i..chars.len())
            .find(|&j| !chars[j].is_uppercase())
            .unwrap_or(chars.len());
        let is_plural_acronym = run_end - i >= 2
            && chars.get(run_end) == Some(&'s')
            && chars.get(run_end + 1).is_none_or(|c| !c.is_lowercase());
        if is_plural_acronym {
            out.push(chars[i]);
            out.extend(chars[i + 1..run_end].iter().flat_map(|c| c.to_lowercase()));
            out.push('s');
            i = run_end + 1;
        } else if run_end > i {
            out.extend(&chars[i..run_end]);
            i = run_end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Whether `text` cannot start an identifier: a digit of any script, or any other
/// character that may continue an identifier but not begin one.
fn starts_with_digit(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c != '_' && !unicode_ident::is_xid_start(c))
}

/// Every `fn` declared directly in a block of `source` that opens with one of
/// `headers` (`impl Client {`): the tests that keep the reserved-name lists
/// equal to what the templates define read the templates with it.
#[cfg(test)]
pub(crate) fn impl_methods(source: &str, headers: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside: Option<usize> = None;
    let mut depth = 0usize;
    for line in source.lines() {
        let trimmed = line.trim_start();
        if inside.is_none() && headers.iter().any(|h| trimmed.starts_with(h)) {
            inside = Some(depth);
        }
        if inside.is_some_and(|at| depth == at + 1) {
            let signature = trimmed
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub(super) ")
                .trim_start_matches("pub ")
                .trim_start_matches("async ");
            if let Some(rest) = signature.strip_prefix("fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.push(name);
            }
        }
        depth += line.matches('{').count();
        depth -= line.matches('}').count().min(depth);
        if inside.is_some_and(|at| depth <= at) {
            inside = None;
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_snake(table: &[(&str, &str)]) {
        for (wire, expected) in table {
            assert_eq!(
                snake_ident(wire).to_source(),
                *expected,
                "snake_ident({wire:?})"
            );
        }
    }

    fn check_camel(table: &[(&str, &str)]) {
        for (wire, expected) in table {
            assert_eq!(camel_name(wire), *expected, "camel_name({wire:?})");
        }
    }

    #[test]
    fn snake_case_fields() {
        check_snake(&[
            ("chatID", "chat_id"),
            ("accountIDs", "account_ids"),
            ("chatIDs", "chat_ids"),
            ("imgURL", "img_url"),
            ("srcURLs", "src_urls"),
            ("lastReadMessageSortKey", "last_read_message_sort_key"),
            ("hasMore", "has_more"),
            ("IDsOfThings", "ids_of_things"),
            ("bundle_id", "bundle_id"),
            ("X-Beeper-Desktop-Version", "x_beeper_desktop_version"),
            ("maxParticipantCount", "max_participant_count"),
            ("status", "status"),
        ]);
    }

    #[test]
    fn snake_case_keywords_and_odd_names() {
        check_snake(&[
            ("type", "r#type"),
            ("match", "r#match"),
            ("async", "r#async"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("_", "field"),
            ("", "field"),
            ("1st", "_1st"),
            ("٣abc", "_٣abc"),
            ("x²", "x"),
            ("ÄÖÜ ñ", "äöü_ñ"),
            ("@type", "r#type"),
            ("$ref", "r#ref"),
            ("foo-bar.baz", "foo_bar_baz"),
        ]);
    }

    #[test]
    fn camel_case_types_and_variants() {
        check_camel(&[
            ("chat", "Chat"),
            ("ChatWithPreview", "ChatWithPreview"),
            ("low-priority", "LowPriority"),
            ("FAIL_RETRIABLE", "FailRetriable"),
            ("voice-note", "VoiceNote"),
            ("m.image", "MImage"),
            ("self", "Self_"),
            ("Result", "Result"),
            ("String", "String"),
            ("", "Empty"),
            ("2fa", "V2fa"),
            ("-1", "V1"),
            ("٣abc", "V٣abc"),
            ("🦀", "Empty"),
            ("accountIDs", "AccountIds"),
        ]);
    }

    #[test]
    fn types_named_like_crate_items_get_a_suffix() {
        let table = [
            ("Error", "ErrorSchema"),
            ("Client", "ClientSchema"),
            ("Body", "BodySchema"),
            ("Chat", "Chat"),
            ("ErrorBody", "ErrorBody"),
            ("Result", "Result"),
        ];
        for (wanted, name) in table {
            assert_eq!(type_name(wanted), name, "{wanted}");
        }
    }

    #[test]
    fn parameters_named_like_builder_methods_get_their_location() {
        let mut taken = builder_reserved();
        let table = [
            ("timeout", "query", "timeout_query"),
            ("send", "header", "send_header"),
            ("id", "path", "id"),
            ("id", "query", "id_query"),
            ("ID", "header", "id_header"),
            ("id", "query", "id_query_2"),
            ("type", "query", "r#type"),
            ("type", "cookie", "type_cookie"),
            ("X-Request-Id", "header", "x_request_id"),
        ];
        for (wire, location, name) in table {
            assert_eq!(
                param_name(&mut taken, wire, location).to_source(),
                name,
                "{wire} in {location}"
            );
        }
    }

    #[test]
    fn crate_names() {
        let table = [
            ("Beeper Desktop API", None, "beeper-desktop-api"),
            ("", Some("petstore"), "petstore"),
            ("", Some("my spec.v2"), "my-spec-v2"),
            ("!!!", Some("---"), "openapi-client"),
            ("   ", None, "openapi-client"),
            ("1Forge Finance APIs", None, "api-1forge-finance-apis"),
            ("Test", None, "test-api"),
            ("fn", None, "fn-api"),
            ("Ünïcödé API", None, "ncd-api"),
            ("Zoom API (v2)", None, "zoom-api-v2"),
            ("kitchen-sink-api", None, "kitchen-sink-api"),
        ];
        for (title, stem, expected) in table {
            assert_eq!(crate_name(title, stem), expected, "{title:?} {stem:?}");
        }
    }

    #[test]
    fn collisions_get_deterministic_suffixes() {
        let mut taken = BTreeSet::new();
        let names: Vec<String> = ["Asc", "Asc", "Asc", "Desc"]
            .iter()
            .map(|n| claim_unique(&mut taken, n, false))
            .collect();
        assert_eq!(names, ["Asc", "Asc2", "Asc3", "Desc"]);
        let mut taken = BTreeSet::new();
        let names: Vec<String> = ["Self_", "Self_"]
            .iter()
            .map(|n| claim_unique(&mut taken, n, false))
            .collect();
        assert_eq!(names, ["Self_", "Self2"]);

        let mut taken = BTreeSet::new();
        let first = claim_unique_ident(&mut taken, snake_ident("fooBar"));
        let second = claim_unique_ident(&mut taken, snake_ident("foo_bar"));
        let third = claim_unique_ident(&mut taken, snake_ident("type"));
        let fourth = claim_unique_ident(&mut taken, snake_ident("TYPE"));
        assert_eq!(first.to_source(), "foo_bar");
        assert_eq!(second.to_source(), "foo_bar_2");
        assert_eq!(third.to_source(), "r#type");
        assert_eq!(fourth.to_source(), "type_2");
        let fifth = claim_unique_ident(&mut taken, snake_ident("self"));
        let sixth = claim_unique_ident(&mut taken, snake_ident("Self"));
        assert_eq!(fifth.to_source(), "self_");
        assert_eq!(sixth.to_source(), "self_2");
    }

    #[test]
    fn the_scan_reads_the_methods_of_the_named_blocks_only() {
        let source = "impl Client {\n    pub fn a(&self) {\n        fn inner() {}\n    }\n    pub(crate) async fn b() {}\n}\nimpl Other {\n    fn c() {}\n}\n";
        assert_eq!(super::impl_methods(source, &["impl Client {"]), ["a", "b"]);
        assert_eq!(super::impl_methods(source, &["impl Other {"]), ["c"]);
    }

    #[test]
    fn feature_and_module_names() {
        let table = [
            ("chats", "chats", "chats"),
            ("SystemHardware", "system_hardware", "system_hardware"),
            ("system/hardware", "system_hardware", "system_hardware_2"),
            ("type", "type", "type_"),
            ("3d-secure", "3d_secure", "_3d_secure"),
            ("Self", "self", "self_"),
            ("", "root", "root"),
            ("Shared", "shared", "shared_2"),
            ("server", "server", "server_2"),
            ("Socket", "socket", "socket_2"),
            ("mod", "mod", "mod_"),
            ("Resources", "resources", "resources_2"),
            ("types", "types", "types_2"),
            ("Mock", "mock", "mock_2"),
        ];
        let mut taken = reserved_modules();
        for (wire, feature, module) in table {
            assert_eq!(feature_name(wire), feature, "feature of {wire:?}");
            assert_eq!(
                module_name(feature, &mut taken),
                module,
                "module of {wire:?}"
            );
        }
    }
}
