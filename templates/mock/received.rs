//! A request as the mock server received it, and the path templates the
//! expectations match it against. The query is decoded (as a form), the path
//! is kept as it came (percent-encoded), so a path parameter is compared with
//! the segment the client's own encoder writes.

use std::fmt;

/// One request the mock server received: what [`super::Expect::matching`]
/// predicates and [`super::MockResponse`] builders see, and what
/// [`super::Mocked::received`] and [`super::MockServer::received`] return.
#[derive(Clone)]
pub struct Received {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: bytes::Bytes,
}

impl Received {
    /// The request's method, such as `GET`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path as it was sent (percent-encoded), without the query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The decoded query pairs, in the order they were sent.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The first value of the query parameter `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query_all(name).into_iter().next()
    }

    /// Every value of the query parameter `name`, in order.
    pub fn query_all(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The first value of the header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_all(name).into_iter().next()
    }

    /// Every value of the header `name` (any case), in order.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The cookies of the `Cookie` header, as sent (values still encoded).
    pub fn cookies(&self) -> Vec<(&str, &str)> {
        self.header_all("cookie")
            .into_iter()
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .collect()
    }

    /// The body's bytes (empty when there was none).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body decoded as `T`.
    pub fn json_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// `GET /path?query`, for messages.
    pub(super) fn line(&self) -> String {
        let query = self
            .query
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join("&");
        match query.is_empty() {
            true => format!("{} {}", self.method, self.path),
            false => format!("{} {}?{query}", self.method, self.path),
        }
    }
}

impl fmt::Debug for Received {
    // Header values are left out: they carry the test's credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Received")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("header_names", &names)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// A path template such as `/v1/chats/{chatID}`, split into literal text and
/// parameter names.
#[derive(Debug, Clone)]
pub(super) struct PathTemplate {
    pub(super) text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Literal(String),
    Param(String),
}

impl PathTemplate {
    pub(super) fn parse(text: &str) -> Self {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|i| open + i) else {
                break;
            };
            if open > 0 {
                parts.push(Part::Literal(rest[..open].to_owned()));
            }
            parts.push(Part::Param(rest[open + 1..close].to_owned()));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
        PathTemplate {
            text: text.to_owned(),
            parts,
        }
    }

    /// The raw (still encoded) value of each parameter when `path` fits the
    /// template, else `None`. A parameter takes the shortest text that lets the
    /// rest fit, and never a `/` unless it is the last part.
    pub(super) fn capture(&self, path: &str) -> Option<Vec<(String, String)>> {
        let mut found = Vec::new();
        capture_from(&self.parts, path, &mut found).then_some(found)
    }
}

fn capture_from(parts: &[Part], path: &str, found: &mut Vec<(String, String)>) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return path.is_empty();
    };
    match first {
        Part::Literal(text) => match path.strip_prefix(text.as_str()) {
            Some(after) => capture_from(rest, after, found),
            None => false,
        },
        Part::Param(name) if rest.is_empty() => {
            found.push((name.clone(), path.to_owned()));
            !path.is_empty()
        }
        Part::Param(name) => {
            let limit = path.find('/').unwrap_or(path.len());
            for end in 1..=limit {
                if !path.is_char_boundary(end) {
                    continue;
                }
                let before = found.len();
                found.push((name.clone(), path[..end].to_owned()));
                if capture_from(rest, &path[end..], found) {
                    return true;
                }
                found.truncate(before);
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PathTemplate;

    /// A template, a path, and the captures (`None`: the path does not fit).
    type Case = (
        &'static str,
        &'static str,
        Option<&'static [(&'static str, &'static str)]>,
    );

    #[test]
    fn templates_capture_their_parameters_or_refuse_the_path() {
        let cases: &[Case] = &[
            (
                "/v1/chats/{chatID}",
                "/v1/chats/%21a%3Ab",
                Some(&[("chatID", "%21a%3Ab")]),
            ),
            (
                "/v1/chats/{chatID}",
                "/v1/chats/a/b",
                Some(&[("chatID", "a/b")]),
            ),
            (
                "/v1/chats/{chatID}/messages",
                "/v1/chats/a/b/messages",
                None,
            ),
            (
                "/v1/chats/{chatID}/messages",
                "/v1/chats/x/messages",
                Some(&[("chatID", "x")]),
            ),
            (
                "/files/{name}.{ext}",
                "/files/a.b.tar",
                Some(&[("name", "a"), ("ext", "b.tar")]),
            ),
            ("/v1/chats", "/v1/chats/", None),
            ("/v1/chats/{chatID}", "/v1/chats/", None),
        ];
        for (template, path, want) in cases {
            let got = PathTemplate::parse(template).capture(path);
            let want: Option<Vec<(String, String)>> = want.map(|pairs| {
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            });
            assert_eq!(got, want, "{template} against {path}");
        }
    }
}
