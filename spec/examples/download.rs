//! Fetches the file behind a media URL from a message (`mxc://…`,
//! `localmxc://…` or `file://…`) and saves it, chunk by chunk as it arrives, so
//! a 2 GB video needs no more memory than a chunk. `RUST_LOG=debug` prints the
//! client's trace (each call's span, retries, the URLs).
//!
//! ```text
//! BEEPER_ACCESS_TOKEN=… cargo run --example download MEDIA_URL [OUT_FILE]
//! ```

use std::process::ExitCode;

use beeper_desktop_api::{Client, Error};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

#[tokio::main]
async fn main() -> ExitCode {
    // The client's spans and events, filtered by `RUST_LOG` (nothing by default).
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let mut args = std::env::args().skip(1);
    let Some(url) = args.next() else {
        eprintln!("usage: download MEDIA_URL [OUT_FILE]");
        return ExitCode::from(2);
    };
    let out = args.next().unwrap_or_else(|| "download.bin".to_owned());
    match run(&url, &out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("download: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(url: &str, out: &str) -> Result<(), String> {
    let client = Client::from_env().map_err(|e| e.to_string())?;
    // Desktop fetches the file into its cache first, and says where it put it.
    let cached = client
        .assets()
        .download(url)
        .send()
        .await
        .map_err(|e| explain(&client, e))?;
    if let Some(reason) = cached.error {
        return Err(format!("Beeper Desktop could not fetch {url}: {reason}"));
    }
    if let Some(local) = &cached.src_url {
        println!("cached at {local}");
    }
    let mut answer = client
        .assets()
        .serve(url)
        .send_stream()
        .await
        .map_err(|e| explain(&client, e))?;
    if answer.status() == 304 {
        return Err("the server answered 304 Not Modified".to_owned());
    }
    let mut file = tokio::fs::File::create(out)
        .await
        .map_err(|e| format!("cannot create {out}: {e}"))?;
    let mut saved = 0;
    while let Some(chunk) = answer.next().await {
        let chunk = chunk.map_err(|e| format!("the download broke off: {e}"))?;
        file.write_all(&chunk)
            .await
            .map_err(|e| format!("cannot write {out}: {e}"))?;
        saved += chunk.len();
    }
    file.flush()
        .await
        .map_err(|e| format!("cannot write {out}: {e}"))?;
    println!("saved {saved} bytes to {out}");
    Ok(())
}

/// What went wrong, in words that say what to do about it.
fn explain(client: &Client, error: Error) -> String {
    match error {
        Error::Connection(_) | Error::Timeout(_) => format!(
            "Beeper Desktop is not answering at {}: is it running, with its API turned on? ({error})",
            client.base_url()
        ),
        Error::Authentication(_) => format!(
            "the access token was refused; set BEEPER_ACCESS_TOKEN to a token from Beeper Desktop ({error})"
        ),
        Error::NotFound(_) => format!("there is no file at that URL ({error})"),
        other => other.to_string(),
    }
}
