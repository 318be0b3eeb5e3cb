//! Where an operation's error bodies keep the human message and the machine
//! code: `lower::error_fields` reads them off the error schemas, `emit::send`
//! hands them to the runtime, which tries them before the common keys.

/// Paths of keys (an array index as its digits), in the order tried.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorFields {
    /// Where the message is.
    pub message: Vec<Vec<String>>,
    /// Where the code is.
    pub code: Vec<Vec<String>>,
}

impl ErrorFields {
    /// Whether the schemas named nothing.
    pub fn is_empty(&self) -> bool {
        self.message.is_empty() && self.code.is_empty()
    }
}
