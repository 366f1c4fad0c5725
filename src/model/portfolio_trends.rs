//! The portfolio's weekly trend: across every project, per ISO week, the
//! average overall and category scores of the reviews finished that week,
//! findings opened and fixed, and the average review duration.

use super::catalog::Category;
use super::week::IsoWeek;
use serde::{Deserialize, Serialize};

/// One ISO week of the portfolio (a week without reviews has `reviews == 0`
/// and no averages).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortfolioWeek {
    pub week: IsoWeek,
    pub reviews: i64,
    pub avg_score: Option<f64>,
    /// Average per category, catalog order; `None` where no review judged it.
    pub categories: Vec<(Category, Option<f64>)>,
    pub opened: i64,
    pub fixed: i64,
    pub avg_duration_ms: Option<f64>,
    /// Some review that week used a newer scoring version than the week before.
    pub scoring_version_changed: bool,
}
