//! Demo projects: sample backends shipped inside the binary, written out as
//! local git repositories and registered, so a fresh install has something to
//! show without any network.

use super::git::{init_with_single_commit, GitError};
use include_dir::{include_dir, Dir};
use std::path::{Path, PathBuf};

static SAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/server/demo/samples");

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot write demo repository {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot create git history for {path}: {source}")]
    Git { path: String, source: GitError },
}

/// Writes every sample under `dir/<name>` as a git repository with one commit.
/// A sample whose repository already exists is left as it is. Returns the
/// repository paths.
pub fn write_sample_repositories(dir: &Path) -> Result<Vec<PathBuf>, DemoError> {
    let mut repos = Vec::new();
    for sample in SAMPLES.dirs() {
        let Some(name) = sample.path().file_name() else {
            continue;
        };
        let repo = dir.join(name);
        let io_err = |source| DemoError::Io {
            path: repo.display().to_string(),
            source,
        };
        if !repo.join(".git").exists() {
            if repo.exists() {
                std::fs::remove_dir_all(&repo).map_err(io_err)?;
            }
            std::fs::create_dir_all(&repo).map_err(io_err)?;
            write_dir(sample, sample.path(), &repo).map_err(io_err)?;
            init_with_single_commit(&repo, "Initial import").map_err(|source| DemoError::Git {
                path: repo.display().to_string(),
                source,
            })?;
        }
        repos.push(repo);
    }
    repos.sort();
    Ok(repos)
}

fn write_dir(dir: &Dir<'_>, base: &Path, dest: &Path) -> std::io::Result<()> {
    for file in dir.files() {
        let rel = file.path().strip_prefix(base).unwrap_or(file.path());
        let target = dest.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, file.contents())?;
    }
    for sub in dir.dirs() {
        write_dir(sub, base, dest)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_written_as_committed_repositories_once() {
        let dir = tempfile::tempdir().unwrap();
        let repos = write_sample_repositories(dir.path()).unwrap();
        assert!(repos.len() >= 2, "{repos:?}");
        let names: Vec<_> = repos
            .iter()
            .filter_map(|r| r.file_name()?.to_str())
            .collect();
        assert_eq!(names, ["inventory-service", "orders-api"]);
        let shas: Vec<_> = repos
            .iter()
            .map(|r| super::super::git::head_commit(r).unwrap())
            .collect();
        // Idempotent: a second call keeps the same history.
        let again = write_sample_repositories(dir.path()).unwrap();
        let shas_again: Vec<_> = again
            .iter()
            .map(|r| super::super::git::head_commit(r).unwrap())
            .collect();
        assert_eq!(shas, shas_again);
    }
}
