//! What the fake GitHubs of tests/github.rs and tests/github_app.rs share:
//! an axum app on a free local port holding the fake's state, tarballs the
//! way GitHub builds them, and commit SHAs.

use flate2::write::GzEncoder;
use flate2::Compression;
use std::sync::{Arc, Mutex};

/// A fake's state, shared by its handler and its test.
pub type Shared<T> = Arc<Mutex<T>>;

/// Serves `handler` for every request on a free port of 127.0.0.1, with the
/// state `init(base URL)`; the state and the base URL. The server runs on
/// the test's runtime until the test ends.
pub async fn start<T, H, X>(init: impl FnOnce(String) -> T, handler: H) -> (Shared<T>, String)
where
    T: Send + 'static,
    H: axum::handler::Handler<X, Shared<T>>,
    X: 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let fake = Arc::new(Mutex::new(init(base.clone())));
    let app = axum::Router::new()
        .fallback(handler)
        .with_state(fake.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (fake, base)
}

/// A `.tar.gz` the way GitHub builds it: every file under one top-level
/// folder `prefix`.
pub fn tarball<C: AsRef<[u8]>>(prefix: &str, files: &[(&str, C)]) -> Vec<u8> {
    let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
    for (path, content) in files {
        let content = content.as_ref();
        let mut h = tar::Header::new_gnu();
        h.set_size(content.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, format!("{prefix}/{path}"), content)
            .unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

/// A commit SHA of 40 times `c`.
pub fn sha(c: char) -> String {
    std::iter::repeat_n(c, 40).collect()
}
