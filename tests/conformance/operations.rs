//! The table of every operation of the spec, written once and expanded by each
//! concern of the suite into one test per operation.
//!
//! `operations!(check)` calls `check!` once per operation with:
//!
//! * attributes for the generated test (`#[allow(deprecated)]` for the v0 route);
//! * the test's name and the spec's `operationId`;
//! * the status the spec declares for success (200 or 204; the lowest one where
//!   the spec declares several, the others are listed in
//!   [`crate::mock::other_successes`]);
//! * `|c| ...`: the request with only required parameters and body fields;
//! * `|c| ...`: the same request with every optional parameter and body field set.
//!
//! `c` is a `&Client`. Names resolve where `check!` expands, so each concern
//! module imports `crate::values::*`.

/// Calls `$check!` for each operation; see the module docs.
macro_rules! operations {
    ($check:ident) => {
        $check! { get_accounts, "getAccounts", 200,
            |c| c.accounts().list(),
            |c| c.accounts().list()
        }
        $check! { search_contacts, "searchContacts", 200,
            |c| c.accounts().contacts().search(ACCOUNT, "alice"),
            |c| c.accounts().contacts().search(ACCOUNT, "+1 415 555")
        }
        $check! { list_contacts, "listContacts", 200,
            |c| c.accounts().contacts().list(ACCOUNT),
            |c| c.accounts().contacts().list(ACCOUNT).cursor(CURSOR)
                .direction(PaginationDirection::Before).limit(200).query("alice")
        }
        $check! { search_messages, "searchMessages", 200,
            |c| c.messages().search(),
            |c| c.messages().search().query("dinner").cursor(CURSOR)
                .direction(PaginationDirection::After).chat_ids(CHATS).account_ids(ACCOUNTS)
                .chat_type(SearchMessagesChatType::Group)
                .media_types([MessageMediaType::Image, MessageMediaType::Link])
                .sender("me").date_after(at("2025-08-01T00:00:00+02:00"))
                .date_before(at("2025-08-31T23:59:59Z")).limit(20)
                .exclude_low_priority(false).include_muted(false)
        }
        $check! { search, "search", 200,
            |c| c.search("dinner"),
            |c| c.search("dinner plans")
        }
        $check! { focus_app, "focusApp", 200,
            |c| c.focus(),
            |c| c.focus().chat_id(CHAT).message_id(MESSAGE).draft_text("See you at 7")
                .draft_attachment_path("/tmp/photo.png")
        }
        $check! { download_asset, "downloadAsset", 200,
            |c| c.assets().download(ASSET_URL),
            |c| c.assets().download("localmxc://local-whatsapp/abc123")
        }
        $check! { upload_asset_base64, "uploadAssetBase64", 200,
            |c| c.assets().upload_base64(FILE_BASE64),
            |c| c.assets().upload_base64(FILE_BASE64).file_name("photo 1.png")
                .mime_type("image/png")
        }
        $check! { get_info, "getInfo", 200,
            |c| c.info().retrieve(),
            |c| c.info().retrieve()
        }
        $check! { upload_asset, "uploadAsset", 200,
            |c| c.assets().upload(file()),
            |c| c.assets().upload(full_file()).file_name("photo.png").mime_type("image/png")
        }
        $check! { serve_asset, "serveAsset", 200,
            |c| c.assets().serve(ASSET_URL),
            |c| c.assets().serve(ASSET_URL).range(RANGE)
        }
        $check! { list_chats, "listChats", 200,
            |c| c.chats().list(),
            |c| c.chats().list().cursor(CURSOR).direction(PaginationDirection::Before)
                .account_ids(ACCOUNTS)
        }
        $check! { create_chat, "createChat", 200,
            |c| c.chats().create(ACCOUNTS[0], CreateChatInputType::Single, [PARTICIPANTS[0]]),
            |c| c.chats().create(ACCOUNTS[1], CreateChatInputType::Group, PARTICIPANTS)
                .message_text("Hello **both**").title("Project team")
        }
        $check! { start_chat, "startChat", 200,
            |c| c.chats().start(ACCOUNTS[0], StartChatInputUser::default()),
            |c| c.chats().start(ACCOUNTS[1], full_user()).message_text("Hi!").allow_invite(false)
        }
        $check! { search_chats, "searchChats", 200,
            |c| c.chats().search(),
            |c| c.chats().search().cursor(CURSOR).direction(PaginationDirection::After)
                .inbox(SearchChatsInbox::LowPriority).unread_only(true).limit(200)
                .r#type(SearchChatsType::Group).query("project team")
                .scope(SearchChatsScope::Participants)
                .last_activity_before(at("2025-08-31T23:30:12.520+02:00"))
                .last_activity_after(at("2025-01-01T00:00:00Z"))
                .account_ids(ACCOUNTS).include_muted(false)
        }
        $check! { get_chat, "getChat", 200,
            |c| c.chats().retrieve(CHAT),
            |c| c.chats().retrieve(CHAT).max_participant_count(-1)
        }
        $check! { patch_chat, "patchChat", 200,
            |c| c.chats().update(CHAT),
            |c| c.chats().update(CHAT).draft(full_draft()).title("Renamed")
                .description("A topic").img_url("/tmp/avatar.png").is_archived(true)
                .is_low_priority(false).is_pinned(true).is_muted(false)
                .message_expiry_seconds(86_400)
        }
        $check! { archive_chat, "archiveChat", 204,
            |c| c.chats().archive(CHAT),
            |c| c.chats().archive(CHAT).archived(false)
        }
        $check! { set_chat_reminder, "setChatReminder", 204,
            |c| c.chats().reminders().create(CHAT, reminder()),
            |c| c.chats().reminders().create(CHAT, full_reminder())
        }
        $check! { clear_chat_reminder, "clearChatReminder", 204,
            |c| c.chats().reminders().delete(CHAT),
            |c| c.chats().reminders().delete(CHAT)
        }
        $check! { mark_chat_read, "markChatRead", 200,
            |c| c.chats().mark_read(CHAT),
            |c| c.chats().mark_read(CHAT).message_id(MESSAGE)
        }
        $check! { mark_chat_unread, "markChatUnread", 200,
            |c| c.chats().mark_unread(CHAT),
            |c| c.chats().mark_unread(CHAT).message_id(MESSAGE)
        }
        $check! { notify_anyway, "notifyAnyway", 200,
            |c| c.chats().notify_anyway(CHAT),
            |c| c.chats().notify_anyway(CHAT).body(empty_object())
        }
        $check! { list_messages, "listMessages", 200,
            |c| c.chats().messages().list(CHAT),
            |c| c.chats().messages().list(CHAT).cursor(CURSOR)
                .direction(PaginationDirection::Before)
        }
        $check! { send_message, "sendMessage", 200,
            |c| c.chats().messages().send(CHAT),
            |c| c.chats().messages().send(CHAT).text("Hello _there_").reply_to_message_id(MESSAGE)
                .attachment(full_attachment())
        }
        $check! { get_message, "getMessage", 200,
            |c| c.chats().messages().retrieve(CHAT, MESSAGE),
            |c| c.chats().messages().retrieve(CHAT, MESSAGE)
        }
        $check! { edit_message, "editMessage", 200,
            |c| c.chats().messages().update(CHAT, MESSAGE, "edited"),
            |c| c.chats().messages().update(CHAT, MESSAGE, "edited")
        }
        $check! { delete_message, "deleteMessage", 204,
            |c| c.chats().messages().delete(CHAT, MESSAGE),
            |c| c.chats().messages().delete(CHAT, MESSAGE).for_everyone(false)
        }
        $check! { add_reaction, "addReaction", 200,
            |c| c.chats().messages().reactions().add(CHAT, MESSAGE, REACTION),
            |c| c.chats().messages().reactions().add(CHAT, MESSAGE, REACTION).transaction_id("tx-1")
        }
        $check! { remove_reaction, "removeReaction", 200,
            |c| c.chats().messages().reactions().delete(CHAT, MESSAGE, REACTION),
            |c| c.chats().messages().reactions().delete(CHAT, MESSAGE, REACTION)
        }
        $check! { #[allow(deprecated)] get_chat_v0, "getChatV0", 200,
            |c| c.v0().get_chat(CHAT),
            |c| c.v0().get_chat(CHAT).max_participant_count(50)
        }
    };
}
