//! Values flattened into `key=value` pairs: `application/x-www-form-urlencoded`
//! bodies and the query styles other than exploded `form`. Nested objects and
//! arrays use brackets (`metadata[plan]=pro`, `items[0][price]=p1`), the convention
//! of the APIs that nest form data (Stripe, Beeper's SDKs).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::BuildError;

/// How a query parameter is written, as OpenAPI's `style` and `explode` say.
#[allow(dead_code)] // Which styles a crate uses depends on its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryStyle {
    /// `form` with `explode: true` for values that are not plain scalars (unions,
    /// objects): arrays as repeated keys, objects as one `key=value` per property.
    Exploded,
    /// `form` with `explode: false`: `ids=a,b`; objects `p=k1,v1,k2,v2`.
    FormJoined,
    /// `spaceDelimited`: `ids=a b`.
    SpaceDelimited,
    /// `pipeDelimited`: `ids=a|b`.
    PipeDelimited,
    /// `deepObject`: `p[k]=v`, nested as `p[k][j]=v`, arrays as `p[0]=v`.
    DeepObject,
    /// A parameter given by `content` with a JSON media type: `p={"k":1}`.
    Json,
}

/// Characters kept as they are in a form-encoded key or value.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'*');

/// Appends `value` under `name` to `list` in `style`; `None` and `null` add nothing.
#[allow(dead_code)] // Used only by specs with such query parameters.
pub(crate) fn push_styled<T: Serialize>(
    list: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
    style: QueryStyle,
) -> Result<(), BuildError> {
    let value = to_json(value)?;
    let separator = match style {
        QueryStyle::DeepObject => {
            flatten(name, &value, list);
            return Ok(());
        }
        QueryStyle::Exploded => {
            explode(name, &value, list);
            return Ok(());
        }
        QueryStyle::Json => {
            if !value.is_null() {
                list.push((name.to_owned(), value.to_string()));
            }
            return Ok(());
        }
        QueryStyle::FormJoined => ",",
        QueryStyle::SpaceDelimited => " ",
        QueryStyle::PipeDelimited => "|",
    };
    let joined = match &value {
        serde_json::Value::Null => return Ok(()),
        serde_json::Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>(),
        serde_json::Value::Object(map) => sorted(map)
            .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
            .collect(),
        scalar => vec![scalar_text(scalar)],
    };
    list.push((name.to_owned(), joined.join(separator)));
    Ok(())
}

/// The text of a value without a `ParamValue` form (a union in a path, say).
#[allow(dead_code)] // Used only by specs with such path parameters.
pub(crate) fn to_text<T: Serialize>(value: &T) -> Result<String, BuildError> {
    Ok(scalar_text(&to_json(value)?))
}

/// A value as JSON text (a path parameter given by `content` with a JSON type).
#[allow(dead_code)] // Used only by specs with such path parameters.
pub(crate) fn to_json_text<T: Serialize>(value: &T) -> Result<String, BuildError> {
    Ok(to_json(value)?.to_string())
}

/// OpenAPI's exploded `form` style for any value.
fn explode(name: &str, value: &serde_json::Value, list: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Array(items) => {
            list.extend(
                items
                    .iter()
                    .map(|item| (name.to_owned(), scalar_text(item))),
            );
        }
        serde_json::Value::Object(map) => {
            list.extend(sorted(map).map(|(key, item)| (key.clone(), scalar_text(item))));
        }
        scalar => list.push((name.to_owned(), scalar_text(scalar))),
    }
}

/// A whole body as `application/x-www-form-urlencoded` bytes.
#[allow(dead_code)] // Used only by specs with form bodies.
pub(crate) fn encode_form<T: Serialize>(body: &T) -> Result<Vec<u8>, BuildError> {
    let mut pairs = Vec::new();
    match to_json(body)? {
        serde_json::Value::Object(map) => {
            for (key, value) in sorted(&map) {
                flatten(key, value, &mut pairs);
            }
        }
        serde_json::Value::Null => {}
        other => {
            let message = format!("a form body must be an object, not {other}");
            return Err(BuildError { message });
        }
    }
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, FORM),
                utf8_percent_encode(v, FORM)
            )
        })
        .collect();
    Ok(encoded.join("&").into_bytes())
}

/// How an `in: querystring` parameter (OpenAPI 3.2) is the whole query string.
#[allow(dead_code)] // Which kinds a crate uses depends on its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryString {
    /// `application/x-www-form-urlencoded`: an object as `k=v&k2=v2`, nested
    /// like a form body.
    Form,
    /// A JSON media type: the JSON text, percent-encoded.
    Json,
    /// Any other media type: the value's text, percent-encoded.
    Text,
}

/// The query string (without `?`) an `in: querystring` value makes; `None`
/// for no value (`None`, `null`, an empty object).
#[allow(dead_code)] // Used only by specs with `in: querystring` parameters.
pub(crate) fn query_string<T: Serialize>(
    value: &T,
    kind: QueryString,
) -> Result<Option<String>, BuildError> {
    let value = to_json(value)?;
    let text = match (&value, kind) {
        (serde_json::Value::Null, _) => return Ok(None),
        (serde_json::Value::Object(_), QueryString::Form) => {
            String::from_utf8_lossy(&encode_form(&value)?).into_owned()
        }
        (_, QueryString::Json) => utf8_percent_encode(&value.to_string(), FORM).to_string(),
        (other, _) => utf8_percent_encode(&scalar_text(other), FORM).to_string(),
    };
    Ok(Some(text).filter(|text| !text.is_empty()))
}

/// `prefix=value` for scalars; objects and arrays one level deeper in brackets.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{index}]"), item, out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in sorted(map) {
                flatten(&format!("{prefix}[{key}]"), item, out);
            }
        }
        scalar => out.push((prefix.to_owned(), scalar_text(scalar))),
    }
}

/// The entries of an object by key. serde_json keeps insertion order when any
/// crate of the build turns on its `preserve_order` feature and sorts otherwise;
/// sorting here sends the same bytes in every build.
pub(super) fn sorted(
    map: &serde_json::Map<String, serde_json::Value>,
) -> impl Iterator<Item = (&String, &serde_json::Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries.into_iter()
}

/// The text of a scalar: strings as they are, anything else as JSON.
pub(super) fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `value` as JSON, or a build error that says why it cannot be encoded.
pub(super) fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value, BuildError> {
    serde_json::to_value(value).map_err(|error| BuildError {
        message: format!("a value cannot be encoded: {error}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled<T: Serialize>(value: &T, style: QueryStyle) -> Vec<(String, String)> {
        let mut list = Vec::new();
        assert!(push_styled(&mut list, "p", value, style).is_ok());
        list
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn query_styles_follow_openapi() {
        let ids = vec!["a", "b"];
        assert_eq!(styled(&ids, QueryStyle::FormJoined), pairs(&[("p", "a,b")]));
        assert_eq!(
            styled(&ids, QueryStyle::Json),
            pairs(&[("p", r#"["a","b"]"#)])
        );
        assert_eq!(
            styled(&ids, QueryStyle::SpaceDelimited),
            pairs(&[("p", "a b")])
        );
        assert_eq!(
            styled(&ids, QueryStyle::PipeDelimited),
            pairs(&[("p", "a|b")])
        );
        assert_eq!(
            styled(&ids, QueryStyle::DeepObject),
            pairs(&[("p[0]", "a"), ("p[1]", "b")])
        );
        let object = serde_json::json!({"role": "admin", "tags": {"x": 1}});
        assert_eq!(
            styled(&object, QueryStyle::DeepObject),
            pairs(&[("p[role]", "admin"), ("p[tags][x]", "1")])
        );
        assert_eq!(styled(&None::<i64>, QueryStyle::FormJoined), pairs(&[]));
        assert_eq!(
            styled(&ids, QueryStyle::Exploded),
            pairs(&[("p", "a"), ("p", "b")])
        );
        assert_eq!(
            styled(&serde_json::json!({"x": 1, "y": "z"}), QueryStyle::Exploded),
            pairs(&[("x", "1"), ("y", "z")])
        );
        assert_eq!(
            styled(&serde_json::json!(7), QueryStyle::Exploded),
            pairs(&[("p", "7")])
        );
    }

    #[test]
    fn form_bodies_nest_with_brackets_and_skip_nulls() {
        let body = serde_json::json!({
            "name": "a b&c",
            "items": [{"price": "p1", "quantity": 2}],
            "metadata": {"plan": "pro"},
            "gone": null
        });
        let encoded = encode_form(&body).map(String::from_utf8);
        let expected = "items%5B0%5D%5Bprice%5D=p1&items%5B0%5D%5Bquantity%5D=2&metadata%5Bplan%5D=pro&name=a%20b%26c";
        assert_eq!(encoded.ok().and_then(Result::ok).as_deref(), Some(expected));
        assert!(encode_form(&serde_json::json!([1])).is_err());
    }

    #[test]
    fn a_querystring_value_is_the_whole_query() {
        let whole = |value: serde_json::Value, kind| query_string(&value, kind).ok().flatten();
        let filter = serde_json::json!({"q": "a b", "tags": ["x"], "none": null});
        assert_eq!(
            whole(filter.clone(), QueryString::Form).as_deref(),
            Some("q=a%20b&tags%5B0%5D=x")
        );
        // As in OpenAPI 3.2's example of a JSON query string (one key: the
        // order of several depends on serde_json's features).
        let json = serde_json::json!({"numbers": [1, 2]});
        assert_eq!(
            whole(json, QueryString::Json).as_deref(),
            Some("%7B%22numbers%22%3A%5B1%2C2%5D%7D")
        );
        assert_eq!(
            whole(serde_json::json!("$.a[1]"), QueryString::Text).as_deref(),
            Some("%24.a%5B1%5D")
        );
        assert_eq!(whole(serde_json::Value::Null, QueryString::Form), None);
        assert_eq!(whole(serde_json::json!({}), QueryString::Form), None);
    }
}
