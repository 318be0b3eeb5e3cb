//! Tagged unions (`oneOf` with a discriminator): the property picks the variant,
//! unknown values are kept, and sending adds the property when the variant lacks it.

use kitchen_sink_api::types::{Event, MessageEvent, PaymentEvent};
use kitchen_sink_api::Error;
use serde_json::json;

use super::*;

#[tokio::test]
async fn the_discriminator_picks_the_variant_and_unknown_values_are_kept() {
    let events = json!([
        {"type": "message", "text": "hi"},
        {"type": "payment.succeeded", "amount": 12},
        {"type": "payment.failed", "amount": 3},
        {"type": "refund", "amount": 5},
        {"amount": 7}
    ]);
    let (server, client) = setup([Reply::json(200, &events)]).await;
    let decoded = client.events().list().send().await.expect("events decode");
    assert_eq!(
        decoded,
        [
            Event::Message(MessageEvent {
                r#type: "message".into(),
                text: "hi".into()
            }),
            // A schema the mapping gives two values has a variant per value,
            // so the value it came with is the one it goes back with.
            Event::PaymentSucceeded(PaymentEvent { amount: 12 }),
            Event::PaymentFailed(PaymentEvent { amount: 3 }),
            Event::Other(json!({"type": "refund", "amount": 5})),
            Event::Other(json!({"amount": 7})),
        ]
    );
    assert_eq!(
        decoded[1].as_payment_succeeded().map(|p| p.amount),
        Some(12)
    );
    assert_eq!(decoded[2].as_payment_failed().map(|p| p.amount), Some(3));
    let encoded = serde_json::to_value(&decoded[..4]).expect("encodes");
    assert_eq!(
        encoded,
        json!([
            {"type": "message", "text": "hi"},
            {"type": "payment.succeeded", "amount": 12},
            {"type": "payment.failed", "amount": 3},
            {"type": "refund", "amount": 5}
        ])
    );
    assert_eq!(only_request(&server).request_line(), "GET /events HTTP/1.1");
}

#[tokio::test]
async fn a_variant_that_does_not_match_its_schema_is_a_decode_error() {
    // `message` events need a `text`; trying the other variant would hide that.
    let (_server, client) = setup([Reply::json(
        200,
        &json!([{"type": "message", "title": "x"}]),
    )])
    .await;
    let error = client.events().list().send().await.expect_err("no text");
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(decode.message.contains("text"), "{}", decode.message);
    assert_eq!(decode.path, "[0]");
}

#[tokio::test]
async fn sending_adds_the_discriminator_only_when_the_variant_lacks_it() {
    let (server, client) = setup([Reply::empty(204), Reply::empty(204), Reply::empty(204)]).await;
    let message = MessageEvent {
        r#type: "message".into(),
        text: "hi".into(),
    };
    client.events().replay(message).send().await.expect("sent");
    client
        .events()
        .replay(Event::PaymentFailed(PaymentEvent { amount: 4 }))
        .send()
        .await
        .expect("sent");
    client
        .events()
        .replay(Event::Other(json!({"type": "refund", "amount": 1})))
        .send()
        .await
        .expect("sent");
    let requests = server.requests();
    // A `+json` media type is JSON, sent under its own name.
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/vnd.kitchen.event+json")
    );
    let bodies: Vec<_> = requests
        .iter()
        .map(|r| r.body_json().expect("JSON"))
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"type": "message", "text": "hi"}),
            // The value of the variant sent.
            json!({"type": "payment.failed", "amount": 4}),
            json!({"type": "refund", "amount": 1}),
        ]
    );
}

#[tokio::test]
async fn without_a_mapping_the_one_value_a_schema_allows_picks_the_variant() {
    use kitchen_sink_api::types::{
        EpisodeBaseType, EpisodeObject, GetQueueResponseItem, TrackObject, TrackObjectType,
    };
    let queue = json!([
        {"type": "track", "name": "Intro"},
        {"type": "episode", "show": "Daily"},
        // The schema name is a value too, as OpenAPI says.
        {"type": "TrackObject", "name": "Outro"},
        {"type": "audiobook", "title": "Later"}
    ]);
    let (_server, client) = setup([Reply::json(200, &queue)]).await;
    let items = client.queue().send().await.expect("the queue decodes");
    assert_eq!(
        items,
        [
            GetQueueResponseItem::TrackObject(TrackObject {
                r#type: TrackObjectType::Track,
                name: "Intro".into()
            }),
            GetQueueResponseItem::EpisodeObject(EpisodeObject {
                r#type: EpisodeBaseType::Episode,
                show: "Daily".into()
            }),
            GetQueueResponseItem::TrackObject(TrackObject {
                r#type: TrackObjectType::Other("TrackObject".into()),
                name: "Outro".into()
            }),
            GetQueueResponseItem::Other(json!({"type": "audiobook", "title": "Later"})),
        ]
    );
}
