//! End-to-end tests of `review_tree` over small trees written to temporary
//! directories.

use super::*;
use crate::model::{Category, Grade, Severity, Verdict, CATALOG};

/// Writes `files` (path, content) under a fresh temporary directory.
pub(super) fn write_tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    dir
}

pub(super) fn review(root: &Path) -> ReviewReport {
    review_tree(root, &ReviewOptions::default(), &mut |_| {}).expect("review")
}

fn verdict(report: &ReviewReport, id: &str) -> Verdict {
    report
        .checks
        .iter()
        .find(|c| c.check_id == id)
        .unwrap()
        .verdict
}

fn check<'a>(report: &'a ReviewReport, id: &str) -> &'a crate::model::CheckResult {
    report.checks.iter().find(|c| c.check_id == id).unwrap()
}

const SQLI_HANDLER: &[u8] = b"import { pool } from './db';\n\nexport function register(app) {\n  app.get('/orders', async (req, res) => {\n    const { rows } = await pool.query(\"SELECT * FROM orders WHERE customer_id = '\" + req.query.customer + \"'\");\n    res.json(rows);\n  });\n}\n";

#[test]
fn binary_files_and_node_modules_are_skipped() {
    let dir = write_tree(&[
        ("src/app.js", SQLI_HANDLER),
        ("node_modules/left-pad/index.js", SQLI_HANDLER),
        ("web/node_modules/x/index.js", SQLI_HANDLER),
        ("public/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ]);
    let report = review(dir.path());
    assert_eq!(report.files_scanned, 1);
    assert!(report.findings.iter().all(|f| f.path == "src/app.js"));
    assert!(
        report
            .skipped
            .iter()
            .all(|s| !s.path.contains("node_modules")),
        "{:?}",
        report.skipped
    );
    let png = report
        .skipped
        .iter()
        .find(|s| s.path == "public/logo.png")
        .expect("png skipped");
    assert!(png.reason.contains("binary"), "{}", png.reason);
}

#[test]
fn a_non_utf8_file_is_skipped_with_a_reason() {
    let dir = write_tree(&[("app/legacy.py", b"# coding: latin-1\nname = 'caf\xe9'\n")]);
    let report = review(dir.path());
    assert_eq!(report.files_scanned, 0);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].path, "app/legacy.py");
    assert!(
        report.skipped[0].reason.contains("UTF-8"),
        "{}",
        report.skipped[0].reason
    );
    // The CLI says so too, in both formats.
    let json = crate::server::cli::review_json(None, &report);
    assert_eq!(json["skipped"][0]["path"], "app/legacy.py");
    assert!(json["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    let text = crate::server::cli::review_text(dir.path(), None, &report);
    assert!(
        text.contains("Skipped or partly read: 1 file\n  app/legacy.py: "),
        "{text}"
    );
}

#[test]
fn a_gitignored_file_is_not_reviewed_even_outside_a_git_repository() {
    let dir = write_tree(&[
        (".gitignore", b"local-secrets.ts\ngenerated/\n"),
        (
            "local-secrets.ts",
            b"export const GITHUB_TOKEN = 'ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5';\n",
        ),
        ("generated/client.ts", SQLI_HANDLER),
        ("src/index.ts", b"export const port = 3000;\n"),
    ]);
    let report = review(dir.path());
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.files_scanned, 2); // .gitignore and src/index.ts
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
}

#[test]
fn a_tree_exported_from_a_commit_is_reviewed_whole_even_where_gitignore_lists_files() {
    // A `.env` force-added to the commit despite `.gitignore`: it is committed,
    // so it is a leak, and the review of the commit must see it.
    let dir = write_tree(&[
        (".gitignore", b".env\n"),
        (".env", b"JWT_SECRET=super-long-local-signing-secret\n"),
        ("src/index.ts", b"export const port = 3000;\n"),
    ]);
    let opts = ReviewOptions {
        respect_gitignore: false,
        ..ReviewOptions::default()
    };
    let report = review_tree(dir.path(), &opts, &mut |_| {}).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.check_id == "SEC-SECRET" && f.path == ".env"),
        "{:?}",
        report.findings
    );
    assert!(
        review(dir.path()).findings.is_empty(),
        "a working tree keeps .gitignore"
    );
}

#[test]
fn a_committed_env_file_is_reviewed_but_the_git_directory_is_not() {
    let dir = write_tree(&[
        (
            ".env",
            b"PORT=3000\nJWT_SECRET=super-long-local-signing-secret\n",
        ),
        (".env.example", b"PORT=3000\nJWT_SECRET=change-me\n"),
        (
            ".git/config",
            b"[remote]\n  url = https://ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5@github.com/o/r\n",
        ),
    ]);
    let report = review(dir.path());
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(
        (f.path.as_str(), f.line, f.severity),
        (".env", 2, Severity::High)
    );
    assert!(!f.snippet.contains("local-signing-secret"), "{}", f.snippet);
    assert!(!f.message.contains("local-signing-secret"), "{}", f.message);
}

#[test]
fn oversized_files_are_skipped_and_the_file_limit_is_reported_once() {
    let dir = write_tree(&[
        ("a.py", b"x = 1\n"),
        ("b.py", b"y = 2\n"),
        ("c.py", b"z = 3\n"),
        ("big.json", &[b' '; 4096]),
    ]);
    let opts = ReviewOptions {
        max_file_bytes: 1024,
        max_files: 2,
        ..ReviewOptions::default()
    };
    let report = review_tree(dir.path(), &opts, &mut |_| {}).unwrap();
    assert_eq!(report.files_scanned, 2);
    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(report.skipped.len(), 1, "{reasons:?}");
    assert!(reasons[0].contains("file limit of 2"), "{reasons:?}");

    let opts = ReviewOptions {
        max_file_bytes: 1024,
        ..ReviewOptions::default()
    };
    let report = review_tree(dir.path(), &opts, &mut |_| {}).unwrap();
    let big = report
        .skipped
        .iter()
        .find(|s| s.path == "big.json")
        .unwrap();
    assert!(big.reason.contains("1024-byte limit"), "{}", big.reason);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() {
    let outside = write_tree(&[(
        "secret.ts",
        b"const GITHUB_TOKEN = 'ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5';\n",
    )]);
    let dir = write_tree(&[("src/index.ts", b"export {};\n")]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.ts"),
        dir.path().join("src/link.ts"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked-dir")).unwrap();
    let report = review(dir.path());
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let paths: Vec<&str> = report.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, vec!["linked-dir", "src/link.ts"]);
    assert!(report
        .skipped
        .iter()
        .all(|s| s.reason.contains("symbolic link")));
}

#[test]
fn a_missing_root_or_a_file_root_is_an_error() {
    let dir = write_tree(&[("a.py", b"x = 1\n")]);
    let missing = review_tree(
        &dir.path().join("nope"),
        &ReviewOptions::default(),
        &mut |_| {},
    );
    assert!(matches!(missing, Err(ReviewError::RootMissing(_))));
    let file = review_tree(
        &dir.path().join("a.py"),
        &ReviewOptions::default(),
        &mut |_| {},
    );
    assert!(matches!(file, Err(ReviewError::NotADirectory(_))));
}

#[test]
fn every_catalog_check_gets_one_verdict_in_catalog_order() {
    let dir = write_tree(&[("src/app.js", SQLI_HANDLER)]);
    let report = review(dir.path());
    let ids: Vec<&str> = report.checks.iter().map(|c| c.check_id.as_str()).collect();
    let catalog: Vec<&str> = CATALOG.iter().map(|c| c.id).collect();
    assert_eq!(ids, catalog);
    for c in &report.checks {
        // Every verdict explains itself; checks this version does not run
        // (the quality loop here) say so and never pass.
        assert!(!c.summary.is_empty(), "{}", c.check_id);
        if c.verdict == Verdict::NotChecked {
            assert_eq!(c.summary, "Not yet checked by this version of backlens.");
            assert!(c.evidence.is_empty());
        }
        if c.check_id.starts_with("LOOP-") {
            assert_ne!(c.verdict, Verdict::Pass, "{}", c.check_id);
        }
    }
}

#[test]
fn languages_are_counted_by_extension_and_sorted_by_file_count() {
    let dir = write_tree(&[
        ("a.ts", b"export {};\n"),
        ("b.tsx", b"export {};\n"),
        ("c.mts", b"export {};\n"),
        ("d.cjs", b"module.exports = {};\n"),
        ("e.py", b"x = 1\n"),
        ("f.py", b"y = 1\n"),
        ("main.go", b"package main\n"),
        ("README.md", b"# hi\n"),
    ]);
    let report = review(dir.path());
    let langs: Vec<(&str, usize)> = report
        .languages
        .iter()
        .map(|l| (l.language.as_str(), l.files))
        .collect();
    assert_eq!(
        langs,
        vec![
            ("TypeScript", 3),
            ("Python", 2),
            ("Go", 1),
            ("JavaScript", 1)
        ]
    );
    assert_eq!(report.files_scanned, 8);
}

#[test]
fn progress_goes_through_walking_parsing_and_scoring() {
    let dir = write_tree(&[("a.py", b"x = 1\n"), ("b.py", b"y = 2\n")]);
    let mut stages = Vec::new();
    review_tree(dir.path(), &ReviewOptions::default(), &mut |p| {
        stages.push((p.stage, p.files_done, p.files_total))
    })
    .unwrap();
    assert_eq!(stages.first().unwrap().0, "walking");
    assert!(stages.contains(&("parsing", 2, 2)), "{stages:?}");
    assert_eq!(*stages.last().unwrap(), ("scoring", 2, 2));
}

#[test]
fn sql_injection_is_reported_at_its_line_and_fails_the_check() {
    let dir = write_tree(&[("src/app.js", SQLI_HANDLER)]);
    let report = review(dir.path());
    let sqli: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.check_id == "SEC-SQLI")
        .collect();
    assert_eq!(sqli.len(), 1);
    assert_eq!(
        (sqli[0].path.as_str(), sqli[0].line, sqli[0].severity),
        ("src/app.js", 5, Severity::Critical)
    );
    assert!(
        sqli[0]
            .snippet
            .starts_with("const { rows } = await pool.query("),
        "{}",
        sqli[0].snippet
    );
    let c = check(&report, "SEC-SQLI");
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!(c.evidence[0].path, "src/app.js");
    assert_eq!(c.evidence[0].line, Some(5));
    assert!(report.scorecard.grade >= Grade::C);
}

#[test]
fn finding_checks_pass_with_the_files_examined_or_are_not_applicable() {
    let dir = write_tree(&[
        ("src/a.ts", b"export const a = 1;\n"),
        ("app.py", b"x = 1\n"),
        ("notes.txt", b"hello\n"),
    ]);
    let report = review(dir.path());
    let c = check(&report, "SEC-SQLI");
    assert_eq!(c.verdict, Verdict::Pass);
    assert!(
        c.summary
            .contains("2 files examined (1 Python, 1 TypeScript)"),
        "{}",
        c.summary
    );
    let s = check(&report, "SEC-SECRET");
    assert_eq!(s.verdict, Verdict::Pass);
    assert!(s.summary.contains("3 files"), "{}", s.summary);

    let dir = write_tree(&[("notes.txt", b"hello\n")]);
    let report = review(dir.path());
    assert_eq!(verdict(&report, "SEC-SQLI"), Verdict::NotApplicable);
    assert_eq!(verdict(&report, "SEC-SECRET"), Verdict::Pass);
}

#[test]
fn an_empty_project_has_nothing_to_score() {
    let dir = write_tree(&[]);
    let report = review(dir.path());
    assert_eq!(report.files_scanned, 0);
    assert!(report
        .checks
        .iter()
        .all(|c| c.verdict != Verdict::Pass && c.verdict != Verdict::Fail));
    assert_eq!(
        (report.scorecard.score, report.scorecard.grade),
        (0, Grade::F)
    );
}

#[test]
fn fingerprints_survive_unrelated_lines_above_and_change_with_the_path() {
    let before = write_tree(&[("src/app.js", SQLI_HANDLER)]);
    let mut shifted = b"// a comment\n\n// and another\n".to_vec();
    shifted.extend_from_slice(SQLI_HANDLER);
    let after = write_tree(&[("src/app.js", &shifted)]);
    let moved = write_tree(&[("src/routes/app.js", SQLI_HANDLER)]);
    let a = review(before.path());
    let b = review(after.path());
    let c = review(moved.path());
    assert_eq!(a.findings[0].line + 3, b.findings[0].line);
    assert_eq!(a.findings[0].fingerprint, b.findings[0].fingerprint);
    assert_ne!(a.findings[0].fingerprint, c.findings[0].fingerprint);

    let changed = String::from_utf8(SQLI_HANDLER.to_vec())
        .unwrap()
        .replace("req.query.customer", "req.query.client");
    let d = review(write_tree(&[("src/app.js", changed.as_bytes())]).path());
    assert_ne!(a.findings[0].fingerprint, d.findings[0].fingerprint);
}

#[test]
fn migrations_are_not_applicable_without_a_database() {
    let dir = write_tree(&[
        (
            "package.json",
            b"{\"dependencies\":{\"express\":\"^4.19.0\"}}\n",
        ),
        ("src/a.ts", b"export {};\n"),
    ]);
    let report = review(dir.path());
    let c = check(&report, "DATA-MIGRATIONS");
    assert_eq!(c.verdict, Verdict::NotApplicable, "{}", c.summary);
    assert_eq!(c.evidence[0].path, "package.json");
}

#[test]
fn migrations_fail_when_a_driver_is_declared_and_none_exist() {
    let dir = write_tree(&[(
        "package.json",
        b"{\n  \"dependencies\": {\n    \"express\": \"^4.19.0\",\n    \"pg\": \"^8.11.0\"\n  }\n}\n",
    )]);
    let report = review(dir.path());
    let c = check(&report, "DATA-MIGRATIONS");
    assert_eq!(c.verdict, Verdict::Fail);
    assert!(c.summary.contains("pg"), "{}", c.summary);
    assert_eq!(c.evidence[0].path, "package.json");
    assert_eq!(c.evidence[0].line, Some(4));
}

#[test]
fn sql_in_code_alone_counts_as_database_use() {
    let dir = write_tree(&[(
        "app/db.py",
        b"def get(cur, i):\n    cur.execute(\"SELECT * FROM items WHERE id = %s\", (i,))\n",
    )]);
    let report = review(dir.path());
    let c = check(&report, "DATA-MIGRATIONS");
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!(
        (c.evidence[0].path.as_str(), c.evidence[0].line),
        ("app/db.py", Some(2))
    );
}

#[test]
fn prisma_and_django_migrations_pass() {
    let dir = write_tree(&[
        (
            "package.json",
            b"{\"dependencies\":{\"@prisma/client\":\"5\"}}",
        ),
        (
            "prisma/schema.prisma",
            b"datasource db { provider = \"postgresql\" }\n",
        ),
        (
            "prisma/migrations/20240101000000_init/migration.sql",
            b"CREATE TABLE t (id int);\n",
        ),
    ]);
    assert_eq!(
        verdict(&review(dir.path()), "DATA-MIGRATIONS"),
        Verdict::Pass
    );
    let dir = write_tree(&[
        ("requirements.txt", b"Django==5.0\n"),
        (
            "shop/migrations/0001_initial.py",
            b"from django.db import migrations\n",
        ),
    ]);
    let report = review(dir.path());
    let c = check(&report, "DATA-MIGRATIONS");
    assert_eq!(c.verdict, Verdict::Pass);
    assert_eq!(c.evidence[0].note, "Django migration");
}

#[test]
fn tests_are_found_and_the_summary_says_whether_they_reach_the_routes() {
    let dir = write_tree(&[
        (
            "src/server.ts",
            b"app.get('/orders', list);\napp.post('/orders/:id/cancel', cancel);\n",
        ),
        (
            "src/orders.test.ts",
            b"it('lists', async () => { await request(app).get('/orders'); });\n",
        ),
    ]);
    let report = review(dir.path());
    let c = check(&report, "TEST-PRESENT");
    assert_eq!(c.verdict, Verdict::Pass);
    assert_eq!(c.evidence[0].path, "src/orders.test.ts");
    assert!(c.summary.contains("mention every route"), "{}", c.summary);

    let dir = write_tree(&[
        ("src/server.ts", b"app.get('/orders', list);\n"),
        ("test/math.spec.ts", b"expect(1 + 1).toBe(2);\n"),
    ]);
    let c = review(dir.path())
        .checks
        .into_iter()
        .find(|c| c.check_id == "TEST-PRESENT")
        .unwrap();
    assert_eq!(c.verdict, Verdict::Pass);
    assert!(c.summary.contains("no test file mentions"), "{}", c.summary);
}

#[test]
fn no_tests_fail_and_name_what_was_looked_for() {
    let dir = write_tree(&[
        (
            "package.json",
            b"{\n  \"scripts\": {\n    \"test\": \"echo \\\"Error: no test specified\\\" && exit 1\"\n  }\n}\n",
        ),
        ("src/index.js", b"module.exports = {};\n"),
    ]);
    let report = review(dir.path());
    let c = check(&report, "TEST-PRESENT");
    assert_eq!(c.verdict, Verdict::Fail);
    assert!(c.summary.contains("test_*.py"), "{}", c.summary);
    assert_eq!(
        (c.evidence[0].path.as_str(), c.evidence[0].line),
        ("package.json", Some(3))
    );
}

#[test]
fn health_endpoints_pass_fail_or_do_not_apply() {
    let dir = write_tree(&[(
        "app/main.py",
        b"@app.get(\"/api/healthz\")\ndef health():\n    return {\"ok\": True}\n",
    )]);
    let report = review(dir.path());
    let c = check(&report, "OBS-HEALTH");
    assert_eq!(c.verdict, Verdict::Pass);
    assert_eq!(
        (c.evidence[0].path.as_str(), c.evidence[0].line),
        ("app/main.py", Some(1))
    );

    let dir = write_tree(&[(
        "src/server.js",
        b"const app = express();\napp.get('/orders', list);\n",
    )]);
    let c = check(&review(dir.path()), "OBS-HEALTH").clone();
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!(
        (c.evidence[0].path.as_str(), c.evidence[0].line),
        ("src/server.js", Some(2))
    );
    assert!(c.summary.contains("/healthz"), "{}", c.summary);

    let dir = write_tree(&[("cli.py", b"print('hello')\n")]);
    assert_eq!(
        verdict(&review(dir.path()), "OBS-HEALTH"),
        Verdict::NotApplicable
    );
}

#[test]
fn category_scores_cover_every_category() {
    let dir = write_tree(&[("src/app.js", SQLI_HANDLER)]);
    let report = review(dir.path());
    let cats: Vec<Category> = report
        .scorecard
        .categories
        .iter()
        .map(|c| c.category)
        .collect();
    assert_eq!(cats, Category::ALL.to_vec());
    assert_eq!(report.scorecard.scoring_version, SCORING_VERSION);
    assert!(!scoring_explanation().is_empty());
}

#[test]
fn the_projects_backlens_toml_excludes_disables_rescales_and_suppresses() {
    let dir = write_tree(&[
        (
            ".backlens.toml",
            b"exclude = [\"scripts/**\"]\n[checks]\ndisable = [\"SEC-SECRET\"]\n\
              [severity]\n\"SEC-SQLI\" = \"medium\"\n\
              [[suppress]]\ncheck = \"SEC-SQLI\"\npath = \"src/reports/**\"\nreason = \"allow-listed columns\"\nexpires = \"2027-01-31\"\n\
              [[suppress]]\ncheck = \"SEC-SQLI\"\npath = \"src/old/**\"\nreason = \"was fine once\"\nexpires = \"2026-01-31\"\n",
        ),
        ("scripts/seed.ts", SQLI_HANDLER),
        ("src/reports/sales.ts", SQLI_HANDLER),
        ("src/old/legacy.ts", SQLI_HANDLER),
        ("src/routes.ts", SQLI_HANDLER),
        ("src/config.ts", b"export const JWT_SECRET = \"a-long-hard-coded-signing-secret\";\n"),
    ]);
    let opts = ReviewOptions {
        today: Some("2026-11-22".into()),
        ..ReviewOptions::default()
    };
    let report = review_tree(dir.path(), &opts, &mut |_| {}).unwrap();
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    let paths: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
    assert!(!paths.contains(&"scripts/seed.ts"), "excluded: {paths:?}");
    assert!(
        report.findings.iter().all(|f| f.check_id != "SEC-SECRET"),
        "disabled"
    );
    assert_eq!(verdict(&report, "SEC-SECRET"), Verdict::NotApplicable);
    assert!(
        report
            .findings
            .iter()
            .filter(|f| f.check_id == "SEC-SQLI")
            .all(|f| f.severity == Severity::Medium),
        "rescaled"
    );
    let by_path = |p: &str| {
        report
            .findings
            .iter()
            .find(|f| f.path == p && f.check_id == "SEC-SQLI")
            .unwrap()
    };
    assert!(by_path("src/reports/sales.ts")
        .suppressed
        .as_deref()
        .unwrap()
        .contains("allow-listed columns"));
    assert_eq!(
        by_path("src/reports/sales.ts").suppressed_until.as_deref(),
        Some("2027-01-31"),
        "the expiry is kept on the finding"
    );
    let expired = by_path("src/old/legacy.ts");
    assert!(expired.suppressed.is_none() && expired.message.contains("expired on 2026-01-31"));
    assert!(expired.suppressed_until.is_none());
    assert!(by_path("src/routes.ts").suppressed.is_none());
}

#[test]
fn a_malformed_backlens_toml_is_a_note_and_the_review_runs_with_defaults() {
    let dir = write_tree(&[
        (".backlens.toml", b"[checks]\ndisable = [SEC-SQLI\n"),
        ("src/routes.ts", SQLI_HANDLER),
    ]);
    let report = review(dir.path());
    assert_eq!(report.notes.len(), 1);
    assert!(report.notes[0].contains("line 2"), "{}", report.notes[0]);
    assert_eq!(verdict(&report, "SEC-SQLI"), Verdict::Fail);
}

#[test]
fn declaration_files_get_the_text_checks_only() {
    let dir = write_tree(&[
        (
            "src/app.ts",
            b"export function total(a: number, b: number): number {\n  return a + b;\n}\n",
        ),
        (
            "src/types/global.d.ts",
            b"// deploy key: ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5\ndeclare function query(sql: string): Promise<any>;\nexport declare const handler: (req: any, res: any) => void;\n",
        ),
    ]);
    let report = review(dir.path());
    assert_eq!(report.files_scanned, 2);
    // The token in the declaration file is found by the text checks...
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.check_id == "SEC-SECRET" && f.path == "src/types/global.d.ts"),
        "{:?}",
        report.findings
    );
    // ...and only the code file is read by the syntax rules.
    let sqli = check(&report, "SEC-SQLI");
    assert_eq!(sqli.verdict, Verdict::Pass);
    assert!(
        sqli.summary
            .starts_with("No SQL built from strings in 1 files"),
        "{}",
        sqli.summary
    );
}
