//! Every operation with every optional parameter and body field set to a
//! schema-valid value: the mock accepts the request and the response decodes.

use crate::mock;
use crate::values::*;

/// One test per operation: send the all-parameters request, check the success.
macro_rules! all_params {
    ($(#[$attr:meta])* $name:ident, $operation:literal, $status:literal,
     |$c_required:ident| $required:expr, |$c:ident| $all:expr) => {
        $(#[$attr])*
        #[tokio::test]
        async fn $name() {
            let client = mock::client();
            let $c = &client;
            mock::ok($operation, $status, $all.send_with_response().await);
        }
    };
}

operations!(all_params);

/// The other value of the nullable PATCH fields: `null`, which clears them.
#[tokio::test]
async fn patch_chat_clearing_every_nullable_field() {
    let client = mock::client();
    let request = client.chats().update(CHAT).clear_draft().clear_title();
    let request = request.clear_description().clear_img_url();
    let request = request.clear_message_expiry_seconds();
    mock::ok("patchChat", 200, request.send_with_response().await);
}

/// The other success of the asset stream: a `Range` request answered with 206
/// and the bytes of that range.
#[tokio::test]
async fn serve_asset_partial_content() {
    let client = mock::client();
    let request = client.assets().serve(ASSET_URL).range(RANGE);
    let result = request
        .header("Prefer", "code=206")
        .send_with_response()
        .await;
    mock::ok("serveAsset", 206, result);
}

/// A 304 "not modified" from the asset stream is an answer, not an error.
#[tokio::test]
async fn serve_asset_not_modified() {
    let client = mock::client();
    let request = client.assets().serve(ASSET_URL);
    let result = request
        .header("Prefer", "code=304")
        .send_with_response()
        .await;
    let answer = mock::ok("serveAsset", 304, result);
    assert_eq!(
        answer,
        beeper_desktop_api::types::ServeAssetSuccess::NotModified
    );
}
