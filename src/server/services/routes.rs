//! The route map of a review, for the project page.

use super::ServiceError;
use crate::model::RouteMap;
use crate::server::db::routes;
use sqlx::SqlitePool;

/// The frameworks and routes stored with a review.
pub async fn route_map(pool: &SqlitePool, review_id: i64) -> Result<RouteMap, ServiceError> {
    Ok(routes::route_map(pool, review_id).await?)
}
