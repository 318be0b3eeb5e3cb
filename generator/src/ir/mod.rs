//! The intermediate representation between `lower` and `emit`: plain data with
//! every `$ref` resolved, every Rust name final and every list sorted.
//!
//! Nothing here mentions `openapiv3` or `proc_macro2`; emitters read only this.
//! Wire names (what goes over HTTP) and Rust names are always kept side by side.

mod answers;
mod error_fields;
mod operations;
mod security;

pub use answers::{
    DeclaredAnswer, EventData, EventVariant, Framing, Response, StatusMatch, StatusVariant,
    StreamItem, StreamResponse,
};
pub use error_fields::ErrorFields;
pub use operations::{
    Body, BodyField, BodyMedia, Deprecation, Method, Operation, PageField, Pagination, Param,
    ParamLocation, ParamStyle, PathPart,
};
pub use security::{Placement, Security, SecurityScheme};

/// A whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// Crate name of the generated client (`beeper-desktop-api`).
    pub crate_name: String,
    /// Crate version of the generated client.
    pub crate_version: String,
    /// `info.title` of the spec.
    pub title: String,
    /// `info.version` of the spec.
    pub api_version: String,
    /// `info.description`, if any.
    pub description: Option<String>,
    /// First server URL of the spec, the client's default base URL.
    pub default_base_url: Option<String>,
    /// The security schemes the client can send, in the spec's order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The scheme `ClientBuilder::token` and `Client::new` set: the first whose
    /// credential is one token (bearer, OAuth 2, OpenID Connect, API key).
    pub token_scheme: Option<usize>,
    /// What routes the spec does not describe carry (custom routes, the
    /// live-events socket): the root requirement, else any one scheme; optional.
    pub undeclared_security: Security,
    /// Environment variable `Client::from_env` reads the base URL from.
    pub base_url_env: String,
    /// Every named type, indexed by [`TypeId`]; emit order is by name.
    pub types: Vec<TypeDef>,
    /// Every operation, sorted by resource group and method name.
    pub operations: Vec<Operation>,
    /// Resource groups (`chats`, `chats.messages`, …), sorted, parents before children.
    pub groups: Vec<Group>,
    /// The schema most error responses share, decoded into API errors.
    pub error_body: Option<TypeRef>,
    /// The live-events WebSocket channel, when the spec describes one (`x-rust-events`).
    pub events: Option<Events>,
    /// Example programs shipped with the spec (`x-rust-examples`), in its order.
    pub examples: Vec<Example>,
    /// The Cargo features of the resource groups, sorted by name; `events` (for
    /// [`Api::events`]) is not among them.
    pub features: Vec<Feature>,
    /// Internal features, one per set of several features that gates a type.
    pub feature_sets: Vec<FeatureSet>,
    /// Dependencies the user's settings add to `Cargo.toml`: the crate's name and
    /// the right-hand side, sorted by name.
    pub dependencies: Vec<(String, String)>,
    /// Structs decode through serde's derive rather than the runtime's tables.
    pub derive_decoders: bool,
    /// Every component schema that was lowered, in the spec's order, with the
    /// type a `$ref` to it gets (for the type map, see `crate::type_map`).
    pub component_schemas: Vec<SchemaUse>,
}

/// A schema of the spec and the Rust type a value of it decodes into: the type
/// map (`--type-map`) pairs them so a test can check the type against the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaUse {
    /// JSON pointer of the schema in the spec: `#/components/schemas/Chat`, or
    /// the `schema` of a request body's or response's JSON media type (in the
    /// `components` entry when the body or response is a `$ref`).
    pub pointer: String,
    /// The type, with `null` folded in when the schema is nullable.
    pub ty: TypeRef,
}

/// An internal Cargo feature (`_shared_3`) that each of `features` turns on: a
/// type that any of them needs is gated by it alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureSet {
    /// Its name.
    pub name: String,
    /// The features that turn it on, sorted.
    pub features: Vec<String>,
}

/// A Cargo feature that turns on one top-level resource group: its operations and
/// every type only they need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name, such as `chats`.
    pub name: String,
    /// The module of `types/` and `resources/` that holds what only it needs.
    pub module: String,
    /// It has no operations: it turns on the schemas no operation uses.
    pub schemas_only: bool,
}

/// When a type is compiled: always, or when any of these features is on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Gate {
    /// Always: every feature needs it, or the crate's error type does.
    #[default]
    Always,
    /// When one of these features is on (sorted names, never empty).
    Any(Vec<String>),
}

/// An example program: a Rust file beside the spec, copied to `examples/`.
#[derive(Debug, Clone)]
pub struct Example {
    /// Cargo's name for it, also its file name (`list_chats`).
    pub name: String,
    /// Its path relative to the spec's folder, as written.
    pub file: String,
    /// JSON pointer of `file` in the spec, for diagnostics.
    pub pointer: String,
    /// One line on what it shows, for the README.
    pub summary: Option<String>,
    /// Cargo features it needs (`required-features`).
    pub features: Vec<String>,
    /// Whether `cargo test` runs its `#[test]`s (`test = true` in its target).
    pub test: bool,
}

/// A WebSocket channel of server events, from the spec's `x-rust-events`.
#[derive(Debug, Clone)]
pub struct Events {
    /// Path of the upgrade request, relative to the base URL (`/v1/ws`).
    pub path: String,
    /// Summary and description of the channel.
    pub doc: Option<String>,
    /// What the server sends: a named type, usually a tagged union.
    pub server_messages: TypeRef,
    /// What the client may send, if the spec names it.
    pub client_messages: Option<TypeRef>,
    /// How a subscription is sent.
    pub subscribe: Subscribe,
}

/// The client message that sets the subscription: `{tag: message, field: [ids]}`.
#[derive(Debug, Clone)]
pub struct Subscribe {
    /// The property naming the message's kind (`type`).
    pub tag: String,
    /// The kind of the subscribe message (`subscriptions.set`).
    pub message: String,
    /// The property holding the list of IDs (`chatIDs`), wire name and Rust name.
    pub field: String,
    /// The parameter name of `subscribe` in Rust (`chat_ids`).
    pub param: Ident,
}

impl Api {
    /// The type behind an id.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// Index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A use of a type: a field's type, a parameter's type, an array's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// A JSON string.
    String,
    /// An RFC 3339 timestamp that keeps its offset.
    DateTime,
    /// A calendar date (`format: date`).
    Date,
    /// A JSON integer of the width and signedness its `format` names
    /// (`int64` without one).
    Integer(IntKind),
    /// A single-precision number (`format: float`).
    Float32,
    /// A JSON number (any other number).
    Float64,
    /// A JSON boolean.
    Boolean,
    /// Any JSON value.
    Any,
    /// A JSON array.
    Array(Box<TypeRef>),
    /// A JSON object used as a map from string keys.
    Map(Box<TypeRef>),
    /// A value that may also be `null`.
    Nullable(Box<TypeRef>),
    /// A named type of [`Api::types`].
    Named(TypeId),
    /// A binary request body: bytes, a file or a stream (`crate::Body`).
    Bytes,
    /// A file part of a multipart body: bytes with an optional file name and type.
    File,
    /// A Rust type the user put in place of a schema (a type replacement), by
    /// the path they wrote, e.g. `uuid::Uuid`.
    External(String),
}

/// The Rust integer type of an integer schema, by its `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntKind {
    /// `int8`
    I8,
    /// `int16`
    I16,
    /// `int32`
    I32,
    /// `int64`, and integers with another or no `format`.
    I64,
    /// `uint8`
    U8,
    /// `uint16`
    U16,
    /// `uint32`
    U32,
    /// `uint64`
    U64,
}

impl IntKind {
    /// The Rust primitive's name (`i64`).
    pub fn rust(self) -> &'static str {
        match self {
            IntKind::I8 => "i8",
            IntKind::I16 => "i16",
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
        }
    }
}

/// A named type in the `types` module.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Final Rust name.
    pub name: String,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// Where the schema is, for the doc link back to the spec.
    pub pointer: String,
    /// What kind of Rust item it becomes.
    pub kind: TypeKind,
    /// Which features compile it.
    pub gate: Gate,
    /// Derive macros the user added (settings), after the generator's own.
    pub derives: Vec<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct of named fields.
    Struct(StructType),
    /// A string enum with a catch-all variant for values it does not know.
    StringEnum(Vec<StringVariant>),
    /// An integer enum with a catch-all variant.
    IntegerEnum(Vec<IntegerVariant>),
    /// A value of one of several shapes, tried in order (`anyOf`/`oneOf`).
    Union(Vec<UnionVariant>),
    /// A `oneOf`/`anyOf` with a `discriminator`: the wire name of the property that
    /// tells the variants apart, and the variants with the values that select them.
    Tagged(String, Vec<UnionVariant>),
    /// Another name for a type (`type X = Vec<Y>`).
    Alias(TypeRef),
    /// The success answers of an operation that has several different ones: an
    /// enum chosen by the status, then decoded by the variant's media type.
    Responses(Vec<StatusVariant>),
    /// The error bodies of an operation whose errors do not all share the crate's
    /// error schema: an enum chosen by the status.
    ErrorBodies(Vec<StatusVariant>),
    /// The data of a stream's Server-Sent Events, by the event's kind: an enum
    /// chosen by the `event` field, each variant's `data` decoded as it says.
    Events(Vec<EventVariant>),
}

/// The fields of a struct, and whether its object may hold other keys.
#[derive(Debug, Clone, Default)]
pub struct StructType {
    /// The fields, in spec order; an [`FieldRole::Additional`] field, if any, last.
    pub fields: Vec<Field>,
    /// `additionalProperties: false`: the object holds no keys besides its
    /// fields' (used to tell the variants of a union apart; decoding still
    /// skips unknown keys, so a newer server cannot break it).
    pub closed: bool,
}

impl StructType {
    /// A struct of these fields that says nothing of other keys.
    pub fn open(fields: Vec<Field>) -> Self {
        StructType {
            fields,
            closed: false,
        }
    }
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Name in Rust.
    pub rust: Ident,
    /// The type without the optional/nullable wrapper.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Optional and nullable in a type sent to the server: absent, `null` and a value
    /// mean different things, so the field is a `Nullable<T>` rather than an `Option<T>`.
    pub tri_state: bool,
    /// The field closes a cycle of types containing each other, so it is a `Box`.
    pub boxed: bool,
    /// When the field has its type: in a type that always compiles (the crate's
    /// error schema) but names one only some features compile, the field is raw
    /// JSON (`serde_json::Value`) when none of them is on.
    pub typed_when: Gate,
    /// What the field holds on the wire: one property, or several.
    pub role: FieldRole,
    /// `readOnly` or `writeOnly`: one direction never carries it, so it is
    /// never required (not even by another `allOf` member's `required`).
    pub one_way: bool,
}

/// What a struct field stands for on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    /// The property named by the field's `wire`.
    Property,
    /// A whole struct whose fields sit beside this struct's own on the wire
    /// (`#[serde(flatten)]`): a member of a deep `allOf` chain composed rather
    /// than copied, which keeps the output linear in the chain's length. Its
    /// `wire` is the member's schema name, for documentation only.
    Composed,
    /// The keys the schema does not declare (`additionalProperties` beside
    /// `properties`): a map (the field's `ty`) flattened into the object, so
    /// they decode and encode back. Its `wire` is empty.
    Additional,
}

impl Field {
    /// Whether the Rust field is an `Option` (or, for the map of additional
    /// properties, may be left empty).
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable || self.role == FieldRole::Additional
    }

    /// Whether the field is one property on the wire, under its `wire` name.
    pub fn is_property(&self) -> bool {
        self.role == FieldRole::Property
    }
}

/// A known value of a string enum.
#[derive(Debug, Clone)]
pub struct StringVariant {
    /// Value on the wire.
    pub wire: String,
    /// Variant name in Rust.
    pub rust: String,
    /// What the value means, from `x-enum-descriptions`.
    pub doc: Option<String>,
}

/// A known value of an integer enum.
#[derive(Debug, Clone)]
pub struct IntegerVariant {
    /// Value on the wire.
    pub value: i64,
    /// Variant name in Rust.
    pub rust: String,
    /// What the value means, from `x-enum-descriptions`.
    pub doc: Option<String>,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Variant name in Rust.
    pub rust: String,
    /// The variant's payload.
    pub ty: TypeRef,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// The payload closes a cycle of types containing each other, so it is a `Box`.
    pub boxed: bool,
    /// The discriminator values that select this variant (tagged unions only; the
    /// first is the one written when the payload lacks the property).
    pub tags: Vec<String>,
    /// The discriminator's `defaultMapping` (OpenAPI 3.2): a value whose tag is
    /// missing or selects no variant is this variant, and it is written back
    /// without adding a tag.
    pub default: bool,
    /// When the variant has its type: the object form of an "ID or object" union
    /// (Stripe's expandable fields) is typed only under the features that compile
    /// its type, and raw JSON otherwise, so that naming another resource does not
    /// compile that resource's whole graph (see `lower::features`).
    pub typed_when: Gate,
}

/// A resource group such as `chats.messages`; one handle type per group.
#[derive(Debug, Clone)]
pub struct Group {
    /// Snake-case path from the client, e.g. `["chats", "messages"]`.
    pub path: Vec<Ident>,
    /// Name of the handle struct, e.g. `ChatsMessages`.
    pub handle: String,
    /// The Cargo feature of its top-level group.
    pub feature: String,
}

/// A Rust identifier as the generator will print it, with or without `r#`.
///
/// Kept as text so the IR stays free of `proc_macro2` types; emitters turn it
/// into an `Ident` with [`Ident::is_raw`] deciding which constructor to use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident {
    /// The identifier without any `r#` prefix.
    pub text: String,
    /// Whether the identifier must be printed as `r#text`.
    pub is_raw: bool,
}

impl Ident {
    /// The identifier as it appears in source, `r#` included.
    pub fn to_source(&self) -> String {
        if self.is_raw {
            format!("r#{}", self.text)
        } else {
            self.text.clone()
        }
    }
}

impl std::fmt::Display for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_source())
    }
}
