//! What the weekly page shows of a [`WeeklyReport`]: the top items of each
//! section with their count (all of one section on request: `?show=stale`),
//! and one page of the per-project table (`?page=2`). The report itself —
//! and so the Markdown and CSV exports and the API — stays complete; only
//! what the page shows goes to the browser.

use super::paging::{parse_page, PageInfo};
use super::week::IsoWeek;
use super::weekly::{movers, ExpiringSuppression, NewSevereFinding, ProjectWeek, WeeklyReport};
use serde::{Deserialize, Serialize};

/// Items each section shows until "show all" is asked for.
pub const SECTION_TOP: usize = 10;
/// Rows per page of the per-project table.
pub const WEEKLY_PAGE_SIZE: usize = 50;

/// A section of the weekly page that can show all of its items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    Regressions,
    Improvements,
    Findings,
    Stale,
    Expiring,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Regressions,
        Section::Improvements,
        Section::Findings,
        Section::Stale,
        Section::Expiring,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Regressions => "regressions",
            Section::Improvements => "improvements",
            Section::Findings => "findings",
            Section::Stale => "stale",
            Section::Expiring => "expiring",
        }
    }

    /// `None` for anything else (ignored, like an unknown filter).
    pub fn parse(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// The weekly page's URL state: `?show=…&page=…`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyQuery {
    pub show: Option<Section>,
    /// 1-based page of the per-project table.
    pub page: usize,
}

impl WeeklyQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        WeeklyQuery {
            show: get("show").as_deref().and_then(Section::parse),
            page: parse_page(get("page").as_deref()),
        }
    }

    /// This state's URL on `week`'s permalink, without an anchor.
    pub fn path(&self, week: IsoWeek) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.show {
            parts.push(format!("show={}", s.as_str()));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if parts.is_empty() {
            format!("/weekly/{week}")
        } else {
            format!("/weekly/{week}?{}", parts.join("&"))
        }
    }

    /// This state's URL, anchored at the section it opens (or at the
    /// per-project table for a later page of it).
    pub fn href(&self, week: IsoWeek) -> String {
        let anchor = match self.show {
            Some(s) => format!("#{}", s.as_str()),
            None if self.page > 1 => "#per-project".to_string(),
            None => String::new(),
        };
        format!("{}{anchor}", self.path(week))
    }
}

/// Some items of a section and how many there are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown<T> {
    pub items: Vec<T>,
    pub total: usize,
    /// Every item is shown (asked for, or no more than the top).
    pub all: bool,
}

impl<T: Clone> Shown<T> {
    fn of(list: &[T], all: bool) -> Shown<T> {
        let n = if all {
            list.len()
        } else {
            list.len().min(SECTION_TOP)
        };
        Shown {
            items: list[..n].to_vec(),
            total: list.len(),
            all: n == list.len(),
        }
    }
}

/// The weekly page's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyPageView {
    pub week: IsoWeek,
    pub previous_week: IsoWeek,
    pub next_week: Option<IsoWeek>,
    pub date_range: String,
    pub generated_at: i64,
    pub reviews_this_week: i64,
    pub rescored_projects: i64,
    /// Projects that existed by the end of the week.
    pub projects: usize,
    pub query: WeeklyQuery,
    pub regressions: Shown<ProjectWeek>,
    pub improvements: Shown<ProjectWeek>,
    pub new_severe_findings: Shown<NewSevereFinding>,
    /// The report lists at most its own limit of new findings; more exist.
    pub new_severe_truncated: bool,
    pub stale_projects: Shown<ProjectWeek>,
    pub expiring_suppressions: Shown<ExpiringSuppression>,
    /// One page of the projects whose score or a category score changed.
    pub changed: Vec<ProjectWeek>,
    pub changed_paging: PageInfo,
    pub unchanged: usize,
}

/// Every regression (or improvement) of the week, not only the report's top.
fn all_movers(report: &WeeklyReport, worse: bool) -> Vec<ProjectWeek> {
    movers(&report.projects, worse)
        .into_iter()
        .cloned()
        .collect()
}

impl WeeklyPageView {
    pub fn from_report(r: &WeeklyReport, query: WeeklyQuery) -> WeeklyPageView {
        let all = |s: Section| query.show == Some(s);
        let changed: Vec<&ProjectWeek> = r.projects.iter().filter(|p| p.changed()).collect();
        let changed_paging = PageInfo::new(changed.len(), WEEKLY_PAGE_SIZE, query.page);
        WeeklyPageView {
            week: r.week,
            previous_week: r.previous_week,
            next_week: r.next_week,
            date_range: r.date_range.clone(),
            generated_at: r.generated_at,
            reviews_this_week: r.reviews_this_week,
            rescored_projects: r.rescored_projects,
            projects: r.projects.len(),
            query: WeeklyQuery {
                page: changed_paging.page,
                ..query
            },
            regressions: Shown::of(&all_movers(r, true), all(Section::Regressions)),
            improvements: Shown::of(&all_movers(r, false), all(Section::Improvements)),
            new_severe_findings: Shown::of(&r.new_severe_findings, all(Section::Findings)),
            new_severe_truncated: r.new_severe_truncated,
            stale_projects: Shown::of(&r.stale_projects, all(Section::Stale)),
            expiring_suppressions: Shown::of(&r.expiring_suppressions, all(Section::Expiring)),
            unchanged: r.projects.len() - changed.len(),
            changed: changed[changed_paging.range()]
                .iter()
                .map(|p| (*p).clone())
                .collect(),
            changed_paging,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(id: i64, delta: i64) -> ProjectWeek {
        ProjectWeek {
            project_id: id,
            name: format!("p{id:03}"),
            grade: None,
            score: Some(50 + delta),
            score_before: Some(50),
            delta: Some(delta),
            scoring_changed: false,
            scoring_version: Some(2),
            last_review_at: None,
            reviewed_this_week: true,
            stale: id % 2 == 0,
            categories: Vec::new(),
        }
    }

    fn report() -> WeeklyReport {
        let week = IsoWeek::parse("2026-W40").unwrap();
        let projects: Vec<ProjectWeek> = (1..=130).map(|i| project(i, (i % 7) - 3)).collect();
        WeeklyReport {
            week,
            previous_week: week.previous(),
            next_week: Some(week.next()),
            date_range: String::new(),
            generated_at: 0,
            reviews_this_week: 130,
            regressions: Vec::new(),
            improvements: Vec::new(),
            new_severe_findings: Vec::new(),
            new_severe_truncated: false,
            stale_projects: projects.iter().filter(|p| p.stale).cloned().collect(),
            expiring_suppressions: Vec::new(),
            rescored_projects: 0,
            projects,
        }
    }

    #[test]
    fn sections_show_their_top_with_a_count_and_all_on_request() {
        let r = report();
        let v = WeeklyPageView::from_report(&r, WeeklyQuery::default());
        assert_eq!(v.stale_projects.items.len(), SECTION_TOP);
        assert_eq!(v.stale_projects.total, 65);
        assert!(!v.stale_projects.all);
        assert_eq!(v.regressions.items.len(), SECTION_TOP);
        assert!(v
            .regressions
            .items
            .windows(2)
            .all(|w| w[0].delta <= w[1].delta));
        assert_eq!(v.regressions.items[0].delta, Some(-3));
        let all = WeeklyPageView::from_report(
            &r,
            WeeklyQuery {
                show: Some(Section::Stale),
                page: 1,
            },
        );
        assert_eq!(all.stale_projects.items.len(), 65);
        assert!(all.stale_projects.all);
        assert_eq!(
            all.regressions.items.len(),
            SECTION_TOP,
            "only the one asked for"
        );
    }

    #[test]
    fn the_per_project_table_is_paged_and_clamped() {
        let r = report();
        // Delta 0 for one in seven: those are unchanged.
        let v = WeeklyPageView::from_report(
            &r,
            WeeklyQuery {
                show: None,
                page: 2,
            },
        );
        let changed = 130 - 130 / 7 - 1;
        assert_eq!(v.changed_paging.total, changed);
        assert_eq!(v.changed.len(), WEEKLY_PAGE_SIZE);
        assert_eq!(v.unchanged, 130 - changed);
        let last = WeeklyPageView::from_report(
            &r,
            WeeklyQuery {
                show: None,
                page: 99,
            },
        );
        assert_eq!(last.changed_paging.page, 3);
        assert_eq!(last.query.page, 3);
        assert_eq!(last.changed.len(), changed - 2 * WEEKLY_PAGE_SIZE);
    }

    #[test]
    fn the_url_state_round_trips_and_ignores_nonsense() {
        let q = WeeklyQuery::from_params(|k| match k {
            "show" => Some("stale".into()),
            "page" => Some("2".into()),
            _ => None,
        });
        let week = IsoWeek::parse("2026-W40").unwrap();
        assert_eq!(q.href(week), "/weekly/2026-W40?show=stale&page=2#stale");
        let bad = WeeklyQuery::from_params(|k| match k {
            "show" => Some("everything".into()),
            "page" => Some("-1".into()),
            _ => None,
        });
        assert_eq!(
            bad,
            WeeklyQuery {
                show: None,
                page: 1
            }
        );
        assert_eq!(bad.href(week), "/weekly/2026-W40");
    }
}
