//! Schema-valid values for the requests of [`crate::operations`]: IDs shaped like
//! the API's, enum values, date-times with and without an offset, and request
//! bodies with every optional field set.

use std::collections::BTreeMap;

pub use beeper_desktop_api::types::{
    ChatDraftInput, CreateChatInputType, DraftAttachmentInput, MessageAttachmentInput,
    MessageAttachmentInputSize, MessageAttachmentType, MessageMediaType, NotifyAnywayInput,
    PaginationDirection, SearchChatsInbox, SearchChatsScope, SearchChatsType,
    SearchMessagesChatType, SetChatReminderInputReminder, StartChatInputUser,
};
pub use beeper_desktop_api::FilePart;
use chrono::{DateTime, FixedOffset};

/// A chat ID (a Matrix room ID: `!` and `:` must reach the server unchanged).
pub const CHAT: &str = "!NCdzlIaMjZUmvmvyHU:beeper.com";

/// A message ID.
pub const MESSAGE: &str = "1343993";

/// Two account IDs, for the array query parameters.
pub const ACCOUNTS: [&str; 2] = ["matrix", "local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc"];

/// One account ID, as a path segment of the contacts routes.
pub const ACCOUNT: &str = ACCOUNTS[1];

/// Two chat IDs for the chat filter of the message search: a Beeper ID and a
/// local one.
pub const CHATS: [&str; 2] = [CHAT, "1231073"];

/// Two participant IDs.
pub const PARTICIPANTS: [&str; 2] = [
    "@alice:local-whatsapp.localhost",
    "@bob:local-whatsapp.localhost",
];

/// A page cursor with a `|`, which must be percent-encoded in the query.
pub const CURSOR: &str = "1725489123456|c29tZUltc2dQYWdl";

/// A media URL as messages carry them, for the asset download.
pub const ASSET_URL: &str = "mxc://beeper.com/abc123";

/// The bytes of an uploaded file (not UTF-8, so nothing may treat them as text).
pub const FILE_BYTES: &[u8] = b"\x89PNG\r\n\x1a\n\x00\xff";

/// [`FILE_BYTES`] base64-encoded, for the JSON upload.
pub const FILE_BASE64: &str = "iVBORw0KGgoA/w==";

/// The first 100 bytes of a file, as a `Range` header value.
pub const RANGE: &str = "bytes=0-99";

/// A reaction key that is not ASCII, as a path segment and in a body.
pub const REACTION: &str = "👍";

/// An RFC 3339 date-time; `+02:00` checks that `+` is percent-encoded in queries.
pub fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("the test date-time is valid RFC 3339")
}

/// Contact details with every field set.
pub fn full_user() -> StartChatInputUser {
    StartChatInputUser {
        id: Some("@alice:local-whatsapp.localhost".to_owned()),
        username: Some("alice".to_owned()),
        phone_number: Some("+14155552671".to_owned()),
        email: Some("alice@example.com".to_owned()),
        full_name: Some("Alice Liddell".to_owned()),
    }
}

/// A reminder with only the required time.
pub fn reminder() -> SetChatReminderInputReminder {
    SetChatReminderInputReminder {
        remind_at: at("2025-08-31T23:30:12.520Z"),
        dismiss_on_incoming_message: None,
    }
}

/// A reminder with every field set.
pub fn full_reminder() -> SetChatReminderInputReminder {
    SetChatReminderInputReminder {
        remind_at: at("2025-09-01T08:00:00+02:00"),
        dismiss_on_incoming_message: Some(true),
    }
}

/// An attachment with every field set.
pub fn full_attachment() -> MessageAttachmentInput {
    MessageAttachmentInput {
        upload_id: "upload-1".to_owned(),
        mime_type: Some("image/png".to_owned()),
        file_name: Some("photo.png".to_owned()),
        size: Some(MessageAttachmentInputSize {
            width: 640.0,
            height: 480.5,
        }),
        duration: Some(1.5),
        r#type: Some(MessageAttachmentType::Image),
    }
}

/// A draft with text and two attachments, each with every field set.
pub fn full_draft() -> ChatDraftInput {
    let attachment = |id: &str, kind: MessageAttachmentType| DraftAttachmentInput {
        upload_id: format!("upload-{id}"),
        mime_type: Some("audio/ogg".to_owned()),
        file_name: Some(format!("{id}.ogg")),
        size: Some(MessageAttachmentInputSize {
            width: 1.0,
            height: 2.0,
        }),
        duration: Some(3.25),
        r#type: Some(kind),
        id: Some(id.to_owned()),
    };
    let attachments = BTreeMap::from([
        (
            "a1".to_owned(),
            attachment("a1", MessageAttachmentType::VoiceNote),
        ),
        (
            "a2".to_owned(),
            attachment("a2", MessageAttachmentType::File),
        ),
    ]);
    ChatDraftInput {
        text: "**draft** text".to_owned(),
        attachments: Some(attachments),
    }
}

/// The always-empty body of notifyAnyway, sent explicitly.
pub fn empty_object() -> NotifyAnywayInput {
    NotifyAnywayInput::new()
}

/// A file part with only its bytes.
pub fn file() -> FilePart {
    FilePart::new(FILE_BYTES)
}

/// A file part with a file name and media type.
pub fn full_file() -> FilePart {
    FilePart::new(FILE_BYTES)
        .file_name("photo 1.png")
        .content_type("image/png")
}
