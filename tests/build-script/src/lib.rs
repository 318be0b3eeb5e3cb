//! A client for the account operations of the Beeper Desktop API, generated at
//! build time by `build.rs` with the generator's build-script API, and
//! adjusted by `generator.toml`: its own token variables, a derive, a renamed
//! operation and group, and the spec's `User` replaced by [`Person`].

/// Someone on an account, as this crate models them: the type the generated
/// client uses wherever the spec says `User`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Person {
    /// The person's permanent ID.
    pub id: String,
    /// The name shown for them, when known.
    #[serde(rename = "fullName", default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
}

include!(concat!(env!("OUT_DIR"), "/client.rs"));
