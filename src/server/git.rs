//! Local git repositories through the `git` command: validation of a path a
//! person typed, the HEAD commit, and exporting a commit's tree to review.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    #[error("{0}")]
    Failed(String),
}

/// A `git` command that never prompts and accepts repositories owned by
/// another user (the server reads them, it never writes to them).
fn git(repo: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-c")
        .arg("safe.directory=*")
        .arg("-C")
        .arg(repo)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    cmd
}

fn run(mut cmd: Command) -> Result<String, GitError> {
    let out = cmd.output().map_err(GitError::Spawn)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(GitError::Failed(stderr.trim().to_string()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Checks a path typed into the "add project" form (or the CLI) and returns
/// its canonical form, or a message a person can act on.
pub fn validate_repository_root(raw: &str) -> Result<PathBuf, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Enter the path of a git repository on the backlens server.".into());
    }
    if raw.contains('\0') {
        return Err("The path contains a NUL byte.".into());
    }
    let path = Path::new(raw);
    if !path.is_absolute() {
        return Err(format!(
            "Use an absolute path: {raw:?} is relative, and the server cannot know to what."
        ));
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("No such directory on the server: {raw}"))
        }
        Err(e) => return Err(format!("Cannot read {raw}: {e}")),
    };
    if !meta.is_dir() {
        return Err(format!("{raw} is a file, not a directory."));
    }
    let canonical = path
        .canonicalize()
        .map_err(|e| format!("Cannot resolve {raw}: {e}"))?;
    if !canonical.join(".git").exists() {
        return Err(format!(
            "{raw} is not a git repository (it has no .git). Add the repository's root folder."
        ));
    }
    Ok(canonical)
}

/// The commit HEAD points at, or `None` for a folder that is not a git
/// repository or has no commit yet.
pub fn head_commit(repo: &Path) -> Option<String> {
    let mut cmd = git(repo);
    cmd.args(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
    run(cmd).ok().filter(|s| s.len() == 40)
}

/// Writes the tree of the HEAD commit into `dest` (tracked files only, as
/// committed) and returns the commit SHA.
pub fn export_head(repo: &Path, dest: &Path) -> Result<String, GitError> {
    if !repo.is_dir() {
        return Err(GitError::Failed(format!(
            "the repository folder {} is gone",
            repo.display()
        )));
    }
    let sha = head_commit(repo).ok_or_else(|| {
        GitError::Failed(format!("{} has no commit to review yet", repo.display()))
    })?;
    export_commit(repo, &sha, dest)?;
    Ok(sha)
}

/// Writes the tree of commit `sha` (40 hex digits) into `dest`.
pub fn export_commit(repo: &Path, sha: &str, dest: &Path) -> Result<(), GitError> {
    if sha.len() != 40 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(GitError::Failed(format!("{sha:?} is not a commit id")));
    }
    if !repo.is_dir() {
        return Err(GitError::Failed(format!(
            "the repository folder {} is gone",
            repo.display()
        )));
    }
    let mut archive = git(repo);
    archive
        .args(["archive", "--format=tar", sha])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut archive = archive.spawn().map_err(GitError::Spawn)?;
    let tar_in = archive.stdout.take().expect("piped stdout");
    let tar = Command::new("tar")
        .args(["-x", "--no-same-owner", "--no-same-permissions", "-C"])
        .arg(dest)
        .stdin(tar_in)
        .stderr(Stdio::piped())
        .output()
        .map_err(GitError::Spawn)?;
    let archived = archive.wait_with_output().map_err(GitError::Spawn)?;
    if !archived.status.success() {
        return Err(GitError::Failed(format!(
            "git archive failed: {}",
            String::from_utf8_lossy(&archived.stderr).trim()
        )));
    }
    if !tar.status.success() {
        return Err(GitError::Failed(format!(
            "extracting the commit failed: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        )));
    }
    Ok(())
}

/// Turns a folder of files into a git repository with one commit, with a
/// fixed author and date so the same files always give the same SHA.
pub fn init_with_single_commit(dir: &Path, message: &str) -> Result<String, GitError> {
    let steps: [&[&str]; 3] = [
        &["init", "--quiet", "--initial-branch=main"],
        &["add", "--all"],
        &[
            "-c",
            "user.name=backlens demo",
            "-c",
            "user.email=demo@backlens.invalid",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            message,
        ],
    ];
    for args in steps {
        let mut cmd = git(dir);
        cmd.args(args)
            .env("GIT_AUTHOR_DATE", "2026-01-05T09:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-05T09:00:00Z");
        run(cmd)?;
    }
    head_commit(dir).ok_or_else(|| GitError::Failed("commit not found after git commit".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_missing_file_and_plain_folders_are_rejected_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        assert!(validate_repository_root("")
            .unwrap_err()
            .contains("Enter the path"));
        assert!(validate_repository_root("repos/x")
            .unwrap_err()
            .contains("absolute"));
        let missing = dir.path().join("nope");
        assert!(validate_repository_root(missing.to_str().unwrap())
            .unwrap_err()
            .contains("No such directory"));
        let file = dir.path().join("f.txt");
        std::fs::write(&file, "x").unwrap();
        assert!(validate_repository_root(file.to_str().unwrap())
            .unwrap_err()
            .contains("not a directory"));
        assert!(validate_repository_root(dir.path().to_str().unwrap())
            .unwrap_err()
            .contains("not a git repository"));
    }

    #[test]
    fn a_committed_repository_is_accepted_and_exported_at_head() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        std::fs::write(repo.join("app.py"), "print('hi')\n").unwrap();
        let sha = init_with_single_commit(&repo, "first").unwrap();
        assert_eq!(sha.len(), 40);
        assert_eq!(
            validate_repository_root(repo.to_str().unwrap()).unwrap(),
            repo.canonicalize().unwrap()
        );
        // Uncommitted changes are not part of the reviewed commit.
        std::fs::write(repo.join("scratch.py"), "x = 1\n").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        assert_eq!(export_head(&repo, &out).unwrap(), sha);
        assert!(out.join("app.py").exists());
        assert!(!out.join("scratch.py").exists());
    }

    #[test]
    fn exporting_a_repository_without_commits_fails_clearly() {
        let dir = tempfile::tempdir().unwrap();
        run({
            let mut c = git(dir.path());
            c.args(["init", "--quiet"]);
            c
        })
        .unwrap();
        let out = tempfile::tempdir().unwrap();
        let err = export_head(dir.path(), out.path()).unwrap_err().to_string();
        assert!(err.contains("no commit"), "{err}");
    }
}
