//! Safe extraction of a repository tarball (`.tar.gz` as GitHub serves it).
//!
//! Every entry is checked before anything is written: absolute paths, `..`
//! components, links pointing outside the tree, device files and FIFOs reject
//! the whole archive, and so do archives beyond the size, count and
//! compression-ratio caps. Only regular files and directories are written
//! (never links), each with `create_new`, so nothing outside `dest` can be
//! reached. GitHub's single top-level folder (`owner-repo-sha/`) is stripped.

use flate2::read::GzDecoder;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Caps on what an archive may hold.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Bytes after decompression, headers included.
    pub max_total_bytes: u64,
    pub max_files: u64,
    pub max_file_bytes: u64,
    /// Decompressed ÷ compressed, checked once more than `ratio_grace` bytes came out.
    pub max_ratio: u64,
    pub ratio_grace: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_total_bytes: 1024 * 1024 * 1024,
            max_files: 100_000,
            max_file_bytes: 64 * 1024 * 1024,
            max_ratio: 200,
            ratio_grace: 8 * 1024 * 1024,
        }
    }
}

/// Why an archive was refused; the message says which entry and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArchiveError {
    #[error("unsafe archive: entry {entry:?} {reason}")]
    Unsafe { entry: String, reason: String },
    #[error("archive too large: {0}")]
    TooLarge(String),
    #[error("corrupt archive: {0}")]
    Corrupt(String),
    #[error("cannot write the extracted files: {0}")]
    Io(String),
}

/// What was extracted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    pub files: u64,
    pub bytes: u64,
    /// Links inside the tree are not materialised (the review reads files only).
    pub links_skipped: u64,
}

struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Guards decompressed bytes: total cap and compression ratio.
struct Guard<R> {
    inner: R,
    out: u64,
    compressed: Arc<AtomicU64>,
    limits: Limits,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > self.limits.max_total_bytes {
            return Err(io::Error::other(format!(
                "TOO_LARGE:more than {} bytes when decompressed",
                self.limits.max_total_bytes
            )));
        }
        let compressed = self.compressed.load(Ordering::Relaxed).max(1);
        if self.out > self.limits.ratio_grace && self.out / compressed > self.limits.max_ratio {
            return Err(io::Error::other(format!(
                "TOO_LARGE:compression ratio above {}:1 ({} bytes from {} compressed), a likely decompression bomb",
                self.limits.max_ratio, self.out, compressed
            )));
        }
        Ok(n)
    }
}

fn io_to_archive(e: io::Error) -> ArchiveError {
    let text = e.to_string();
    match text.strip_prefix("TOO_LARGE:") {
        Some(reason) => ArchiveError::TooLarge(reason.to_string()),
        None => ArchiveError::Corrupt(text),
    }
}

/// Extracts the `.tar.gz` at `archive` into `dest` (which must exist and be
/// empty). On error `dest` may hold a partial tree; the caller discards it.
pub fn extract_tar_gz(
    archive: &Path,
    dest: &Path,
    limits: &Limits,
) -> Result<Extracted, ArchiveError> {
    let file = File::open(archive).map_err(|e| ArchiveError::Io(e.to_string()))?;
    let compressed = Arc::new(AtomicU64::new(0));
    let counting = Counting {
        inner: io::BufReader::new(file),
        count: compressed.clone(),
    };
    let guard = Guard {
        inner: GzDecoder::new(counting),
        out: 0,
        compressed,
        limits: limits.clone(),
    };
    extract_tar(guard, dest, limits)
}

/// Extracts an uncompressed tar stream (see [`extract_tar_gz`]).
pub fn extract_tar<R: Read>(
    reader: R,
    dest: &Path,
    limits: &Limits,
) -> Result<Extracted, ArchiveError> {
    let mut archive = tar::Archive::new(reader);
    let mut done = Extracted::default();
    let mut top: Option<String> = None;
    for entry in archive.entries().map_err(io_to_archive)? {
        let mut entry = entry.map_err(io_to_archive)?;
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader
        ) {
            continue;
        }
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8_lossy(&raw).to_string();
        let unsafe_entry = |reason: &str| ArchiveError::Unsafe {
            entry: name.clone(),
            reason: reason.to_string(),
        };
        let path = entry
            .path()
            .map_err(|_| unsafe_entry("has a path that is not valid"))?;
        let relative = safe_relative(&path).map_err(|r| unsafe_entry(&r))?;
        // Strip the single top-level folder GitHub puts everything in.
        let mut comps = relative.components();
        let first = comps
            .next()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .unwrap_or_default();
        match &top {
            None => top = Some(first.clone()),
            Some(t) if *t != first => {
                return Err(unsafe_entry(
                    "is outside the archive's single top-level folder",
                ))
            }
            Some(_) => {}
        }
        let inner: PathBuf = comps.collect();
        match kind {
            tar::EntryType::Directory => {
                if !inner.as_os_str().is_empty() {
                    fs::create_dir_all(dest.join(&inner))
                        .map_err(|e| ArchiveError::Io(e.to_string()))?;
                }
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                if inner.as_os_str().is_empty() {
                    return Err(unsafe_entry(
                        "is a file where the top-level folder should be",
                    ));
                }
                done.files += 1;
                if done.files > limits.max_files {
                    return Err(ArchiveError::TooLarge(format!(
                        "more than {} files",
                        limits.max_files
                    )));
                }
                let size = entry.header().size().map_err(io_to_archive)?;
                if size > limits.max_file_bytes {
                    return Err(ArchiveError::TooLarge(format!(
                        "{name:?} is {size} bytes, more than the {} allowed for one file",
                        limits.max_file_bytes
                    )));
                }
                let target = dest.join(&inner);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent).map_err(|e| ArchiveError::Io(e.to_string()))?;
                }
                let mut out = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&target)
                    .map_err(|e| ArchiveError::Io(format!("{name}: {e}")))?;
                let mut limited = (&mut entry).take(limits.max_file_bytes + 1);
                let written = io::copy(&mut limited, &mut out).map_err(io_to_archive)?;
                if written > limits.max_file_bytes {
                    return Err(ArchiveError::TooLarge(format!(
                        "{name:?} is larger than the {} bytes allowed for one file",
                        limits.max_file_bytes
                    )));
                }
                out.flush().map_err(|e| ArchiveError::Io(e.to_string()))?;
                done.bytes += written;
            }
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let target = entry
                    .link_name()
                    .map_err(io_to_archive)?
                    .ok_or_else(|| unsafe_entry("is a link without a target"))?;
                let what = if kind == tar::EntryType::Symlink {
                    "is a symbolic link"
                } else {
                    "is a hard link"
                };
                let resolved = if kind == tar::EntryType::Symlink {
                    // Relative to the link's own folder.
                    if target.is_absolute() {
                        return Err(unsafe_entry(&format!(
                            "{what} to the absolute path {}",
                            target.display()
                        )));
                    }
                    relative.parent().unwrap_or(Path::new("")).join(&target)
                } else {
                    // Hard link names are relative to the archive root.
                    target.to_path_buf()
                };
                if escapes(&resolved) || (kind == tar::EntryType::Link && target.is_absolute()) {
                    return Err(unsafe_entry(&format!(
                        "{what} pointing outside the tree ({})",
                        target.display()
                    )));
                }
                done.links_skipped += 1;
            }
            tar::EntryType::Char | tar::EntryType::Block => {
                return Err(unsafe_entry("is a device file"))
            }
            tar::EntryType::Fifo => return Err(unsafe_entry("is a FIFO (named pipe)")),
            other => {
                return Err(unsafe_entry(&format!(
                    "has an unsupported entry type {other:?}"
                )))
            }
        }
    }
    Ok(done)
}

/// The entry's path as plain relative components, or why it is unsafe.
fn safe_relative(path: &Path) -> Result<PathBuf, String> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => return Err("has a '..' component".into()),
            Component::RootDir | Component::Prefix(_) => return Err("has an absolute path".into()),
        }
    }
    if out.as_os_str().is_empty() {
        return Err("has an empty path".into());
    }
    Ok(out)
}

/// Whether a path (relative to the archive root) climbs above it.
fn escapes(path: &Path) -> bool {
    let mut depth: i64 = 0;
    for c in path.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                // Depth 0 is above the repository's top-level folder.
                if depth < 1 {
                    return true;
                }
            }
            Component::RootDir | Component::Prefix(_) => return true,
        }
    }
    // A link resolving to the top-level folder itself or above leaves the repository.
    depth < 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;

    /// A raw tar header (the `tar` crate's builder refuses hostile paths, so
    /// names are written into the header bytes directly).
    fn header(name: &str, kind: tar::EntryType, size: u64, link: Option<&str>) -> tar::Header {
        let mut h = tar::Header::new_old();
        {
            let bytes = h.as_old_mut();
            bytes.name = [0; 100];
            bytes.name[..name.len()].copy_from_slice(name.as_bytes());
            if let Some(link) = link {
                bytes.linkname = [0; 100];
                bytes.linkname[..link.len()].copy_from_slice(link.as_bytes());
            }
        }
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(0o644);
        h.set_cksum();
        h
    }

    fn tar_gz(entries: &[(&str, tar::EntryType, &[u8], Option<&str>)]) -> Vec<u8> {
        let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
        for (name, kind, data, link) in entries {
            let h = header(name, *kind, data.len() as u64, *link);
            b.append(&h, *data).unwrap();
        }
        b.into_inner().unwrap().finish().unwrap()
    }

    fn extract(
        bytes: &[u8],
        limits: &Limits,
    ) -> (tempfile::TempDir, Result<Extracted, ArchiveError>) {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("a.tar.gz");
        fs::write(&archive, bytes).unwrap();
        let dest = dir.path().join("out");
        fs::create_dir(&dest).unwrap();
        let r = extract_tar_gz(&archive, &dest, limits);
        (dir, r)
    }

    use tar::EntryType as T;

    #[test]
    fn a_normal_archive_is_extracted_without_its_top_folder() {
        let bytes = tar_gz(&[
            ("o-r-abc/", T::Directory, b"", None),
            ("o-r-abc/src/app.ts", T::Regular, b"console.log(1)", None),
            ("o-r-abc/README.md", T::Regular, b"# hi", None),
            ("o-r-abc/link", T::Symlink, b"", Some("src/app.ts")),
        ]);
        let (dir, r) = extract(&bytes, &Limits::default());
        let done = r.unwrap();
        assert_eq!(done.files, 2);
        assert_eq!(done.links_skipped, 1);
        let out = dir.path().join("out");
        assert_eq!(
            fs::read_to_string(out.join("src/app.ts")).unwrap(),
            "console.log(1)"
        );
        assert!(!out.join("link").exists());
    }

    fn assert_rejected(entries: &[(&str, tar::EntryType, &[u8], Option<&str>)], needle: &str) {
        let (dir, r) = extract(&tar_gz(entries), &Limits::default());
        let err = r.expect_err("hostile archive accepted").to_string();
        assert!(err.contains(needle), "{err:?} does not say {needle:?}");
        // Nothing escaped next to the destination.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn absolute_paths_are_rejected() {
        assert_rejected(
            &[("/etc/cron.d/evil", T::Regular, b"x", None)],
            "absolute path",
        );
    }

    #[test]
    fn parent_components_are_rejected() {
        assert_rejected(
            &[
                ("o-r-abc/ok.txt", T::Regular, b"x", None),
                ("o-r-abc/../../evil.txt", T::Regular, b"x", None),
            ],
            "'..'",
        );
    }

    #[test]
    fn symlinks_out_of_the_tree_are_rejected() {
        assert_rejected(
            &[("o-r-abc/passwd", T::Symlink, b"", Some("/etc/passwd"))],
            "absolute path /etc/passwd",
        );
        assert_rejected(
            &[("o-r-abc/up", T::Symlink, b"", Some("../../secret"))],
            "pointing outside",
        );
        // A sibling of the repository's folder is outside too.
        assert_rejected(
            &[("o-r-abc/up", T::Symlink, b"", Some("../other-repo/x"))],
            "pointing outside",
        );
    }

    #[test]
    fn hard_links_out_of_the_tree_are_rejected() {
        assert_rejected(
            &[("o-r-abc/h", T::Link, b"", Some("/etc/shadow"))],
            "hard link",
        );
        assert_rejected(&[("o-r-abc/h", T::Link, b"", Some("../x"))], "hard link");
    }

    #[test]
    fn device_files_and_fifos_are_rejected() {
        assert_rejected(&[("o-r-abc/dev", T::Char, b"", None)], "device file");
        assert_rejected(&[("o-r-abc/blk", T::Block, b"", None)], "device file");
        assert_rejected(&[("o-r-abc/pipe", T::Fifo, b"", None)], "FIFO");
    }

    #[test]
    fn entries_outside_the_top_folder_are_rejected() {
        assert_rejected(
            &[
                ("o-r-abc/a.txt", T::Regular, b"x", None),
                ("other/b.txt", T::Regular, b"x", None),
            ],
            "top-level folder",
        );
    }

    #[test]
    fn caps_on_files_size_and_ratio() {
        let limits = Limits {
            max_files: 2,
            ..Limits::default()
        };
        let many = tar_gz(&[
            ("t/a", T::Regular, b"1", None),
            ("t/b", T::Regular, b"2", None),
            ("t/c", T::Regular, b"3", None),
        ]);
        assert!(
            matches!(extract(&many, &limits).1, Err(ArchiveError::TooLarge(m)) if m.contains("more than 2 files"))
        );

        let big = vec![b'a'; 4096];
        let one = tar_gz(&[("t/big", T::Regular, &big, None)]);
        let limits = Limits {
            max_file_bytes: 1000,
            ..Limits::default()
        };
        assert!(
            matches!(extract(&one, &limits).1, Err(ArchiveError::TooLarge(m)) if m.contains("one file"))
        );

        let limits = Limits {
            max_total_bytes: 3000,
            ..Limits::default()
        };
        assert!(
            matches!(extract(&one, &limits).1, Err(ArchiveError::TooLarge(m)) if m.contains("decompressed"))
        );

        // 2 MiB of zeros compress about 1000:1.
        let zeros = vec![0u8; 2 * 1024 * 1024];
        let bomb = tar_gz(&[("t/zeros", T::Regular, &zeros, None)]);
        let limits = Limits {
            max_ratio: 50,
            ratio_grace: 64 * 1024,
            ..Limits::default()
        };
        assert!(
            matches!(extract(&bomb, &limits).1, Err(ArchiveError::TooLarge(m)) if m.contains("ratio"))
        );
    }

    #[test]
    fn garbage_is_a_corrupt_archive() {
        let (_d, r) = extract(b"this is not gzip", &Limits::default());
        assert!(matches!(r, Err(ArchiveError::Corrupt(_))), "{r:?}");
    }
}
