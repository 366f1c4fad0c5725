//! The parallel per-file stage gives exactly the report of the sequential one.

use super::*;
use std::path::PathBuf;

/// `tests/corpus` (the app crate) or `corpus` (the dev harness).
pub(super) fn corpus_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [manifest.join("tests/corpus"), manifest.join("corpus")]
        .into_iter()
        .find(|p| p.is_dir())
        .expect("corpus directory")
}

/// `src/server/demo/samples` (the app crate) or `samples` (the dev harness).
pub(super) fn samples_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("src/server/demo/samples"),
        manifest.join("samples"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
    .expect("samples directory")
}

/// The whole report, every field, as text.
fn review_text(root: &Path, parallel: bool, today: &str) -> (String, Vec<(usize, usize)>) {
    let opts = ReviewOptions {
        parallel,
        today: Some(today.to_string()),
        ..ReviewOptions::default()
    };
    let mut parsing = Vec::new();
    let report = review_tree(root, &opts, &mut |p| {
        if p.stage == "parsing" {
            parsing.push((p.files_done, p.files_total));
        }
    })
    .expect("review");
    (format!("{report:#?}"), parsing)
}

fn trees() -> Vec<PathBuf> {
    let mut trees = vec![corpus_dir(), samples_dir()];
    for dir in [corpus_dir(), samples_dir()] {
        let mut subdirs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        subdirs.sort();
        trees.extend(subdirs);
    }
    trees
}

#[test]
fn parallel_review_equals_sequential_review_on_corpus_and_samples() {
    let trees = trees();
    assert!(trees.len() > 10, "{trees:?}");
    let mut with_findings = 0;
    for root in trees {
        let (sequential, seq_progress) = review_text(&root, false, "2026-11-22");
        let (parallel, par_progress) = review_text(&root, true, "2026-11-22");
        assert!(
            sequential == parallel,
            "parallel and sequential reports differ for {}",
            root.display()
        );
        assert_eq!(seq_progress, par_progress, "{}", root.display());
        with_findings += usize::from(sequential.contains("fingerprint"));
    }
    assert!(with_findings > 10, "{with_findings}");
}

#[test]
fn parallel_review_reports_progress_up_to_the_total() {
    let (_, progress) = review_text(&corpus_dir(), true, "2026-11-22");
    let &(done, total) = progress.last().expect("parsing progress");
    assert!(total > CHUNK_FILES, "{total}");
    assert_eq!(done, total);
    assert!(progress.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn many_small_files_in_parallel_keep_walk_order() {
    // More files than one chunk, each with a finding, so chunk boundaries
    // and worker scheduling are exercised.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        let body = format!(
            "export function q{i}(db, req) {{\n  return db.query(`SELECT * FROM t{i} WHERE id = ${{req.query.id}}`);\n}}\n"
        );
        let path = dir.path().join(format!("src/m{:03}/f{i}.ts", i % 7));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    let (sequential, _) = review_text(dir.path(), false, "2026-11-22");
    let (parallel, _) = review_text(dir.path(), true, "2026-11-22");
    assert_eq!(sequential, parallel);
    assert!(sequential.matches("SEC-SQLI").count() >= 300);
}

#[test]
fn facts_past_their_caps_fold_as_one_pass_keeps_them() {
    // Enough files that the capped lists (prints, stdlib logging, env
    // names, SQL strings, test texts...) overflow, so the fold's caps are
    // held to the sequential pass's.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..260 {
        let body = format!(
            "import logging\nimport os\n\nQ = \"SELECT * FROM t{i} WHERE id = %s\"\n\ndef run_{i}():\n    print(\"run {i}\")\n    a = os.getenv(\"VAR_{i:03}_A\")\n    b = os.environ.get(\"VAR_{i:03}_B\")\n    logging.info(\"done %s %s\", a, b)\n"
        );
        let path = dir.path().join(format!("app/m{:02}/f{i}.py", i % 9));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
        let test = format!("def test_{i}():\n    assert run_{i}() is None\n");
        let path = dir.path().join(format!("tests/test_f{i}.py"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, test).unwrap();
    }
    let (sequential, _) = review_text(dir.path(), false, "2026-11-22");
    let (parallel, _) = review_text(dir.path(), true, "2026-11-22");
    assert!(sequential == parallel, "reports differ past the caps");
    assert!(
        sequential.contains("files_scanned: 520"),
        "{sequential:.400}"
    );
}
