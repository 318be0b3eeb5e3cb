//! Sends a text message, then follows its pending ID until the network has
//! accepted (or refused) it.
//!
//! ```text
//! BEEPER_ACCESS_TOKEN=… cargo run --example send_message CHAT_ID "Hello"
//! ```

use std::process::ExitCode;
use std::time::Duration;

use beeper_desktop_api::types::SendStatusStatus;
use beeper_desktop_api::{Client, Error};

/// How often, and how many times, the message is looked up while it is pending.
const POLL_EVERY: Duration = Duration::from_millis(500);
const POLLS: usize = 20;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(chat_id), Some(text)) = (args.next(), args.next()) else {
        eprintln!("usage: send_message CHAT_ID TEXT");
        return ExitCode::from(2);
    };
    match run(&chat_id, &text).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("send_message: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(chat_id: &str, text: &str) -> Result<(), String> {
    let client = Client::from_env().map_err(|e| e.to_string())?;
    let sent = client
        .chats()
        .messages()
        .send(chat_id)
        .text(text)
        .send()
        .await
        .map_err(|e| explain(&client, e))?;
    println!("sent; pending ID {}", sent.pending_message_id);
    for _ in 0..POLLS {
        // The pending ID resolves to the message once Desktop has it.
        let message = client
            .chats()
            .messages()
            .retrieve(&sent.chat_id, &sent.pending_message_id)
            .send()
            .await
            .map_err(|e| explain(&client, e))?;
        let status = message.send_status.as_ref().map(|s| &s.status);
        match status {
            Some(SendStatusStatus::Pending) => tokio::time::sleep(POLL_EVERY).await,
            Some(SendStatusStatus::Success) | None => {
                println!(
                    "delivered as message {} at {}",
                    message.id, message.timestamp
                );
                return Ok(());
            }
            Some(other) => return Err(format!("the network did not take the message: {other:?}")),
        }
    }
    Err("the message is still pending; look at it again later".to_owned())
}

/// What went wrong, in words that say what to do about it.
fn explain(client: &Client, error: Error) -> String {
    match error {
        Error::Connection(_) | Error::Timeout(_) => format!(
            "Beeper Desktop is not answering at {}: is it running, with its API turned on? ({error})",
            client.base_url()
        ),
        Error::Authentication(_) => format!(
            "the access token was refused; set BEEPER_ACCESS_TOKEN to a token from Beeper Desktop ({error})"
        ),
        Error::NotFound(_) => format!("there is no such chat or message ({error})"),
        other => other.to_string(),
    }
}
