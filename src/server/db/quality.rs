//! Quality-loop jobs and their stored runs: enqueue after a review, claim,
//! cancel, store a run with its steps (and the LOOP-* verdicts and scores of
//! the review it belongs to), read back the latest run and recent flaky tests.

use super::decode_err;
use super::jobs::{job_columns, job_from_row, job_view_from_row, Job};
use crate::model::quality::{
    Diagnostic, FlakyTestView, LoopVerdict, QualityRunView, StepKind, StepView, TestCounts,
};
use crate::model::views::JobView;
use crate::model::{
    Category, CheckKind, CheckResult, Evidence, Finding, Scorecard, Severity, Verdict,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};

fn encode<T: serde::Serialize>(value: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(e.into()))
}

fn decode<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| decode_err(column, e.to_string()))
}

/// What a quality job works on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QualityPayload {
    pub review_id: i64,
    pub commit: Option<String>,
}

/// Queues a quality loop for the commit of a stored review, unless one for
/// that review is already queued or running. Returns the job id.
pub async fn enqueue_quality(
    pool: &SqlitePool,
    review_id: i64,
    max_attempts: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let Some((project_id, commit)): Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT project_id, commit_sha FROM reviews WHERE id = ?")
            .bind(review_id)
            .fetch_optional(pool)
            .await?
    else {
        return Ok(None);
    };
    let payload = encode(&QualityPayload { review_id, commit })?;
    sqlx::query_scalar(
        "INSERT INTO jobs (kind, project_id, state, attempts, max_attempts, run_after, created_at, payload)
         SELECT 'quality', ?1, 'queued', 0, ?2, ?3, ?3, ?4
         WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = 'quality' AND project_id = ?1
                             AND state IN ('queued', 'running')
                             AND json_extract(payload, '$.review_id') = ?5)
         RETURNING id",
    )
    .bind(project_id)
    .bind(max_attempts)
    .bind(now)
    .bind(payload)
    .bind(review_id)
    .fetch_optional(pool)
    .await
}

/// What asking for a project's loop again came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QualityAgain {
    /// A new quality job for the project's latest review.
    Queued(JobView),
    /// One of the project's quality jobs is queued or running already.
    AlreadyActive(JobView),
    /// The project has no review whose commit the loop could run on.
    NoReview,
}

/// Queues a new quality loop on the commit of the project's latest review,
/// unless one of the project's quality jobs is queued or running. The check
/// and the insert are one statement, so two clicks queue one loop.
pub async fn enqueue_quality_again(
    pool: &SqlitePool,
    project_id: i64,
    max_attempts: i64,
    now: i64,
) -> Result<QualityAgain, sqlx::Error> {
    let sql = concat!(
        "INSERT INTO jobs (kind, project_id, state, attempts, max_attempts, run_after, created_at, payload)
         SELECT 'quality', ?1, 'queued', 0, ?2, ?3, ?3,
                json_object('review_id', r.id, 'commit', r.commit_sha)
         FROM reviews r
         WHERE r.project_id = ?1
           AND NOT EXISTS (SELECT 1 FROM jobs WHERE kind = 'quality' AND project_id = ?1
                             AND state IN ('queued', 'running'))
         ORDER BY r.finished_at DESC, r.id DESC LIMIT 1
         RETURNING ",
        job_columns!(),
        ""
    );
    // Twice at most: the active loop that stopped the first insert may end
    // before it is read back.
    for _ in 0..2 {
        let queued = sqlx::query(sql)
            .bind(project_id)
            .bind(max_attempts)
            .bind(now)
            .fetch_optional(pool)
            .await?;
        if let Some(row) = queued {
            return Ok(QualityAgain::Queued(job_view_from_row(&row, "")?));
        }
        if let Some(job) = latest_quality_job(pool, project_id).await? {
            if job.state.is_active() {
                return Ok(QualityAgain::AlreadyActive(job));
            }
        }
        let reviewed: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM reviews WHERE project_id = ?)")
                .bind(project_id)
                .fetch_one(pool)
                .await?;
        if !reviewed {
            return Ok(QualityAgain::NoReview);
        }
    }
    Err(sqlx::Error::Protocol(
        "the project's quality jobs kept changing while a loop was queued again".into(),
    ))
}

/// Atomically takes the oldest due quality job and marks it running.
pub async fn claim_next_quality_job(
    pool: &SqlitePool,
    now: i64,
) -> Result<Option<(Job, QualityPayload)>, sqlx::Error> {
    let sql = concat!(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?,
                finished_at = NULL, stage = 'starting', files_done = NULL, files_total = NULL
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND kind = 'quality' AND run_after <= ?
                     ORDER BY run_after, id LIMIT 1)
           AND state = 'queued'
         RETURNING payload, ",
        job_columns!(),
        ""
    );
    let Some(row) = sqlx::query(sql)
        .bind(now)
        .bind(now)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let payload: Option<String> = row.try_get("payload")?;
    let payload = decode("payload", payload.as_deref().unwrap_or("null"))?;
    Ok(Some((job_from_row(&row)?, payload)))
}

/// The state of a job (`None` when it is gone).
pub async fn job_state(pool: &SqlitePool, job_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT state FROM jobs WHERE id = ?")
        .bind(job_id)
        .fetch_optional(pool)
        .await
}

/// Records where a running quality job is.
pub async fn update_stage(pool: &SqlitePool, job_id: i64, stage: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET stage = ? WHERE id = ? AND state = 'running'")
        .bind(stage)
        .bind(job_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Cancels a queued or running quality job. `None` when there is no such
/// job or it already ended. The worker running it sees the state and kills
/// the process tree.
pub async fn cancel_quality_job(
    pool: &SqlitePool,
    job_id: i64,
    now: i64,
) -> Result<Option<JobView>, sqlx::Error> {
    let sql = concat!(
        "UPDATE jobs SET state = 'cancelled', finished_at = ?, stage = NULL,
                last_error = 'cancelled from the project page'
         WHERE id = ? AND kind = 'quality' AND state IN ('queued', 'running') RETURNING ",
        job_columns!(),
        ""
    );
    let row = sqlx::query(sql)
        .bind(now)
        .bind(job_id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(|r| job_view_from_row(r, "")).transpose()
}

/// The project's latest quality job.
pub async fn latest_quality_job(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<JobView>, sqlx::Error> {
    let sql = concat!(
        "SELECT ",
        job_columns!(),
        " FROM jobs WHERE project_id = ? AND kind = 'quality' ORDER BY id DESC LIMIT 1"
    );
    let row = sqlx::query(sql)
        .bind(project_id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(|r| job_view_from_row(r, "")).transpose()
}

/// A finished (or cancelled, or impossible) loop to store.
pub struct NewQualityRun<'a> {
    pub project_id: i64,
    pub job_id: i64,
    pub review_id: Option<i64>,
    pub commit_sha: Option<&'a str>,
    pub state: &'a str,
    pub note: Option<&'a str>,
    pub sandbox: &'a str,
    pub network: &'a str,
    pub verdicts: &'a [LoopVerdict],
    pub steps: &'a [StepView],
    /// The LOOP-* results to write into the review (not for a cancelled run).
    pub checks: &'a [CheckResult],
    pub started_at: i64,
    pub finished_at: i64,
    pub duration_ms: i64,
}

/// Stores a run with its steps, writes its LOOP-* verdicts into the review
/// and scores the review again with `rescore`, and marks the job succeeded
/// unless it was cancelled meanwhile — all in one transaction. A run stored
/// earlier by the same job is replaced. Returns the run id.
pub async fn save_quality_run_and_finish_job(
    pool: &SqlitePool,
    new: NewQualityRun<'_>,
    rescore: impl Fn(&[CheckResult], &[Finding]) -> Scorecard,
) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM quality_runs WHERE job_id = ?")
        .bind(new.job_id)
        .execute(&mut *tx)
        .await?;
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO quality_runs (project_id, job_id, review_id, commit_sha, state, note, sandbox,
                                   network, verdicts, started_at, finished_at, duration_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.project_id)
    .bind(new.job_id)
    .bind(new.review_id)
    .bind(new.commit_sha)
    .bind(new.state)
    .bind(new.note)
    .bind(new.sandbox)
    .bind(new.network)
    .bind(encode(&new.verdicts)?)
    .bind(new.started_at)
    .bind(new.finished_at)
    .bind(new.duration_ms)
    .fetch_one(&mut *tx)
    .await?;
    for (i, s) in new.steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO quality_steps (run_id, position, kind, ecosystem, tool, command, verdict,
                 summary, duration_ms, exit_code, timed_out, diagnostics, tests, failing_tests,
                 flaky_tests, log, log_cut_bytes)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(run_id)
        .bind(i as i64)
        .bind(s.kind.as_str())
        .bind(&s.ecosystem)
        .bind(&s.tool)
        .bind(&s.command)
        .bind(s.verdict.as_str())
        .bind(&s.summary)
        .bind(s.duration_ms)
        .bind(s.exit_code)
        .bind(s.timed_out)
        .bind(encode(&s.diagnostics)?)
        .bind(s.tests.as_ref().map(encode).transpose()?)
        .bind(encode(&s.failing_tests)?)
        .bind(encode(&s.flaky_tests)?)
        .bind(&s.log)
        .bind(s.log_cut_bytes)
        .execute(&mut *tx)
        .await?;
    }
    if let (Some(review_id), false) = (new.review_id, new.checks.is_empty()) {
        for c in new.checks {
            sqlx::query(
                "UPDATE check_results SET verdict = ?, summary = ?, evidence = ?
                 WHERE review_id = ? AND check_id = ?",
            )
            .bind(c.verdict.as_str())
            .bind(&c.summary)
            .bind(encode(&c.evidence)?)
            .bind(review_id)
            .bind(&c.check_id)
            .execute(&mut *tx)
            .await?;
        }
        let checks = sqlx::query(
            "SELECT check_id, kind, category, verdict, summary, evidence FROM check_results WHERE review_id = ?",
        )
        .bind(review_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(check_result_from_row)
        .collect::<Result<Vec<_>, _>>()?;
        let findings = sqlx::query(
            "SELECT check_id, severity, path, line, end_line, snippet, message, fingerprint, suppressed_reason, suppressed_until
             FROM findings WHERE review_id = ?",
        )
        .bind(review_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(finding_from_row)
        .collect::<Result<Vec<_>, _>>()?;
        if !checks.is_empty() {
            let card = rescore(&checks, &findings);
            sqlx::query("UPDATE reviews SET score = ?, grade = ? WHERE id = ?")
                .bind(card.score as i64)
                .bind(card.grade.as_str())
                .bind(review_id)
                .execute(&mut *tx)
                .await?;
            for c in &card.categories {
                sqlx::query(
                    "UPDATE review_categories SET score = ? WHERE review_id = ? AND category = ?",
                )
                .bind(c.score.map(i64::from))
                .bind(review_id)
                .bind(c.category.id())
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    sqlx::query(
        "UPDATE jobs SET state = 'succeeded', finished_at = ?, stage = 'done', last_error = NULL
         WHERE id = ? AND state = 'running'",
    )
    .bind(new.finished_at)
    .bind(new.job_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(run_id)
}

fn check_result_from_row(r: &SqliteRow) -> Result<CheckResult, sqlx::Error> {
    let kind: String = r.try_get("kind")?;
    let category: String = r.try_get("category")?;
    let verdict: String = r.try_get("verdict")?;
    let evidence: String = r.try_get("evidence")?;
    Ok(CheckResult {
        check_id: r.try_get("check_id")?,
        kind: CheckKind::parse(&kind).ok_or_else(|| decode_err("kind", kind.clone()))?,
        category: Category::parse(&category)
            .ok_or_else(|| decode_err("category", category.clone()))?,
        verdict: Verdict::parse(&verdict).ok_or_else(|| decode_err("verdict", verdict.clone()))?,
        summary: r.try_get("summary")?,
        evidence: decode::<Vec<Evidence>>("evidence", &evidence)?,
    })
}

fn finding_from_row(r: &SqliteRow) -> Result<Finding, sqlx::Error> {
    let severity: String = r.try_get("severity")?;
    let line: i64 = r.try_get("line")?;
    let end_line: i64 = r.try_get("end_line")?;
    Ok(Finding {
        check_id: r.try_get("check_id")?,
        severity: Severity::parse(&severity)
            .ok_or_else(|| decode_err("severity", severity.clone()))?,
        path: r.try_get("path")?,
        line: line as u32,
        end_line: end_line as u32,
        snippet: r.try_get("snippet")?,
        message: r.try_get("message")?,
        fingerprint: r.try_get("fingerprint")?,
        suppressed: r.try_get("suppressed_reason")?,
        suppressed_until: r.try_get("suppressed_until")?,
    })
}

fn step_from_row(r: &SqliteRow) -> Result<StepView, sqlx::Error> {
    let kind: String = r.try_get("kind")?;
    let verdict: String = r.try_get("verdict")?;
    let diagnostics: String = r.try_get("diagnostics")?;
    let tests: Option<String> = r.try_get("tests")?;
    let failing: String = r.try_get("failing_tests")?;
    let flaky: String = r.try_get("flaky_tests")?;
    Ok(StepView {
        kind: StepKind::parse(&kind).ok_or_else(|| decode_err("kind", kind.clone()))?,
        ecosystem: r.try_get("ecosystem")?,
        tool: r.try_get("tool")?,
        command: r.try_get("command")?,
        verdict: Verdict::parse(&verdict).ok_or_else(|| decode_err("verdict", verdict.clone()))?,
        summary: r.try_get("summary")?,
        duration_ms: r.try_get("duration_ms")?,
        exit_code: r.try_get("exit_code")?,
        timed_out: r.try_get("timed_out")?,
        diagnostics: decode::<Vec<Diagnostic>>("diagnostics", &diagnostics)?,
        tests: tests
            .as_deref()
            .map(|t| decode::<TestCounts>("tests", t))
            .transpose()?,
        failing_tests: decode("failing_tests", &failing)?,
        flaky_tests: decode("flaky_tests", &flaky)?,
        log: r.try_get("log")?,
        log_cut_bytes: r.try_get("log_cut_bytes")?,
    })
}

/// The project's latest stored run with its steps.
pub async fn latest_quality_run(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<QualityRunView>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT id, job_id, review_id, commit_sha, state, note, sandbox, network, verdicts,
                started_at, finished_at, duration_ms
         FROM quality_runs WHERE project_id = ? ORDER BY finished_at DESC, id DESC LIMIT 1",
    )
    .bind(project_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let id: i64 = row.try_get("id")?;
    let verdicts: String = row.try_get("verdicts")?;
    let steps = sqlx::query(
        "SELECT kind, ecosystem, tool, command, verdict, summary, duration_ms, exit_code, timed_out,
                diagnostics, tests, failing_tests, flaky_tests, log, log_cut_bytes
         FROM quality_steps WHERE run_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(step_from_row)
    .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(QualityRunView {
        id,
        job_id: row.try_get("job_id")?,
        review_id: row.try_get("review_id")?,
        commit_sha: row.try_get("commit_sha")?,
        state: row.try_get("state")?,
        note: row.try_get("note")?,
        sandbox: row.try_get("sandbox")?,
        network: row.try_get("network")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        duration_ms: row.try_get("duration_ms")?,
        verdicts: decode("verdicts", &verdicts)?,
        steps,
    }))
}

/// Tests that were flaky in the project's `runs` most recent loops, most
/// often first.
pub async fn recent_flaky_tests(
    pool: &SqlitePool,
    project_id: i64,
    runs: i64,
) -> Result<Vec<FlakyTestView>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT t.value, COUNT(DISTINCT r.id), MAX(r.finished_at)
         FROM (SELECT id, finished_at FROM quality_runs WHERE project_id = ?
               ORDER BY finished_at DESC, id DESC LIMIT ?) r
         JOIN quality_steps s ON s.run_id = r.id
         JOIN json_each(s.flaky_tests) t
         GROUP BY t.value ORDER BY 2 DESC, 3 DESC, 1 LIMIT 20",
    )
    .bind(project_id)
    .bind(runs)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, runs, last_seen)| FlakyTestView {
            name,
            runs,
            last_seen,
        })
        .collect())
}
