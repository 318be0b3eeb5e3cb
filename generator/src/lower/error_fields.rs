//! Where an operation's error bodies keep the human message and the machine
//! code, for the `lower` phase, read off its lowered error schemas: the first
//! property whose name the common habits use (`message`, `error_description`,
//! `detail`, Matrix's `error`, `title`; `code`, `errcode`, OAuth's `error`,
//! RFC 7807's `type`, …), else one whose name says so (`userMessage`,
//! `errorMsg`; `reasonCode`), on the object, in its `error` object and in the
//! first of its `errors`. The runtime tries these before its own list of
//! common keys, so a spec's own names work without the runtime knowing them.

use super::responses::ErrorResponse;
use super::PendingType;
use crate::ir::{ErrorFields, Field, FieldRole, TypeKind, TypeRef};

/// Property names that hold the message, most telling first. The runtime's
/// `error_text.rs` tries the same list on bodies at run time (a test keeps the
/// two equal).
const MESSAGE_KEYS: &[&str] = &[
    "message",
    "error_description",
    "detail",
    "errorMessage",
    "error_message",
    "msg",
    "description",
    "error",
    "title",
    "reason",
];

/// Property names that hold the code, most specific first (the runtime's list too).
const CODE_KEYS: &[&str] = &[
    "code",
    "errcode",
    "error_code",
    "errorCode",
    "type",
    "status",
    "reason",
    "error",
];

/// The message and code paths of `errors`' schemas, in their order, each once.
pub(super) fn error_fields(types: &[PendingType], errors: &[ErrorResponse]) -> ErrorFields {
    let mut found = ErrorFields::default();
    for error in errors {
        let Some((message, code)) = paths_in(types, &error.ty, &[], 0) else {
            continue;
        };
        for (path, list) in [(message, &mut found.message), (code, &mut found.code)] {
            if let Some(path) = path.filter(|p| !list.contains(p)) {
                list.push(path);
            }
        }
    }
    found
}

type Path = Vec<String>;

/// The message and code paths in the object type `ty` found at `prefix`;
/// `None` when it is not an object.
fn paths_in(
    types: &[PendingType],
    ty: &TypeRef,
    prefix: &[String],
    depth: usize,
) -> Option<(Option<Path>, Option<Path>)> {
    let fields = struct_fields(types, ty)?;
    let at = |wire: &str| {
        let mut path = prefix.to_vec();
        path.push(wire.to_owned());
        path
    };
    let message = pick(
        fields,
        MESSAGE_KEYS,
        |f| is_text(types, &f.ty),
        says_message,
    );
    let message_wire = message.map(|f| f.wire.as_str());
    let code = pick(
        fields,
        CODE_KEYS,
        |f| Some(f.wire.as_str()) != message_wire && is_code(types, f),
        says_code,
    );
    let mut paths = (message.map(|f| at(&f.wire)), code.map(|f| at(&f.wire)));
    if depth == 0 {
        // An `error` object, or the first of the `errors`, fills what the top lacks.
        for (wire, inner) in [("error", false), ("errors", true)] {
            let Some(field) = fields.iter().find(|f| f.wire == wire) else {
                continue;
            };
            let (ty, mut nested) = match (&field.ty, inner) {
                (TypeRef::Array(item), true) => (item.as_ref(), at(wire)),
                (ty, false) => (ty, at(wire)),
                _ => continue,
            };
            if inner {
                nested.push("0".to_owned());
            }
            if let Some((message, code)) = paths_in(types, ty, &nested, depth + 1) {
                paths.0 = paths.0.or(message);
                paths.1 = paths.1.or(code);
            }
        }
    }
    Some(paths)
}

/// The first field named in `keys` that `fits`, else the first whose name `says` so.
fn pick<'f>(
    fields: &'f [Field],
    keys: &[&str],
    fits: impl Fn(&Field) -> bool,
    says: fn(&str) -> bool,
) -> Option<&'f Field> {
    let properties = || fields.iter().filter(|f| f.role == FieldRole::Property);
    keys.iter()
        .find_map(|key| properties().find(|f| f.wire == *key && fits(f)))
        .or_else(|| properties().find(|f| says(&f.wire) && fits(f)))
}

fn says_message(wire: &str) -> bool {
    let lower = wire.to_ascii_lowercase();
    lower.contains("message") || lower.ends_with("msg")
}

fn says_code(wire: &str) -> bool {
    wire.to_ascii_lowercase().ends_with("code")
}

/// The fields of the struct `ty` names (through aliases and `null`).
fn struct_fields<'t>(types: &'t [PendingType], ty: &TypeRef) -> Option<&'t [Field]> {
    match resolve(types, ty)? {
        TypeKind::Struct(object) => Some(&object.fields),
        _ => None,
    }
}

/// The kind of a named type, through aliases and `null`.
fn resolve<'t>(types: &'t [PendingType], ty: &TypeRef) -> Option<&'t TypeKind> {
    match ty {
        TypeRef::Nullable(inner) => resolve(types, inner),
        TypeRef::Named(id) => match types.get(id.0)?.kind.as_ref()? {
            TypeKind::Alias(inner) => resolve(types, inner),
            kind => Some(kind),
        },
        _ => None,
    }
}

/// Text a message can be: a string, a string enum, or a list of strings.
fn is_text(types: &[PendingType], ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::Any => true,
        TypeRef::Array(item) => matches!(item.as_ref(), TypeRef::String),
        TypeRef::Nullable(inner) => is_text(types, inner),
        TypeRef::Named(_) => matches!(resolve(types, ty), Some(TypeKind::StringEnum(_))),
        _ => false,
    }
}

/// A code: text, or an integer (a numeric `status` only repeats the HTTP status).
fn is_code(types: &[PendingType], field: &Field) -> bool {
    let integer = |ty: &TypeRef| matches!(ty, TypeRef::Integer(_));
    match &field.ty {
        ty if integer(ty) => field.wire != "status",
        TypeRef::Nullable(inner) if integer(inner) => field.wire != "status",
        TypeRef::Array(_) => false,
        ty => is_text(types, ty) || matches!(resolve(types, ty), Some(TypeKind::IntegerEnum(_))),
    }
}

#[cfg(test)]
mod tests {
    /// The names in the runtime's array `name`, as written in its source.
    fn runtime_list(name: &str) -> Vec<String> {
        let source = include_str!("../../../templates/runtime/error_text.rs");
        let start = source
            .find(&format!("const {name}: &[&str] = &["))
            .expect("the runtime has the list");
        let body = &source[start..];
        let end = body.find("];").expect("the list ends");
        body[..end]
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_generator_and_the_runtime_look_for_the_same_names() {
        assert_eq!(runtime_list("MESSAGE_KEYS"), super::MESSAGE_KEYS);
        assert_eq!(runtime_list("CODE_KEYS"), super::CODE_KEYS);
    }

    /// The `request.error_fields(…)` line of the one operation of a spec whose
    /// error response has `schema`.
    fn fields_for(schema: &str) -> String {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {{description: ok}}\n        '400': {{description: bad, content: {{application/json: {{schema: {schema}}}}}}}\n"
        );
        let output = crate::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
        let resources: String = output
            .files
            .iter()
            .filter(|(path, _)| path.starts_with("src/resources/"))
            .map(|(_, text)| text.as_str())
            .collect();
        resources
            .lines()
            .find(|line| line.contains("request.error_fields("))
            .map(|line| line.trim().to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn the_properties_that_carry_message_and_code_are_found() {
        let table = [
            (
                "{type: object, properties: {errcode: {type: string}, error: {type: string}}}",
                r#"request.error_fields(&[&["error"]], &[&["errcode"]]);"#,
            ),
            (
                "{type: object, properties: {error: {type: string}, error_description: {type: string}}}",
                r#"request.error_fields(&[&["error_description"]], &[&["error"]]);"#,
            ),
            (
                "{type: object, properties: {title: {type: string}, status: {type: integer}, detail: {type: string}, type: {type: string}}}",
                r#"request.error_fields(&[&["detail"]], &[&["type"]]);"#,
            ),
            (
                "{type: object, properties: {errors: {type: array, items: {type: object, properties: {detail: {type: string}, code: {type: integer}}}}}}",
                r#"request.error_fields(&[&["errors", "0", "detail"]], &[&["errors", "0", "code"]]);"#,
            ),
            (
                "{type: object, properties: {errorMsg: {type: string}, failureCode: {type: string}, status: {type: integer}}}",
                r#"request.error_fields(&[&["errorMsg"]], &[&["failureCode"]]);"#,
            ),
            (
                "{type: object, properties: {message: {type: array, items: {type: string}}}}",
                r#"request.error_fields(&[&["message"]], &[]);"#,
            ),
            // Nothing that carries either: no line at all.
            ("{type: object, properties: {ok: {type: boolean}, count: {type: integer}}}", ""),
        ];
        for (schema, expected) in table {
            assert_eq!(fields_for(schema), expected, "{schema}");
        }
    }
}
