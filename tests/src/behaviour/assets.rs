//! Multipart uploads and binary downloads: the parts the server receives (names,
//! file name, bytes), a retried upload sending the same parts again, and the
//! exact bytes of a download.

use super::*;
use beeper_desktop_api::FilePart;

/// The bytes of a small PNG-like file, with a NUL and invalid UTF-8 to prove the
/// bytes travel untouched.
const FILE: &[u8] = b"\x89PNG\r\n\x1a\n\x00\xff binary";

fn upload_reply() -> Reply {
    Reply::json(
        200,
        &json!({"uploadID": "up_1", "fileName": "cat.png", "fileSize": 17}),
    )
}

/// Checks a multipart request: boundary in the content type, and each part's
/// headers and content as expected.
fn check_multipart(request: &Recorded, expected: &[(&str, Option<&str>, &[u8])]) {
    let content_type = request
        .header("content-type")
        .expect("a content type is sent");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut sections: Vec<&[u8]> = Vec::new();
    let mut rest: &[u8] = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        let after = &rest[start + delimiter.len()..];
        if after.starts_with(b"--") {
            break;
        }
        let end = find(after, delimiter.as_bytes()).unwrap_or(after.len());
        sections.push(&after[..end]);
        rest = &after[end..];
    }
    assert_eq!(
        sections.len(),
        expected.len(),
        "parts: {}",
        String::from_utf8_lossy(body)
    );
    for (section, (name, file_name, content)) in sections.iter().zip(expected) {
        let split = find(section, b"\r\n\r\n").expect("part headers end");
        let headers = String::from_utf8_lossy(&section[..split]);
        let mut disposition = format!("form-data; name=\"{name}\"");
        if let Some(file_name) = file_name {
            disposition.push_str(&format!("; filename=\"{file_name}\""));
        }
        assert!(headers.contains(&disposition), "{headers}");
        let data = &section[split + 4..section.len() - 2];
        assert_eq!(data, *content, "content of part {name}");
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn upload_sends_the_file_and_text_parts() {
    let (server, client) = setup([upload_reply()]).await;
    let file = FilePart::new(FILE)
        .file_name("cat.png")
        .content_type("image/png");
    let output = client
        .assets()
        .upload(file)
        .mime_type("image/png")
        .send()
        .await
        .expect("upload succeeds");
    assert_eq!(output.upload_id.as_deref(), Some("up_1"));
    let request = only_request(&server);
    assert_eq!(request.request_line(), "POST /v1/assets/upload HTTP/1.1");
    check_common_headers(&request);
    check_multipart(
        &request,
        &[
            ("file", Some("cat.png"), FILE),
            ("mimeType", None, b"image/png"),
        ],
    );
}

#[tokio::test]
async fn a_retried_upload_sends_the_same_parts_again() {
    let script = [Reply::empty(503), upload_reply()];
    let (server, client) = setup_with(script, |b: ClientBuilder| {
        b.retry_base_delay(std::time::Duration::from_millis(1))
    })
    .await;
    let upload = client.assets().upload(FILE.to_vec()).file_name("cat.png");
    upload.send().await.expect("the retry succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        check_multipart(
            request,
            &[("file", None, FILE), ("fileName", None, b"cat.png")],
        );
    }
}

#[tokio::test]
async fn serve_returns_the_exact_bytes() {
    let reply = Reply::raw(200, "application/octet-stream", FILE.to_vec());
    let (server, client) = setup([reply]).await;
    let bytes = client
        .assets()
        .serve("mxc://beeper.com/abc")
        .send()
        .await
        .expect("download succeeds");
    let expected = beeper_desktop_api::types::ServeAssetSuccess::Ok(FILE.to_vec());
    assert_eq!(bytes, expected);
    let request = only_request(&server);
    assert_eq!(
        request.request_line(),
        "GET /v1/assets/serve?url=mxc%3A%2F%2Fbeeper.com%2Fabc HTTP/1.1"
    );
    // A strict server answers 406 to `Accept: application/json` here; errors are still JSON.
    assert_eq!(
        request.header("accept"),
        Some("application/octet-stream, application/json")
    );
}

#[tokio::test]
async fn a_file_part_from_a_path_is_named_after_the_file_and_read_again_for_a_retry() {
    let dir = std::env::temp_dir().join(format!("upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join("cat.png");
    std::fs::write(&path, FILE).expect("a temporary file");
    let script = [Reply::empty(503), upload_reply()];
    let (server, client) = setup_with(script, |b: ClientBuilder| {
        b.retry_base_delay(std::time::Duration::from_millis(1))
    })
    .await;
    let part = FilePart::from_path(&path).content_type("image/png");
    client
        .assets()
        .upload(part)
        .send()
        .await
        .expect("the retry succeeds");
    std::fs::remove_dir_all(&dir).expect("removing the temporary folder");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        check_multipart(request, &[("file", Some("cat.png"), FILE)]);
    }
}
