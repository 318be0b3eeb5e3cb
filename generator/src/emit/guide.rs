//! The guide in a generated crate's root docs: a few sections (creating a
//! client, calling an operation, errors, pagination), each a heading, prose and
//! examples. [`sections`] builds the list, so a feature adds its own section by
//! appending to it.
//!
//! Examples are doctests (`no_run`) made from the crate's own names: the calls
//! are operations of its spec whose arguments a literal can give (text, numbers,
//! booleans) and that return the crate's `Error`, so every example compiles in
//! the crate it is written into. A spec without such an operation gets prose only.

use crate::emit::docs::code;
use crate::ir::{Api, BodyMedia, Ident, Method, Operation, Response, TypeRef};

/// One section of the guide: a `#` heading and its Markdown lines.
pub struct Section {
    /// The heading text.
    pub title: String,
    /// The body, one Markdown line per entry (already safe for rustdoc).
    pub lines: Vec<String>,
}

/// The guide's sections for `api`, in order.
pub fn sections(api: &Api) -> Vec<Section> {
    let names = Names::new(api);
    let mut sections = vec![
        creating_a_client(api, &names),
        authentication(api),
        calling_an_operation(&names),
        errors(api, &names),
    ];
    sections.extend(pagination(api, &names));
    sections.extend(streams(api, &names));
    sections.extend(live_events(api, &names));
    sections
}

/// The sections as crate doc lines: each heading, a blank line, its body
/// with long prose lines wrapped.
pub fn lines(sections: &[Section]) -> Vec<String> {
    let mut lines = Vec::new();
    for section in sections {
        lines.push(String::new());
        lines.push(format!("# {}", section.title));
        lines.push(String::new());
        let mut in_code = false;
        for line in &section.lines {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            if in_code || line.starts_with("```") {
                lines.push(line.clone());
            } else {
                lines.extend(wrap(line, WIDTH));
            }
        }
    }
    lines
}

/// How long a line of guide prose may get.
const WIDTH: usize = 90;

/// `line` in lines of at most `width` characters where it can be broken: at a
/// space, and not before a word that would start a list, heading or quote.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let starts_block = |word: &str| {
        word.starts_with(['#', '>', '-', '+', '*', '='])
            || word
                .trim_end_matches(['.', ')'])
                .chars()
                .all(|c| c.is_ascii_digit())
    };
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        if !current.is_empty()
            && current.chars().count() + 1 + word.chars().count() > width
            && !starts_block(word)
        {
            out.push(std::mem::take(&mut current));
        } else if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(current);
    out
}

/// What the examples call: the crate's library name and the operation an
/// example can use, if any.
struct Names<'a> {
    lib: String,
    example: Option<&'a Operation>,
    paginated: Option<&'a Operation>,
    streaming: Option<&'a Operation>,
}

impl<'a> Names<'a> {
    fn new(api: &'a Api) -> Self {
        let usable: Vec<&Operation> = api.operations.iter().filter(|o| usable(o)).collect();
        // A GET with a required argument and an optional parameter shows the most.
        let is_stream = |o: &Operation| matches!(o.response, Response::Stream(_));
        let example = usable
            .iter()
            .copied()
            .filter(|o| !is_stream(o))
            .min_by_key(|o| {
                let arguments = required_arguments(o).len();
                (
                    o.method != Method::Get,
                    arguments == 0,
                    optional_setter(o).is_none(),
                    arguments,
                )
            });
        let paginated = usable
            .iter()
            .copied()
            .filter(|o| o.pagination.is_some())
            .min_by_key(|o| required_arguments(o).len());
        let streaming = usable
            .iter()
            .copied()
            .filter(|o| is_stream(o))
            .min_by_key(|o| required_arguments(o).len());
        Names {
            lib: api.crate_name.replace('-', "_"),
            example,
            paginated,
            streaming,
        }
    }
}

/// An example block: a `no_run` doctest in an async function returning the
/// crate's `Error`, with the setup lines hidden.
fn example(lib: &str, client: bool, body: &[String]) -> Vec<String> {
    let mut lines = vec!["```no_run".to_owned()];
    lines.push(format!(
        "# async fn example() -> Result<(), {lib}::Error> {{"
    ));
    if client {
        lines.push(format!("# let client = {lib}::Client::from_env()?;"));
    }
    lines.extend(body.iter().cloned());
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}

fn creating_a_client(api: &Api, names: &Names) -> Section {
    let lib = &names.lib;
    let mut lines = Vec::new();
    let new = match api.token_scheme {
        Some(_) => "[`Client::new`] takes the base URL and the access token",
        None => "[`Client::new`] takes the base URL",
    };
    lines.push(format!(
        "[`Client::from_env`] reads each credential from its variable (see \
         Authentication below) and the base URL from {}, which defaults to \
         [`DEFAULT_BASE_URL`]. {new}, and [`Client::builder`] sets everything else: \
         credentials, timeout, retries, default headers, the `reqwest` client.",
        code(&api.base_url_env)
    ));
    lines.push(String::new());
    let mut body = vec![
        "use std::time::Duration;".to_owned(),
        String::new(),
        format!("let client = {lib}::Client::from_env()?;"),
        String::new(),
        format!("let client = {lib}::Client::builder()"),
        format!("    .base_url({lib}::DEFAULT_BASE_URL)"),
    ];
    if api.token_scheme.is_some() {
        body.push("    .token(\"TOKEN\")".to_owned());
    }
    body.extend([
        "    .timeout(Duration::from_secs(10))".to_owned(),
        "    .max_retries(3)".to_owned(),
        "    .build()?;".to_owned(),
    ]);
    lines.extend(example(lib, false, &body));
    Section {
        title: "Creating a client".to_owned(),
        lines,
    }
}

/// Each scheme with what sets it; which operations need which.
fn authentication(api: &Api) -> Section {
    let mut lines = vec![
        "Each operation sends the credentials its security requirement names (the \
         operation's own, else the spec's): the first set of schemes that is fully \
         configured. An operation without a requirement sends none; one whose \
         requirement is optional sends them when they are set; one that needs a \
         credential the client lacks fails before sending, with \
         `Error::MissingCredentials` naming the method and the variable that supply \
         it. Credentials never appear in `Debug` output, traces or errors."
            .to_owned(),
    ];
    if api.security_schemes.is_empty() {
        lines.push(String::new());
        lines.push("The spec declares no security scheme the client sends.".to_owned());
    }
    for scheme in &api.security_schemes {
        lines.push(String::new());
        let variables = match &scheme.password_variable {
            Some(password) => format!("{} and {}", code(&scheme.variable), code(password)),
            None => code(&scheme.variable),
        };
        lines.push(format!(
            "`{}` ({}, sent as {}): [`ClientBuilder::{}`], or {variables}.",
            scheme.name,
            scheme.kind,
            super::auth::placement_text(&scheme.placement),
            scheme.method.text,
        ));
    }
    Section {
        title: "Authentication".to_owned(),
        lines,
    }
}

fn calling_an_operation(names: &Names) -> Section {
    let mut lines = vec![
        "Every operation is a method on the [`Client`] or on one of its resource handles \
         (see [`resources`]). It takes the required parameters and returns a request \
         builder with a setter for each optional one; `.send().await` sends the request \
         and decodes the answer into the types of [`types`], and `.send_with_response()` \
         returns an [`ApiResponse`] with the status and headers too. Failed attempts are \
         retried (connection errors, timeouts, 408, 409, 429 and 5xx, twice by default)."
            .to_owned(),
    ];
    if let Some(operation) = names.example {
        let call = call(operation);
        let mut body = match optional_setter(operation) {
            Some((setter, value)) => vec![
                format!("let value = client{call}"),
                format!("    .{setter}({value})"),
                "    .send()".to_owned(),
                "    .await?;".to_owned(),
            ],
            None => vec![format!("let value = client{call}.send().await?;")],
        };
        body.push("println!(\"{value:?}\");".to_owned());
        body.push(String::new());
        body.push(format!(
            "let response = client{call}.send_with_response().await?;"
        ));
        body.push("println!(\"{} {:?}\", response.status, response.data);".to_owned());
        lines.push(String::new());
        lines.extend(example(&names.lib, true, &body));
    }
    Section {
        title: "Calling an operation".to_owned(),
        lines,
    }
}

fn errors(api: &Api, names: &Names) -> Section {
    let mut lines = vec![
        "A call fails with an [`Error`]: one variant per kind of API error by status \
         (`BadRequest`, `Authentication`, `PermissionDenied`, `NotFound`, `Conflict`, \
         `UnprocessableEntity`, `RateLimit`, `InternalServer`, and `Api` for the rest), \
         each an [`ApiError`] with the status, the headers, the body decoded as the \
         spec's error schema and the raw text; and `Connection`, `Timeout`, `Decode` \
         (a success answer that does not match the spec), `Build` and `Config`. \
         `error.is_retryable()` tells whether sending again may help."
            .to_owned(),
    ];
    if api.operations.iter().any(|o| o.errors.is_some()) {
        lines.push(String::new());
        lines.push(
            "An operation whose error answers differ from the rest returns \
             `Error<B>` with an enum of its own error bodies as `B`; \
             `error.map_body(|_| None)` makes it an [`Error`]."
                .to_owned(),
        );
    }
    if let Some(operation) = names.example {
        let lib = &names.lib;
        let body = vec![
            format!("use {lib}::Error;"),
            String::new(),
            format!("match client{}.send().await {{", call(operation)),
            "    Ok(value) => println!(\"{value:?}\"),".to_owned(),
            "    Err(Error::NotFound(error)) => println!(\"not found: {}\", error.raw),".to_owned(),
            "    Err(error) if error.is_retryable() => println!(\"try again later: {error}\"),"
                .to_owned(),
            "    Err(error) => return Err(error),".to_owned(),
            "}".to_owned(),
        ];
        lines.push(String::new());
        lines.extend(example(lib, true, &body));
    }
    Section {
        title: "Errors".to_owned(),
        lines,
    }
}

fn pagination(api: &Api, names: &Names) -> Option<Section> {
    if api.operations.iter().all(|o| o.pagination.is_none()) {
        return None;
    }
    let mut lines = vec![
        "A cursor-paginated operation's builder also has `.items()` and `.pages()`: \
         a [`PageStream`] that fetches page after page towards older items until the \
         server has no more, keeping the other parameters. Where the operation takes a \
         direction, `.items_newer()` and `.pages_newer()` walk the other way from a \
         saved cursor."
            .to_owned(),
    ];
    if let Some(operation) = names.paginated {
        let body = vec![
            "use futures_util::StreamExt;".to_owned(),
            String::new(),
            format!("let mut items = client{}.items();", call(operation)),
            "while let Some(item) = items.next().await {".to_owned(),
            "    println!(\"{:?}\", item?);".to_owned(),
            "}".to_owned(),
        ];
        lines.push(String::new());
        lines.extend(example(&names.lib, true, &body));
    }
    Some(Section {
        title: "Pagination".to_owned(),
        lines,
    })
}

/// The section on operations that answer with a stream of items, when the
/// spec has any.
fn streams(api: &Api, names: &Names) -> Option<Section> {
    if !api
        .operations
        .iter()
        .any(|o| matches!(o.response, Response::Stream(_)))
    {
        return None;
    }
    let mut lines = vec![
        "An operation that answers with Server-Sent Events, JSON Lines or a JSON text \
         sequence returns an [`ItemStream`]: the status and headers, then each item \
         decoded as it arrives ([`SseEvent`] for an event, with its data typed and the \
         event as it came). An item that does not decode is a [`StreamError::Item`] that \
         keeps its text, and the stream goes on; `data: [DONE]` ends it. Retries stop \
         once the headers are in; `.reconnect(n)` lets a GET event stream send its \
         request again with `Last-Event-ID`. Where an answer offers JSON and a stream, \
         the call takes the JSON and a `_stream` twin takes the stream."
            .to_owned(),
    ];
    if let Some(operation) = names.streaming {
        let body = vec![
            "use futures_util::StreamExt;".to_owned(),
            String::new(),
            format!("let mut items = client{}.send().await?;", call(operation)),
            "while let Some(item) = items.next().await {".to_owned(),
            "    match item {".to_owned(),
            "        Ok(item) => println!(\"{item:?}\"),".to_owned(),
            "        Err(error) => eprintln!(\"{error}\"),".to_owned(),
            "    }".to_owned(),
            "}".to_owned(),
        ];
        lines.push(String::new());
        lines.extend(example(&names.lib, true, &body));
    }
    Some(Section {
        title: "Streams".to_owned(),
        lines,
    })
}

/// Whether an example can call `operation`: not deprecated, the crate's `Error`,
/// and only arguments a literal gives.
fn usable(operation: &Operation) -> bool {
    let body_ok = match &operation.body {
        None => true,
        Some(body) if body.media == BodyMedia::Multipart => !body.fields.iter().any(|f| f.required),
        Some(body) if body.fields.is_empty() => !body.required,
        Some(body) => body
            .fields
            .iter()
            .filter(|f| f.required)
            .all(|f| !f.optional && literal(&f.ty, &f.setter).is_some()),
    };
    operation.deprecation.is_none()
        && operation.errors.is_none()
        && body_ok
        && operation
            .params
            .iter()
            .filter(|p| p.required)
            .all(|p| literal(&p.ty, &p.rust).is_some())
}

/// The literals for the constructor's arguments, in order.
fn required_arguments(operation: &Operation) -> Vec<String> {
    let params = operation
        .params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| literal(&p.ty, &p.rust));
    let fields = operation
        .body
        .iter()
        .filter(|b| b.media != BodyMedia::Multipart)
        .flat_map(|b| b.fields.iter())
        .filter(|f| f.required)
        .filter_map(|f| literal(&f.ty, &f.setter));
    params.chain(fields).collect()
}

/// The first optional parameter a literal can set: its setter and the literal.
/// Page cursors and directions are left to the page streams.
fn optional_setter(operation: &Operation) -> Option<(String, String)> {
    let paging = |name: &Ident| {
        operation
            .pagination
            .as_ref()
            .is_some_and(|p| p.cursor_param == *name || p.direction_param.as_ref() == Some(name))
    };
    operation
        .params
        .iter()
        .filter(|p| !p.required && !paging(&p.rust))
        .find_map(|p| Some((rust(&p.rust), literal(&p.ty, &p.rust)?)))
}

/// A literal of type `ty` for the argument `name`.
fn literal(ty: &TypeRef, name: &Ident) -> Option<String> {
    Some(match ty {
        TypeRef::String => format!("{:?}", name.text.trim_end_matches('_').to_uppercase()),
        TypeRef::Integer(_) => "10".to_owned(),
        TypeRef::Float32 | TypeRef::Float64 => "1.5".to_owned(),
        TypeRef::Boolean => "true".to_owned(),
        _ => return None,
    })
}

/// `.group().method(arguments)`, the call after `client`.
fn call(operation: &Operation) -> String {
    let groups: String = operation
        .group
        .iter()
        .map(|g| format!(".{}()", rust(g)))
        .collect();
    format!(
        "{groups}.{}({})",
        rust(&operation.method_name),
        required_arguments(operation).join(", ")
    )
}

fn rust(name: &Ident) -> String {
    if name.is_raw {
        format!("r#{}", name.text)
    } else {
        name.text.clone()
    }
}

/// The crate guide's section on live events, when the spec has them. It names
/// the module in code spans, not links, and its example is compiled only with
/// the `events` feature, so the docs also build without it.
fn live_events(api: &Api, names: &Names) -> Option<Section> {
    let events = api.events.as_ref()?;
    let field = &events.subscribe.field;
    let mut lines = vec![format!(
        "With the default feature `events`, `client.events().subscribe([...])` (the `{field}` \
         to follow) opens the WebSocket at `{}` and is a stream of typed server messages \
         (module `events`): unknown kinds come as `Other`, a dropped connection is made \
         again and reported as `Item::Reconnected`, and a frame that does not decode is an \
         `EventError::Decode` after which the stream goes on.",
        events.path
    )];
    lines.extend([
        String::new(),
        "```no_run".to_owned(),
        "# #[cfg(feature = \"events\")]".to_owned(),
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        "use futures_util::StreamExt;".to_owned(),
        String::new(),
        format!("let client = {}::Client::from_env()?;", names.lib),
        "let mut events = client.events().subscribe([\"*\"]);".to_owned(),
        "while let Some(item) = events.next().await {".to_owned(),
        "    println!(\"{:?}\", item?);".to_owned(),
        "}".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ]);
    Some(Section {
        title: "Live events".to_owned(),
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::wrap;

    fn crate_docs(spec: &str) -> String {
        let output = crate::generate(spec).expect("the spec generates");
        let lib = &output.files["src/lib.rs"];
        lib.lines()
            .filter_map(|line| line.strip_prefix("//!"))
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn wrapping_never_starts_a_list_heading_or_quote() {
        assert_eq!(wrap("aaa bbb - ccc", 7), ["aaa bbb -", "ccc"]);
        assert_eq!(wrap("aaa 12. # > ccc", 3), ["aaa 12. # >", "ccc"]);
        assert_eq!(wrap("short", 90), ["short"]);
    }

    #[test]
    fn examples_call_an_operation_that_literals_can_call() {
        let spec = r#"
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {items: {type: array, items: {type: string}}}}
      responses: {"201": {description: created}}
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: expand, in: query, schema: {type: boolean}}
      responses: {"200": {description: ok}}
"#;
        let docs = crate_docs(spec);
        // Headings, not the hidden lines of examples.
        let mut in_code = false;
        let titles: Vec<&str> = docs
            .lines()
            .filter(|l| {
                in_code ^= l.starts_with("```");
                !in_code && l.starts_with("# ")
            })
            .collect();
        assert_eq!(
            titles,
            [
                "# Creating a client",
                "# Authentication",
                "# Calling an operation",
                "# Errors"
            ]
        );
        assert!(docs.contains("The spec declares no security scheme the client sends."));
        assert!(docs.contains("let value = client.get_order(\"ID\")\n    .expand(true)"));
        assert!(docs.contains("match client.get_order(\"ID\").send().await {"));
    }

    #[test]
    fn without_a_callable_operation_the_guide_is_prose() {
        let spec = "openapi: 3.0.3\ninfo: {title: Empty, version: '1'}\npaths: {}\n";
        let docs = crate_docs(spec);
        assert_eq!(docs.matches("```no_run").count(), 1, "{docs}");
        assert!(!docs.contains("# Pagination"));
    }

    #[test]
    fn a_spec_with_a_stream_gets_a_streams_section_whose_example_reads_it() {
        let spec = r#"
openapi: 3.0.3
info: {title: Feed, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /feed:
    get:
      operationId: follow
      responses: {"200": {description: events, content: {text/event-stream: {schema: {type: string}}}}}
"#;
        let docs = crate_docs(spec);
        let streams = docs.split("# Streams").nth(1).expect("a Streams section");
        assert!(
            streams.contains("let mut items = client.follow().send().await?;"),
            "{streams}"
        );
        // The first example stays a plain call.
        let calling = docs
            .split("# Calling an operation")
            .nth(1)
            .expect("the section");
        assert!(calling.contains("client.list_items()"), "{calling}");
        let without = spec.replace("text/event-stream", "text/plain");
        assert!(!crate_docs(&without).contains("# Streams"));
    }
}
