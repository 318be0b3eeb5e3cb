//! Operations in the IR: the method and path, parameters with their location
//! and style, the request body and its fields, and what the call answers,
//! credentials and pagination included.

use super::{ErrorFields, FieldRole, Ident, Response, SchemaUse, Security, TypeId, TypeRef};

/// One HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// Pointer to the operation object.
    pub pointer: String,
    /// HTTP method in upper case.
    pub method: Method,
    /// The path template as written in the spec.
    pub path: String,
    /// The path split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// Query pairs with a fixed value, sent with every request (a spec that wrote
    /// `?key=value` into the path).
    pub fixed_query: Vec<(String, String)>,
    /// Resource group path from the client (empty for methods on the client itself).
    pub group: Vec<Ident>,
    /// Method name on the group handle.
    pub method_name: Ident,
    /// The Cargo feature that compiles it: its top-level group's.
    pub feature: String,
    /// Name of the request builder: an alias of `crate::RequestBuilder<params>`.
    pub builder: String,
    /// Name of the struct of its values, the `crate::Operation` the builder sends.
    pub values: String,
    /// `summary` and `description`.
    pub doc: Option<String>,
    /// Present when the operation is deprecated.
    pub deprecation: Option<Deprecation>,
    /// Path, query and header parameters, required ones first, each group in spec order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a successful response decodes into.
    pub response: Response,
    /// The [`TypeKind::ErrorBodies`] enum of this operation, or `None` when its
    /// error bodies are the crate's error schema (or untyped).
    pub errors: Option<TypeId>,
    /// Present when the operation is cursor-paginated.
    pub pagination: Option<Pagination>,
    /// Which credentials the call carries: the operation's `security`, else the
    /// spec's; none when neither has any.
    pub security: Security,
    /// Where its error bodies keep the message and the code.
    pub error_fields: ErrorFields,
    /// Declared 3xx statuses that are answers rather than failures (`304`).
    pub redirect_answers: Vec<u16>,
    /// The schemas of its JSON request body and of its JSON responses (success
    /// and error), in the spec's order, with the types they decode into.
    pub json_schemas: Vec<SchemaUse>,
    /// For an operation that answers JSON or a stream, and its `_stream` twin:
    /// whether this call asks for the stream. A boolean `stream` field of the
    /// JSON body says the same to servers that decide by it.
    pub asks_for_stream: Option<bool>,
    /// Every answer the spec declares, in status order, for the mock.
    pub answers: Vec<super::DeclaredAnswer>,
}

/// How to walk a cursor-paginated operation: the request's cursor and direction
/// parameters, and where the page keeps its items, flag and cursors.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The page type (the success response).
    pub page: TypeId,
    /// The item type of the page's list.
    pub item: TypeRef,
    /// The `cursor` query parameter.
    pub cursor_param: Ident,
    /// The `direction` query parameter, when the operation has one.
    pub direction_param: Option<Ident>,
    /// The page's list of items.
    pub items_field: PageField,
    /// The page's "more to come" flag.
    pub has_more_field: PageField,
    /// The page's cursor towards older items.
    pub oldest_field: PageField,
    /// The page's cursor towards newer items.
    pub newest_field: Option<PageField>,
}

/// A field of a page struct and whether it is an `Option` there.
#[derive(Debug, Clone)]
pub struct PageField {
    /// Rust name of the field.
    pub rust: Ident,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
}

/// HTTP methods the generator knows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
    /// QUERY (OpenAPI 3.2's `query`: a safe method with a body).
    Query,
    /// Any other method, from OpenAPI 3.2's `additionalOperations`: the name as
    /// it is sent, case included (a valid HTTP token, checked while loading).
    Other(String),
}

impl Method {
    /// The method as it goes on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(name) => name,
        }
    }

    /// Whether `reqwest::Method` has a constant of this name (the others are
    /// made from their bytes).
    pub fn is_standard(&self) -> bool {
        !matches!(self, Method::Query | Method::Other(_))
    }
}

/// Why and how an operation is deprecated.
#[derive(Debug, Clone)]
pub struct Deprecation {
    /// The call that replaces it, e.g. `client.chats().retrieve(chat_id)`.
    pub replacement: Option<String>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text copied as is.
    Literal(String),
    /// The value of the parameter with this wire name, percent-encoded.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// The whole query string (OpenAPI 3.2's `in: querystring`): one value,
    /// serialized by its media type.
    QueryString,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

impl ParamLocation {
    /// The location as OpenAPI's `in` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::QueryString => "querystring",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How a parameter is serialized (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form` with `explode: true` (the default of query and cookie parameters):
    /// arrays as repeated keys.
    Exploded,
    /// `simple` (path and header parameters): `a,b`; objects `k,v`, or `k=v`
    /// when exploded.
    Simple {
        /// `explode: true`.
        explode: bool,
    },
    /// `label` (path parameters): `.a,b`, or `.a.b` when exploded.
    Label {
        /// `explode: true`.
        explode: bool,
    },
    /// `matrix` (path parameters): `;id=a,b`, or `;id=a;id=b` when exploded.
    Matrix {
        /// `explode: true`.
        explode: bool,
    },
    /// `form` with `explode: false`: comma-separated.
    FormJoined,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`.
    DeepObject,
    /// A parameter given by `content` with a JSON media type: the value as JSON text.
    Json,
    /// A parameter given by `content` as `application/x-www-form-urlencoded`
    /// (an `in: querystring` one): an object as `k=v&k2=v2`.
    Form,
}

/// A path, query or header parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Name of the argument or setter in Rust.
    pub rust: Ident,
    /// Where it goes.
    pub location: ParamLocation,
    /// How it is serialized.
    pub style: ParamStyle,
    /// Its type, without the optional wrapper.
    pub ty: TypeRef,
    /// Whether the caller must give it.
    pub required: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
}

/// How a request body is encoded, in order of preference when a body offers several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyMedia {
    /// `application/json` (and `+json` types).
    Json,
    /// `application/x-www-form-urlencoded`, nested values in brackets.
    Form,
    /// `multipart/form-data`: one part per property, binary properties as file parts.
    Multipart,
    /// `text/*`: the body is a string.
    Text,
    /// Any other media type: the body is raw bytes.
    Binary,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// How it is encoded.
    pub media: BodyMedia,
    /// The `Content-Type` it is sent with (multipart sets its own boundary).
    pub content_type: String,
    /// The body's type.
    pub ty: TypeRef,
    /// `requestBody.required`.
    pub required: bool,
    /// When the body is a struct, its fields become builder arguments and setters;
    /// for multipart bodies, these are the parts, kept on the builder itself.
    pub fields: Vec<BodyField>,
}

/// A body field exposed on the request builder.
#[derive(Debug, Clone)]
pub struct BodyField {
    /// Name on the wire (the multipart part name).
    pub wire: String,
    /// What the struct field stands for: for [`FieldRole::Additional`], the
    /// setter adds one key of the map.
    pub role: FieldRole,
    /// The struct field it fills.
    pub field: Ident,
    /// The name of the builder argument or setter (differs when it collides with a parameter).
    pub setter: Ident,
    /// The field's type, without the optional wrapper.
    pub ty: TypeRef,
    /// Whether it is a constructor argument rather than a setter.
    pub required: bool,
    /// Whether the field is an `Option` in the struct.
    pub optional: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// The field is `deprecated: true`.
    pub deprecated: bool,
    /// A `Nullable<T>` field: the setter sets a value and a `clear_` method sends `null`.
    pub tri_state: bool,
    /// Name of the method that sends `null`, for tri-state fields.
    pub clear: Option<Ident>,
    /// The struct field is a `Box` (recursive type).
    pub boxed: bool,
}
