//! Server function of the route map.

use super::ApiError;
use crate::model::RouteMap;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::services;

#[server(name = GetRouteMap, prefix = "/sfn", endpoint = "route_map", output = crate::api::codec::StrJson)]
pub async fn get_route_map(review_id: i64) -> Result<RouteMap, ApiError> {
    let state = super::app_state()?;
    Ok(services::routes::route_map(&state.pool, review_id).await?)
}
