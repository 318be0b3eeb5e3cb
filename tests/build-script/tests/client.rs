//! The client this crate's build script generated, against a real HTTP server
//! on 127.0.0.1: the settings of `generator.toml` show in what it sends and
//! decodes.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use build_script_client::types::{Account, Bridge};
use build_script_client::{Client, Person};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The request line and `authorization` header of every request served.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// Serves `body` as JSON to every request, one per connection, and records them.
async fn serve(body: &'static str) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("has an address"));
    let seen = Seen::default();
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut buffer = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let line = head.lines().next().unwrap_or_default().to_owned();
            let authorization = head
                .lines()
                .find_map(|l| l.strip_prefix("authorization: "))
                .unwrap_or_default()
                .to_owned();
            record
                .lock()
                .expect("not poisoned")
                .push((line, authorization));
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (url, seen)
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .token("secret")
        .build()
        .expect("a valid configuration")
}

const ACCOUNTS: &str = r#"[
  {"accountID": "a1", "bridge": {"id": "local-whatsapp", "type": "whatsapp", "provider": "local"},
   "user": {"id": "u1", "fullName": "Ada", "isSelf": true}},
  {"accountID": "a2", "bridge": {"id": "local-whatsapp", "type": "whatsapp", "provider": "local"},
   "network": "WhatsApp", "user": {"id": "u2"}}
]"#;

#[tokio::test]
async fn the_renamed_operation_decodes_users_into_the_replacement_type() {
    let (url, seen) = serve(ACCOUNTS).await;
    let accounts: Vec<Account> = client(&url)
        .accounts()
        .all()
        .send()
        .await
        .expect("the accounts decode");
    assert_eq!(accounts.len(), 2);
    // `user` is this crate's Person: the field compares with one.
    assert_eq!(
        accounts[0].user,
        Person {
            id: "u1".to_owned(),
            full_name: Some("Ada".to_owned())
        }
    );
    assert_eq!(accounts[1].user.full_name, None);
    assert_eq!(accounts[1].network.as_deref(), Some("WhatsApp"));
    // The derives added in generator.toml let bridges go in a set.
    let bridges: HashSet<Bridge> = accounts.into_iter().map(|a| a.bridge).collect();
    assert_eq!(bridges.len(), 1);
    let seen = seen.lock().expect("not poisoned").clone();
    assert_eq!(
        seen,
        vec![(
            "GET /v1/accounts HTTP/1.1".to_owned(),
            "Bearer secret".to_owned()
        )]
    );
}

#[tokio::test]
async fn the_renamed_group_calls_the_contacts_paths() {
    let (url, seen) = serve(r#"{"items": [{"id": "u9", "fullName": "Grace"}]}"#).await;
    let found = client(&url)
        .accounts()
        .people()
        .search("a1", "gra")
        .send()
        .await
        .expect("the people decode");
    let names: Vec<Option<String>> = found.items.into_iter().map(|p| p.full_name).collect();
    assert_eq!(names, vec![Some("Grace".to_owned())]);
    let seen = seen.lock().expect("not poisoned").clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "GET /v1/accounts/a1/contacts?query=gra HTTP/1.1");
}

#[tokio::test]
async fn the_settings_name_the_environment_variables() {
    assert_eq!(build_script_client::TOKEN_ENV, "BUILD_SCRIPT_TOKEN");
    assert_eq!(build_script_client::BASE_URL_ENV, "BUILD_SCRIPT_URL");
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("a client builds without a token");
    let error = client
        .accounts()
        .all()
        .send()
        .await
        .expect_err("no token was given");
    let text = error.to_string();
    assert!(
        matches!(error, build_script_client::Error::MissingCredentials(_))
            && text.contains("BUILD_SCRIPT_TOKEN"),
        "{text}"
    );
}

#[test]
fn the_included_file_holds_only_what_was_asked_for() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    assert!(code.starts_with("// @generated by the build script"));
    assert!(code.contains("pub fn accounts(&self)"));
    // The tag filter left the chat and message operations out, and the
    // features left out the live events and tracing.
    for absent in [
        "pub fn chats(&self)",
        "pub fn messages(&self)",
        "pub struct Chat ",
        "tokio_tungstenite",
        "::tracing::",
        "feature =",
    ] {
        assert!(!code.contains(absent), "{absent}");
    }
}
