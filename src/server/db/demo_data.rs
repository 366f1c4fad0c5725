//! Writing synthetic history (`backlens demo-data`) fast: one transaction per
//! batch of projects, multi-row INSERTs of up to `ROWS_PER_INSERT` rows for
//! jobs, reviews, category scores, findings and verdicts.

use crate::server::demo_data::{SynthCheck, SynthFinding, SynthProject, SynthReview};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

/// Rows per multi-row INSERT (at most 16 parameters a row: well under
/// SQLite's 32 766 bound parameters).
const ROWS_PER_INSERT: usize = 400;

/// How many rows a batch wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stored {
    pub reviews: usize,
    pub findings: usize,
}

/// Whether any project's source starts with `prefix`.
pub async fn any_source_with_prefix(pool: &SqlitePool, prefix: &str) -> Result<bool, sqlx::Error> {
    // Range on the (source_kind, source) unique index instead of LIKE, so
    // `%` or `_` in the prefix mean nothing.
    let upper = format!("{prefix}\u{10FFFF}");
    sqlx::query_scalar::<_, i64>(
        "SELECT EXISTS (SELECT 1 FROM projects WHERE source_kind = 'local' AND source >= ? AND source < ?)",
    )
    .bind(prefix)
    .bind(upper)
    .fetch_one(pool)
    .await
    .map(|e| e == 1)
}

/// Stores projects with their reviews (each with a succeeded job), category
/// scores, findings and the latest review's verdicts, in one transaction.
/// Job and review ids are assigned here (the transaction holds SQLite's write
/// lock from its first INSERT, so nobody else takes them) so that those rows
/// go in multi-row INSERTs too.
pub async fn insert_projects(
    pool: &SqlitePool,
    projects: &[SynthProject],
) -> Result<Stored, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut stored = Stored::default();
    let mut project_ids = Vec::with_capacity(projects.len());
    for p in projects {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO projects (name, source_kind, source, created_at) VALUES (?, 'local', ?, ?)
             RETURNING id",
        )
        .bind(&p.name)
        .bind(&p.source)
        .bind(p.created_at)
        .fetch_one(&mut *tx)
        .await?;
        project_ids.push(id);
    }
    let (mut next_job, mut next_review): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT MAX(id) FROM jobs), 0) + 1, COALESCE((SELECT MAX(id) FROM reviews), 0) + 1",
    )
    .fetch_one(&mut *tx)
    .await?;

    let mut reviews: Vec<(i64, i64, i64, &SynthReview)> = Vec::new();
    let mut findings: Vec<(i64, &SynthFinding)> = Vec::new();
    let mut categories: Vec<(i64, &'static str, Option<i64>)> = Vec::new();
    let mut checks: Vec<(i64, &SynthCheck)> = Vec::new();
    for (p, project_id) in projects.iter().zip(project_ids) {
        for r in &p.reviews {
            let (job_id, review_id) = (next_job, next_review);
            next_job += 1;
            next_review += 1;
            stored.reviews += 1;
            stored.findings += r.findings.len();
            reviews.push((project_id, job_id, review_id, r));
            findings.extend(r.findings.iter().map(|f| (review_id, f)));
            categories.extend(r.categories.iter().map(|(c, s)| (review_id, c.id(), *s)));
            checks.extend(r.checks.iter().map(|c| (review_id, c)));
        }
    }

    for chunk in reviews.chunks(ROWS_PER_INSERT) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO jobs (id, kind, project_id, state, attempts, max_attempts, run_after, stage,
                               created_at, started_at, finished_at) ",
        );
        q.push_values(chunk, |mut b, (project_id, job_id, _, r)| {
            b.push_bind(*job_id)
                .push_bind("review")
                .push_bind(*project_id)
                .push_bind("succeeded")
                .push_bind(1i64)
                .push_bind(3i64)
                .push_bind(r.started_at)
                .push_bind("done")
                .push_bind(r.started_at)
                .push_bind(r.started_at)
                .push_bind(r.finished_at);
        });
        q.build().execute(&mut *tx).await?;
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO reviews (id, project_id, job_id, commit_sha, scoring_version, score, grade,
                                  files_scanned, files_skipped, languages, started_at, finished_at,
                                  duration_ms, notes, opened_findings, fixed_findings) ",
        );
        q.push_values(chunk, |mut b, (project_id, job_id, review_id, r)| {
            b.push_bind(*review_id)
                .push_bind(*project_id)
                .push_bind(*job_id)
                .push_bind(r.commit_sha.as_str())
                .push_bind(r.scoring_version)
                .push_bind(r.score)
                .push_bind(r.grade.as_str())
                .push_bind(r.files_scanned)
                .push_bind(0i64)
                .push_bind(r.languages_json.as_str())
                .push_bind(r.started_at)
                .push_bind(r.finished_at)
                .push_bind(r.duration_ms)
                .push_bind("[]")
                .push_bind(r.opened)
                .push_bind(r.fixed);
        });
        q.build().execute(&mut *tx).await?;
    }
    for chunk in categories.chunks(ROWS_PER_INSERT) {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO review_categories (review_id, category, score) ");
        q.push_values(chunk, |mut b, (review_id, category, score)| {
            b.push_bind(*review_id)
                .push_bind(*category)
                .push_bind(*score);
        });
        q.build().execute(&mut *tx).await?;
    }
    for chunk in findings.chunks(ROWS_PER_INSERT) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO findings (review_id, check_id, severity, path, line, end_line, snippet, message,
                                   fingerprint, status, suppressed_reason, suppressed_until) ",
        );
        q.push_values(chunk, |mut b, (review_id, f)| {
            b.push_bind(*review_id)
                .push_bind(f.check_id)
                .push_bind(f.severity.as_str())
                .push_bind(f.path.as_str())
                .push_bind(f.line)
                .push_bind(f.line)
                .push_bind(f.snippet)
                .push_bind(f.message)
                .push_bind(f.fingerprint.as_str())
                .push_bind(if f.is_new { "new" } else { "unchanged" })
                .push_bind(f.suppressed_reason)
                .push_bind(f.suppressed_until.as_deref());
        });
        q.build().execute(&mut *tx).await?;
    }
    for chunk in checks.chunks(ROWS_PER_INSERT) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO check_results (review_id, check_id, kind, category, verdict, summary, evidence) ",
        );
        q.push_values(chunk, |mut b, (review_id, c)| {
            b.push_bind(*review_id)
                .push_bind(c.check_id)
                .push_bind(c.kind.as_str())
                .push_bind(c.category.id())
                .push_bind(c.verdict.as_str())
                .push_bind(c.summary.as_str())
                .push_bind("[]");
        });
        q.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(stored)
}
