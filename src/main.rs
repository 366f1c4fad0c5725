//! The `backlens` binary: `serve` (default), `review PATH`, `demo-repos DIR`.

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    backlens::server::cli::main()
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser bundle has no binary; cargo-leptos builds the lib for it.
}
