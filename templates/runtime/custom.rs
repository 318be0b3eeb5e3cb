//! Routes the spec does not describe: [`Client::request`] calls any path with
//! the client's credentials (those of the spec's root requirement, when set),
//! retries, timeouts, hooks and errors, and answers with raw JSON or a type of
//! the caller's.

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::builder::{Operation, RequestBuilder};
use super::client::{Client, Request, RequestOptions};
use super::error::{BuildError, DecodeError};

/// A call to a route the spec does not describe ([`Client::request`]): the
/// `Operation` of a [`RequestBuilder`] like any other, answering with `T`
/// (raw JSON unless [`RequestBuilder::returning`] says otherwise).
pub struct CustomRoute<T = serde_json::Value> {
    method: reqwest::Method,
    path: String,
    body: Option<Result<serde_json::Value, String>>,
    output: PhantomData<fn() -> T>,
}

impl Client {
    /// A request to `path` (below the base URL, starting with `/`, already
    /// percent-encoded) that the spec does not describe, sent with the same
    /// retries, timeout, hooks and errors as the generated operations, and the
    /// credentials of the spec's root requirement if they are set (else any one
    /// scheme's that is set; none are required).
    /// Its answer is raw JSON (`serde_json::Value`, `null` for an empty body)
    /// unless [`RequestBuilder::returning`] names a type; error bodies are raw JSON.
    pub fn request(
        &self,
        method: reqwest::Method,
        path: impl Into<String>,
    ) -> RequestBuilder<CustomRoute> {
        RequestBuilder::new(
            self.clone(),
            CustomRoute {
                method,
                path: path.into(),
                body: None,
                output: PhantomData,
            },
        )
    }
}

impl<T> RequestBuilder<CustomRoute<T>> {
    /// Sends `body` as JSON (`application/json`). A value that cannot be encoded
    /// fails the call with `Error::Build`.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        self.operation.body = Some(serde_json::to_value(body).map_err(|e| e.to_string()));
        self
    }

    /// Decodes the answer as `U` instead.
    pub fn returning<U: DeserializeOwned>(self) -> RequestBuilder<CustomRoute<U>> {
        let CustomRoute {
            method, path, body, ..
        } = self.operation;
        RequestBuilder {
            client: self.client,
            options: self.options,
            operation: CustomRoute {
                method,
                path,
                body,
                output: PhantomData,
            },
        }
    }
}

impl<T: DeserializeOwned + 'static> Operation for CustomRoute<T> {
    type Output = T;
    type ErrorBody = serde_json::Value;
    const ID: &'static str = "request";
    const PATH: &'static str = "(a route not in the spec)";

    fn encode(self, options: RequestOptions) -> Result<Request, BuildError> {
        if !self.path.starts_with('/') {
            return Err(BuildError {
                message: format!("the path {:?} must start with `/`", self.path),
            });
        }
        let mut request = Request::new(self.method, self.path, options);
        let undeclared = crate::auth::UNDECLARED;
        request.security(undeclared.alternatives, undeclared.optional);
        match self.body {
            Some(Ok(body)) => request.json(&body, "application/json")?,
            Some(Err(error)) => {
                return Err(BuildError {
                    message: format!("the request body cannot be encoded as JSON: {error}"),
                })
            }
            None => {}
        }
        Ok(request)
    }

    fn decode(status: u16, body: Vec<u8>) -> Result<T, DecodeError> {
        // An empty answer (`204`) is JSON `null`: `()`, `Option` or `Value` take it.
        let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &body
        };
        super::decode::decode_json(status, body)
    }
}

impl<T> Clone for CustomRoute<T> {
    fn clone(&self) -> Self {
        CustomRoute {
            method: self.method.clone(),
            path: self.path.clone(),
            body: self.body.clone(),
            output: PhantomData,
        }
    }
}

impl<T> fmt::Debug for CustomRoute<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomRoute")
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}
