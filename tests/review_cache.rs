//! The worker keeps a review cache per project: the next review of the
//! project reuses it and stores exactly what a review without it stores.

mod common;

use backlens::model::views::ReviewView;
use backlens::server::jobs::{run_next_job, WorkerConfig};
use backlens::server::services::reviews;

/// A stored finding as compared: check, path, line, message, fingerprint.
type Stored = (String, String, i64, String, String);

fn essentials(review: &ReviewView) -> (i64, Vec<Stored>) {
    let mut findings: Vec<_> = review
        .findings
        .iter()
        .map(|f| {
            (
                f.check_id.clone(),
                f.path.clone(),
                f.line,
                f.message.clone(),
                f.fingerprint.clone(),
            )
        })
        .collect();
    findings.sort();
    (review.score, findings)
}

/// Asks for another review of project `id`, runs it with `config` and
/// returns what it stored.
async fn review_again(pool: &sqlx::SqlitePool, id: i64, config: &WorkerConfig) -> ReviewView {
    reviews::request_review(pool, id, 3).await.unwrap().unwrap();
    run_next_job(pool, config)
        .await
        .unwrap()
        .expect("the review ran");
    common::latest_review(pool, id).await
}

#[tokio::test]
async fn the_next_review_reads_the_project_cache_and_stores_the_same_review() {
    let dir = tempfile::tempdir().unwrap();
    let pool = common::database(dir.path()).await;
    let repo = common::demo_repositories(dir.path()).join("orders-api");
    let cache_dir = dir.path().join("review-cache");
    let cached = WorkerConfig {
        review_cache: Some(cache_dir.clone()),
        ..common::worker_config()
    };
    let id = common::add_local_project(&pool, &repo.to_string_lossy(), 3).await;
    run_next_job(&pool, &cached)
        .await
        .unwrap()
        .expect("first review");
    let cache_file = cache_dir.join(format!("project-{id}.cache"));
    let recorded = std::fs::read_to_string(&cache_file).expect("the cache file");
    assert!(recorded.lines().count() > 5, "{recorded:.300}");

    // A second commit with a new SQL injection: reviewed with the cache...
    common::git::write_files(
        &repo,
        &[(
            "src/routes/report.ts",
            "import { pool } from \"../db\";\nexport async function report(req: any) {\n  return pool.query(\"SELECT * FROM sales ORDER BY \" + req.query.column);\n}\n",
        )],
    );
    common::git::git(&repo, &["add", "--all"]);
    common::git::git(&repo, &["commit", "--quiet", "-m", "report"]);
    let with_cache = review_again(&pool, id, &cached).await;
    assert!(with_cache
        .findings
        .iter()
        .any(|f| f.check_id == "SEC-SQLI" && f.path == "src/routes/report.ts"));
    let recorded_again = std::fs::read_to_string(&cache_file).unwrap();
    assert!(recorded_again.contains("\"src/routes/report.ts\"\t"));

    // ...stores what the same commit reviewed without a cache stores.
    let without_cache = review_again(&pool, id, &common::worker_config()).await;
    assert_eq!(with_cache.commit_sha, without_cache.commit_sha);
    assert_eq!(essentials(&with_cache), essentials(&without_cache));

    // The worker really reads it: a finding's message edited in the cache
    // comes back in the next review of the unchanged commit.
    let cache = std::fs::read_to_string(&cache_file).unwrap();
    let line = cache
        .lines()
        .find(|l| l.contains("\"message\":\""))
        .expect("a cached file with a finding");
    let edited = line.replacen("\"message\":\"", "\"message\":\"FROM-CACHE ", 1);
    std::fs::write(&cache_file, cache.replacen(line, &edited, 1)).unwrap();
    let from_cache = review_again(&pool, id, &cached).await;
    assert!(from_cache
        .findings
        .iter()
        .any(|f| f.message.starts_with("FROM-CACHE ")));
}
