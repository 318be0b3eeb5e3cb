//! Prints a completion as it is written, event by event, then follows the
//! tick stream, reconnecting with `Last-Event-ID` when the connection drops.
//!
//! ```text
//! KITCHEN_SINK_BASE_URL=http://127.0.0.1:8080 KITCHEN_SINK_TOKEN=… cargo run --example stream [PROMPT]
//! ```

use std::io::Write;
use std::process::ExitCode;

use futures_util::StreamExt;
use kitchen_sink_api::types::CreateCompletionEvent;
use kitchen_sink_api::{Client, StreamError};

#[tokio::main]
async fn main() -> ExitCode {
    let prompt = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Say hello".to_owned());
    match run(&prompt).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("stream: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(prompt: &str) -> Result<(), String> {
    let client = Client::from_env().map_err(|e| e.to_string())?;
    // The same call as `.complete(prompt)`, asking for the events instead of JSON.
    let mut events = client
        .streams()
        .complete_stream(prompt)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    while let Some(event) = events.next().await {
        match event {
            Ok(event) => match event.data {
                CreateCompletionEvent::Delta(delta) => print!("{}", delta.text),
                CreateCompletionEvent::Usage(usage) => println!("\n({} tokens)", usage.tokens),
                CreateCompletionEvent::Note(note) => eprintln!("note: {note}"),
            },
            // One event that does not decode: say so, keep reading.
            Err(StreamError::Item(error)) => eprintln!("skipped: {error}"),
            Err(error) => return Err(error.to_string()),
        }
        std::io::stdout().flush().map_err(|e| e.to_string())?;
    }

    let ticks = client
        .streams()
        .ticks()
        .send()
        .await
        .map_err(|e| e.to_string())?;
    // Up to 5 failed reconnections in a row, after the server's `retry` delay.
    let mut ticks = ticks.reconnect(5);
    while let Some(tick) = ticks.next().await {
        match tick {
            Ok(tick) => println!("tick {} (last event ID {:?})", tick.data.n, tick.id()),
            Err(error) => eprintln!("{error}"),
        }
    }
    Ok(())
}
