//! The portfolio's weekly trend (see `model::portfolio_trends`).

use super::ServiceError;
use crate::model::portfolio_trends::PortfolioWeek;
use crate::model::week::IsoWeek;
use crate::model::Category;
use crate::server::db::portfolio_trends::{self as db, WeekCategoryRow, WeekTotalsRow};
use sqlx::SqlitePool;

/// Weeks the portfolio charts cover, the current one included.
pub const PORTFOLIO_TREND_WEEKS: i64 = 26;

/// Every week of the `weeks` up to the one holding `now`, gaps included, oldest first.
pub async fn portfolio_weeks(
    pool: &SqlitePool,
    weeks: i64,
    now: i64,
) -> Result<Vec<PortfolioWeek>, ServiceError> {
    let last = IsoWeek::of_unix(now);
    let first = IsoWeek::from_index(last.index() - (weeks.max(1) - 1));
    let totals = db::list_week_totals(pool, first.start()).await?;
    let categories = db::list_week_categories(pool, first.start()).await?;
    Ok(assemble(first, last, &totals, &categories))
}

/// Lays the grouped rows out on every week of the window.
fn assemble(
    first: IsoWeek,
    last: IsoWeek,
    totals: &[WeekTotalsRow],
    categories: &[WeekCategoryRow],
) -> Vec<PortfolioWeek> {
    let mut previous_version: Option<i64> = None;
    (first.index()..=last.index())
        .map(|index| {
            let week = IsoWeek::from_index(index);
            let total = totals.iter().find(|t| t.week_index == index);
            let changed = match (previous_version, total) {
                (Some(before), Some(t)) => t.max_scoring_version > before,
                _ => false,
            };
            if let Some(t) = total {
                previous_version = Some(t.max_scoring_version);
            }
            PortfolioWeek {
                week,
                reviews: total.map_or(0, |t| t.reviews),
                avg_score: total.map(|t| t.avg_score),
                categories: Category::ALL
                    .into_iter()
                    .map(|c| {
                        let avg = categories
                            .iter()
                            .find(|r| r.week_index == index && r.category == c.id())
                            .and_then(|r| r.avg_score);
                        (c, avg)
                    })
                    .collect(),
                opened: total.map_or(0, |t| t.opened),
                fixed: total.map_or(0, |t| t.fixed),
                avg_duration_ms: total.map(|t| t.avg_duration_ms),
                scoring_version_changed: changed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(week_index: i64, version: i64) -> WeekTotalsRow {
        WeekTotalsRow {
            week_index,
            reviews: 2,
            avg_score: 70.0,
            opened: 3,
            fixed: 1,
            avg_duration_ms: 120.0,
            max_scoring_version: version,
        }
    }

    #[test]
    fn every_week_of_the_window_is_present_and_version_changes_are_marked() {
        let first = IsoWeek::from_index(100);
        let last = IsoWeek::from_index(104);
        let rows = [totals(100, 1), totals(102, 1), totals(104, 2)];
        let cats = [WeekCategoryRow {
            week_index: 102,
            category: "SEC".into(),
            avg_score: Some(55.0),
        }];
        let weeks = assemble(first, last, &rows, &cats);
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[1].reviews, 0, "a gap week");
        assert_eq!(weeks[1].avg_score, None);
        assert_eq!(weeks[2].categories[0], (Category::Sec, Some(55.0)));
        assert!(!weeks[2].scoring_version_changed);
        assert!(weeks[4].scoring_version_changed);
    }
}
