//! An auto-responder: it follows live events for the chats given, and answers
//! each new message someone else sent with a note. The test below runs it
//! against the `mock` feature's server: no Beeper Desktop needed.
//!
//! Run it with `cargo run --example testing --features mock -- '!chat:beeper.com'`
//! (BEEPER_ACCESS_TOKEN set); test it with `cargo test --example testing --features mock`.

use beeper_desktop_api::events::{Event, Item};
use beeper_desktop_api::Client;
use futures_util::StreamExt;

/// What the auto-responder sends.
const NOTE: &str = "Away right now; I will answer when I am back.";

/// Answers every message others send in `chats` with `note`, until it has
/// sent `limit` answers or the event stream ends. Returns how many it sent.
async fn auto_respond(
    client: &Client,
    chats: &[&str],
    note: &str,
    limit: usize,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let mut events = client.events().subscribe(chats.iter().copied());
    let mut sent = 0;
    while let Some(item) = events.next().await {
        let Item::Event(Event::MessageUpserted(event)) = item? else {
            continue;
        };
        for id in &event.ids {
            let message = client
                .chats()
                .messages()
                .retrieve(&event.chat_id, id)
                .send()
                .await?;
            // Our own messages (the answers included) are not answered.
            if message.is_sender == Some(true) {
                continue;
            }
            client
                .chats()
                .messages()
                .send(&event.chat_id)
                .text(note)
                .reply_to_message_id(id)
                .send()
                .await?;
            sent += 1;
            if sent == limit {
                return Ok(sent);
            }
        }
    }
    Ok(sent)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let chat = std::env::args()
        .nth(1)
        .ok_or("usage: cargo run --example testing --features mock -- CHAT_ID")?;
    let client = Client::from_env()?;
    let sent = auto_respond(&client, &[&chat], NOTE, usize::MAX).await?;
    println!("answered {sent} messages");
    Ok(())
}

#[cfg(test)]
mod tests {
    use beeper_desktop_api::events::Event;
    use beeper_desktop_api::mock::MockServer;
    use beeper_desktop_api::types::Message;
    use serde_json::json;

    use super::{auto_respond, NOTE};

    const CHAT: &str = "!chat:beeper.com";

    fn message(id: &str, mine: bool) -> Message {
        serde_json::from_value(json!({
            "id": id, "chatID": CHAT, "accountID": "whatsapp", "senderID": "@u:beeper.com",
            "timestamp": "2026-12-07T10:00:00Z", "sortKey": "1", "isSender": mine,
        }))
        .expect("a message")
    }

    fn event(value: serde_json::Value) -> Event {
        serde_json::from_value(value).expect("an event")
    }

    #[tokio::test]
    async fn answers_a_message_from_someone_else_and_not_its_own() {
        let server = MockServer::start().await;
        let mut socket = server.events();
        let messages = server.chats().messages();
        messages
            .retrieve()
            .chat_id(CHAT)
            .message_id("$mine")
            .respond_ok(message("$mine", true));
        messages
            .retrieve()
            .chat_id(CHAT)
            .message_id("$theirs")
            .respond_ok(message("$theirs", false));
        let answer = messages
            .send()
            .chat_id(CHAT)
            .text(NOTE)
            .reply_to_message_id("$theirs")
            .times(1)
            .respond_ok(
                serde_json::from_value(json!({"chatID": CHAT, "pendingMessageID": "p1"}))
                    .expect("an answer"),
            );
        let client = server.client();
        let responder = tokio::spawn(async move {
            auto_respond(&client, &[CHAT], NOTE, 1)
                .await
                .map_err(|e| e.to_string())
        });

        let mut connection = socket.accept().await;
        let ready = event(json!({"type": "ready", "version": 1, "chatIDs": []}));
        connection.send(&ready).await.expect("ready");
        connection.expect_subscription(&[CHAT]).await;
        for id in ["$mine", "$theirs"] {
            let upserted = event(json!({
                "type": "message.upserted", "seq": 1, "ts": "2026-12-07T10:00:00Z",
                "chatID": CHAT, "ids": [id],
            }));
            connection.send(&upserted).await.expect("an event");
        }

        assert_eq!(responder.await.expect("the responder's task"), Ok(1));
        assert_eq!(answer.hits(), 1);
        server.verify();
    }
}
