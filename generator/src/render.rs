//! The non-Rust files of the generated crate (`Cargo.toml`, `README.md`), rendered
//! from the minijinja templates in `templates/` with a view of the IR.
//!
//! Templates are embedded at compile time, so the generator works from any
//! directory; undefined variables are errors, so a typo cannot render as empty.

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::ir::Api;

const CARGO_TOML: &str = include_str!("../../templates/Cargo.toml.jinja");
const README_MD: &str = include_str!("../../templates/README.md.jinja");

/// A template failed to render; a bug in a template, reported instead of a panic.
#[derive(Debug, thiserror::Error)]
#[error("internal error: template {template} failed to render: {message}")]
pub struct RenderError {
    /// Which template.
    pub template: &'static str,
    /// What minijinja said.
    pub message: String,
}

/// The crates the generated `Cargo.toml` names itself, so settings cannot add
/// them a second time.
pub(crate) const GENERATED_DEPENDENCIES: &[&str] = &[
    "bytes",
    "chrono",
    "futures-util",
    "httpdate",
    "percent-encoding",
    "reqwest",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "tokio",
    "tokio-util",
    "tokio-tungstenite",
    "tracing",
];

/// What the templates see.
#[derive(Debug, Serialize)]
struct View {
    crate_name: String,
    crate_version: String,
    lib_name: String,
    title: String,
    api_version: String,
    description: String,
    summary: Option<String>,
    default_base_url: String,
    base_url_env: String,
    /// The security schemes, with what sets each.
    schemes: Vec<SchemeView>,
    /// Whether `ClientBuilder::token` exists.
    has_token: bool,
    operations: Vec<OperationView>,
    /// The path of the live-events WebSocket, when the spec has one.
    events_path: Option<String>,
    examples: Vec<ExampleView>,
    /// The resource-group features, sorted.
    features: Vec<FeatureView>,
    /// The internal set features the `events` feature turns on.
    events_enables: Vec<String>,
    /// The internal set features, by name.
    feature_sets: Vec<String>,
    /// Dependencies added by the settings, as `name = spec` lines.
    dependencies: Vec<String>,
}

#[derive(Debug, Serialize)]
struct SchemeView {
    name: String,
    kind: &'static str,
    sent_as: String,
    method: String,
    variables: String,
}

#[derive(Debug, Serialize)]
struct FeatureView {
    name: String,
    /// The client methods it turns on, such as `client.chats()`.
    entries: Vec<String>,
    /// How many operations it turns on.
    operations: usize,
    /// It turns on the schemas no operation uses, not operations.
    schemas_only: bool,
    /// The internal set features it turns on.
    enables: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ExampleView {
    name: String,
    summary: String,
    features: Vec<String>,
    test: bool,
}

#[derive(Debug, Serialize)]
struct OperationView {
    call: String,
    /// The same operation's expectation on the mock server.
    mock: String,
    method: String,
    path: String,
    summary: String,
    deprecated: bool,
    paginated: bool,
    /// The name of the operation's own error-body enum, if it has one.
    error_body: Option<String>,
    /// The name of the operation's enum of success answers, if it has one.
    success: Option<String>,
}

/// Renders `Cargo.toml` and `README.md`, as `(path, text)` pairs.
pub fn render(api: &Api) -> Result<Vec<(&'static str, String)>, RenderError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    let view = view_of(api);
    [("Cargo.toml", CARGO_TOML), ("README.md", README_MD)]
        .into_iter()
        .map(|(path, source)| {
            let fail = |e: minijinja::Error| RenderError {
                template: path,
                message: e.to_string(),
            };
            let text = env.render_str(source, &view).map_err(fail)?;
            Ok((path, text))
        })
        .collect()
}

fn view_of(api: &Api) -> View {
    let summary = api.description.as_deref().and_then(first_sentence_line);
    View {
        crate_name: api.crate_name.clone(),
        crate_version: api.crate_version.clone(),
        lib_name: api.crate_name.replace('-', "_"),
        title: api.title.clone(),
        api_version: api.api_version.clone(),
        description: format!(
            "Rust client for the {}, generated from its OpenAPI description",
            api.title
        ),
        summary,
        default_base_url: api
            .default_base_url
            .clone()
            .unwrap_or_else(|| "http://localhost".to_owned()),
        base_url_env: api.base_url_env.clone(),
        schemes: api
            .security_schemes
            .iter()
            .map(|scheme| SchemeView {
                name: scheme.name.clone(),
                kind: scheme.kind,
                sent_as: crate::emit::placement_text(&scheme.placement),
                method: scheme.method.text.clone(),
                variables: match &scheme.password_variable {
                    Some(password) => format!("`{}`, `{password}`", scheme.variable),
                    None => format!("`{}`", scheme.variable),
                },
            })
            .collect(),
        has_token: api.token_scheme.is_some(),
        operations: api
            .operations
            .iter()
            .map(|operation| operation_view(api, operation))
            .collect(),
        events_path: api.events.as_ref().map(|events| events.path.clone()),
        examples: api
            .examples
            .iter()
            .map(|example| ExampleView {
                name: example.name.clone(),
                summary: example.summary.clone().unwrap_or_default(),
                features: example.features.clone(),
                test: example.test,
            })
            .collect(),
        features: api
            .features
            .iter()
            .map(|feature| feature_view(api, feature))
            .collect(),
        events_enables: sets_of(api, "events"),
        feature_sets: api.feature_sets.iter().map(|s| s.name.clone()).collect(),
        dependencies: api
            .dependencies
            .iter()
            .map(|(name, spec)| format!("{name} = {spec}"))
            .collect(),
    }
}

/// The internal set features that `feature` turns on.
fn sets_of(api: &Api, feature: &str) -> Vec<String> {
    api.feature_sets
        .iter()
        .filter(|set| set.features.iter().any(|f| f == feature))
        .map(|set| set.name.clone())
        .collect()
}

fn feature_view(api: &Api, feature: &crate::ir::Feature) -> FeatureView {
    let groups = api
        .groups
        .iter()
        .filter(|g| g.path.len() == 1 && g.feature == feature.name)
        .map(|g| format!("client.{}()", g.path[0]));
    let roots = api
        .operations
        .iter()
        .filter(|o| o.group.is_empty() && o.feature == feature.name)
        .map(|o| format!("client.{}()", o.method_name));
    FeatureView {
        enables: sets_of(api, &feature.name),
        schemas_only: feature.schemas_only,
        name: feature.name.clone(),
        entries: groups.chain(roots).collect(),
        operations: api
            .operations
            .iter()
            .filter(|o| o.feature == feature.name)
            .count(),
    }
}

fn operation_view(api: &Api, operation: &crate::ir::Operation) -> OperationView {
    let mut call = String::from("client");
    for segment in &operation.group {
        call.push_str(&format!(".{segment}()"));
    }
    call.push_str(&format!(".{}()", operation.method_name));
    let mut mock = String::from("server");
    for (index, segment) in operation.group.iter().enumerate() {
        let segment = match index {
            0 => crate::naming::server_method(segment),
            _ => segment.clone(),
        };
        mock.push_str(&format!(".{segment}()"));
    }
    let method = match operation.group.is_empty() {
        true => crate::naming::server_method(&operation.method_name),
        false => operation.method_name.clone(),
    };
    mock.push_str(&format!(".{method}()"));
    OperationView {
        call,
        mock,
        method: operation.method.as_str().to_owned(),
        path: operation.path.clone(),
        summary: operation
            .doc
            .as_deref()
            .and_then(first_sentence_line)
            .unwrap_or_default()
            .replace('|', "\\|"),
        deprecated: operation.deprecation.is_some(),
        paginated: operation.pagination.is_some(),
        error_body: operation.errors.map(|id| api.type_def(id).name.clone()),
        success: match operation.response {
            crate::ir::Response::ByStatus(id) => Some(api.type_def(id).name.clone()),
            _ => None,
        },
    }
}

/// The first non-empty line of a text, for one-line summaries.
fn first_sentence_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned)
}
