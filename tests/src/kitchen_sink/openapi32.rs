//! What OpenAPI 3.2 added, on the wire: the QUERY method and a method of
//! `additionalOperations` in the request line, `in: querystring` parameters as
//! the whole query string (form-encoded and JSON), and a discriminator's
//! `defaultMapping` deciding values whose tag is missing or unknown.

use kitchen_sink_api::types::{NoteQuery, OtherPet, Pet};
use serde_json::json;

use super::*;

fn filter() -> NoteQuery {
    NoteQuery {
        text: Some("a + b&c".into()),
        tags: Some(vec!["x".into(), "y".into()]),
        limit: Some(5),
    }
}

#[tokio::test]
async fn query_and_additional_methods_are_sent_by_name() {
    let (server, client) = setup([Reply::json(200, &json!(["n1"])), Reply::empty(204)]).await;
    let found = client
        .v32()
        .query_notes()
        .text("groceries")
        .send()
        .await
        .expect("the notes decode");
    assert_eq!(found, ["n1"]);
    client
        .v32()
        .purge_notes()
        .send()
        .await
        .expect("the purge answers 204");

    let requests = server.requests();
    assert_eq!(requests[0].request_line(), "QUERY /v32/notes HTTP/1.1");
    let body: serde_json::Value =
        serde_json::from_slice(&requests[0].body).expect("the body is JSON");
    assert_eq!(body, json!({"text": "groceries"}));
    assert_eq!(requests[1].request_line(), "PURGE /v32/notes HTTP/1.1");
}

#[tokio::test]
async fn a_form_querystring_parameter_is_the_whole_query() {
    let (server, client) = setup([Reply::empty(204), Reply::empty(204)]).await;
    let v32 = client.v32();
    v32.search().filter(filter()).send().await.expect("204");
    v32.search().send().await.expect("204 without a query");

    let requests = server.requests();
    let target = &requests[0].target;
    let (path, query) = target.split_once('?').expect("a query string");
    assert_eq!(path, "/v32/search");
    // The value's own keys, not `filter=…`; reserved characters escaped.
    assert!(query.contains("text=a%20%2B%20b%26c"), "{query}");
    assert_eq!(
        decode_pairs(query),
        [
            ("limit", "5"),
            ("tags[0]", "x"),
            ("tags[1]", "y"),
            ("text", "a + b&c"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(requests[1].target, "/v32/search");
}

#[tokio::test]
async fn a_json_querystring_parameter_is_percent_encoded_json() {
    let (server, client) = setup([Reply::empty(204)]).await;
    let selector = NoteQuery {
        limit: Some(2),
        ..NoteQuery::default()
    };
    client.v32().select(selector).send().await.expect("204");

    let request = only_request(&server);
    assert_eq!(
        request.request_line(),
        "GET /v32/select?%7B%22limit%22%3A2%7D HTTP/1.1"
    );
}

#[tokio::test]
async fn a_missing_or_unknown_tag_is_the_default_variant_and_encodes_as_it_came() {
    let cat = json!({"petType": "cat", "meows": true});
    let untagged = json!({"name": "Rex"});
    let unknown = json!({"petType": "parrot", "name": "Polly"});
    let (_server, client) = setup([
        Reply::json(200, &cat),
        Reply::json(200, &untagged),
        Reply::json(200, &unknown),
    ])
    .await;
    let mut decoded = Vec::new();
    for _ in 0..3 {
        decoded.push(client.v32().pet().send().await.expect("the pet decodes"));
    }
    assert!(matches!(&decoded[0], Pet::Cat(cat) if cat.meows));
    assert_eq!(
        decoded[1],
        Pet::OtherPet(OtherPet {
            pet_type: None,
            name: Some("Rex".into()),
        })
    );
    assert!(matches!(&decoded[2], Pet::OtherPet(pet) if pet.name.as_deref() == Some("Polly")));
    // Written back, each is the JSON it came as: no tag is added to the default.
    for (pet, original) in decoded.iter().zip([cat, untagged, unknown]) {
        assert_eq!(serde_json::to_value(pet).expect("encodes"), original);
    }
    // A value the default variant cannot read either is kept as it came.
    let odd: Pet = serde_json::from_value(json!({"name": 7})).expect("decodes");
    assert_eq!(odd, Pet::Other(json!({"name": 7})));
}
