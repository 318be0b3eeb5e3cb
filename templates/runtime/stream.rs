//! Bodies that are never held in memory whole: [`ByteStream`], a response body
//! read as it arrives, and [`Body`], a request body from bytes, a file, a reader
//! or a stream.
//!
//! A body from bytes or from a file can be sent again, so a request with one is
//! retried like any other (a file is opened anew for each attempt). A body from a
//! reader or a stream can be read only once: a request with one is sent once, and
//! an error that would have been retried says so.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt};
use reqwest::header::HeaderMap;

use super::error::{BuildError, ConnectionError};

/// A response body read as it arrives, with the status and headers
/// (`send_stream`): a [`Stream`] of [`Bytes`] chunks, so a 2 GB file needs no more
/// memory than a chunk.
///
/// Retries end once the headers are in: a connection that breaks during the body
/// is an error of the stream, not a new attempt. The request's timeout covers
/// the wait for the headers, not the reading of the body.
pub struct ByteStream {
    status: u16,
    headers: HeaderMap,
    url: String,
    content_length: Option<u64>,
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
}

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response, url: String) -> Self {
        ByteStream {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            url,
            content_length: response.content_length(),
            body: Box::pin(response.bytes_stream()),
        }
    }

    /// An answer already read whole, as a stream of one chunk.
    pub(crate) fn whole(status: u16, headers: HeaderMap, body: Vec<u8>) -> Self {
        let content_length = Some(body.len() as u64);
        let chunk: reqwest::Result<Bytes> = Ok(Bytes::from(body));
        ByteStream {
            status,
            headers,
            url: String::new(),
            content_length,
            body: Box::pin(futures_util::stream::iter([chunk])),
        }
    }

    /// A body of these chunks, for the tests of what reads bodies.
    #[cfg(test)]
    pub(crate) fn chunks(status: u16, chunks: Vec<Bytes>) -> Self {
        ByteStream {
            status,
            headers: HeaderMap::new(),
            url: String::new(),
            content_length: None,
            body: Box::pin(futures_util::stream::iter(chunks.into_iter().map(Ok))),
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body's length, when the server said it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Reads the rest of the body into memory (what `send` does).
    pub async fn read_to_end(mut self) -> Result<Vec<u8>, ConnectionError> {
        let mut body = Vec::new();
        while let Some(chunk) = self.next().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ConnectionError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.body.as_mut().poll_next(cx).map(|item| {
            item.map(|chunk| {
                chunk.map_err(|source| ConnectionError {
                    url: this.url.clone(),
                    timeout: None,
                    // Without the URL: its query may carry a credential.
                    source: Some(source.without_url()),
                    not_retried: None,
                })
            })
        })
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("url", &self.url)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// How much of a file or reader is read at a time.
const READ_CHUNK: usize = 64 * 1024;

/// The error type a [`Body`] stream may fail with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

type OnceStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A request body: bytes in memory (`Body::from(vec)`), a file read as it is
/// sent ([`Body::from_path`]), or a reader or stream read once
/// ([`Body::from_reader`], [`Body::from_stream`]).
#[derive(Clone)]
pub struct Body {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    /// Taken by the one attempt that sends it.
    Once(Arc<Mutex<Option<OnceStream>>>),
}

impl Body {
    /// The file at `path`, opened and read as the request is sent; a retry opens
    /// it again. A file that cannot be opened fails the request with
    /// `Error::Build`, before anything is sent.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        Body {
            source: Source::Path(path.into()),
        }
    }

    /// What `reader` yields, read as the request is sent. It can be read only
    /// once, so the request is not retried.
    pub fn from_reader(reader: impl tokio::io::AsyncRead + Send + 'static) -> Self {
        Self::from_stream(tokio_util::io::ReaderStream::with_capacity(
            reader, READ_CHUNK,
        ))
    }

    /// The chunks of `stream`, sent as they come. It can be read only once, so
    /// the request is not retried.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: OnceStream = Box::pin(stream.map_err(Into::into));
        Body {
            source: Source::Once(Arc::new(Mutex::new(Some(stream)))),
        }
    }

    /// Whether a request with this body can be sent again (bytes and files).
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Once(_))
    }

    /// The bytes, for a body held in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The file, for a body read from one.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::Path(path) => Some(path),
            _ => None,
        }
    }

    /// The body for one attempt, with its length when known (sent as
    /// `Content-Length`; a stream of unknown length goes out chunked).
    pub(crate) async fn open(&self) -> Result<(reqwest::Body, Option<u64>), BuildError> {
        match &self.source {
            Source::Bytes(bytes) => Ok((bytes.clone().into(), Some(bytes.len() as u64))),
            Source::Path(path) => {
                let cannot = |error: &dyn fmt::Display| BuildError {
                    message: format!("the body file {} cannot be opened: {error}", path.display()),
                };
                let file = tokio::fs::File::open(path).await.map_err(|e| cannot(&e))?;
                let metadata = file.metadata().await.map_err(|e| cannot(&e))?;
                if metadata.is_dir() {
                    return Err(cannot(&"it is a folder"));
                }
                // A pipe or a `/proc` file says 0 whatever it holds: chunked, then.
                let length = metadata.is_file().then_some(metadata.len());
                let stream = tokio_util::io::ReaderStream::with_capacity(file, READ_CHUNK);
                Ok((reqwest::Body::wrap_stream(stream), length))
            }
            Source::Once(cell) => {
                let taken = cell.lock().unwrap_or_else(PoisonError::into_inner).take();
                match taken {
                    Some(stream) => Ok((reqwest::Body::wrap_stream(stream), None)),
                    None => Err(BuildError {
                        message: "the body stream was already sent once and cannot be read again"
                            .to_owned(),
                    }),
                }
            }
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body {
            source: Source::Bytes(bytes.into()),
        }
    }
}

impl From<&[u8]> for Body {
    fn from(bytes: &[u8]) -> Self {
        Self::from(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Body {
    fn from(bytes: &[u8; N]) -> Self {
        Self::from(bytes.to_vec())
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body {
            source: Source::Bytes(bytes),
        }
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self::from(text.into_bytes())
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Self {
        Self::from(text.as_bytes())
    }
}

impl PartialEq for Body {
    /// Bytes by content, files by path, streams only to themselves.
    fn eq(&self, other: &Self) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path(a), Source::Path(b)) => a == b,
            (Source::Once(a), Source::Once(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Body {}

impl Default for Body {
    fn default() -> Self {
        Self::from(Vec::new())
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Bytes(bytes) => write!(f, "Body({} bytes)", bytes.len()),
            Source::Path(path) => write!(f, "Body(file {})", path.display()),
            Source::Once(_) => f.write_str("Body(stream, read once)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bytes_and_files_can_be_sent_again_and_streams_once() {
        let bytes = Body::from("abc");
        assert_eq!(bytes.as_bytes(), Some(&b"abc"[..]));
        assert!(bytes.is_replayable());
        assert_eq!(bytes.open().await.expect("bytes").1, Some(3));
        assert_eq!(bytes.open().await.expect("again").1, Some(3));

        let path = std::env::temp_dir().join(format!("body-test-{}", std::process::id()));
        std::fs::write(&path, b"from a file").expect("write");
        let file = Body::from_path(&path);
        assert_eq!(file.open().await.expect("file").1, Some(11));
        assert_eq!(file.open().await.expect("reopened").1, Some(11));
        std::fs::remove_file(&path).expect("remove");
        let gone = file.open().await.expect_err("the file is gone");
        assert!(
            gone.message.contains("cannot be opened"),
            "{}",
            gone.message
        );
        let folder = Body::from_path(std::env::temp_dir());
        let folder = folder.open().await.expect_err("a folder is no body");
        assert!(
            folder.message.contains("it is a folder"),
            "{}",
            folder.message
        );

        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("a"))]);
        let once = Body::from_stream(chunks);
        assert!(!once.is_replayable());
        assert_eq!(once.open().await.expect("stream").1, None);
        let again = once.open().await.expect_err("read once");
        assert!(
            again.message.contains("already sent once"),
            "{}",
            again.message
        );
        assert_eq!(format!("{once:?}"), "Body(stream, read once)");
    }
}
