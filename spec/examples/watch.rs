//! Prints live chat and message events as they come, and says when the
//! connection dropped and came back (events in between are lost, so an app
//! would refetch what it shows).
//!
//! ```text
//! BEEPER_ACCESS_TOKEN=… cargo run --example watch [--max N] [CHAT_ID…]
//! ```
//!
//! Without chat IDs it follows every chat. `--max N` stops after N events.

use std::process::ExitCode;

use beeper_desktop_api::events::{Event, EventError, Item};
use beeper_desktop_api::{Client, Error};
use futures_util::StreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    let mut max = usize::MAX;
    let mut chats = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--max", Some(n)) if n.parse::<usize>().is_ok() => max = n.parse().unwrap_or(max),
            ("--max", _) => {
                eprintln!("usage: watch [--max N] [CHAT_ID…]");
                return ExitCode::from(2);
            }
            (_, next) => chats.extend([arg].into_iter().chain(next)),
        }
    }
    if chats.is_empty() {
        chats.push("*".to_owned());
    }
    match run(chats, max).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("watch: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(chats: Vec<String>, max: usize) -> Result<(), String> {
    let client = Client::from_env().map_err(|e| e.to_string())?;
    let mut events = client.events().subscribe(chats);
    let mut seen = 0;
    while seen < max {
        let Some(item) = events.next().await else {
            return Ok(());
        };
        match item {
            Ok(Item::Event(event)) => {
                seen += 1;
                print_event(&event);
            }
            Ok(Item::Reconnected { attempts }) => {
                println!("reconnected after {attempts} attempt(s); events in between were missed");
            }
            // One frame that did not decode; the stream goes on.
            Err(EventError::Decode(frame)) => eprintln!("skipped a frame: {frame}"),
            Err(error) => return Err(explain(&client, error)),
            Ok(other) => println!("{other:?}"),
        }
    }
    Ok(())
}

fn print_event(event: &Event) {
    match event {
        Event::Ready(ready) => println!("ready (protocol version {})", ready.version),
        Event::SubscriptionsUpdated(update) => {
            println!("following {}", update.chat_ids.join(", "))
        }
        Event::ChatUpserted(e) => println!("#{} chat {} changed", e.seq, e.chat_id),
        Event::ChatDeleted(e) => println!("#{} chat {} deleted", e.seq, e.chat_id),
        Event::MessageUpserted(e) => {
            println!(
                "#{} {} message(s) new or changed in {}",
                e.seq,
                e.ids.len(),
                e.chat_id
            )
        }
        Event::MessageDeleted(e) => {
            println!(
                "#{} {} message(s) deleted in {}",
                e.seq,
                e.ids.len(),
                e.chat_id
            )
        }
        Event::Error(e) => println!("the server says: {} ({:?})", e.message, e.code),
        other => println!("an event this client does not know: {other:?}"),
    }
}

/// What went wrong, in words that say what to do about it.
fn explain(client: &Client, error: EventError) -> String {
    match error {
        EventError::Connection(_) | EventError::Timeout(_) => format!(
            "Beeper Desktop is not answering at {}: is it running, with its API turned on? ({error})",
            client.base_url()
        ),
        EventError::Rejected(ref rejected) if matches!(**rejected, Error::Authentication(_)) => {
            format!("the access token was refused; set BEEPER_ACCESS_TOKEN to a token from Beeper Desktop ({error})")
        }
        other => other.to_string(),
    }
}
