//! What the portfolio's filters offer: every language of a latest review and
//! every team, without reading the projects' rows.

use sqlx::SqlitePool;

const SQL_LANGUAGES: &str = "SELECT DISTINCT json_extract(l.value, '$.language') AS language
     FROM projects p
     JOIN reviews r ON r.id = (SELECT id FROM reviews WHERE project_id = p.id
                               ORDER BY finished_at DESC, id DESC LIMIT 1)
     JOIN json_each(r.languages) l
     WHERE json_valid(r.languages)
     ORDER BY 1";

const SQL_TEAMS: &str =
    "SELECT DISTINCT team FROM projects WHERE team IS NOT NULL ORDER BY team COLLATE NOCASE";

/// Languages of the projects' latest reviews, sorted.
pub async fn list_languages(pool: &SqlitePool) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<Option<String>> = sqlx::query_scalar(SQL_LANGUAGES).fetch_all(pool).await?;
    Ok(rows.into_iter().flatten().collect())
}

/// Teams of any project, sorted without regard to case.
pub async fn list_teams(pool: &SqlitePool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(SQL_TEAMS).fetch_all(pool).await
}
