//! The Beeper crate's examples (`generated/examples/`), built with cargo and run
//! as programs against servers on 127.0.0.1 started here: what they print, what
//! they ask the server, and the clear message (not a panic) they print when
//! nothing answers.
//!
//! The examples are built once per test run with `cargo build --examples`
//! (reusing the target directory) and found through cargo's JSON messages.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use serde_json::json;

use crate::server::{Reply, TestServer};
use crate::ws_server::{WsServer, WAIT};

/// Example name to its executable, built once.
fn examples() -> &'static BTreeMap<String, PathBuf> {
    static BUILT: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(build_examples)
}

fn build_examples() -> BTreeMap<String, PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--examples", "-p", "beeper-desktop-api"])
        .args(["--message-format=json-render-diagnostics", "--quiet"])
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo build --examples failed");
    let mut built = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_example = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "example"));
        if let (true, Some(name), Some(path)) = (
            is_example,
            message["target"]["name"].as_str(),
            message["executable"].as_str(),
        ) {
            built.insert(name.to_owned(), PathBuf::from(path));
        }
    }
    built
}

/// Builds the examples (once) before a test starts its clock: the build can take
/// far longer than any wait of the test itself.
async fn built() -> &'static BTreeMap<String, PathBuf> {
    tokio::task::spawn_blocking(examples)
        .await
        .expect("the build task")
}

/// Runs example `name` with `args` against `base_url`, for at most [`WAIT`].
async fn run(name: &str, args: &[&str], base_url: &str) -> Output {
    let path = built()
        .await
        .get(name)
        .unwrap_or_else(|| panic!("example {name} was not built"))
        .clone();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let base_url = base_url.to_owned();
    let child = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(path)
            .args(args)
            .env("BEEPER_ACCESS_TOKEN", "example-token")
            .env("BEEPER_DESKTOP_BASE_URL", base_url)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example starts");
        let started = Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if started.elapsed() > WAIT {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        child.wait_with_output().expect("output")
    });
    child.await.expect("the example's task")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A free port with nothing listening, for "Beeper Desktop is not running".
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    format!("http://{address}")
}

/// The message every example prints when nothing answers, and no panic.
fn assert_not_running_message(output: &Output) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("Beeper Desktop is not answering"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn account() -> serde_json::Value {
    json!({
        "accountID": "whatsapp",
        "bridge": {"id": "local-whatsapp", "type": "whatsapp", "provider": "local"},
        "user": {"id": "u1", "fullName": "Ada Lovelace"},
    })
}

fn chat(id: &str, title: &str) -> serde_json::Value {
    json!({
        "id": id, "accountID": "whatsapp", "network": "WhatsApp", "title": title,
        "type": "single", "unreadCount": 2,
        "participants": {"items": [], "hasMore": false, "total": 0},
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn list_chats_prints_the_accounts_then_pages_through_the_inbox() {
    let page = |items: Vec<serde_json::Value>, more: bool, cursor: &str| json!({"items": items, "hasMore": more, "oldestCursor": cursor, "newestCursor": "n"});
    let server = TestServer::start([
        Reply::json(200, &json!([account()])),
        Reply::json(200, &page(vec![chat("!a", "Alpha")], true, "c1")),
        Reply::json(200, &page(vec![chat("!b", "Beta")], false, "c2")),
    ])
    .await;
    let output = run("list_chats", &["5"], &server.base_url()).await;
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("1 account(s):"), "{stdout}");
    assert!(
        stdout.contains("whatsapp on local: Ada Lovelace"),
        "{stdout}"
    );
    assert!(stdout.contains("[WhatsApp] Alpha (2 unread)"), "{stdout}");
    assert!(stdout.contains("[WhatsApp] Beta (2 unread)"), "{stdout}");
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path()).collect();
    assert_eq!(paths, ["/v1/accounts", "/v1/chats", "/v1/chats"]);
    let next_page = requests[2].query_pairs();
    assert!(
        next_page.contains(&("cursor".to_owned(), "c1".to_owned())),
        "{next_page:?}"
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer example-token")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn send_message_sends_then_follows_the_pending_id() {
    let message = |status: &str| {
        json!({
            "id": "$final", "chatID": "!a", "accountID": "whatsapp", "senderID": "u1",
            "timestamp": "2026-12-01T10:00:00Z", "sortKey": "1",
            "sendStatus": {"status": status, "timestamp": "2026-12-01T10:00:01Z"},
        })
    };
    let server = TestServer::start([
        Reply::json(200, &json!({"chatID": "!a", "pendingMessageID": "p1"})),
        Reply::json(200, &message("PENDING")),
        Reply::json(200, &message("SUCCESS")),
    ])
    .await;
    let output = run("send_message", &["!a", "Hello there"], &server.base_url()).await;
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("pending ID p1"), "{stdout}");
    assert!(stdout.contains("delivered as message $final"), "{stdout}");
    let requests = server.requests();
    assert_eq!(
        requests[0].request_line(),
        "POST /v1/chats/!a/messages HTTP/1.1"
    );
    assert_eq!(requests[0].body_json(), Ok(json!({"text": "Hello there"})));
    assert_eq!(requests[1].path(), "/v1/chats/!a/messages/p1");
    assert_eq!(requests.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn download_caches_then_saves_the_bytes() {
    let bytes: Vec<u8> = (0..=255u8).collect();
    let server = TestServer::start([
        Reply::json(200, &json!({"srcURL": "file:///tmp/cache/cat.png"})),
        Reply::raw(200, "application/octet-stream", bytes.clone()),
    ])
    .await;
    let dir = std::env::temp_dir().join(format!("beeper-download-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("cat.png");
    let out_arg = out.to_string_lossy().into_owned();
    let output = run(
        "download",
        &["mxc://beeper.com/cat", &out_arg],
        &server.base_url(),
    )
    .await;
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("cached at file:///tmp/cache/cat.png"),
        "{stdout}"
    );
    assert!(stdout.contains("saved 256 bytes"), "{stdout}");
    assert_eq!(std::fs::read(&out).expect("the saved file"), bytes);
    let requests = server.requests();
    assert_eq!(
        requests[0].body_json(),
        Ok(json!({"url": "mxc://beeper.com/cat"}))
    );
    assert_eq!(
        requests[1].query_pairs(),
        [("url".to_owned(), "mxc%3A%2F%2Fbeeper.com%2Fcat".to_owned())]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_prints_events_and_reconnects() {
    built().await;
    let mut server = WsServer::start().await;
    let base_url = server.base_url.clone();
    let watcher = tokio::spawn(async move { run("watch", &["--max", "3"], &base_url).await });
    let mut first = server.accept().await;
    assert_eq!(first.next_json().await["chatIDs"], json!(["*"]));
    first
        .send_text(r#"{"type":"ready","version":1,"chatIDs":[]}"#)
        .await;
    first.drop_abruptly();
    let mut second = server.accept().await;
    second.next_json().await;
    second
        .send_text(r#"{"type":"subscriptions.updated","chatIDs":["*"]}"#)
        .await;
    second
        .send_text(r#"{"type":"message.upserted","seq":0,"ts":"2026-12-01T10:00:00Z","chatID":"!a","ids":["$1"]}"#)
        .await;
    let output = watcher.await.expect("the watcher");
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "ready (protocol version 1)",
            "reconnected after 1 attempt(s); events in between were missed",
            "following *",
            "#0 1 message(s) new or changed in !a",
        ],
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_example_says_clearly_when_beeper_desktop_is_not_running() {
    let url = closed_port_url();
    let runs: [(&str, &[&str]); 4] = [
        ("list_chats", &[]),
        ("send_message", &["!a", "hi"]),
        ("download", &["mxc://beeper.com/cat", "/dev/null"]),
        ("watch", &[]),
    ];
    for (name, args) in runs {
        let output = run(name, args, &url).await;
        assert_not_running_message(&output);
    }
}

#[test]
fn the_four_examples_are_built() {
    let names: Vec<&str> = examples().keys().map(String::as_str).collect();
    assert_eq!(names, ["download", "list_chats", "send_message", "watch"]);
}
