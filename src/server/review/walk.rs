//! Finds the files to review: walks the tree with the `ignore` crate (so
//! `.gitignore` rules apply even outside a git repository), never descends
//! `.git` or vendored/generated directories, never follows symbolic links, and
//! screens out files that are too big, binary, minified or not UTF-8.

use super::{ReviewOptions, ReviewProgress, SkippedFile};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Directories that hold dependencies, build output or caches; their contents
/// are not the team's code and are skipped without being listed one by one.
pub const VENDORED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "vendor",
    "dist",
    "build",
    ".venv",
    "venv",
    "__pycache__",
    "target",
    "coverage",
    ".next",
    ".nuxt",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".turbo",
    "site-packages",
];

/// Bytes looked at to decide whether a file is binary.
const BINARY_SNIFF_BYTES: usize = 8 * 1024;
/// Files longer than this whose average line is longer than
/// [`MINIFIED_AVG_LINE`] are treated as minified or generated.
const MINIFIED_MIN_BYTES: usize = 2 * 1024;
const MINIFIED_AVG_LINE: usize = 300;

/// A file the walk found and that passed the checks that need no reading.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub abs: PathBuf,
    /// Relative to the root, `/`-separated.
    pub rel: String,
}

/// The outcome of walking a tree.
#[derive(Debug, Default)]
pub struct Walked {
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<SkippedFile>,
}

/// The project's `exclude` globs as walk overrides; a bad glob is a note.
pub fn exclusions(
    root: &Path,
    patterns: &[String],
    notes: &mut Vec<String>,
) -> ignore::overrides::Override {
    let mut builder = ignore::overrides::OverrideBuilder::new(root);
    for pattern in patterns {
        if let Err(e) = builder.add(&format!("!{pattern}")) {
            notes.push(format!(
                ".backlens.toml: exclude {pattern:?} was skipped: {e}."
            ));
        }
    }
    builder
        .build()
        .unwrap_or_else(|_| ignore::overrides::Override::empty())
}

/// Walks `root` (already known to be a directory) and lists the files to read,
/// in a stable (sorted) order.
pub fn walk(
    root: &Path,
    opts: &ReviewOptions,
    exclude: &ignore::overrides::Override,
    progress: &mut dyn FnMut(ReviewProgress),
) -> Walked {
    let mut out = Walked::default();
    let mut over_limit: Option<(String, usize)> = None;
    let walker = ignore::WalkBuilder::new(root)
        .overrides(exclude.clone())
        .hidden(false)
        .ignore(false)
        .require_git(false)
        .git_ignore(opts.respect_gitignore)
        .parents(false)
        .git_global(false)
        .git_exclude(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            if name == ".git" {
                return false;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && entry.depth() > 0 && VENDORED_DIRS.contains(&name.as_ref()))
        })
        .build();

    for result in walker {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                let path = error_path(&err)
                    .map(|p| relative_path(root, &p))
                    .unwrap_or_default();
                out.skipped.push(SkippedFile {
                    path,
                    reason: format!("could not be walked: {}", first_line(&err.to_string())),
                });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = relative_path(root, entry.path());
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() || entry.path_is_symlink() {
            out.skipped.push(SkippedFile {
                path: rel,
                reason: "symbolic link (not followed)".to_string(),
            });
            continue;
        }
        if !file_type.is_file() {
            out.skipped.push(SkippedFile {
                path: rel,
                reason: "not a regular file".to_string(),
            });
            continue;
        }
        if out.candidates.len() >= opts.max_files {
            match &mut over_limit {
                Some((_, more)) => *more += 1,
                None => over_limit = Some((rel, 0)),
            }
            continue;
        }
        let size = match entry.metadata() {
            Ok(meta) => meta.len(),
            Err(err) => {
                out.skipped.push(SkippedFile {
                    path: rel,
                    reason: format!("could not be read: {}", first_line(&err.to_string())),
                });
                continue;
            }
        };
        if size > opts.max_file_bytes {
            out.skipped.push(SkippedFile {
                path: rel,
                reason: too_big_reason(size, opts.max_file_bytes),
            });
            continue;
        }
        out.candidates.push(Candidate {
            abs: entry.path().to_path_buf(),
            rel,
        });
        if out.candidates.len() % 256 == 0 {
            progress(ReviewProgress {
                stage: "walking",
                files_done: out.candidates.len(),
                files_total: 0,
            });
        }
    }
    if let Some((first, more)) = over_limit {
        out.skipped.push(SkippedFile {
            path: first,
            reason: format!(
                "file limit of {} files reached: this file and {} later files were not reviewed",
                opts.max_files, more
            ),
        });
    }
    out
}

/// Reads a candidate and decides whether it is reviewable text. Returns the
/// text, or the reason it is skipped.
pub fn read_text(candidate: &Candidate, opts: &ReviewOptions) -> Result<String, String> {
    screen(&candidate.rel, read_bytes(candidate, opts)?)
}

/// The bytes of a file, or why they cannot be reviewed (unreadable, too big).
pub fn read_bytes(candidate: &Candidate, opts: &ReviewOptions) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(&candidate.abs)
        .map_err(|err| format!("could not be read: {}", first_line(&err.to_string())))?;
    let mut bytes = Vec::new();
    file.take(opts.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| format!("could not be read: {}", first_line(&err.to_string())))?;
    if bytes.len() as u64 > opts.max_file_bytes {
        return Err(too_big_reason(bytes.len() as u64, opts.max_file_bytes));
    }
    Ok(bytes)
}

/// Decides from its name and bytes whether a file is reviewable text.
pub fn screen(rel: &str, bytes: Vec<u8>) -> Result<String, String> {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    if sniff.contains(&0) {
        return Err("binary file (NUL byte in the first 8 KiB)".to_string());
    }
    let lower = rel.to_ascii_lowercase();
    if [".min.js", ".min.mjs", ".min.cjs", ".min.css"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
    {
        return Err("minified file".to_string());
    }
    let mut text = String::from_utf8(bytes).map_err(|err| {
        format!(
            "not valid UTF-8 text (invalid byte at offset {})",
            err.utf8_error().valid_up_to()
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.len() >= MINIFIED_MIN_BYTES {
        let lines = text.lines().count().max(1);
        let average = text.len() / lines;
        if average > MINIFIED_AVG_LINE {
            return Err(format!(
                "looks minified or generated (average line length {average} characters)"
            ));
        }
    }
    Ok(text)
}

fn too_big_reason(size: u64, max: u64) -> String {
    format!("larger than the {max}-byte limit ({size} bytes)")
}

/// `path` relative to `root`, with `/` separators.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_mark_a_file_as_binary() {
        let err = screen("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0".to_vec()).unwrap_err();
        assert!(err.contains("binary"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_skipped_with_a_reason() {
        let err = screen("latin1.py", b"name = 'caf\xe9'\n".to_vec()).unwrap_err();
        assert!(err.contains("UTF-8"), "{err}");
    }

    #[test]
    fn minified_names_and_very_long_lines_are_skipped() {
        assert!(screen("public/app.min.js", b"var a=1;".to_vec()).is_err());
        let long_line = format!("var x = [{}];\n", "1,".repeat(2000));
        let err = screen("bundle.js", long_line.into_bytes()).unwrap_err();
        assert!(err.contains("minified"), "{err}");
        assert!(screen("ok.js", b"const a = 1;\n".to_vec()).is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let text = screen("a.py", "\u{feff}x = 1\n".as_bytes().to_vec()).unwrap();
        assert_eq!(text, "x = 1\n");
    }
}
