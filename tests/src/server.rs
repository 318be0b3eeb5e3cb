//! A small scripted HTTP/1.1 server for the behaviour tests.
//!
//! [`TestServer::start`] binds `127.0.0.1:0` (the OS picks a free port) and answers
//! each request with the next [`Reply`] of its script; once the script runs out
//! it answers `500` with a body saying so. Every request is recorded exactly as
//! received (request line, headers in order and spelling, body of
//! `Content-Length` bytes) and can be read back with [`TestServer::requests`].
//!
//! Each connection carries one request: the reply says `Connection: close` and
//! the connection is closed after it. Malformed input is logged to stderr and
//! the connection closed; the server loop never panics. The server runs on the
//! test's tokio runtime and stops when the [`TestServer`] is dropped.
//!
//! For timeouts and retries a reply can wait before it is written
//! ([`Reply::after`]) or never be written at all ([`Reply::stall`]), and every
//! request records the [`Instant`] it arrived, so tests can check lower bounds
//! of the waits between attempts.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Largest request head (request line plus headers) the server accepts.
const MAX_HEAD_LEN: usize = 64 * 1024;
/// Largest request body the server accepts.
const MAX_BODY_LEN: usize = 16 * 1024 * 1024;

/// One scripted response.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    timing: Timing,
    /// Written this many bytes at a time, each piece flushed and a millisecond apart.
    pieces: Option<usize>,
    /// Announces one byte more than the body, so the connection breaks mid-body.
    cut: bool,
}

/// When the server writes a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timing {
    /// As soon as the request has been read.
    Now,
    /// After waiting this long.
    After(Duration),
    /// Never: the connection stays open and silent until the client closes it.
    Never,
}

impl Reply {
    /// A response with `status`, no headers and an empty body.
    pub fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            timing: Timing::Now,
            pieces: None,
            cut: false,
        }
    }

    /// No answer at all: the request is recorded, then the connection stays silent
    /// until the client gives up (e.g. on a timeout) or the server is dropped.
    pub fn stall() -> Self {
        Reply {
            timing: Timing::Never,
            ..Self::empty(504)
        }
    }

    /// A response with a JSON body and `Content-Type: application/json`.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::raw(status, "application/json", body.to_string())
    }

    /// A response with a body of `content_type` that need not be valid for it.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            body: body.into(),
            ..Self::empty(status)
        }
        .header("Content-Type", content_type)
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Writes the body `size` bytes at a time, flushing each piece and waiting a
    /// millisecond before the next, so the client reads it in pieces.
    pub fn in_pieces(mut self, size: usize) -> Self {
        self.pieces = Some(size.max(1));
        self
    }

    /// Announces a `Content-Length` one byte longer than the body and closes
    /// after the body: to the client, the connection breaks mid-body.
    pub fn cut(mut self) -> Self {
        self.cut = true;
        self
    }

    /// Waits `delay` after reading the request before writing this reply.
    pub fn after(mut self, delay: Duration) -> Self {
        self.timing = Timing::After(delay);
        self
    }
}

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The request target exactly as sent, e.g. `/v1/chats/x?limit=2`.
    pub target: String,
    /// The protocol version, e.g. `HTTP/1.1`.
    pub version: String,
    /// The headers in the order and spelling received.
    pub headers: Vec<(String, String)>,
    /// The body (`Content-Length` bytes; empty without that header).
    pub body: Vec<u8>,
    /// When the request head had arrived.
    pub arrived: Instant,
}

impl Recorded {
    /// The request line without the line break, e.g. `GET / HTTP/1.1`.
    pub fn request_line(&self) -> String {
        format!("{} {} {}", self.method, self.target, self.version)
    }

    /// The value of the header `name` (case-insensitive), if it was sent exactly once.
    pub fn header(&self, name: &str) -> Option<&str> {
        match self.header_values(name)[..] {
            [value] => Some(value),
            _ => None,
        }
    }

    /// Every value sent for the header `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The path part of the target (before any `?`).
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(&self.target, |(path, _)| path)
    }

    /// The raw (still percent-encoded) `name=value` pairs of the query, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let Some((_, query)) = self.target.split_once('?') else {
            return Vec::new();
        };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (name.to_owned(), value.to_owned())
            })
            .collect()
    }

    /// The body parsed as JSON, or the parse error with the body quoted.
    pub fn body_json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_slice(&self.body).map_err(|error| {
            format!(
                "request body is not JSON ({error}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// What the server shares with the test: the script and the record.
#[derive(Debug, Default)]
struct State {
    script: VecDeque<Reply>,
    requests: Vec<Recorded>,
    connections: usize,
}

/// Locks `state`, ignoring poisoning (a panicking test must not hide the record).
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running scripted server; stops when dropped.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server on `127.0.0.1` that answers with `script`, in order.
    pub async fn start(script: impl IntoIterator<Item = Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding 127.0.0.1:0 for the test server");
        let addr = listener
            .local_addr()
            .expect("the bound test server has an address");
        let state = Arc::new(Mutex::new(State {
            script: script.into_iter().collect(),
            ..State::default()
        }));
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        TestServer { addr, state, task }
    }

    /// The base URL to give the client, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in the order they completed.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state).requests.clone()
    }

    /// How many TCP connections were accepted so far.
    pub fn connections(&self) -> usize {
        lock(&self.state).connections
    }

    /// How many scripted replies were not used.
    pub fn unused_replies(&self) -> usize {
        lock(&self.state).script.len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection task.
        self.task.abort();
    }
}

/// Accepts connections until aborted, serving each on its own task.
async fn accept_loop(listener: TcpListener, state: Arc<Mutex<State>>) {
    let mut connections = JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                lock(&state).connections += 1;
                connections.spawn(serve_connection(stream, peer, Arc::clone(&state)));
            }
            Err(error) => eprintln!("test server: accept failed: {error}"),
        }
        // Reap finished connection tasks so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
}

/// Reads one request, records it, writes the next scripted reply and closes.
async fn serve_connection(mut stream: TcpStream, peer: SocketAddr, state: Arc<Mutex<State>>) {
    let request = match read_request(&mut stream).await {
        Ok(Some(request)) => request,
        Ok(None) => return,
        Err(problem) => {
            eprintln!("test server: closing connection from {peer}: {problem}");
            return;
        }
    };
    let reply = next_reply(&state, request);
    match reply.timing {
        Timing::Now => {}
        Timing::After(delay) => tokio::time::sleep(delay).await,
        Timing::Never => {
            // Read (and drop) until the client closes its end; never answer.
            let mut sink = Vec::new();
            while let Ok(1..) = read_more(&mut stream, &mut sink).await {
                sink.clear();
            }
            return;
        }
    }
    if let Err(error) = write_reply(&mut stream, &reply).await {
        eprintln!("test server: writing the reply to {peer} failed: {error}");
    }
}

/// Records `request` and takes the reply for it from the script.
fn next_reply(state: &Mutex<State>, request: Recorded) -> Reply {
    let mut state = lock(state);
    let number = state.requests.len() + 1;
    let line = request.request_line();
    state.requests.push(request);
    state.script.pop_front().unwrap_or_else(|| {
        let message = format!(
            "test server: script exhausted, no reply scripted for request #{number} ({line})"
        );
        eprintln!("{message}");
        Reply::raw(500, "text/plain; charset=utf-8", message)
    })
}

/// Reads a request head and its body. `Ok(None)` when the peer closed without sending anything.
async fn read_request(stream: &mut TcpStream) -> Result<Option<Recorded>, String> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = find_head_end(&buffer) {
            break end;
        }
        if buffer.len() > MAX_HEAD_LEN {
            return Err(format!("request head longer than {MAX_HEAD_LEN} bytes"));
        }
        if read_more(stream, &mut buffer).await? == 0 {
            return if buffer.is_empty() {
                Ok(None)
            } else {
                Err("connection closed in the middle of the request head".to_owned())
            };
        }
    };
    let head = std::str::from_utf8(&buffer[..head_end])
        .map_err(|error| format!("request head is not UTF-8: {error}"))?;
    let mut request = parse_head(head)?;
    let body_len = content_length(&request)?;
    let mut body = buffer.split_off(head_end + 4);
    while body.len() < body_len {
        if read_more(stream, &mut body).await? == 0 {
            return Err(format!(
                "connection closed after {} of {body_len} body bytes",
                body.len()
            ));
        }
    }
    if body.len() > body_len {
        return Err(format!(
            "{} bytes after the {body_len}-byte body (pipelining is not supported)",
            body.len() - body_len
        ));
    }
    request.body = body;
    Ok(Some(request))
}

/// Appends what the stream has to `buffer`; returns how many bytes came (0 at end of stream).
async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<usize, String> {
    let mut chunk = [0_u8; 8192];
    let read = stream
        .read(&mut chunk)
        .await
        .map_err(|error| format!("read failed: {error}"))?;
    buffer.extend_from_slice(&chunk[..read]);
    Ok(read)
}

/// Where the blank line ending the head starts, if it has arrived.
fn find_head_end(buffer: &[u8]) -> Option<usize> {
    buffer.windows(4).position(|window| window == b"\r\n\r\n")
}

/// Parses the request line and header lines (without the final blank line).
fn parse_head(head: &str) -> Result<Recorded, String> {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("malformed request line {request_line:?}"));
    };
    if method.is_empty() || target.is_empty() || !version.starts_with("HTTP/") {
        return Err(format!("malformed request line {request_line:?}"));
    }
    let headers = lines.map(parse_header).collect::<Result<Vec<_>, _>>()?;
    Ok(Recorded {
        method: method.to_owned(),
        target: target.to_owned(),
        version: version.to_owned(),
        headers,
        body: Vec::new(),
        arrived: Instant::now(),
    })
}

/// Splits one `Name: value` header line.
fn parse_header(line: &str) -> Result<(String, String), String> {
    match line.split_once(':') {
        Some((name, value)) if !name.is_empty() && !name.contains(' ') => {
            Ok((name.to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!("malformed header line {line:?}")),
    }
}

/// The body length the request announces; chunked bodies are refused.
fn content_length(request: &Recorded) -> Result<usize, String> {
    if !request.header_values("transfer-encoding").is_empty() {
        return Err("Transfer-Encoding bodies are not supported".to_owned());
    }
    let value = match request.header_values("content-length")[..] {
        [] => return Ok(0),
        [value] => value,
        _ => return Err("more than one Content-Length header".to_owned()),
    };
    let length = value
        .parse::<usize>()
        .map_err(|error| format!("bad Content-Length {value:?}: {error}"))?;
    if length > MAX_BODY_LEN {
        return Err(format!(
            "body of {length} bytes is over the {MAX_BODY_LEN}-byte limit"
        ));
    }
    Ok(length)
}

/// Writes `reply` with `Connection: close` and shuts the connection down.
async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let bytes = encode_reply(reply);
    match reply.pieces {
        None => stream.write_all(&bytes).await?,
        Some(size) => {
            stream.set_nodelay(true)?;
            let head = bytes.len() - reply.body.len();
            stream.write_all(&bytes[..head]).await?;
            for piece in reply.body.chunks(size) {
                stream.write_all(piece).await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    }
    stream.flush().await?;
    stream.shutdown().await
}

/// The bytes of `reply` on the wire.
fn encode_reply(reply: &Reply) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // 1xx, 204 and 304 responses carry no body and must not announce a length.
    let has_body = !matches!(reply.status, 100..=199 | 204 | 304);
    if has_body {
        let announced = reply.body.len() + usize::from(reply.cut);
        head.push_str(&format!("Content-Length: {announced}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut bytes = head.into_bytes();
    if has_body {
        bytes.extend_from_slice(&reply.body);
    }
    bytes
}

/// A reason phrase for the status line (clients ignore it; it helps when reading logs).
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Scripted",
    }
}

#[cfg(test)]
mod self_tests {
    //! Checks of the server's own parsing, without a client.

    use super::*;

    #[test]
    fn parses_a_head() {
        let head = "POST /a%2Fb?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2";
        let request = parse_head(head).expect("a well-formed head parses");
        assert_eq!(request.request_line(), "POST /a%2Fb?x=1 HTTP/1.1");
        assert_eq!(request.path(), "/a%2Fb");
        assert_eq!(
            request.query_pairs(),
            vec![("x".to_owned(), "1".to_owned())]
        );
        assert_eq!(request.header("content-length"), Some("2"));
        assert_eq!(content_length(&request), Ok(2));
    }

    #[test]
    fn refuses_malformed_heads() {
        assert!(parse_head("GET /").is_err());
        assert!(parse_head("GET / HTTP/1.1 extra").is_err());
        assert!(parse_head("GET / HTTP/1.1\r\nno colon here").is_err());
        let request = parse_head("GET / HTTP/1.1\r\nContent-Length: many")
            .expect("the head itself is well-formed");
        assert!(content_length(&request).is_err());
    }

    #[test]
    fn encodes_a_reply() {
        let bytes = encode_reply(&Reply::raw(404, "text/plain", "gone"));
        let text = String::from_utf8(bytes).expect("the reply is UTF-8");
        assert_eq!(
            text,
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\
             Content-Length: 4\r\nConnection: close\r\n\r\ngone"
        );
        let no_content = encode_reply(&Reply::empty(204));
        assert_eq!(
            no_content,
            b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
        );
    }

    #[tokio::test]
    async fn answers_500_when_the_script_runs_out() {
        let server = TestServer::start([]).await;
        let mut stream = TcpStream::connect(server.addr)
            .await
            .expect("connecting to the test server");
        stream
            .write_all(b"GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
            .await
            .expect("writing a request");
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .await
            .expect("reading the answer until the server closes");
        assert!(answer.starts_with("HTTP/1.1 500 "), "{answer}");
        assert!(answer.contains("script exhausted"), "{answer}");
        assert_eq!(server.requests().len(), 1);
        assert_eq!(server.requests()[0].request_line(), "GET /x HTTP/1.1");
    }
}
