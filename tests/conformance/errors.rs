//! Every error status each operation declares, asked of the mock with
//! `Prefer: code=NNN`: the client returns the `Error` variant for that status
//! (`NotFound` for 404, ...) with the spec's error body.

use crate::mock;
use crate::values::*;

/// One test per operation: each declared error status becomes its typed error.
macro_rules! error_statuses {
    ($(#[$attr:meta])* $name:ident, $operation:literal, $status:literal,
     |$c_required:ident| $required:expr, |$c:ident| $all:expr) => {
        $(#[$attr])*
        #[tokio::test]
        async fn $name() {
            let client = mock::client();
            let $c = &client;
            for status in mock::ERROR_STATUSES {
                let prefer = format!("code={status}");
                mock::error($operation, status, $all.header("Prefer", prefer).send().await);
            }
        }
    };
}

operations!(error_statuses);
