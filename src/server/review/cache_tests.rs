//! The review cache never changes a review: a review read back from the
//! cache, whole or in part, equals a review without it, and only changed
//! files are analyzed again.

use super::*;

fn opts(cache: Option<&Path>) -> ReviewOptions {
    ReviewOptions {
        today: Some("2026-11-22".to_string()),
        cache: cache.map(Path::to_path_buf),
        ..ReviewOptions::default()
    }
}

fn run(root: &Path, cache: Option<&Path>) -> ReviewReport {
    review_tree(root, &opts(cache), &mut |_| {}).expect("review")
}

/// Every field but the cache count, as text.
fn text(mut report: ReviewReport) -> String {
    report.files_from_cache = 0;
    format!("{report:#?}")
}

/// Sets a file's modification time well in the past, so the cache may
/// trust size and time (as it does for a file not touched for a while).
fn age(path: &Path) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

/// Every regular file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            out.extend(files(&entry.path()));
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for file in files(from) {
        let dest = to.join(file.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&file, &dest).unwrap();
        age(&dest);
    }
}

fn corpus_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    copy_tree(&corpus, dir.path());
    dir
}

#[test]
fn a_review_from_the_cache_equals_a_review_without_it() {
    let tree = corpus_copy();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("project.cache");
    let fresh = run(tree.path(), None);
    let first = run(tree.path(), Some(&cache));
    assert_eq!(first.files_from_cache, 0);
    assert!(cache.is_file());
    let second = run(tree.path(), Some(&cache));
    assert!(recorded(&cache) >= second.files_scanned);
    assert_eq!(second.files_from_cache, recorded(&cache));
    assert!(second.files_scanned > 50, "{}", second.files_scanned);
    let fresh = text(fresh);
    assert!(fresh == text(first), "first cached review differs");
    assert!(fresh == text(second), "review read from the cache differs");
}

/// Files recorded in a cache file (reviewed, or skipped for their content:
/// binary, minified, not UTF-8; files that could not be read are not).
fn recorded(cache: &Path) -> usize {
    std::fs::read_to_string(cache).unwrap().lines().count() - 1
}

#[test]
fn after_one_file_changes_only_that_file_is_analyzed_again() {
    let tree = corpus_copy();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("project.cache");
    let before = run(tree.path(), Some(&cache));
    // Make an SQL injection in a file that had none.
    let target = tree.path().join("express-ts/src/config.ts");
    let original = std::fs::read_to_string(&target).unwrap();
    std::fs::write(
        &target,
        format!("{original}\nexport const q = (db: any, req: any) => db.query(\"SELECT * FROM t WHERE id = \" + req.query.id);\n"),
    )
    .unwrap();
    let after = run(tree.path(), Some(&cache));
    assert_eq!(after.files_scanned, before.files_scanned);
    assert_eq!(after.files_from_cache, recorded(&cache) - 1);
    let new_finding = |r: &ReviewReport| {
        r.findings
            .iter()
            .any(|f| f.path == "express-ts/src/config.ts" && f.check_id == "SEC-SQLI")
    };
    assert!(!new_finding(&before));
    assert!(new_finding(&after));
    assert!(
        text(after) == text(run(tree.path(), None)),
        "re-review differs from a fresh one"
    );
}

#[test]
fn a_file_with_new_times_but_the_same_bytes_comes_from_the_cache() {
    // What a fresh export of the same commit looks like.
    let tree = corpus_copy();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("project.cache");
    let before = run(tree.path(), Some(&cache));
    let again = tempfile::tempdir().unwrap();
    copy_tree(tree.path(), again.path());
    // New times, as a checkout writes them: too recent to trust.
    for file in files(again.path()) {
        std::fs::File::options()
            .write(true)
            .open(file)
            .unwrap()
            .set_modified(std::time::SystemTime::now())
            .unwrap();
    }
    let after = run(again.path(), Some(&cache));
    assert!(before.files_scanned > 50);
    assert_eq!(after.files_from_cache, recorded(&cache));
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_and_replaced() {
    let tree = corpus_copy();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("project.cache");
    let fresh = text(run(tree.path(), None));
    for junk in [
        &b"not json at all\n\xff\xfe"[..],
        b"{\"format\":1,\"engine\":\"another build\",\"max_file_bytes\":1048576,\"started_ns\":0}\n",
        b"",
    ] {
        std::fs::write(&cache, junk).unwrap();
        let report = run(tree.path(), Some(&cache));
        assert_eq!(report.files_from_cache, 0);
        assert!(fresh == text(report));
    }
    // A cache whose lines were tampered with: the damaged entry is read
    // again from the file, the others still count.
    run(tree.path(), Some(&cache));
    let written = std::fs::read_to_string(&cache).unwrap();
    let damaged: String = written
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 1 {
                let cut = l.rfind('\t').unwrap();
                format!("{}\t{{\"Reviewed\":42}}\n", &l[..cut])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&cache, damaged).unwrap();
    let report = run(tree.path(), Some(&cache));
    assert!(report.files_from_cache > 0);
    assert!(fresh == text(report));
}

#[test]
fn an_unwritable_cache_only_costs_time() {
    let tree = corpus_copy();
    let blocker = tempfile::NamedTempFile::new().unwrap();
    // The cache's folder is a regular file: it cannot be created.
    let cache = blocker.path().join("project.cache");
    let report = run(tree.path(), Some(&cache));
    assert_eq!(report.files_from_cache, 0);
    assert!(text(report) == text(run(tree.path(), None)));
}
