//! Values a schema allows beyond its declared fields, and unions without a
//! discriminator (`/shapes` of the kitchen sink): each value the spec allows
//! decodes into the generated type and encodes back unchanged, through the
//! client against a local server and through serde alone.

use kitchen_sink_api::types::{
    Chunking, ChunkingLines, Color, Embedding, EmbeddingEmbedding, Filter, KnownColor, Measurement,
    Piece, PieceKind, Session, Size, Source,
};
use kitchen_sink_api::Nullable;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use super::*;

/// `value` decoded from its text as `T` and encoded to text again, which
/// must read as `value` back (through text, as on the wire: an `f32` is
/// written with the digits that read back as it).
fn round_trip<T: DeserializeOwned + Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_str(&value.to_string())
        .unwrap_or_else(|error| panic!("{value} does not decode: {error}"));
    assert_eq!(encode(&decoded), value, "the value came back changed");
    decoded
}

/// A value encoded as JSON text and read back.
fn encode<T: Serialize>(value: &T) -> Value {
    let text = serde_json::to_string(value).expect("encodes");
    serde_json::from_str(&text).expect("the text is JSON")
}

#[tokio::test]
async fn keys_an_object_allows_beyond_its_fields_are_sent_and_come_back() {
    let session = json!({
        "id": "s1",
        "token": "t",
        "closedAt": "2026-12-01T10:00:00Z",
        "labels": {"name": "home", "color": "blue", "floor": "2"},
        "metadata": {"version": 3, "trace": {"id": [1, 2]}, "flag": null},
        "payload": ["any", {"json": true}, 1.5],
        "source": "a string where an object might be",
        "flags": {"dark": true, "beta": null}
    });
    let (server, client) = setup([Reply::json(200, &session)]).await;
    let decoded = client
        .shapes()
        .login("password")
        .additional_property("user", "ada")
        .additional_property("remember", true)
        .send()
        .await
        .expect("the session decodes");
    assert_eq!(
        only_request(&server).body_json().expect("JSON"),
        json!({"type": "password", "user": "ada", "remember": true})
    );
    let labels = decoded.labels.as_ref().expect("labels");
    assert_eq!(labels.name.as_deref(), Some("home"));
    assert_eq!(labels.additional_properties["floor"], "2");
    let metadata = decoded.metadata.as_ref().expect("metadata");
    assert_eq!(
        metadata.additional_properties["trace"],
        json!({"id": [1, 2]})
    );
    // A key whose value is null is kept too: the schema allows any value.
    assert_eq!(metadata.additional_properties["flag"], Value::Null);
    // A schema whose `allOf` members only describe it is any value.
    assert_eq!(
        decoded.source,
        Some(json!("a string where an object might be"))
    );
    let flags = decoded.flags.as_ref().expect("flags");
    assert_eq!(flags.get("beta"), Some(&None));
    assert_eq!(encode(&decoded), session);
}

#[test]
fn read_only_and_write_only_fields_are_never_required() {
    // The server leaves out what only the client writes, and the client what
    // only the server writes.
    let from_server: Session = round_trip(json!({"id": "s1", "token": "t", "closedAt": null}));
    assert_eq!(from_server.password, None);
    // A required read-only field the server sends as null comes back as null.
    assert_eq!(from_server.closed_at, Nullable::Null);
    let to_server: Session = round_trip(json!({"token": "t", "password": "p"}));
    assert_eq!(to_server.id, None);
    assert_eq!(to_server.closed_at, Nullable::Absent);
}

#[tokio::test]
async fn a_nullable_component_used_whole_takes_null() {
    let (server, client) = setup([Reply::json(200, &json!([true, null, false]))]).await;
    let flags = client
        .shapes()
        .put_flag()
        .body(None)
        .send()
        .await
        .expect("null items decode");
    assert_eq!(flags, [Some(true), None, Some(false)]);
    // No body was set beyond `null`: the body is the JSON `null`.
    assert_eq!(only_request(&server).body_json(), Ok(Value::Null));
}

#[test]
fn integer_and_number_formats_have_their_rust_types() {
    let measurement: Measurement = round_trip(json!({
        "small": -128,
        "count": 4_000_000_000u64,
        "big": 18_446_744_073_709_551_615u64,
        "ratio": 0.1,
        "embedding": [0.25, -1.5, 3.4028235e38],
        "version": 2,
        "unit": "cm"
    }));
    assert_eq!(measurement.small, -128i8);
    assert_eq!(measurement.count, Some(4_000_000_000u32));
    assert_eq!(measurement.big, u64::MAX);
    assert_eq!(measurement.ratio, 0.1f32);
    assert_eq!(measurement.additional_properties["unit"], "cm");
    let too_big =
        serde_json::from_value::<Measurement>(json!({"small": 128, "big": 1, "ratio": 1.0}));
    assert!(too_big.is_err(), "128 is not an int8");
}

#[tokio::test]
async fn a_tag_property_picks_the_variant_without_a_discriminator() {
    let (server, client) = setup([Reply::json(200, &json!([]))]).await;
    let lines = Chunking::Lines(ChunkingLines {
        r#type: "lines".into(),
        max_lines: 5,
    });
    client.shapes().chunk(lines).send().await.expect("sent");
    assert_eq!(
        only_request(&server).body_json(),
        Ok(json!({"type": "lines", "max_lines": 5}))
    );
    // The first variant's open enum would take `lines` too; the tag decides.
    let decoded: Chunking = round_trip(json!({"type": "lines", "max_lines": 5}));
    assert!(matches!(
        decoded,
        Chunking::Lines(ChunkingLines { max_lines: 5, .. })
    ));
    let tree: Chunking = round_trip(json!({"type": "tree_sitter"}));
    assert!(tree.as_tree_sitter().is_some());
    let unknown: Chunking = round_trip(json!({"type": "words", "per_chunk": 3}));
    assert!(matches!(unknown, Chunking::Other(_)));
}

#[tokio::test]
async fn untagged_unions_keep_the_whole_value() {
    let pieces = json!([
        {"text": "a", "kind": "pool", "filter": {"tag": "x"}, "size": {"bytes": 3, "unit": "kB"},
         "color": "red", "source": {"kind": "text", "text": "hi"}},
        {"text": "b", "kind": "infra", "filter": {"after": "2024-05-01T10:00:00+02:00"},
         "size": {"bytes": 3}, "color": "purple", "source": {"kind": "url", "url": "https://x"}},
        {"text": "c", "kind": "other"}
    ]);
    let (_server, client) = setup([Reply::json(200, &pieces)]).await;
    let chunking = Chunking::Other(json!({"type": "words"}));
    let decoded: Vec<Piece> = client
        .shapes()
        .chunk(chunking)
        .send()
        .await
        .expect("the pieces decode");
    assert_eq!(encode(&decoded), pieces);
    let [first, second, third] = &decoded[..] else {
        panic!("three pieces: {decoded:?}");
    };
    // Strings of a few values are one enum.
    assert_eq!(first.kind, PieceKind::Pool);
    assert_eq!(third.kind, PieceKind::Other("other".into()));
    // The variant that keeps every key wins, not the first that decodes.
    assert!(matches!(first.filter, Some(Filter::Tag(_))));
    assert!(matches!(second.filter, Some(Filter::After(_))));
    assert!(matches!(first.size, Some(Size::Unit(_))));
    assert!(matches!(second.size, Some(Size::Bytes(_))));
    // A known value is the enum; any other string the string.
    assert_eq!(first.color, Some(Color::KnownColor(KnownColor::Red)));
    assert_eq!(second.color, Some(Color::String("purple".into())));
    assert!(matches!(first.source, Some(Source::Text(_))));
    assert!(matches!(second.source, Some(Source::Url(_))));
}

#[test]
fn a_closed_variant_refuses_keys_it_does_not_declare() {
    // `{bytes, unit}` fits only the open variant; `{bytes}` fits both, and the
    // first whole fit wins.
    let open: Size = round_trip(json!({"bytes": 1, "unit": "B"}));
    assert!(matches!(open, Size::Unit(_)), "{open:?}");
    let closed: Size = round_trip(json!({"bytes": 1}));
    assert!(matches!(closed, Size::Bytes(_)), "{closed:?}");
}

#[tokio::test]
async fn variants_are_named_after_what_they_hold() {
    let (_server, client) = setup([
        Reply::json(200, &json!({"embedding": [0.5, 1.25]})),
        Reply::json(200, &json!({"embedding": "AAAAPwAAoD8="})),
    ])
    .await;
    let floats = client.shapes().embedding().send().await.expect("floats");
    assert_eq!(
        floats.embedding,
        EmbeddingEmbedding::Floats(vec![0.5, 1.25])
    );
    let base64 = client.shapes().embedding().send().await.expect("text");
    assert_eq!(
        base64.embedding.as_base64(),
        Some("AAAAPwAAoD8="),
        "{base64:?}"
    );
    let _: Embedding = round_trip(json!({"embedding": [1.0e-3, 2.5]}));
}

#[test]
fn a_value_no_variant_fits_says_why_each_refused_it() {
    let error = serde_json::from_value::<Embedding>(json!({"embedding": true}))
        .expect_err("a boolean is neither");
    let text = error.to_string();
    assert!(
        text.contains("fits no variant of EmbeddingEmbedding"),
        "{text}"
    );
    assert!(text.contains("Floats: invalid type: boolean"), "{text}");
}
