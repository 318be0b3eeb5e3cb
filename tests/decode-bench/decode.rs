//! Decoding large answers through the generated types, against the same types
//! decoded by serde's derive: the Beeper crate and GitHub's issues, each
//! generated twice by `tests/decode-bench.sh` (once as usual, once with
//! `--derive-decoders`), with the same serde_json, in one release build.
//!
//! The payloads are made here: a page of 10,000 Beeper chats (about 15 MB), a
//! page of 20,000 messages, and GitHub's own example of a list of issues from
//! its description (`GITHUB_SPEC`), repeated to about 15 MB.
//!
//! It prints divan's figures for each, then, from `ROUNDS` interleaved rounds
//! (which of the two goes first alternates), the median and the best time of
//! each and their ratios: generated over derive, where at most 1.0 is the
//! target.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Interleaved rounds behind each printed ratio.
const ROUNDS: usize = 31;

/// The JSON texts decoded.
struct Payloads {
    chats: String,
    messages: String,
    issues: String,
}

static PAYLOADS: LazyLock<Payloads> = LazyLock::new(|| Payloads {
    chats: page((0..10_000).map(chat).collect()),
    messages: page((0..20_000).map(message).collect()),
    issues: issues(15 << 20),
});

/// A cursor page of `items`, as the Beeper list operations answer.
fn page(items: Vec<Value>) -> String {
    json!({"items": items, "hasMore": true, "oldestCursor": "c-1", "newestCursor": "c-9"})
        .to_string()
}

/// The `index`th chat: participants, a preview message, unread counts.
fn chat(index: usize) -> Value {
    let participants: Vec<Value> = (0..3)
        .map(|p| {
            json!({
                "id": format!("@user{p}_{index}:beeper.com"),
                "username": format!("user{p}"),
                "fullName": format!("User Number {p} of chat {index}"),
                "imgURL": format!("mxc://beeper.com/avatar{p}{index}"),
                "isSelf": p == 0,
                "cannotMessage": false,
                "phoneNumber": "+15555550100"
            })
        })
        .collect();
    json!({
        "id": format!("!room{index}:beeper.com"),
        "localChatID": index.to_string(),
        "accountID": "whatsapp_ba_abcdefghijklmnop",
        "network": "WhatsApp",
        "title": format!("Chat number {index}"),
        "type": if index % 3 == 0 { "group" } else { "single" },
        "participants": {"items": participants, "hasMore": false, "total": 3},
        "lastActivity": "2026-11-30T18:20:00.123Z",
        "unreadCount": index % 7,
        "unreadMentionsCount": 0,
        "lastReadMessageSortKey": format!("{}", 400_000 + index),
        "isArchived": false,
        "isMuted": index % 5 == 0,
        "isPinned": false,
        "preview": message(index)
    })
}

/// The `index`th message: text, a reaction, and every fourth an attachment.
fn message(index: usize) -> Value {
    let mut message = json!({
        "id": format!("$event{index}"),
        "chatID": format!("!room{}:beeper.com", index % 500),
        "accountID": "whatsapp_ba_abcdefghijklmnop",
        "senderID": format!("@user{}:beeper.com", index % 3),
        "senderName": "User Number One",
        "timestamp": "2026-11-30T18:20:00.123Z",
        "sortKey": format!("{}", 400_000 + index),
        "type": "TEXT",
        "text": format!("Message {index}: are we still on for dinner on Friday? I can bring dessert."),
        "isSender": index % 2 == 0,
        "isUnread": false,
        "reactions": [{
            "id": format!("r{index}"),
            "reactionKey": "👍",
            "participantID": "@user1:beeper.com",
            "emoji": true
        }]
    });
    if index % 4 == 0 {
        message["attachments"] = json!([{
            "id": format!("a{index}"),
            "type": "img",
            "srcURL": format!("mxc://beeper.com/media{index}"),
            "mimeType": "image/jpeg",
            "fileName": "photo.jpg",
            "fileSize": 123456,
            "size": {"width": 1024, "height": 768}
        }]);
    }
    message
}

/// GitHub's example list of issues, from its description, repeated with new
/// ids until it is `bytes` long.
fn issues(bytes: usize) -> String {
    let path = std::env::var("GITHUB_SPEC").expect("GITHUB_SPEC names GitHub's description");
    let text = std::fs::read_to_string(&path).expect("GITHUB_SPEC is readable");
    let spec: Value = serde_json::from_str(&text).expect("GITHUB_SPEC is JSON");
    let example = spec
        .pointer("/components/examples/issue-with-repo-items/value")
        .and_then(Value::as_array)
        .expect("the issue-with-repo-items example");
    let one = serde_json::to_string(example).expect("encodes").len();
    let mut items = Vec::new();
    for copy in 0..bytes / one.max(1) + 1 {
        for issue in example {
            let mut issue = issue.clone();
            issue["id"] = json!(copy * 1000 + items.len());
            issue["number"] = json!(items.len() + 1);
            items.push(issue);
        }
    }
    Value::Array(items).to_string()
}

fn main() {
    divan::main();
    print_ratios();
}

#[divan::bench]
fn chats_generated() -> beeper_tables::types::ListChatsOutput {
    decode(&PAYLOADS.chats)
}

#[divan::bench]
fn chats_derive() -> beeper_derive::types::ListChatsOutput {
    decode(&PAYLOADS.chats)
}

#[divan::bench]
fn messages_generated() -> beeper_tables::types::ListMessagesOutput {
    decode(&PAYLOADS.messages)
}

#[divan::bench]
fn messages_derive() -> beeper_derive::types::ListMessagesOutput {
    decode(&PAYLOADS.messages)
}

#[divan::bench]
fn github_issues_generated() -> Vec<github_tables::types::Issue> {
    decode(&PAYLOADS.issues)
}

#[divan::bench]
fn github_issues_derive() -> Vec<github_derive::types::Issue> {
    decode(&PAYLOADS.issues)
}

/// `text` decoded as `T`; a payload that does not decode is a bug of the bench.
fn decode<T: serde::de::DeserializeOwned>(text: &str) -> T {
    match serde_json::from_str(divan::black_box(text)) {
        Ok(value) => value,
        Err(error) => panic!("the payload does not decode: {error}"),
    }
}

/// The time one decode takes.
fn time<T: serde::de::DeserializeOwned>(text: &str) -> Duration {
    let start = Instant::now();
    let value: T = decode(text);
    let elapsed = start.elapsed();
    drop(divan::black_box(value));
    elapsed
}

/// Medians and best times of `ROUNDS` interleaved rounds of both decoders,
/// and their ratios.
fn compare(name: &str, generated: fn(&str) -> Duration, derive: fn(&str) -> Duration, text: &str) {
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            ours.push(generated(text));
            theirs.push(derive(text));
        } else {
            theirs.push(derive(text));
            ours.push(generated(text));
        }
    }
    let best = |times: &[Duration]| times.iter().min().copied().unwrap_or_default();
    let (ours_best, theirs_best) = (best(&ours), best(&theirs));
    let (ours, theirs) = (median(ours), median(theirs));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name:<14} {:>6.2} MB  median {:>6.2} ms vs {:>6.2} ms, ratio {:.3}  best {:>6.2} ms vs {:>6.2} ms, ratio {:.3}",
        text.len() as f64 / 1e6,
        ms(ours),
        ms(theirs),
        ours.as_secs_f64() / theirs.as_secs_f64(),
        ms(ours_best),
        ms(theirs_best),
        ours_best.as_secs_f64() / theirs_best.as_secs_f64()
    );
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn print_ratios() {
    println!(
        "\n{ROUNDS} interleaved rounds, generated vs derive (ratio = generated / derive; target <= 1.0):"
    );
    let payloads = &*PAYLOADS;
    compare(
        "chats",
        time::<beeper_tables::types::ListChatsOutput>,
        time::<beeper_derive::types::ListChatsOutput>,
        &payloads.chats,
    );
    compare(
        "messages",
        time::<beeper_tables::types::ListMessagesOutput>,
        time::<beeper_derive::types::ListMessagesOutput>,
        &payloads.messages,
    );
    compare(
        "github issues",
        time::<Vec<github_tables::types::Issue>>,
        time::<Vec<github_derive::types::Issue>>,
        &payloads.issues,
    );
}
