//! The review cache: what each file contributed to a review (its facts and
//! findings, [`FileOutcome`]), kept by path and content hash so the next
//! review of the same project only analyzes the files that changed.
//!
//! A file is looked up by its size and modification time first (as git's
//! index does), so an unchanged file is not even read; when those differ
//! (a fresh export of a commit has new times) it is read and its content hash
//! decides. Times are only trusted for files last modified well before the
//! review that recorded them started, so a file changed within the same clock
//! tick is still read. The cache belongs to one build of backlens and one
//! size limit: anything else starts a new cache. A cache that cannot be read
//! or written only costs time; it never changes a review.
//!
//! File format (one file per project): a JSON header line, then one line per
//! file: `"path"<TAB>size<TAB>mtime_ns<TAB>hash<TAB>{outcome as JSON}`.

use super::walk::Candidate;
use super::FileOutcome;
use std::collections::HashMap;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

const FORMAT: u32 = 1;
/// Modification times this close to the start of the recording review are
/// not trusted (coarse file system clocks).
const RACY_NS: i128 = 2_000_000_000;

#[derive(serde::Serialize, serde::Deserialize, PartialEq)]
struct Header {
    format: u32,
    engine: String,
    max_file_bytes: u64,
    /// When the review that wrote the cache started (ns since the epoch).
    started_ns: i128,
}

/// One file as recorded.
#[derive(Clone)]
pub struct Entry {
    len: u64,
    mtime_ns: i128,
    hash: u128,
    /// The [`FileOutcome`] as JSON.
    outcome: String,
}

/// The cache of one project, opened at the start of a review.
pub struct FileCache {
    path: PathBuf,
    header: Header,
    old: HashMap<String, Entry>,
    /// Files modified before this may be recognized by size and time alone.
    trusted_before_ns: i128,
}

/// How one file was looked up.
pub struct Looked {
    pub outcome: FileOutcome,
    /// What to record for it (`None`: do not record, e.g. it could not be read).
    pub entry: Option<Entry>,
    pub hit: bool,
}

/// Identifies this build: the version and the executable's size and time.
fn engine_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| format!("{}-{}", m.len(), mtime_ns(&m)))
            .unwrap_or_else(|_| "unknown-exe".to_string());
        format!("{} {exe}", env!("CARGO_PKG_VERSION"))
    })
}

fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

impl FileCache {
    /// Opens the cache at `path` for a review starting now. A missing,
    /// unreadable, damaged or foreign cache is an empty one.
    pub fn open(path: &Path, max_file_bytes: u64) -> FileCache {
        let header = Header {
            format: FORMAT,
            engine: engine_id().to_string(),
            max_file_bytes,
            started_ns: now_ns(),
        };
        let mut cache = FileCache {
            path: path.to_path_buf(),
            header,
            old: HashMap::new(),
            trusted_before_ns: 0,
        };
        match cache.read_old() {
            Ok(()) => {}
            Err(why) => {
                tracing::debug!(path = %path.display(), "review cache not used: {why}");
                cache.old.clear();
            }
        }
        cache
    }

    fn read_old(&mut self) -> Result<(), String> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e.to_string()),
        };
        let mut lines = std::io::BufReader::new(file).lines();
        let first = lines.next().ok_or("empty")?.map_err(|e| e.to_string())?;
        let old: Header = serde_json::from_str(&first).map_err(|e| e.to_string())?;
        if old.format != self.header.format
            || old.engine != self.header.engine
            || old.max_file_bytes != self.header.max_file_bytes
        {
            return Err("written by another build or with other limits".to_string());
        }
        self.trusted_before_ns = old.started_ns - RACY_NS;
        for line in lines {
            let line = line.map_err(|e| e.to_string())?;
            let (rel, entry) = parse_line(&line).ok_or("damaged line")?;
            self.old.insert(rel, entry);
        }
        Ok(())
    }

    /// The outcome of `candidate`: recorded when the file is unchanged,
    /// otherwise `analyze` of its bytes (or of the reason it cannot be read).
    pub fn look_up(
        &self,
        candidate: &Candidate,
        read: impl FnOnce() -> Result<Vec<u8>, String>,
        analyze: impl FnOnce(Result<Vec<u8>, String>) -> FileOutcome,
    ) -> Looked {
        let old = self.old.get(&candidate.rel);
        let meta = std::fs::symlink_metadata(&candidate.abs).ok();
        let stat = meta.as_ref().map(|m| (m.len(), mtime_ns(m)));
        if let (Some(old), Some((len, mtime))) = (old, stat) {
            if old.len == len && old.mtime_ns == mtime && mtime < self.trusted_before_ns {
                if let Some(outcome) = decode(&old.outcome) {
                    return Looked {
                        outcome,
                        entry: Some(old.clone()),
                        hit: true,
                    };
                }
            }
        }
        let bytes = match read() {
            Ok(bytes) => bytes,
            Err(reason) => {
                return Looked {
                    outcome: analyze(Err(reason)),
                    entry: None,
                    hit: false,
                }
            }
        };
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let (len, mtime_ns) = stat.unwrap_or((bytes.len() as u64, 0));
        if let Some(old) = old.filter(|o| o.hash == hash) {
            if let Some(outcome) = decode(&old.outcome) {
                let entry = Entry {
                    len,
                    mtime_ns,
                    hash,
                    outcome: old.outcome.clone(),
                };
                return Looked {
                    outcome,
                    entry: Some(entry),
                    hit: true,
                };
            }
        }
        let outcome = analyze(Ok(bytes));
        let json = serde_json::to_string(&outcome)
            .inspect_err(|e| tracing::warn!(path = %candidate.rel, "not cached: {e}"));
        let entry = json.ok().map(|json| Entry {
            len,
            mtime_ns,
            hash,
            outcome: json,
        });
        Looked {
            outcome,
            entry,
            hit: false,
        }
    }

    /// Starts replacing the cache with the files of this review: each file
    /// is written as it is recorded (in walk order), so the new cache is
    /// never held in memory; files that are gone are dropped. Written to a
    /// temporary file and renamed by [`CacheWriter::finish`], so a crash or
    /// a concurrent review leaves one whole cache.
    pub fn writer(&self) -> std::io::Result<CacheWriter> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let tmp = tempfile::NamedTempFile::new_in(dir)?;
        let mut out = BufWriter::new(tmp);
        serde_json::to_writer(&mut out, &self.header)?;
        out.write_all(b"\n")?;
        Ok(CacheWriter {
            out,
            path: self.path.clone(),
        })
    }
}

/// The cache being written by a review (see [`FileCache::writer`]).
pub struct CacheWriter {
    out: BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl CacheWriter {
    /// Records one file.
    pub fn record(&mut self, rel: &str, e: &Entry) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, rel)?;
        writeln!(
            self.out,
            "\t{}\t{}\t{:032x}\t{}",
            e.len, e.mtime_ns, e.hash, e.outcome
        )
    }

    /// Puts the new cache in place of the old one.
    pub fn finish(self) -> std::io::Result<()> {
        let tmp = self.out.into_inner().map_err(|e| e.into_error())?;
        tmp.as_file().sync_all()?;
        tmp.persist(&self.path).map(|_| ()).map_err(|e| e.error)
    }
}

fn decode(json: &str) -> Option<FileOutcome> {
    serde_json::from_str(json).ok()
}

fn parse_line(line: &str) -> Option<(String, Entry)> {
    let mut parts = line.splitn(5, '\t');
    let rel: String = serde_json::from_str(parts.next()?).ok()?;
    let len = parts.next()?.parse().ok()?;
    let mtime_ns = parts.next()?.parse().ok()?;
    let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
    let outcome = parts.next()?.to_string();
    Some((
        rel,
        Entry {
            len,
            mtime_ns,
            hash,
            outcome,
        },
    ))
}
