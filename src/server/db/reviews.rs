//! Reviews with their category scores, check verdicts and findings.

use super::decode_err;
use super::jobs::mark_succeeded;
use crate::model::catalog::find_check;
use crate::model::views::{
    CategoryView, CheckView, FindingStatus, FindingView, LanguageView, ReviewPoint, ReviewView,
};
use crate::model::{Category, CheckKind, Evidence, Grade, Severity, Verdict};
use crate::server::review::ReviewReport;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use std::collections::HashSet;

/// The columns `finding_from_row` reads (a macro so queries stay `&'static str`).
macro_rules! finding_columns {
    () => {
        "id, check_id, severity, path, line, end_line, snippet, message, fingerprint, status, \
         suppressed_reason, suppressed_until"
    };
}

/// The columns `finding_from_row` reads, for queries built elsewhere in `db`.
pub(super) const FINDING_COLUMNS: &str = finding_columns!();

/// What a finished review job stores.
pub struct NewReview<'a> {
    pub project_id: i64,
    pub job_id: i64,
    pub commit_sha: Option<&'a str>,
    pub report: &'a ReviewReport,
    pub started_at: i64,
    pub finished_at: i64,
    pub duration_ms: i64,
}

/// Stores a review and marks its job succeeded, atomically. A review stored
/// earlier by the same job (a run cut short after saving) is replaced, so a
/// re-run never doubles findings. Findings are marked new or unchanged
/// against the project's previous review. Returns the review id.
pub async fn save_review_and_finish_job(
    pool: &SqlitePool,
    new: NewReview<'_>,
) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM reviews WHERE job_id = ?")
        .bind(new.job_id)
        .execute(&mut *tx)
        .await?;
    let previous: HashSet<String> = sqlx::query_scalar(
        "SELECT fingerprint FROM findings WHERE review_id =
            (SELECT id FROM reviews WHERE project_id = ? ORDER BY finished_at DESC, id DESC LIMIT 1)",
    )
    .bind(new.project_id)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();

    let report = new.report;
    let languages = serde_json::to_string(
        &report
            .languages
            .iter()
            .map(|l| LanguageView {
                language: l.language.clone(),
                files: l.files as i64,
            })
            .collect::<Vec<_>>(),
    )
    .map_err(|e| sqlx::Error::Encode(e.into()))?;
    let review_id: i64 = sqlx::query_scalar(
        "INSERT INTO reviews (project_id, job_id, commit_sha, scoring_version, score, grade,
                              files_scanned, files_skipped, languages, started_at, finished_at, duration_ms,
                              notes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.project_id)
    .bind(new.job_id)
    .bind(new.commit_sha)
    .bind(report.scorecard.scoring_version as i64)
    .bind(report.scorecard.score as i64)
    .bind(report.scorecard.grade.as_str())
    .bind(report.files_scanned as i64)
    .bind(report.skipped.len() as i64)
    .bind(languages)
    .bind(new.started_at)
    .bind(new.finished_at)
    .bind(new.duration_ms)
    .bind(serde_json::to_string(&report.notes).map_err(|e| sqlx::Error::Encode(e.into()))?)
    .fetch_one(&mut *tx)
    .await?;

    for c in &report.scorecard.categories {
        sqlx::query("INSERT INTO review_categories (review_id, category, score) VALUES (?, ?, ?)")
            .bind(review_id)
            .bind(c.category.id())
            .bind(c.score.map(i64::from))
            .execute(&mut *tx)
            .await?;
    }
    for check in &report.checks {
        let evidence =
            serde_json::to_string(&check.evidence).map_err(|e| sqlx::Error::Encode(e.into()))?;
        sqlx::query(
            "INSERT INTO check_results (review_id, check_id, kind, category, verdict, summary, evidence)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(review_id)
        .bind(&check.check_id)
        .bind(check.kind.as_str())
        .bind(check.category.id())
        .bind(check.verdict.as_str())
        .bind(&check.summary)
        .bind(evidence)
        .execute(&mut *tx)
        .await?;
    }
    for f in &report.findings {
        let status = if previous.contains(&f.fingerprint) {
            FindingStatus::Unchanged
        } else {
            FindingStatus::New
        };
        sqlx::query(
            "INSERT INTO findings (review_id, check_id, severity, path, line, end_line, snippet,
                                   message, fingerprint, status, suppressed_reason, suppressed_until)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(review_id)
        .bind(&f.check_id)
        .bind(f.severity.as_str())
        .bind(&f.path)
        .bind(f.line as i64)
        .bind(f.end_line as i64)
        .bind(&f.snippet)
        .bind(&f.message)
        .bind(&f.fingerprint)
        .bind(status.as_str())
        .bind(f.suppressed.as_deref())
        .bind(f.suppressed_until.as_deref())
        .execute(&mut *tx)
        .await?;
    }
    super::trends::record_finding_flow(&mut tx, review_id).await?;
    super::routes::insert_route_map(&mut tx, review_id, &report.frameworks, &report.routes).await?;
    mark_succeeded(&mut *tx, new.job_id, new.finished_at).await?;
    tx.commit().await?;
    Ok(review_id)
}

/// The project's `limit` most recent reviews, oldest first.
pub async fn list_review_history(
    pool: &SqlitePool,
    project_id: i64,
    limit: i64,
) -> Result<Vec<ReviewPoint>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.finished_at, r.score, r.grade, r.scoring_version, r.commit_sha,
                (SELECT COUNT(*) FROM findings f
                  WHERE f.review_id = r.id AND f.suppressed_reason IS NULL) AS open_findings
         FROM reviews r WHERE r.project_id = ?
         ORDER BY r.finished_at DESC, r.id DESC LIMIT ?",
    )
    .bind(project_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let mut points = rows
        .iter()
        .map(|r| {
            let grade: String = r.try_get("grade")?;
            Ok(ReviewPoint {
                id: r.try_get("id")?,
                finished_at: r.try_get("finished_at")?,
                score: r.try_get("score")?,
                grade: Grade::parse(&grade).ok_or_else(|| decode_err("grade", grade.clone()))?,
                scoring_version: r.try_get("scoring_version")?,
                commit_sha: r.try_get("commit_sha")?,
                open_findings: r.try_get("open_findings")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    points.reverse();
    Ok(points)
}

/// What a SARIF download of a review needs: its commit, its project's name
/// and its findings. `None` when there is no such review.
pub async fn review_for_export(
    pool: &SqlitePool,
    review_id: i64,
) -> Result<Option<(Option<String>, String, Vec<FindingView>)>, sqlx::Error> {
    let Some((commit, name)): Option<(Option<String>, String)> = sqlx::query_as(
        "SELECT r.commit_sha, p.name FROM reviews r JOIN projects p ON p.id = r.project_id WHERE r.id = ?",
    )
    .bind(review_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let findings = sqlx::query(concat!(
        "SELECT ",
        finding_columns!(),
        " FROM findings WHERE review_id = ? ORDER BY path, line, check_id"
    ))
    .bind(review_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(finding_from_row)
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some((commit, name, findings)))
}

/// Grade and score of the project's latest review, if it has one.
pub async fn latest_grade_and_score(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT grade, score FROM reviews WHERE project_id = ? ORDER BY finished_at DESC, id DESC LIMIT 1",
    )
    .bind(project_id)
    .fetch_optional(pool)
    .await
}

/// How many findings a review stored (tests and metrics).
pub async fn count_findings(pool: &SqlitePool, review_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM findings WHERE review_id = ?")
        .bind(review_id)
        .fetch_one(pool)
        .await
}

/// How many reviews a project has.
pub async fn count_reviews(pool: &SqlitePool, project_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE project_id = ?")
        .bind(project_id)
        .fetch_one(pool)
        .await
}

/// The project's latest review with everything the scorecard shows.
pub async fn latest_review_view(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<ReviewView>, sqlx::Error> {
    let latest: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM reviews WHERE project_id = ? ORDER BY finished_at DESC, id DESC LIMIT 1",
    )
    .bind(project_id)
    .fetch_optional(pool)
    .await?;
    match latest {
        Some(id) => review_view(pool, id).await,
        None => Ok(None),
    }
}

/// One review with everything the scorecard shows (`None` when missing).
pub async fn review_view(
    pool: &SqlitePool,
    review_id: i64,
) -> Result<Option<ReviewView>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT id, project_id, job_id, commit_sha, scoring_version, score, grade, files_scanned,
                files_skipped, languages, started_at, finished_at, duration_ms, notes
         FROM reviews WHERE id = ?",
    )
    .bind(review_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let project_id: i64 = row.try_get("project_id")?;
    let id: i64 = row.try_get("id")?;
    let finished_at: i64 = row.try_get("finished_at")?;
    let grade: String = row.try_get("grade")?;
    let languages: String = row.try_get("languages")?;
    let notes: String = row.try_get("notes")?;

    let categories =
        sqlx::query("SELECT category, score FROM review_categories WHERE review_id = ?")
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let cat: String = r.try_get("category")?;
                Ok(CategoryView {
                    category: Category::parse(&cat)
                        .ok_or_else(|| decode_err("category", cat.clone()))?,
                    score: r.try_get("score")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let findings = sqlx::query(
        concat!(
            "SELECT ",
            finding_columns!(),
            " FROM findings WHERE review_id = ?
         ORDER BY suppressed_reason IS NOT NULL,
                  CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
                  path, line"
        ),
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(finding_from_row)
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let checks = sqlx::query(
        "SELECT check_id, kind, category, verdict, summary, evidence FROM check_results WHERE review_id = ?",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| check_from_row(r, &findings))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let checks = in_catalog_order(checks);

    let previous_id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM reviews WHERE project_id = ? AND (finished_at, id) < (?, ?)
         ORDER BY finished_at DESC, id DESC LIMIT 1",
    )
    .bind(project_id)
    .bind(finished_at)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let fixed_since_previous: i64 = match previous_id {
        Some(prev) => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM findings WHERE review_id = ?
                   AND fingerprint NOT IN (SELECT fingerprint FROM findings WHERE review_id = ?)",
            )
            .bind(prev)
            .bind(id)
            .fetch_one(pool)
            .await?
        }
        None => 0,
    };

    Ok(Some(ReviewView {
        id,
        job_id: row.try_get("job_id")?,
        commit_sha: row.try_get("commit_sha")?,
        scoring_version: row.try_get("scoring_version")?,
        score: row.try_get("score")?,
        grade: Grade::parse(&grade).ok_or_else(|| decode_err("grade", grade.clone()))?,
        files_scanned: row.try_get("files_scanned")?,
        files_skipped: row.try_get("files_skipped")?,
        languages: serde_json::from_str(&languages)
            .map_err(|e| decode_err("languages", e.to_string()))?,
        started_at: row.try_get("started_at")?,
        finished_at,
        duration_ms: row.try_get("duration_ms")?,
        categories,
        checks,
        findings,
        fixed_since_previous,
        has_previous: previous_id.is_some(),
        notes: serde_json::from_str(&notes).map_err(|e| decode_err("notes", e.to_string()))?,
    }))
}

pub(super) fn finding_from_row(r: &SqliteRow) -> Result<FindingView, sqlx::Error> {
    let severity: String = r.try_get("severity")?;
    let status: String = r.try_get("status")?;
    Ok(FindingView {
        id: r.try_get("id")?,
        check_id: r.try_get("check_id")?,
        severity: Severity::parse(&severity)
            .ok_or_else(|| decode_err("severity", severity.clone()))?,
        path: r.try_get("path")?,
        line: r.try_get("line")?,
        end_line: r.try_get("end_line")?,
        snippet: r.try_get("snippet")?,
        message: r.try_get("message")?,
        fingerprint: r.try_get("fingerprint")?,
        status: FindingStatus::parse(&status)
            .ok_or_else(|| decode_err("status", status.clone()))?,
        suppressed: r.try_get("suppressed_reason")?,
        suppressed_until: r.try_get("suppressed_until")?,
    })
}

fn check_from_row(r: &SqliteRow, findings: &[FindingView]) -> Result<CheckView, sqlx::Error> {
    let check_id: String = r.try_get("check_id")?;
    let kind: String = r.try_get("kind")?;
    let category: String = r.try_get("category")?;
    let verdict: String = r.try_get("verdict")?;
    let evidence: String = r.try_get("evidence")?;
    let evidence: Vec<Evidence> =
        serde_json::from_str(&evidence).map_err(|e| decode_err("evidence", e.to_string()))?;
    Ok(CheckView {
        title: find_check(&check_id)
            .map(|c| c.title.to_string())
            .unwrap_or_default(),
        findings: findings
            .iter()
            .filter(|f| f.check_id == check_id && f.suppressed.is_none())
            .count() as i64,
        kind: CheckKind::parse(&kind).ok_or_else(|| decode_err("kind", kind.clone()))?,
        category: Category::parse(&category)
            .ok_or_else(|| decode_err("category", category.clone()))?,
        verdict: Verdict::parse(&verdict).ok_or_else(|| decode_err("verdict", verdict.clone()))?,
        summary: r.try_get("summary")?,
        evidence,
        check_id,
    })
}

/// Orders checks as CHECKLIST.md does; unknown ids (from a newer engine) last.
fn in_catalog_order(mut checks: Vec<CheckView>) -> Vec<CheckView> {
    let position = |id: &str| {
        crate::model::CATALOG
            .iter()
            .position(|c| c.id == id)
            .unwrap_or(usize::MAX)
    };
    checks.sort_by_key(|c| position(&c.check_id));
    checks
}
