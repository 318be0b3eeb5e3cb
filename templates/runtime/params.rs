//! Encoding of parameters: path segments (percent-encoded so a value can never
//! change the route) and values for query strings and headers.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use super::BuildError;

/// Characters percent-encoded in a path segment: everything but RFC 3986 `pchar`.
///
/// `/`, `?`, `#` and `%` are in the set, so a value can never end its segment,
/// start a query or fragment, or smuggle in a pre-encoded sequence.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes one path parameter so that it stays one path segment.
///
/// Values that a URL parser would treat as something else than a segment of text
/// (empty, `.` or `..`, in any encoding) are refused rather than sent, since no
/// encoding can make them reach the server unchanged.
#[allow(dead_code)] // Used only by operations with path parameters.
pub(crate) fn encode_path_segment(name: &str, value: &str) -> Result<String, BuildError> {
    if value.is_empty() || value == "." || value == ".." {
        let message =
            format!("path parameter `{name}` cannot be {value:?}: it would change the route");
        return Err(BuildError { message });
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// A value that can be written into a path segment, query string or header.
#[allow(dead_code)] // Used only by operations with parameters.
pub(crate) trait ParamValue {
    /// The value as text, before any percent-encoding.
    fn to_param(&self) -> String;
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

/// Numbers are written as Rust prints them (`1.5`, `-3`).
macro_rules! display_param {
    ($($ty:ty),*) => {
        $(impl ParamValue for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}

display_param!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl ParamValue for chrono::DateTime<chrono::FixedOffset> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }
}

/// Something that adds zero or more `name=value` pairs to a query or header list.
///
/// Optional parameters add nothing when unset; arrays add one pair per item
/// (`ids=a&ids=b`), the `form` style with `explode: true` that OpenAPI defaults to.
#[allow(dead_code)] // Used only by operations with query or header parameters.
pub(crate) trait ParamList {
    /// Appends this value's pairs under `name`.
    fn push_to(&self, name: &str, list: &mut Vec<(String, String)>);
}

impl<T: ParamValue> ParamList for T {
    fn push_to(&self, name: &str, list: &mut Vec<(String, String)>) {
        list.push((name.to_owned(), self.to_param()));
    }
}

impl<T: ParamValue> ParamList for Vec<T> {
    fn push_to(&self, name: &str, list: &mut Vec<(String, String)>) {
        list.extend(self.iter().map(|item| (name.to_owned(), item.to_param())));
    }
}

impl<T: ParamList> ParamList for Option<T> {
    fn push_to(&self, name: &str, list: &mut Vec<(String, String)>) {
        if let Some(value) = self {
            value.push_to(name, list);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_never_change_the_route() {
        let encode = |value: &str| encode_path_segment("id", value).ok();
        assert_eq!(
            encode("!room:beeper.com").as_deref(),
            Some("!room:beeper.com")
        );
        assert_eq!(
            encode("a/b?c#d%e f").as_deref(),
            Some("a%2Fb%3Fc%23d%25e%20f")
        );
        assert_eq!(encode("../x").as_deref(), Some("..%2Fx"));
        assert_eq!(encode("é").as_deref(), Some("%C3%A9"));
        assert_eq!(encode(".."), None);
        assert_eq!(encode("."), None);
        assert_eq!(encode(""), None);
    }

    #[test]
    fn lists_repeat_the_key_and_unset_options_add_nothing() {
        let mut list = Vec::new();
        vec!["a".to_owned(), "b".to_owned()].push_to("ids", &mut list);
        Some(3i64).push_to("limit", &mut list);
        None::<bool>.push_to("unset", &mut list);
        let expected = [("ids", "a"), ("ids", "b"), ("limit", "3")];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(list, expected);
    }
}
