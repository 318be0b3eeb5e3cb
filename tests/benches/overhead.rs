//! What the generated client costs over doing the same by hand: N small JSON
//! calls (`PUT /customers/{id}` with a JSON body, a JSON answer decoded into a
//! struct) to a local keep-alive server, once through `kitchen-sink-api` and
//! once through reqwest and serde_json directly.
//!
//! `cargo bench -p tests --bench overhead` prints divan's figures for both, then
//! ratios from 31 interleaved rounds, by median and by best round (the client's
//! calls per second over the raw calls per second; the target is at least 0.95).

#[path = "../src/stream_server.rs"]
mod stream_server;

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::Instant;

use divan::counter::ItemsCount;
use divan::Bencher;
use stream_server::StreamServer;

/// Calls per sample.
const CALLS: usize = 200;

struct Setup {
    runtime: tokio::runtime::Runtime,
    server: StreamServer,
    client: kitchen_sink_api::Client,
    raw: reqwest::Client,
}

static SETUP: LazyLock<Setup> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let answer = serde_json::json!({"id": "c1", "email": "a@b.c", "metadata": {"tier": "gold"}});
    let server = runtime.block_on(StreamServer::start_answering(&answer));
    let client = kitchen_sink_api::Client::builder()
        .base_url(server.base_url())
        .token("token")
        .build()
        .expect("a valid client");
    Setup {
        runtime,
        server,
        client,
        raw: reqwest::Client::new(),
    }
});

/// What the raw side decodes the answer into.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // Decoded, as the client does, but not read.
struct Customer {
    id: String,
    email: String,
    metadata: Option<BTreeMap<String, String>>,
}

async fn through_client(setup: &Setup) {
    for _ in 0..CALLS {
        let answer = setup.client.customers().upsert("c1", "a@b.c").send().await;
        assert!(matches!(
            answer,
            Ok(kitchen_sink_api::types::UpsertCustomerSuccess::Ok(_))
        ));
    }
}

async fn through_reqwest(setup: &Setup) {
    let url = format!("{}/customers/c1", setup.server.base_url());
    for _ in 0..CALLS {
        let body = serde_json::to_vec(&serde_json::json!({"email": "a@b.c"})).expect("JSON");
        let response = setup
            .raw
            .put(&url)
            // The client gives every attempt a timeout (30 s by default); so does this.
            .timeout(std::time::Duration::from_secs(30))
            .bearer_auth("token")
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("an answer");
        assert!(response.status().is_success());
        let bytes = response.bytes().await.expect("a body");
        let customer: Customer = serde_json::from_slice(&bytes).expect("a customer");
        std::hint::black_box(customer);
    }
}

#[divan::bench(sample_count = 20)]
fn generated_client(bencher: Bencher) {
    let setup = &*SETUP;
    bencher
        .counter(ItemsCount::new(CALLS))
        .bench(|| setup.runtime.block_on(through_client(setup)));
}

#[divan::bench(sample_count = 20)]
fn raw_reqwest(bencher: Bencher) {
    let setup = &*SETUP;
    bencher
        .counter(ItemsCount::new(CALLS))
        .bench(|| setup.runtime.block_on(through_reqwest(setup)));
}

/// Calls per second of each side over interleaved rounds, and their ratio.
fn print_ratio() {
    let setup = &*SETUP;
    let time = |client: bool| {
        let start = Instant::now();
        setup.runtime.block_on(async {
            if client {
                through_client(setup).await
            } else {
                through_reqwest(setup).await
            }
        });
        start.elapsed().as_secs_f64()
    };
    let (mut client, mut raw) = (Vec::new(), Vec::new());
    for _ in 0..31 {
        client.push(time(true));
        raw.push(time(false));
    }
    // The machine's noise comes and goes: the median says what is typical,
    // the best round what each side costs when nothing else runs.
    let pick = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[0])
    };
    let ((client_median, client_best), (raw_median, raw_best)) = (pick(client), pick(raw));
    let rate = |seconds: f64| CALLS as f64 / seconds;
    println!(
        "overhead, median of 31 interleaved rounds: generated client {:.0} calls/s, raw reqwest + serde_json {:.0} calls/s, ratio {:.3}",
        rate(client_median),
        rate(raw_median),
        raw_median / client_median
    );
    println!(
        "overhead, best of 31 interleaved rounds: generated client {:.0} calls/s, raw reqwest + serde_json {:.0} calls/s, ratio {:.3}",
        rate(client_best),
        rate(raw_best),
        raw_best / client_best
    );
}

fn main() {
    divan::main();
    print_ratio();
}
