//! Streamed bodies need memory for a chunk, not for the body: a 64 MB answer read
//! through `send_stream`, and 64 MB sent from a stream and from a file, each keep
//! the process's peak resident memory less than 32 MB above what it was before;
//! 100,000 Server-Sent Events (33 MB) read as typed items, less than 16 MB.
//!
//! The peak is the kernel's (`VmHWM` in `/proc/self/status`, reset through
//! `/proc/self/clear_refs`), so it counts everything: the client, reqwest, the
//! local server in the same process. One test does all three in turn, in a
//! binary of its own, so nothing else runs meanwhile.

#[path = "../src/stream_server.rs"]
mod stream_server;

use bytes::Bytes;
use futures_util::StreamExt;
use kitchen_sink_api::{Body, Client};
use stream_server::StreamServer;

const SIZE: u64 = 64 * 1024 * 1024;
const BOUND: u64 = 32 * 1024 * 1024;

/// A field of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("reading /proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"));
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a number in {line:?}"));
    kb * 1024
}

/// Runs `work` and returns how far the peak resident memory rose above the
/// resident memory before it.
async fn peak_rise<F: std::future::Future<Output = ()>>(work: F) -> u64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak (clear_refs)");
    let before = status_bytes("VmRSS:");
    work.await;
    status_bytes("VmHWM:").saturating_sub(before)
}

/// 64 MB in 64 KB chunks of one buffer.
fn made_up_chunks() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let chunk = Bytes::from(vec![b'y'; 64 * 1024]);
    futures_util::stream::iter(0..SIZE / chunk.len() as u64).map(move |_| Ok(chunk.clone()))
}

fn received(answer: &[u8]) -> u64 {
    let json: serde_json::Value = serde_json::from_slice(answer).expect("the server's JSON");
    json["received"].as_u64().expect("a count")
}

#[test]
fn streamed_bodies_need_a_fraction_of_their_size() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let server = StreamServer::start().await;
        let client = Client::new(server.base_url(), "token");
        // Warm up: the connection, the pools and the runtime are in the baseline.
        let warm = client.blobs().put("warm", vec![1, 2, 3]).send().await;
        assert_eq!(received(&warm.expect("a warm-up answer")), 3);

        // The control: the same answer read whole does need its size.
        let rise = peak_rise(async {
            let answer = client
                .blobs()
                .put("big", Vec::new())
                .header("x-answer-bytes", SIZE.to_string())
                .send()
                .await
                .expect("the whole answer");
            assert_eq!(answer.len() as u64, SIZE);
        })
        .await;
        println!("buffered download of {SIZE} bytes: peak rose by {rise} bytes");
        assert!(
            rise > SIZE / 2,
            "the measurement sees a buffered body: {rise}"
        );

        let mut total = 0u64;
        let rise = peak_rise(async {
            let mut stream = client
                .blobs()
                .put("big", Vec::new())
                .header("x-answer-bytes", SIZE.to_string())
                .send_stream()
                .await
                .expect("the answer's headers");
            assert_eq!(stream.status(), 200);
            assert_eq!(stream.content_length(), Some(SIZE));
            while let Some(chunk) = stream.next().await {
                total += chunk.expect("a chunk").len() as u64;
            }
        })
        .await;
        assert_eq!(total, SIZE, "the whole answer arrived");
        println!("download of {SIZE} bytes: peak rose by {rise} bytes");
        assert!(rise < BOUND, "download: peak rose by {rise} bytes");

        let rise = peak_rise(async {
            let answer = client
                .blobs()
                .put("big", Body::from_stream(made_up_chunks()))
                .send()
                .await
                .expect("the upload's answer");
            assert_eq!(received(&answer), SIZE);
        })
        .await;
        println!("upload of {SIZE} bytes from a stream: peak rose by {rise} bytes");
        assert!(rise < BOUND, "stream upload: peak rose by {rise} bytes");

        let path = std::env::temp_dir().join(format!("memory-test-{}.bin", std::process::id()));
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&path).expect("a temporary file");
            let chunk = vec![b'z'; 1024 * 1024];
            for _ in 0..SIZE / chunk.len() as u64 {
                file.write_all(&chunk).expect("writing the temporary file");
            }
        }
        let rise = peak_rise(async {
            let answer = client
                .blobs()
                .put("big", Body::from_path(&path))
                .send()
                .await
                .expect("the upload's answer");
            assert_eq!(received(&answer), SIZE);
        })
        .await;
        std::fs::remove_file(&path).expect("removing the temporary file");
        println!("upload of {SIZE} bytes from a file: peak rose by {rise} bytes");
        assert!(rise < BOUND, "file upload: peak rose by {rise} bytes");

        // 100,000 typed events: the control keeps them, the stream does not.
        const EVENTS: u64 = 100_000;
        const EVENTS_BOUND: u64 = 16 * 1024 * 1024;
        let ticks = || {
            client
                .streams()
                .ticks()
                .header("x-answer-events", EVENTS.to_string())
        };
        let rise = peak_rise(async {
            let stream = ticks().send().await.expect("the stream's headers");
            let kept: Vec<_> = stream.collect().await;
            assert_eq!(kept.len() as u64, EVENTS);
        })
        .await;
        println!("{EVENTS} events kept: peak rose by {rise} bytes");
        assert!(
            rise > EVENTS_BOUND,
            "the measurement sees kept events: {rise}"
        );
        let mut last = None;
        let mut count = 0u64;
        let rise = peak_rise(async {
            let mut stream = ticks().send().await.expect("the stream's headers");
            while let Some(event) = stream.next().await {
                last = Some(event.expect("each event decodes").data.n);
                count += 1;
            }
        })
        .await;
        assert_eq!((count, last), (EVENTS, Some(EVENTS as i64 - 1)));
        println!("{EVENTS} events read one by one: peak rose by {rise} bytes");
        assert!(
            rise < EVENTS_BOUND,
            "event stream: peak rose by {rise} bytes"
        );
        assert_eq!(server.requests(), 7, "each call was one request");
    });
}
