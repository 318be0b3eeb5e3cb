//! Every operation with only its required parameters and body fields: the mock
//! accepts the request and the spec's success response decodes.

use crate::mock;
use crate::values::*;

/// One test per operation: send the required-only request, check the success.
macro_rules! required_only {
    ($(#[$attr:meta])* $name:ident, $operation:literal, $status:literal,
     |$c:ident| $required:expr, |$c_all:ident| $all:expr) => {
        $(#[$attr])*
        #[tokio::test]
        async fn $name() {
            let client = mock::client();
            let $c = &client;
            mock::ok($operation, $status, $required.send_with_response().await);
        }
    };
}

operations!(required_only);
