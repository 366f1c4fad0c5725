//! The weekly review.

use super::ApiError;
use crate::model::week::IsoWeek;
use crate::model::weekly::WeeklyReport;
use leptos::prelude::*;

/// The report of `week`, or of the current week when `None`.
#[server(name = GetWeeklyReport, prefix = "/sfn", endpoint = "weekly_report")]
pub async fn get_weekly_report(week: Option<IsoWeek>) -> Result<WeeklyReport, ApiError> {
    use crate::server::services::weekly::{weekly_report, WeeklyError};
    let state = super::app_state()?;
    let now = crate::server::now();
    let week = week.unwrap_or_else(|| IsoWeek::of_unix(now));
    match weekly_report(&state.pool, week, now).await {
        Ok(r) => Ok(r),
        Err(e @ WeeklyError::Future { .. }) => Err(ApiError::NotFound(e.to_string())),
        Err(WeeklyError::Service(e)) => Err(e.into()),
    }
}
