//! The route map of a review: detected frameworks and HTTP routes.

use super::decode_err;
use crate::model::{AspectStatus, FrameworkInfo, RouteAspect, RouteInfo, RouteMap};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

/// Stores a review's route map on the caller's connection (the review's
/// transaction, so the map is saved with the review or not at all).
pub async fn insert_route_map(
    conn: &mut SqliteConnection,
    review_id: i64,
    frameworks: &[FrameworkInfo],
    routes: &[RouteInfo],
) -> Result<(), sqlx::Error> {
    for (position, f) in frameworks.iter().enumerate() {
        sqlx::query(
            "INSERT INTO review_frameworks (review_id, position, name, language, path, line, source)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(review_id)
        .bind(position as i64)
        .bind(&f.name)
        .bind(&f.language)
        .bind(&f.path)
        .bind(f.line.map(i64::from))
        .bind(&f.source)
        .execute(&mut *conn)
        .await?;
    }
    for (position, r) in routes.iter().enumerate() {
        let middleware =
            serde_json::to_string(&r.middleware).map_err(|e| sqlx::Error::Encode(e.into()))?;
        sqlx::query(
            "INSERT INTO review_routes (review_id, position, method, path, handler, file, line,
                                        framework, middleware, auth, auth_by, validation,
                                        validation_by, rate_limit, rate_limit_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(review_id)
        .bind(position as i64)
        .bind(&r.method)
        .bind(&r.path)
        .bind(&r.handler)
        .bind(&r.file)
        .bind(i64::from(r.line))
        .bind(&r.framework)
        .bind(middleware)
        .bind(r.auth.status.as_str())
        .bind(&r.auth.by)
        .bind(r.validation.status.as_str())
        .bind(&r.validation.by)
        .bind(r.rate_limit.status.as_str())
        .bind(&r.rate_limit.by)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

fn aspect(row: &SqliteRow, status: &str, by: &str) -> Result<RouteAspect, sqlx::Error> {
    let s: String = row.try_get(status)?;
    Ok(RouteAspect {
        status: AspectStatus::parse(&s).ok_or_else(|| decode_err(status, s.clone()))?,
        by: row.try_get(by)?,
    })
}

fn route_from_row(row: &SqliteRow) -> Result<RouteInfo, sqlx::Error> {
    let middleware: String = row.try_get("middleware")?;
    let line: i64 = row.try_get("line")?;
    Ok(RouteInfo {
        method: row.try_get("method")?,
        path: row.try_get("path")?,
        handler: row.try_get("handler")?,
        file: row.try_get("file")?,
        line: u32::try_from(line).map_err(|e| decode_err("line", e.to_string()))?,
        framework: row.try_get("framework")?,
        middleware: serde_json::from_str(&middleware)
            .map_err(|e| decode_err("middleware", e.to_string()))?,
        auth: aspect(row, "auth", "auth_by")?,
        validation: aspect(row, "validation", "validation_by")?,
        rate_limit: aspect(row, "rate_limit", "rate_limit_by")?,
    })
}

/// The route map stored with a review (empty for reviews made before route
/// maps were stored, or of projects without HTTP routes).
pub async fn route_map(pool: &SqlitePool, review_id: i64) -> Result<RouteMap, sqlx::Error> {
    let frameworks = sqlx::query(
        "SELECT name, language, path, line, source FROM review_frameworks
         WHERE review_id = ? ORDER BY position",
    )
    .bind(review_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        let line: Option<i64> = row.try_get("line")?;
        Ok(FrameworkInfo {
            name: row.try_get("name")?,
            language: row.try_get("language")?,
            path: row.try_get("path")?,
            line: line.and_then(|l| u32::try_from(l).ok()),
            source: row.try_get("source")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let routes = sqlx::query(
        "SELECT method, path, handler, file, line, framework, middleware, auth, auth_by,
                validation, validation_by, rate_limit, rate_limit_by
         FROM review_routes WHERE review_id = ? ORDER BY position",
    )
    .bind(review_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(route_from_row)
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(RouteMap { frameworks, routes })
}

/// How many routes a review stored.
pub async fn count_routes(pool: &SqlitePool, review_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM review_routes WHERE review_id = ?")
        .bind(review_id)
        .fetch_one(pool)
        .await
}
