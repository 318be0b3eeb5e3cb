//! Names on the generated `Client`: its own methods, which the accessors of
//! top-level resource groups and operations (`client.chats()`, `client.ping()`)
//! share one namespace with, and the name a group gets when it wants one of them.
//! `lower::names` asks for them.

use std::collections::BTreeSet;

use super::{claim_unique_ident, snake_ident};
use crate::ir::Ident;

/// `Client`'s inherent methods (`templates/runtime/client.rs`, `custom.rs`, the
/// `new` that `emit::auth` writes) and the trait methods a user calls on it
/// (`clone`, `fmt`): an accessor of the same name would not compile, or would
/// hide the trait's. The request path lives on a private type, so a spec's
/// `execute` or `send` group keeps its name.
const CLIENT_METHODS: &[&str] = &[
    "new", "builder", "from_env", "base_url", "request", "clone", "fmt",
];

/// The method a crate with live events (`x-rust-events`) adds: `client.events()`.
const EVENTS_METHOD: &str = "events";

/// The names a top-level group or operation must not take on `Client`.
pub fn client_methods(has_events: bool) -> BTreeSet<String> {
    let events = has_events.then_some(EVENTS_METHOD);
    CLIENT_METHODS
        .iter()
        .copied()
        .chain(events)
        .map(str::to_owned)
        .collect()
}

/// The accessor of a top-level group whose name `wanted` is a method of the
/// client: `<name>_resource`, numbered if a group has that too.
pub fn renamed_root_group(taken: &mut BTreeSet<String>, wanted: &Ident) -> Ident {
    claim_unique_ident(taken, snake_ident(&format!("{} resource", wanted.text)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{client_methods, renamed_root_group};
    use crate::naming::{impl_methods, snake_ident};

    #[test]
    fn every_method_of_the_client_in_the_runtime_is_reserved() {
        let reserved = client_methods(true);
        let mut found = Vec::new();
        for (file, source) in crate::RUNTIME {
            for name in impl_methods(source, &["impl Client {"]) {
                found.push(format!("{file}: {name}"));
                assert!(
                    reserved.contains(&name),
                    "{file}: `Client::{name}` is not in CLIENT_METHODS"
                );
            }
        }
        // The scan found the blocks (so an empty result cannot pass unnoticed).
        for name in ["builder", "from_env", "base_url", "request"] {
            assert!(
                found.iter().any(|f| f.ends_with(&format!(": {name}"))),
                "{name} not found in {found:?}"
            );
        }
    }

    #[test]
    fn events_is_reserved_only_with_live_events() {
        assert!(client_methods(true).contains("events"));
        assert!(!client_methods(false).contains("events"));
        assert!(client_methods(false).contains("request"));
        assert!(!client_methods(false).contains("execute"));
    }

    #[test]
    fn renamed_groups() {
        let table = [
            (&[][..], "request", "request_resource"),
            (&["request_resource"][..], "request", "request_resource_2"),
            (&[][..], "new", "new_resource"),
            (&[][..], "fmt", "fmt_resource"),
        ];
        for (taken, wanted, expected) in table {
            let mut taken: BTreeSet<String> = taken.iter().map(|s| (*s).to_owned()).collect();
            let got = renamed_root_group(&mut taken, &snake_ident(wanted));
            assert_eq!(got.text, expected, "{wanted}");
            assert!(taken.contains(expected));
        }
    }
}
