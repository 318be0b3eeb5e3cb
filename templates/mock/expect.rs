//! [`Expect`], the builder of an expectation: the matchers any expectation
//! can add, the answers it can register with, and [`Mocked`], the handle a
//! registered one leaves for counting its hits.
//!
//! The generated code adds one typed setter per parameter and body field
//! (`crate::mock::<feature>`); each encodes its value with the client's own
//! encoder, so the mock compares what the client would send.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::plan::{lock, Matcher, Place, Plan, Registered, Test, Times};
use super::received::PathTemplate;
use super::respond::Reply;
use super::{MockResponse, MockServer, MockStream, Received};

/// An expectation being set up: narrow what it matches, then answer with one
/// of the `respond_*` methods, which registers it with the server.
///
/// `O` is the operation's values type (as in `crate::RequestBuilder<O>`): the
/// generated setters and typed responders of each operation are methods of
/// `Expect<O>` for its `O`.
#[must_use = "an expectation is registered only by one of its `respond_*` methods"]
pub struct Expect<O> {
    server: MockServer,
    plan: Plan,
    operation: PhantomData<fn() -> O>,
}

impl<O> Expect<O> {
    /// An expectation of `method` on `template` (such as `/v1/chats/{chatID}`),
    /// named `label` in messages.
    #[allow(dead_code)] // A spec without operations makes none.
    pub(crate) fn new(server: &MockServer, label: &str, method: &str, template: &str) -> Self {
        Expect {
            server: server.clone(),
            plan: Plan {
                label: label.to_owned(),
                method: method.to_owned(),
                template: PathTemplate::parse(template),
                matchers: Vec::new(),
                times: Times::AtLeastOnce,
                delay: Duration::ZERO,
            },
            operation: PhantomData,
        }
    }

    fn with(mut self, what: String, want: String, test: Test) -> Self {
        self.plan.matchers.push(Matcher::new(what, want, test));
        self
    }

    /// Matches at most `n` requests, and [`MockServer::verify`] wants exactly
    /// `n`. Without it (or [`Expect::any_times`]) any number matches and
    /// `verify` wants at least one.
    pub fn times(mut self, n: usize) -> Self {
        self.plan.times = Times::Exactly(n);
        self
    }

    /// Matches any number of requests, none included: `verify` never reports it.
    pub fn any_times(mut self) -> Self {
        self.plan.times = Times::Any;
        self
    }

    /// Waits this long before answering (or dropping the connection).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.plan.delay = delay;
        self
    }

    /// Matches requests that carry the header `name` with exactly `value`.
    pub fn header(self, name: &str, value: &str) -> Self {
        let (name, value) = (name.to_owned(), value.to_owned());
        let what = format!("header `{name}`");
        let want = format!("{value:?}");
        self.with(
            what,
            want,
            Box::new(move |request, _| {
                let got = request.header_all(&name);
                match got.as_slice() == [value.as_str()] {
                    true => Ok(()),
                    false => Err(shown(&got)),
                }
            }),
        )
    }

    /// Matches requests whose query parameter `name` has exactly the one value
    /// `value` (decoded).
    pub fn query(self, name: &str, value: &str) -> Self {
        let (name, value) = (name.to_owned(), value.to_owned());
        let what = format!("query parameter `{name}`");
        let want = format!("{value:?}");
        self.with(
            what,
            want,
            Box::new(move |request, _| {
                let got = request.query_all(&name);
                match got.as_slice() == [value.as_str()] {
                    true => Ok(()),
                    false => Err(shown(&got)),
                }
            }),
        )
    }

    /// Matches requests whose JSON body equals `value`.
    pub fn json_body(self, value: serde_json::Value) -> Self {
        let want = value.to_string();
        self.with(
            "body".to_owned(),
            want,
            Box::new(move |request, _| match request.json() {
                Some(body) if body == value => Ok(()),
                Some(body) => Err(body.to_string()),
                None => Err(body_text(request)),
            }),
        )
    }

    /// Matches requests whose raw body passes `test`.
    pub fn body_where(self, test: impl Fn(&[u8]) -> bool + Send + Sync + 'static) -> Self {
        self.with(
            "body".to_owned(),
            "a body that passes the test".to_owned(),
            Box::new(move |request, _| match test(request.body()) {
                true => Ok(()),
                false => Err(body_text(request)),
            }),
        )
    }

    /// Matches requests that pass `test`; `description` names it in messages.
    pub fn matching(
        self,
        description: &str,
        test: impl Fn(&Received) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.with(
            "request".to_owned(),
            description.to_owned(),
            Box::new(move |request, _| match test(request) {
                true => Ok(()),
                false => Err(format!("{}, which does not", request.line())),
            }),
        )
    }

    /// Answers with `response`.
    pub fn respond(self, response: MockResponse) -> Mocked {
        self.register(Reply::Fixed(response))
    }

    /// Answers with `status` and no body.
    pub fn respond_status(self, status: u16) -> Mocked {
        self.respond(MockResponse::status(status))
    }

    /// Answers with `status` and `value` as JSON, whatever the spec declares.
    pub fn respond_json(self, status: u16, value: &impl serde::Serialize) -> Mocked {
        self.respond(MockResponse::json(status, value))
    }

    /// Answers with `status` and `body` as it is, under `content_type`.
    pub fn respond_raw(
        self,
        status: u16,
        content_type: &str,
        body: impl Into<bytes::Bytes>,
    ) -> Mocked {
        self.respond(MockResponse::bytes(status, content_type, body))
    }

    /// Answers with `status` and a body streamed as `stream` scripts it.
    pub fn respond_script(self, status: u16, stream: MockStream) -> Mocked {
        self.respond(MockResponse::stream(status, stream))
    }

    /// Answers with what `make` builds from each matched request.
    pub fn respond_with(
        self,
        make: impl Fn(&Received) -> MockResponse + Send + Sync + 'static,
    ) -> Mocked {
        self.register(Reply::With(Arc::new(make)))
    }

    /// Closes the connection without answering, as a crashed server would.
    pub fn drop_connection(self) -> Mocked {
        self.register(Reply::Drop)
    }

    fn register(self, reply: Reply) -> Mocked {
        let registered = Arc::new(Registered {
            plan: self.plan,
            reply,
            hits: AtomicUsize::new(0),
            received: Mutex::new(Vec::new()),
        });
        self.server.add(Arc::clone(&registered));
        Mocked { registered }
    }
}

/// Matchers the generated setters build.
#[allow(dead_code)] // Which of these a crate uses depends on its operations.
impl<O> Expect<O> {
    /// The path parameter `name` is `encoded`, as the client writes it.
    pub(crate) fn match_path(
        self,
        name: &'static str,
        encode: impl FnOnce() -> Result<String, crate::BuildError>,
    ) -> Self {
        let what = format!("path parameter `{name}`");
        match encode() {
            Err(error) => self.unusable(what, error.to_string()),
            Ok(encoded) => {
                let want = format!("{:?}", decode_segment(&encoded));
                self.with(
                    what,
                    want,
                    Box::new(move |_, captures| {
                        let got = captured(captures, name);
                        match got == encoded {
                            true => Ok(()),
                            false => Err(format!("{:?}", decode_segment(got))),
                        }
                    }),
                )
            }
        }
    }

    /// The path parameter `name`, decoded, passes `test`.
    pub(crate) fn match_path_where(
        self,
        name: &'static str,
        test: impl Fn(&str) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.with(
            format!("path parameter `{name}`"),
            "a value that passes the test".to_owned(),
            Box::new(move |_, captures| {
                let got = decode_segment(captured(captures, name));
                match test(&got) {
                    true => Ok(()),
                    false => Err(format!("{got:?}")),
                }
            }),
        )
    }

    /// The parameter `name` at `place` is what `encode` puts on a request.
    pub(crate) fn match_param(
        self,
        place: Place,
        name: &'static str,
        encode: impl FnOnce(&mut crate::runtime::Request) -> Result<(), crate::BuildError>,
    ) -> Self {
        let what = format!("{} `{name}`", place.name());
        let mut scratch = crate::runtime::Request::new(
            reqwest::Method::GET,
            String::new(),
            crate::runtime::RequestOptions::default(),
        );
        if let Err(error) = encode(&mut scratch) {
            return self.unusable(what, error.to_string());
        }
        let expected = match place {
            Place::Query => scratch.query,
            Place::Header => scratch.headers,
            Place::Cookie => encoded_cookies(&scratch.cookies),
        };
        let mut names: Vec<String> = expected.iter().map(|(key, _)| key.clone()).collect();
        if names.is_empty() {
            names.push(name.to_owned());
        }
        names.dedup();
        let want = shown_pairs(&expected);
        self.with(
            what,
            want,
            Box::new(move |request, _| {
                let got = pairs_at(request, place, &names);
                let same = got.len() == expected.len()
                    && got.iter().zip(&expected).all(|((gk, gv), (ek, ev))| {
                        let key = match place {
                            Place::Header => gk.eq_ignore_ascii_case(ek),
                            _ => gk == ek,
                        };
                        key && gv == ev
                    });
                match same {
                    true => Ok(()),
                    false => Err(shown_pairs(&got)),
                }
            }),
        )
    }

    /// The values of the parameter `name` at `place` pass `test` (decoded for
    /// the query, as sent for headers and cookies).
    pub(crate) fn match_param_where(
        self,
        place: Place,
        name: &'static str,
        test: impl Fn(&[&str]) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.with(
            format!("{} `{name}`", place.name()),
            "values that pass the test".to_owned(),
            Box::new(move |request, _| {
                let got = pairs_at(request, place, &[name.to_owned()]);
                let values: Vec<&str> = got.iter().map(|(_, value)| value.as_str()).collect();
                match test(&values) {
                    true => Ok(()),
                    false => Err(shown(&values)),
                }
            }),
        )
    }

    /// The JSON body's field `name` equals `value`.
    pub(crate) fn match_field(
        self,
        name: &'static str,
        value: Result<serde_json::Value, serde_json::Error>,
    ) -> Self {
        let what = format!("body field `{name}`");
        match value {
            Err(error) => self.unusable(what, error.to_string()),
            Ok(value) => {
                let want = value.to_string();
                self.with(
                    what,
                    want,
                    Box::new(move |request, _| match field_of(request, name) {
                        Ok(got) if got == value => Ok(()),
                        Ok(got) => Err(got.to_string()),
                        Err(why) => Err(why),
                    }),
                )
            }
        }
    }

    /// The JSON body's field `name`, decoded as `T`, passes `test`.
    pub(crate) fn match_field_where<T: serde::de::DeserializeOwned>(
        self,
        name: &'static str,
        test: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.with(
            format!("body field `{name}`"),
            "a value that passes the test".to_owned(),
            Box::new(move |request, _| {
                let got = field_of(request, name)?;
                match serde_json::from_value::<T>(got.clone()) {
                    Ok(value) if test(&value) => Ok(()),
                    Ok(_) => Err(got.to_string()),
                    Err(error) => Err(format!("{got}, which does not decode ({error})")),
                }
            }),
        )
    }

    /// The JSON body equals `value` encoded.
    pub(crate) fn match_body(self, value: &impl serde::Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self.json_body(value),
            Err(error) => self.unusable("body".to_owned(), error.to_string()),
        }
    }

    /// The JSON body, decoded as `T`, passes `test`.
    pub(crate) fn match_body_where<T: serde::de::DeserializeOwned>(
        self,
        test: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.with(
            "body".to_owned(),
            "a body that passes the test".to_owned(),
            Box::new(move |request, _| match request.json_as::<T>() {
                Ok(body) if test(&body) => Ok(()),
                Ok(_) => Err(body_text(request)),
                Err(error) => Err(format!(
                    "{}, which does not decode ({error})",
                    body_text(request)
                )),
            }),
        )
    }

    /// A value the test gave could not be encoded: the expectation can match
    /// nothing, and `verify` says why.
    fn unusable(self, what: String, error: String) -> Self {
        let want = format!("a value that could not be encoded ({error})");
        self.with(
            what,
            want,
            Box::new(|_, _| Err("a request, which cannot match".to_owned())),
        )
    }
}

/// The handle of a registered expectation.
#[derive(Clone)]
pub struct Mocked {
    registered: Arc<Registered>,
}

impl Mocked {
    /// How many requests it has answered.
    pub fn hits(&self) -> usize {
        self.registered.hits.load(Ordering::SeqCst)
    }

    /// The requests it has answered, in order.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.registered.received).clone()
    }
}

impl std::fmt::Debug for Mocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mocked")
            .field("expectation", &self.registered.plan.describe())
            .field("hits", &self.hits())
            .finish()
    }
}

fn captured<'a>(captures: &'a [(String, String)], name: &str) -> &'a str {
    captures
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

fn decode_segment(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The pairs of `request` at `place` whose names are among `names`, in order.
fn pairs_at(request: &Received, place: Place, names: &[String]) -> Vec<(String, String)> {
    let all: Vec<(String, String)> = match place {
        Place::Query => request.query.clone(),
        Place::Header => request.headers.clone(),
        Place::Cookie => request
            .cookies()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    };
    all.into_iter()
        .filter(|(key, _)| match place {
            Place::Header => names.iter().any(|n| n.eq_ignore_ascii_case(key)),
            _ => names.iter().any(|n| n == key),
        })
        .collect()
}

/// Cookie pairs as the client writes them into the `Cookie` header.
fn encoded_cookies(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let Some(header) = crate::runtime::cookie_header(pairs) else {
        return Vec::new();
    };
    header
        .split("; ")
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn field_of(request: &Received, name: &str) -> Result<serde_json::Value, String> {
    match request.json() {
        Some(serde_json::Value::Object(mut fields)) => fields
            .remove(name)
            .ok_or_else(|| "no such field".to_owned()),
        Some(other) => Err(format!("{other}, not an object")),
        None => Err(body_text(request)),
    }
}

fn body_text(request: &Received) -> String {
    match request.body().is_empty() {
        true => "no body".to_owned(),
        false => format!("{:?}", String::from_utf8_lossy(request.body())),
    }
}

fn shown(values: &[&str]) -> String {
    match values {
        [] => "nothing".to_owned(),
        [one] => format!("{one:?}"),
        many => format!("{many:?}"),
    }
}

fn shown_pairs(pairs: &[(String, String)]) -> String {
    match pairs {
        [] => "nothing".to_owned(),
        [(_, one)] => format!("{one:?}"),
        many => many
            .iter()
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}
