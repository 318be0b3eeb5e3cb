//! The request builder every operation shares: the per-request options
//! (`timeout`, `max_retries`, `header`, and the extras the spec does not list:
//! `extra_query`, `extra_body_field`) and the sending (`send`, `send_with_response`,
//! `send_stream`) are written here once, generic over the operation, instead of
//! once per operation in the generated code.
//!
//! The generated code describes each operation by a struct of its parameters that
//! implements [`Operation`]: how its values become a request, and how a success
//! body is decoded. Everything else is this module's.

use std::fmt;
use std::time::Duration;

use super::client::{ApiResponse, Client, Request, RequestOptions};
use super::decode::ErrorBody;
use super::error::{BuildError, DecodeError, Error};
use super::items::{OpenStream, Reopen};
use super::stream::ByteStream;

/// One operation of the API: what its request carries and what it answers.
///
/// The crate implements it for the parameters of each operation; a
/// [`RequestBuilder`] of them is what the operation's method returns. Code that
/// handles any request can be generic over it, for example
/// `fn with_deadline<O: Operation>(request: RequestBuilder<O>) -> RequestBuilder<O>`.
///
/// The values can be cloned and sent to another task: an event stream that
/// reconnects sends its request again.
pub trait Operation: Sized + Clone + Send + 'static {
    /// What a successful call returns.
    type Output;
    /// What the operation's error answers carry: the crate's error schema, or for an
    /// operation with error bodies of its own, their enum.
    type ErrorBody: ErrorBody + Send + 'static;
    /// The spec's `operationId` (as traces and hooks name the call).
    const ID: &'static str;
    /// The path template, such as `/v1/chats/{chatID}`.
    const PATH: &'static str;

    /// The request these values describe, with the builder's options.
    #[doc(hidden)]
    fn encode(self, options: RequestOptions) -> Result<Request, BuildError>;

    /// A success body decoded, given its status.
    #[doc(hidden)]
    fn decode(status: u16, body: Vec<u8>) -> Result<Self::Output, DecodeError>;

    /// For an operation that answers with a stream of items: how the body is
    /// read as it arrives, given a way to send the request again (which only a
    /// GET event stream keeps). `send` then hands the stream over once the
    /// headers are in.
    #[doc(hidden)]
    const STREAM: Option<OpenStream<Self::Output>> = None;
}

/// A request to the API, ready to send: set options, then `.send().await`.
///
/// Each operation's method returns one (the crate names them, such as
/// `ListChatsRequest`); its setters for the operation's optional values are on that
/// name, the options and sending are here.
#[must_use = "a request does nothing until `.send().await`"]
pub struct RequestBuilder<O> {
    pub(crate) client: Client,
    pub(crate) options: RequestOptions,
    pub(crate) operation: O,
}

impl<O> RequestBuilder<O> {
    /// A request for `operation` with the client's settings.
    pub(crate) fn new(client: Client, operation: O) -> Self {
        RequestBuilder {
            client,
            options: RequestOptions::default(),
            operation,
        }
    }

    /// Overrides the client's timeout for each attempt of this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Overrides how many times this request is retried (0 turns retries off).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options.max_retries = Some(max_retries);
        self
    }

    /// Adds a header to this request, replacing a default header of the same name.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter the spec does not list (after the operation's own;
    /// a name may repeat).
    pub fn extra_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.query.push((name.into(), value.into()));
        self
    }

    /// Adds a field the spec does not list to the JSON body (replacing one of the
    /// same name); a request without a body gets a JSON object of such fields. A
    /// body that is not a JSON object fails the call with `Error::Build`.
    pub fn extra_body_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.options.body_fields.push((name.into(), value.into()));
        self
    }
}

impl<O: Operation> RequestBuilder<O> {
    /// Sends the request and returns the decoded success body.
    pub async fn send(self) -> Result<O::Output, Error<O::ErrorBody>> {
        self.send_with_response().await.map(ApiResponse::into_data)
    }

    /// Sends the request and returns the decoded success body with the status and headers.
    pub async fn send_with_response(self) -> Result<ApiResponse<O::Output>, Error<O::ErrorBody>> {
        if let Some(open) = O::STREAM {
            return self.open_stream(open).await;
        }
        let mut request = self.operation.encode(self.options)?;
        request.describe(O::ID, O::PATH);
        self.client.inner.send_operation(request, O::decode).await
    }

    /// Sends the request and hands the success body over as it arrives, with the
    /// status and headers: for large binary answers, which `send` would hold in
    /// memory whole. Retries stop once an answer's headers are in; an error status
    /// is still an `Error`, its (small) body read whole.
    pub async fn send_stream(self) -> Result<ByteStream, Error<O::ErrorBody>> {
        let mut request = self.operation.encode(self.options)?;
        request.describe(O::ID, O::PATH);
        self.client.inner.send_streamed(request).await
    }
}

impl<O: Operation> RequestBuilder<O> {
    /// Sends a request whose answer is a stream of items and opens it.
    async fn open_stream(
        self,
        open: OpenStream<O::Output>,
    ) -> Result<ApiResponse<O::Output>, Error<O::ErrorBody>> {
        let again = self.clone();
        let body = self.send_stream().await?;
        let (status, headers) = (body.status(), body.headers().clone());
        let reopen = again.reopen_with_last_event_id();
        Ok(ApiResponse {
            status,
            headers,
            data: open(body, Some(reopen)),
        })
    }

    /// How the stream is sent again after it ended, carrying the last event ID.
    /// The operation's `STREAM` keeps it only for GET: sending another method
    /// again could repeat its effect.
    fn reopen_with_last_event_id(self) -> Reopen {
        Box::new(move |last_event_id: Option<String>| {
            let mut again = self.clone();
            if let Some(id) = last_event_id {
                again = again.header("Last-Event-ID", id);
            }
            Box::pin(async move { again.send_stream().await.map_err(|error| error.to_string()) })
        })
    }
}

impl<O: Clone> Clone for RequestBuilder<O> {
    fn clone(&self) -> Self {
        RequestBuilder {
            client: self.client.clone(),
            options: self.options.clone(),
            operation: self.operation.clone(),
        }
    }
}

impl<O: fmt::Debug> fmt::Debug for RequestBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("operation", &self.operation)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
