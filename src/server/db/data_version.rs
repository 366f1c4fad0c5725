//! The data version: a counter that triggers bump in the same transaction as
//! every write to what the pages show (migration `20261122060001`). Caches
//! keep the version they were filled at; a different version means a write
//! happened since, in this process or another one on the same database.

use sqlx::SqlitePool;

const SQL_DATA_VERSION: &str = "SELECT version FROM data_version WHERE id = 1";

/// The current data version.
pub async fn data_version(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(SQL_DATA_VERSION).fetch_one(pool).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_write_to_a_shown_table_bumps_the_version_and_reads_do_not() {
        let (_dir, pool) = crate::server::db::migrated_pool().await;
        let v0 = data_version(&pool).await.unwrap();
        let (project, _job) = crate::server::db::projects::insert_local_project_with_review(
            &pool, "p", "/srv/p", 3, 100,
        )
        .await
        .unwrap();
        let v1 = data_version(&pool).await.unwrap();
        assert!(v1 > v0, "insert project + job: {v0} -> {v1}");
        crate::server::db::projects::list_portfolio(&pool)
            .await
            .unwrap();
        assert_eq!(
            data_version(&pool).await.unwrap(),
            v1,
            "a read bumps nothing"
        );
        crate::server::db::projects::set_team(&pool, project, Some("payments"))
            .await
            .unwrap();
        let v2 = data_version(&pool).await.unwrap();
        assert!(v2 > v1, "team set: {v1} -> {v2}");
        let job = crate::server::db::jobs::claim_next_job(&pool, 200)
            .await
            .unwrap()
            .expect("the queued review");
        let v3 = data_version(&pool).await.unwrap();
        assert!(v3 > v2, "job claimed: {v2} -> {v3}");
        crate::server::db::jobs::update_progress(&pool, job.id, "walk", 1, 2)
            .await
            .unwrap();
        assert!(data_version(&pool).await.unwrap() > v3, "progress written");
    }
}
