//! Long `allOf` chains: past eight levels of copied fields a type holds the one it
//! extends as a flattened field, so the output stays linear in the chain's
//! length, and the JSON on the wire is the same flat object either way.

use kitchen_sink_api::types::{Rank8, Rank9};
use kitchen_sink_api::Error;
use serde_json::json;

use super::*;

fn top() -> serde_json::Value {
    json!({"id": "r", "r1": 1, "r2": 2, "r3": 3, "r4": 4, "r5": 5, "r6": 6, "r7": 7, "r8": 8,
        "title": "top"})
}

#[tokio::test]
async fn a_deep_member_is_flattened_and_reads_and_writes_the_same_flat_json() {
    let body = json!({"top": top(), "redefined": {"id": "d", "r3": "three"}});
    let (_server, client) = setup([Reply::json(200, &body)]).await;
    let ranks = client.ranks().get().send().await.expect("the ranks decode");
    // Rank9 composes Rank8 (which still copies Rank0 to Rank7's fields).
    let expected = Rank9 {
        rank8: Rank8 {
            id: "r".into(),
            r1: Some(1),
            r2: Some(2),
            r3: Some(3),
            r4: Some(4),
            r5: Some(5),
            r6: Some(6),
            r7: Some(7),
            r8: Some(8),
        },
        title: "top".into(),
    };
    assert_eq!(ranks.top, expected);
    assert_eq!(serde_json::to_value(&ranks.top).expect("encodes"), top());
    // A type that redefines an inherited field copies the fields instead, with
    // its own definition winning: `r3` is a string there.
    assert_eq!(ranks.redefined.r3, "three");
    assert_eq!(ranks.redefined.id, "d");
    assert_eq!(ranks.redefined.r8, None);
}

#[tokio::test]
async fn a_required_field_missing_inside_the_flattened_member_is_a_decode_error() {
    let mut without_id = top();
    without_id.as_object_mut().expect("an object").remove("id");
    let body = json!({"top": without_id, "redefined": {"id": "d", "r3": "x"}});
    let (_server, client) = setup([Reply::json(200, &body)]).await;
    let error = client.ranks().get().send().await.expect_err("no id");
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(decode.message.contains("id"), "{}", decode.message);
}
