//! Path and header parameters whose values are lists, objects or unions, written
//! in OpenAPI's `simple`, `label` and `matrix` styles (RFC 6570 expansions).
//!
//! Scalars take the shorter road through `ParamValue`; these functions serve the
//! values that have no text of their own. Every atom of a path value is
//! percent-encoded on its own, separators included, so a value can never change
//! the route.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::form::{scalar_text, sorted, to_json};
use super::BuildError;

/// How a path or header parameter is written, as OpenAPI's `style` and `explode`
/// say (`simple` is the only style of headers).
#[allow(dead_code)] // Which styles a crate uses depends on its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathStyle {
    /// `simple`: `a,b`; objects `k,v,k2,v2` (exploded: `k=v,k2=v2`).
    Simple { explode: bool },
    /// `label`: `.a,b` (exploded: `.a.b`); objects `.k,v` (exploded: `.k=v`).
    Label { explode: bool },
    /// `matrix`: `;id=a,b` (exploded: `;id=a;id=b`); objects `;id=k,v` (exploded: `;k=v`).
    Matrix { explode: bool },
}

/// Characters kept as they are in one atom of a path value: RFC 3986 unreserved.
const ATOM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The path segment for `value` in `style`, percent-encoded.
#[allow(dead_code)] // Used only by specs with such path parameters.
pub(crate) fn path_segment<T: Serialize>(
    name: &str,
    value: &T,
    style: PathStyle,
) -> Result<String, BuildError> {
    let encode = |text: &str| utf8_percent_encode(text, ATOM).to_string();
    let segment = expand(name, &to_json(value)?, style, &encode);
    if segment.is_empty() || segment == "." || segment == ".." {
        let message =
            format!("path parameter `{name}` cannot be {segment:?}: it would change the route");
        return Err(BuildError { message });
    }
    Ok(segment)
}

/// Adds the header for `value` in the `simple` style; `None` and `null` add nothing.
#[allow(dead_code)] // Used only by specs with such header parameters.
pub(crate) fn push_header<T: Serialize>(
    headers: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
    explode: bool,
) -> Result<(), BuildError> {
    let value = to_json(value)?;
    if !value.is_null() {
        let text = expand(name, &value, PathStyle::Simple { explode }, &str::to_owned);
        headers.push((name.to_owned(), text));
    }
    Ok(())
}

/// RFC 6570 expansion of one value; `encode` is applied to every name and atom.
fn expand(
    name: &str,
    value: &serde_json::Value,
    style: PathStyle,
    encode: &dyn Fn(&str) -> String,
) -> String {
    let (prefix, explode) = match style {
        PathStyle::Simple { explode } => ("", explode),
        PathStyle::Label { explode } => (".", explode),
        PathStyle::Matrix { explode } => (";", explode),
    };
    let matrix = matches!(style, PathStyle::Matrix { .. });
    // Exploded items are joined by the prefix (`.a.b`, `;id=a;id=b`), others by commas.
    let joiner = if explode && !prefix.is_empty() {
        prefix
    } else {
        ","
    };
    let name = encode(name);
    let named = |text: String| {
        if matrix {
            format!("{name}={text}")
        } else {
            text
        }
    };
    let body = match value {
        serde_json::Value::Null => return String::new(),
        serde_json::Value::Array(items) => {
            let atoms = items.iter().map(|item| encode(&scalar_text(item)));
            if explode {
                atoms.map(named).collect::<Vec<_>>().join(joiner)
            } else {
                named(atoms.collect::<Vec<_>>().join(","))
            }
        }
        serde_json::Value::Object(map) => {
            // Sorted, so every build (with or without serde_json's `preserve_order`)
            // sends the same text.
            let pairs = sorted(map).map(|(key, item)| (encode(key), encode(&scalar_text(item))));
            if explode {
                pairs
                    .map(|(key, item)| format!("{key}={item}"))
                    .collect::<Vec<_>>()
                    .join(joiner)
            } else {
                let flat: Vec<String> = pairs.flat_map(|(key, item)| [key, item]).collect();
                named(flat.join(","))
            }
        }
        scalar => named(encode(&scalar_text(scalar))),
    };
    format!("{prefix}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(value: serde_json::Value, style: PathStyle) -> Option<String> {
        path_segment("id", &value, style).ok()
    }

    #[test]
    fn path_values_follow_rfc_6570() {
        use serde_json::json;
        let list = json!([3, "a b", "x,y"]);
        let object = json!({"w": 1, "h": "2/3"});
        let table = [
            (
                list.clone(),
                PathStyle::Simple { explode: false },
                "3,a%20b,x%2Cy",
            ),
            (
                list.clone(),
                PathStyle::Simple { explode: true },
                "3,a%20b,x%2Cy",
            ),
            (
                list.clone(),
                PathStyle::Label { explode: false },
                ".3,a%20b,x%2Cy",
            ),
            (
                list.clone(),
                PathStyle::Label { explode: true },
                ".3.a%20b.x%2Cy",
            ),
            (
                list.clone(),
                PathStyle::Matrix { explode: false },
                ";id=3,a%20b,x%2Cy",
            ),
            (
                list,
                PathStyle::Matrix { explode: true },
                ";id=3;id=a%20b;id=x%2Cy",
            ),
            (
                object.clone(),
                PathStyle::Simple { explode: false },
                "h,2%2F3,w,1",
            ),
            (
                object.clone(),
                PathStyle::Simple { explode: true },
                "h=2%2F3,w=1",
            ),
            (
                object.clone(),
                PathStyle::Label { explode: true },
                ".h=2%2F3.w=1",
            ),
            (
                object.clone(),
                PathStyle::Matrix { explode: false },
                ";id=h,2%2F3,w,1",
            ),
            (object, PathStyle::Matrix { explode: true }, ";h=2%2F3;w=1"),
            (json!("a/b"), PathStyle::Simple { explode: false }, "a%2Fb"),
            (json!(true), PathStyle::Label { explode: false }, ".true"),
        ];
        for (value, style, expected) in table {
            assert_eq!(
                path(value.clone(), style).as_deref(),
                Some(expected),
                "{value} {style:?}"
            );
        }
    }

    #[test]
    fn empty_paths_are_refused() {
        use serde_json::json;
        assert_eq!(path(json!([]), PathStyle::Simple { explode: false }), None);
        assert_eq!(
            path(json!(null), PathStyle::Simple { explode: false }),
            None
        );
        assert_eq!(
            path(json!(["."]), PathStyle::Simple { explode: false }),
            None
        );
    }

    #[test]
    fn headers_are_comma_joined() {
        use serde_json::json;
        let mut headers = Vec::new();
        let pushed = [
            push_header(&mut headers, "X-Ids", &json!(["a", "b"]), false),
            push_header(&mut headers, "X-Shape", &json!({"w": 1, "h": 2}), false),
            push_header(&mut headers, "X-Shape", &json!({"w": 1, "h": 2}), true),
            push_header(&mut headers, "X-None", &None::<Vec<String>>, false),
        ];
        assert!(pushed.iter().all(Result::is_ok));
        let texts: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                ("X-Ids", "a,b"),
                ("X-Shape", "h,2,w,1"),
                ("X-Shape", "h=2,w=1")
            ]
        );
    }
}
