//! Names of enum variants, for the naming module: union variants after what
//! they hold, integer enum values, answers by status (the IANA reason
//! phrases), and plurals for lists.

use super::camel_name;
use crate::ir::StatusMatch;

/// What a union variant holds, as far as its name goes (read from its schema
/// by `lower::unions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantHint<'a> {
    /// A `$ref` to this component schema.
    Reference(&'a str),
    /// An inline schema with this `title`.
    Title(&'a str),
    /// A string, with its `format` if it has one.
    String(Option<&'a str>),
    /// A string that can take only this value (a one-value `enum` or `const`).
    StringValue(&'a str),
    /// An integer.
    Integer,
    /// A number, with its `format` if it has one.
    Number(Option<&'a str>),
    /// `true` or `false`.
    Boolean,
    /// Only `null`.
    Null,
    /// An array of items of this kind.
    Array(Box<VariantHint<'a>>),
    /// An object, with the property that sets it apart from the union's other
    /// variants (its only one, or the first the others lack), if any.
    Object(Option<&'a str>),
    /// Any value (no `type`).
    Any,
}

/// The name of a union variant after what it holds: `Chat` for a `$ref`,
/// `Floats` for a list of `format: float` numbers, `Base64` for a `format:
/// byte` string, `Lines` for an object set apart by its `lines` property;
/// never a number. Collisions are left to [`claim_unique`].
pub fn union_variant_name(hint: &VariantHint<'_>) -> String {
    match hint {
        VariantHint::Reference(name) | VariantHint::Title(name) => camel_name(name),
        VariantHint::String(format) => string_format_name(format.unwrap_or_default()),
        VariantHint::StringValue(value) if starts_with_letter(value) => camel_name(value),
        VariantHint::StringValue(_) => "String".to_owned(),
        VariantHint::Integer => "Integer".to_owned(),
        VariantHint::Number(Some("float" | "double")) => "Float".to_owned(),
        VariantHint::Number(_) => "Number".to_owned(),
        VariantHint::Boolean => "Boolean".to_owned(),
        VariantHint::Null => "Null".to_owned(),
        VariantHint::Array(item) => match item.as_ref() {
            VariantHint::Array(_) => "Arrays".to_owned(),
            VariantHint::Any => "Array".to_owned(),
            item => plural(&union_variant_name(item)),
        },
        VariantHint::Object(Some(property)) => camel_name(property),
        VariantHint::Object(None) => "Object".to_owned(),
        VariantHint::Any => "Value".to_owned(),
    }
}

/// A string variant's name after its `format`: what the text is.
fn string_format_name(format: &str) -> String {
    match format {
        "" => "String".to_owned(),
        "date-time" => "DateTime".to_owned(),
        "byte" | "base64" => "Base64".to_owned(),
        "uri" | "url" | "uri-reference" | "iri" => "Uri".to_owned(),
        other if starts_with_letter(other) => camel_name(other),
        _ => "String".to_owned(),
    }
}

/// Whether a wire text makes a name of its own (`uuid`, not `123` or `*`).
fn starts_with_letter(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// The plural of an `UpperCamelCase` noun, for a list of them: `Chats`,
/// `Addresses`, `Entries`, `Keys`.
pub fn plural(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let ends_in = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
    let before_y = lower.chars().rev().nth(1);
    if ends_in(&["s", "x", "z", "ch", "sh"]) {
        format!("{name}es")
    } else if lower.ends_with('y') && before_y.is_some_and(|c| !"aeiou".contains(c)) {
        format!("{}ies", &name[..name.len() - 1])
    } else {
        format!("{name}s")
    }
}

/// Name of an integer enum variant when the spec gives no `x-enum-varnames`.
pub fn integer_variant_name(value: i64) -> String {
    if value < 0 {
        format!("Minus{}", value.unsigned_abs())
    } else {
        format!("Value{value}")
    }
}

/// Variant name for the answers to one status: the reason phrase (`NotFound`), or
/// `Status299` for a code without one, the class name for `4XX`, or `Default`.
pub fn status_variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => match reason_phrase(code) {
            Some(reason) => reason.to_owned(),
            None => format!("Status{code}"),
        },
        StatusMatch::Range(1) => "Informational".to_owned(),
        StatusMatch::Range(2) => "Success".to_owned(),
        StatusMatch::Range(3) => "Redirection".to_owned(),
        StatusMatch::Range(4) => "ClientError".to_owned(),
        StatusMatch::Range(5) => "ServerError".to_owned(),
        StatusMatch::Range(class) => format!("Status{class}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}

/// The IANA reason phrase of a status, in `UpperCamelCase`.
fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "ContentTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        506 => "VariantAlsoNegotiates",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        510 => "NotExtended",
        511 => "NetworkAuthenticationRequired",
        _ => return None,
    })
}

/// The variants of an enum of kinds of Server-Sent Events, in order: each kind
/// in camel case (`message.delta` → `MessageDelta`), `Other` for the branch that
/// takes every other kind; repeats are numbered.
pub fn event_variant_names(kinds: &[Option<&str>]) -> Vec<String> {
    let mut taken = std::collections::BTreeSet::new();
    kinds
        .iter()
        .map(|kind| {
            let wanted = kind.map_or_else(|| "Other".to_owned(), camel_name);
            super::claim_unique(&mut taken, &wanted, false)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_variants_are_named_after_what_they_hold() {
        use VariantHint as H;
        let floats = H::Array(Box::new(H::Number(Some("float"))));
        let table: &[(VariantHint<'_>, &str)] = &[
            (H::Reference("chat_message"), "ChatMessage"),
            (H::Title("Lines of text"), "LinesOfText"),
            (H::String(None), "String"),
            (H::String(Some("byte")), "Base64"),
            (H::String(Some("date-time")), "DateTime"),
            (H::String(Some("uuid")), "Uuid"),
            (H::String(Some("uri")), "Uri"),
            (H::String(Some("ipv4")), "Ipv4"),
            (H::String(Some("123")), "String"),
            (H::StringValue("tree_sitter"), "TreeSitter"),
            (H::StringValue("*"), "String"),
            (H::Integer, "Integer"),
            (H::Number(None), "Number"),
            (H::Number(Some("double")), "Float"),
            (H::Boolean, "Boolean"),
            (H::Null, "Null"),
            (floats, "Floats"),
            (H::Array(Box::new(H::Integer)), "Integers"),
            (H::Array(Box::new(H::Reference("Address"))), "Addresses"),
            (H::Array(Box::new(H::Reference("Entry"))), "Entries"),
            (H::Array(Box::new(H::Array(Box::new(H::Integer)))), "Arrays"),
            (H::Array(Box::new(H::Any)), "Array"),
            (H::Object(Some("max_lines")), "MaxLines"),
            (H::Object(None), "Object"),
            (H::Any, "Value"),
        ];
        for (hint, expected) in table {
            assert_eq!(union_variant_name(hint), *expected, "{hint:?}");
        }
    }

    #[test]
    fn plurals() {
        let table = [
            ("Chat", "Chats"),
            ("Address", "Addresses"),
            ("Box", "Boxes"),
            ("Match", "Matches"),
            ("Entry", "Entries"),
            ("Key", "Keys"),
            ("Day", "Days"),
            ("Base64", "Base64s"),
            ("Float", "Floats"),
        ];
        for (one, many) in table {
            assert_eq!(plural(one), many, "{one}");
        }
    }

    #[test]
    fn integer_variants() {
        assert_eq!(integer_variant_name(-2), "Minus2");
        assert_eq!(integer_variant_name(0), "Value0");
        assert_eq!(integer_variant_name(7), "Value7");
        assert_eq!(integer_variant_name(i64::MIN), "Minus9223372036854775808");
    }

    #[test]
    fn status_variants() {
        let table = [
            (StatusMatch::Code(200), "Ok"),
            (StatusMatch::Code(201), "Created"),
            (StatusMatch::Code(204), "NoContent"),
            (StatusMatch::Code(404), "NotFound"),
            (StatusMatch::Code(422), "UnprocessableEntity"),
            (StatusMatch::Code(299), "Status299"),
            (StatusMatch::Range(2), "Success"),
            (StatusMatch::Range(4), "ClientError"),
            (StatusMatch::Range(5), "ServerError"),
            (StatusMatch::Range(7), "Status7xx"),
            (StatusMatch::Default, "Default"),
        ];
        for (status, name) in table {
            assert_eq!(status_variant_name(status), name, "{status:?}");
        }
    }

    #[test]
    fn event_variants_are_named_after_their_kinds() {
        let table: &[(&[Option<&str>], &[&str])] = &[
            (&[Some("delta"), Some("done")], &["Delta", "Done"]),
            (&[Some("message.delta"), None], &["MessageDelta", "Other"]),
            (
                &[Some("content_block_start"), Some("Content-Block-Start")],
                &["ContentBlockStart", "ContentBlockStart2"],
            ),
            (&[Some("other"), None], &["Other", "Other2"]),
            (&[Some("2xx"), Some("")], &["V2xx", "Empty"]),
        ];
        for (kinds, names) in table {
            assert_eq!(event_variant_names(kinds), *names, "{kinds:?}");
        }
    }
}
