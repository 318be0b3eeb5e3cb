//! Lists the accounts connected to Beeper Desktop, then walks the inbox as a
//! stream that fetches the next page only when it is needed.
//!
//! ```text
//! BEEPER_ACCESS_TOKEN=… cargo run --example list_chats [HOW_MANY]
//! ```
//!
//! `BEEPER_DESKTOP_BASE_URL` points it at another address than the default
//! `http://localhost:23373`.

use std::process::ExitCode;

use beeper_desktop_api::{Client, Error};
use futures_util::StreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    let how_many = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    match run(how_many).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("list_chats: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(how_many: usize) -> Result<(), String> {
    let client = Client::from_env().map_err(|e| e.to_string())?;
    let accounts = client
        .accounts()
        .list()
        .send()
        .await
        .map_err(|e| explain(&client, e))?;
    println!("{} account(s):", accounts.len());
    for account in &accounts {
        let name = account.user.full_name.as_deref().unwrap_or("(no name)");
        println!(
            "  {} on {}: {name}",
            account.account_id, account.bridge.provider
        );
    }
    println!("the {how_many} most recent chats:");
    let mut chats = client.chats().list().items().take(how_many);
    while let Some(chat) = chats.next().await {
        let chat = chat.map_err(|e| explain(&client, e))?;
        println!(
            "  [{}] {} ({} unread)",
            chat.network, chat.title, chat.unread_count
        );
    }
    Ok(())
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
        other => other.to_string(),
    }
}
