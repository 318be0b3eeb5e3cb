//! A keep-alive HTTP/1.1 server (hyper) for the streaming tests and the
//! overhead benchmark: it reads each request body as it arrives without keeping
//! it, and writes answers that it makes up as it sends them, so neither side of a
//! 64 MB transfer is ever in memory here.
//!
//! What it answers is steered by request headers:
//! - `x-answer-bytes: N`: a body of N bytes (`application/octet-stream`), made
//!   in 64 KB chunks from one buffer;
//! - `x-answer-events: N`: N Server-Sent Events (`text/event-stream`), each
//!   `id: i` and `data: {"n":i,"note":"…"}` with a 300-byte note, made as sent;
//! - `x-answer-status: S`: that status;
//! - otherwise `200` with the server's JSON answer ([`StreamServer::start_answering`]),
//!   by default `{"received": <request body bytes>}`.
//!
//! Every request is counted, so a test can tell whether the client retried.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// Size of the chunks the server writes.
const CHUNK: usize = 64 * 1024;

type AnswerBody = http_body_util::combinators::BoxBody<Bytes, Infallible>;

/// A running streaming server; stops when dropped.
pub struct StreamServer {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl StreamServer {
    /// Starts the server on `127.0.0.1` (a port the OS picks).
    #[allow(dead_code)] // The benchmark starts it answering JSON of its own.
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// Like [`StreamServer::start`], answering `json` instead of the count.
    #[allow(dead_code)] // Used by the benchmark only.
    pub async fn start_answering(json: &serde_json::Value) -> Self {
        Self::start_with(Some(Bytes::from(json.to_string()))).await
    }

    async fn start_with(json: Option<Bytes>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding 127.0.0.1:0 for the stream server");
        let addr = listener.local_addr().expect("the listener's address");
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let counter = Arc::clone(&counter);
                let json = json.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        counter.fetch_add(1, Ordering::SeqCst);
                        answer(request, json.clone())
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let served = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                    if let Err(error) = served {
                        eprintln!("stream server: connection ended with {error}");
                    }
                });
            }
        });
        StreamServer {
            addr,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests have arrived.
    #[allow(dead_code)] // Not every binary that includes this counts.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for StreamServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads the body (counting, not keeping it), then answers as the headers ask.
async fn answer(
    request: Request<Incoming>,
    json: Option<Bytes>,
) -> Result<Response<AnswerBody>, Infallible> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
    };
    let answer_bytes = header("x-answer-bytes");
    let answer_events = header("x-answer-events");
    let status = header("x-answer-status").unwrap_or(200);
    let mut body = request.into_body();
    let mut received: u64 = 0;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => received += frame.data_ref().map_or(0, |d| d.len() as u64),
            Err(_) => break,
        }
    }
    let status = u16::try_from(status).unwrap_or(500);
    let response = Response::builder().status(status);
    let response = match (answer_bytes, answer_events) {
        (_, Some(events)) => response
            .header("content-type", "text/event-stream")
            .body(made_up_events(events)),
        (Some(total), None) => response
            .header("content-type", "application/octet-stream")
            .header("content-length", total)
            .body(made_up(total)),
        (None, None) => {
            let json = json.unwrap_or_else(|| Bytes::from(format!(r#"{{"received":{received}}}"#)));
            response
                .header("content-type", "application/json")
                .body(http_body_util::Full::new(json).boxed())
        }
    };
    Ok(response.unwrap_or_else(|_| Response::new(AnswerBody::default())))
}

/// `total` bytes, written as 64 KB chunks of one shared buffer.
fn made_up(total: u64) -> AnswerBody {
    let buffer = Bytes::from(vec![b'x'; CHUNK]);
    let chunks = total.div_ceil(CHUNK as u64);
    let stream = futures_util::stream::iter(0..chunks).map(move |index| {
        let left = total - index * CHUNK as u64;
        let len = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
        Ok::<_, Infallible>(Frame::data(buffer.slice(..len)))
    });
    BodyExt::boxed(StreamBody::new(stream))
}

/// `total` Server-Sent Events, written 64 to a chunk, each made as it is sent.
fn made_up_events(total: u64) -> AnswerBody {
    const PER_CHUNK: u64 = 64;
    let note = "n".repeat(300);
    let stream = futures_util::stream::iter(0..total.div_ceil(PER_CHUNK)).map(move |chunk| {
        let mut text = String::new();
        for n in chunk * PER_CHUNK..((chunk + 1) * PER_CHUNK).min(total) {
            text.push_str(&format!(
                "id: {n}\ndata: {{\"n\":{n},\"note\":\"{note}\"}}\n\n"
            ));
        }
        Ok::<_, Infallible>(Frame::data(Bytes::from(text)))
    });
    BodyExt::boxed(StreamBody::new(stream))
}
