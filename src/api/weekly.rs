//! The weekly review.

use super::ApiError;
use crate::model::week::IsoWeek;
use crate::model::weekly_page::{WeeklyPageView, WeeklyQuery};
use leptos::prelude::*;

/// What the weekly page shows of the report of `week` (the current week
/// when `None`): the top of each section and one page of the per-project
/// table, as `query` asks. The report comes from the weekly cache.
#[server(name = GetWeeklyPage, prefix = "/sfn", endpoint = "weekly_page", output = crate::api::codec::StrJson)]
pub async fn get_weekly_page(
    week: Option<IsoWeek>,
    query: WeeklyQuery,
) -> Result<WeeklyPageView, ApiError> {
    use crate::server::services::weekly::WeeklyError;
    use crate::server::services::weekly_cache::cached_weekly_report;
    let state = super::app_state()?;
    let now = crate::server::now();
    let week = week.unwrap_or_else(|| IsoWeek::of_unix(now));
    match cached_weekly_report(&state.pool, week, now).await {
        Ok(r) => Ok(WeeklyPageView::from_report(&r, query)),
        Err(e @ WeeklyError::Future { .. }) => Err(ApiError::NotFound(e.to_string())),
        Err(WeeklyError::Service(e)) => Err(e.into()),
    }
}
