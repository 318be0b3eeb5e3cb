//! Every error status each operation declares, asked of the mock with
//! `Prefer: code=NNN`: the client returns the `Error` variant for that status
//! (`NotFound` for 404, ...) with the spec's error body, or with no body for the
//! statuses declared without one (the asset stream's 416).

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
            for &status in mock::error_statuses($operation) {
                let prefer = format!("code={status}");
                mock::error($operation, status, $all.header("Prefer", prefer).send().await);
            }
            for &status in mock::bodiless_statuses($operation) {
                let prefer = format!("code={status}");
                let result = $all.header("Prefer", prefer).send().await;
                mock::bodiless_error($operation, status, result);
            }
        }
    };
}

operations!(error_statuses);
