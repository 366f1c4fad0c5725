//! How the browser bundle is sent: a release build (`cargo leptos build
//! --release --precompress`) writes `.br` and `.gz` beside every file of the
//! site, and the router sends the one the client accepts, as it is (brotli
//! at quality 11 costs seconds per megabyte, far too slow per request); a
//! file without them (a debug build) is compressed on the fly.

#![cfg(feature = "ssr")]

mod common;

use axum::body::Body;
use axum::http::Request;
use backlens::server::state::AppState;
use common::http::{app_state, send, Answer};
use std::io::Read;
use std::path::Path;

/// A site root like a release build's, in `dir`: the wasm with its
/// precompressed copies (recognisable bytes, so the tests see which file was
/// sent), and a script without any.
fn site(dir: &Path) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let pkg = dir.join("site/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // Compressible, and large enough for the dynamic compression to bother.
    let wasm: Vec<u8> = (0..64 * 1024u32).map(|i| (i % 251) as u8).collect();
    let br = b"brotli bytes written by the build".to_vec();
    let gz = b"gzip bytes written by the build".to_vec();
    std::fs::write(pkg.join("backlens.wasm"), &wasm).unwrap();
    std::fs::write(pkg.join("backlens.wasm.br"), &br).unwrap();
    std::fs::write(pkg.join("backlens.wasm.gz"), &gz).unwrap();
    let script = "export function run() { return 'a debug build has no .br'; }\n".repeat(200);
    std::fs::write(pkg.join("backlens.js"), script).unwrap();
    (wasm, br, gz)
}

async fn state(dir: &Path) -> AppState {
    let pool = common::database(dir).await;
    let mut state = app_state(&pool, &dir.join("data"));
    state.leptos_options = leptos::prelude::LeptosOptions::builder()
        .output_name("backlens")
        .site_root(dir.join("site").to_string_lossy().to_string())
        .build();
    state
}

async fn fetch(state: &AppState, path: &str, accept_encoding: Option<&str>) -> Answer {
    let mut request = Request::get(path);
    if let Some(value) = accept_encoding {
        request = request.header("accept-encoding", value);
    }
    send(state, request.body(Body::empty()).unwrap()).await
}

fn varies_on_encoding(answer: &Answer) -> bool {
    answer.headers.get_all("vary").iter().any(|v| {
        v.to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    })
}

#[tokio::test]
async fn the_wasm_goes_out_as_the_build_compressed_it() {
    let dir = tempfile::tempdir().unwrap();
    let (wasm, br, gz) = site(dir.path());
    let state = state(dir.path()).await;

    // What Chromium and Firefox send: brotli wins over gzip.
    let answer = fetch(
        &state,
        "/pkg/backlens.wasm",
        Some("gzip, deflate, br, zstd"),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-encoding"), "br");
    assert_eq!(answer.header("content-type"), "application/wasm");
    assert_eq!(answer.body, br, "the build's .br, not a new compression");
    assert!(varies_on_encoding(&answer), "{:?}", answer.headers);

    // A client without brotli gets the build's gzip.
    let answer = fetch(&state, "/pkg/backlens.wasm", Some("gzip")).await;
    assert_eq!(answer.header("content-encoding"), "gzip");
    assert_eq!(answer.body, gz);
    assert!(varies_on_encoding(&answer), "{:?}", answer.headers);
    let answer = fetch(&state, "/pkg/backlens.wasm", Some("br;q=0, gzip;q=0.8")).await;
    assert_eq!(answer.header("content-encoding"), "gzip");
    assert_eq!(answer.body, gz);

    // No Accept-Encoding (or only what the server has not): the file itself.
    for accept in [None, Some("identity"), Some("compress")] {
        let answer = fetch(&state, "/pkg/backlens.wasm", accept).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-encoding"), "", "{accept:?}");
        assert_eq!(answer.body, wasm, "{accept:?}");
        assert!(
            varies_on_encoding(&answer),
            "{accept:?}: {:?}",
            answer.headers
        );
    }
}

#[tokio::test]
async fn files_without_precompressed_copies_are_compressed_on_the_fly() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let state = state(dir.path()).await;
    let plain = fetch(&state, "/pkg/backlens.js", None).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("content-encoding"), "");

    let answer = fetch(&state, "/pkg/backlens.js", Some("gzip, deflate, br")).await;
    assert_eq!(answer.header("content-encoding"), "br");
    assert!(answer.body.len() < plain.body.len() / 10);
    let mut decoded = Vec::new();
    brotli_decompressor::Decompressor::new(answer.body.as_slice(), 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);

    let answer = fetch(&state, "/pkg/backlens.js", Some("gzip")).await;
    assert_eq!(answer.header("content-encoding"), "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(answer.body.as_slice())
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);
}
