//! Git repositories for the tests, committed with an identity of their own
//! (the machine's git configuration is not needed).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `git args` in `dir` and fails the test with git's stderr when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes `files` (path, content) under `root`, making their folders.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }
}

/// Makes `dir` a git repository with one commit of everything in it (added
/// with `--force`, so `.gitignore` keeps nothing out).
pub fn commit_all(dir: &Path) {
    git(dir, &["init", "--quiet"]);
    git(dir, &["add", "--force", "--all"]);
    git(dir, &["commit", "--quiet", "-m", "test commit"]);
}

/// A git repository at `dir` with one commit holding exactly `files`.
pub fn commit_repository(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    write_files(dir, files);
    commit_all(dir);
    dir.to_path_buf()
}
