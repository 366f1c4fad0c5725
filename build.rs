//! Rebuild when embedded files change: `sqlx::migrate!` embeds `migrations/`
//! and `include_dir!` embeds the demo sample projects.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=src/server/demo/samples");
}
