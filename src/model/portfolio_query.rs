//! Sorting, filtering and searching the portfolio. The state lives in the
//! URL's query (`?q=orders&grade=F&language=Python&team=payments&sort=score&dir=asc`),
//! so a filtered view is a link to share, and the server renders it the same.
//! `page` (1-based) picks one page of [`PORTFOLIO_PAGE_SIZE`] rows.

use super::paging::parse_page;
use super::review::Grade;
use super::views::ProjectRow;
use serde::{Deserialize, Serialize};

/// A column the portfolio sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    Name,
    Score,
    Grade,
    LastReview,
    Findings,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Name,
        SortKey::Score,
        SortKey::Grade,
        SortKey::LastReview,
        SortKey::Findings,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Score => "score",
            SortKey::Grade => "grade",
            SortKey::LastReview => "last_review",
            SortKey::Findings => "findings",
        }
    }

    pub fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The direction a first click sorts in: worst or newest first for numbers.
    pub fn default_desc(self) -> bool {
        matches!(self, SortKey::LastReview | SortKey::Findings)
    }
}

/// Rows per page of the portfolio.
pub const PORTFOLIO_PAGE_SIZE: usize = 50;

/// What the portfolio shows: a search, filters, an order and a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioQuery {
    /// Case-insensitive substring of the name or source.
    pub q: String,
    pub grade: Option<Grade>,
    pub language: Option<String>,
    pub team: Option<String>,
    pub sort: SortKey,
    pub desc: bool,
    /// 1-based; the server shows the last page for a number past the end.
    pub page: usize,
}

impl Default for PortfolioQuery {
    fn default() -> Self {
        PortfolioQuery {
            q: String::new(),
            grade: None,
            language: None,
            team: None,
            sort: SortKey::default(),
            desc: false,
            page: 1,
        }
    }
}

impl PortfolioQuery {
    /// Reads the query from URL parameters; unknown values are ignored.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let sort = non_empty("sort")
            .and_then(|s| SortKey::parse(&s))
            .unwrap_or_default();
        PortfolioQuery {
            q: non_empty("q").unwrap_or_default(),
            grade: non_empty("grade").and_then(|g| Grade::parse(&g)),
            language: non_empty("language"),
            team: non_empty("team"),
            sort,
            desc: match non_empty("dir").as_deref() {
                Some("desc") => true,
                Some("asc") => false,
                _ => sort.default_desc(),
            },
            page: parse_page(get("page").as_deref()),
        }
    }

    /// The URL query (`?…`) of this state; empty for the default view.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            parts.push(("q", self.q.clone()));
        }
        if let Some(g) = self.grade {
            parts.push(("grade", g.as_str().to_string()));
        }
        if let Some(l) = &self.language {
            parts.push(("language", l.clone()));
        }
        if let Some(t) = &self.team {
            parts.push(("team", t.clone()));
        }
        if self.sort != SortKey::Name {
            parts.push(("sort", self.sort.as_str().to_string()));
        }
        if self.desc != self.sort.default_desc() {
            parts.push(("dir", if self.desc { "desc" } else { "asc" }.to_string()));
        }
        if self.page > 1 {
            parts.push(("page", self.page.to_string()));
        }
        if parts.is_empty() {
            return String::new();
        }
        let joined: Vec<String> = parts
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect();
        format!("?{}", joined.join("&"))
    }

    /// The same filters, sorted by `key`: flips the direction when `key` is
    /// already the sort.
    pub fn sorted_by(&self, key: SortKey) -> PortfolioQuery {
        let desc = if self.sort == key {
            !self.desc
        } else {
            key.default_desc()
        };
        PortfolioQuery {
            sort: key,
            desc,
            page: 1,
            ..self.clone()
        }
    }

    /// The same view on page `page`.
    pub fn with_page(&self, page: usize) -> PortfolioQuery {
        PortfolioQuery {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Whether any filter or search narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.q.is_empty() || self.grade.is_some() || self.language.is_some() || self.team.is_some()
    }

    /// The rows that match, in order. Projects without a review sort last
    /// whatever the direction: "no score" is not a low score.
    pub fn apply(&self, rows: &[ProjectRow]) -> Vec<ProjectRow> {
        let needle = self.q.to_lowercase();
        let mut out: Vec<ProjectRow> = rows
            .iter()
            .filter(|r| {
                needle.is_empty()
                    || r.name.to_lowercase().contains(&needle)
                    || r.source.to_lowercase().contains(&needle)
            })
            .filter(|r| self.grade.is_none_or(|g| r.grade == Some(g)))
            .filter(|r| {
                self.language
                    .as_ref()
                    .is_none_or(|l| r.languages.iter().any(|have| have.eq_ignore_ascii_case(l)))
            })
            .filter(|r| {
                self.team.as_ref().is_none_or(|t| {
                    r.team
                        .as_deref()
                        .is_some_and(|have| have.eq_ignore_ascii_case(t))
                })
            })
            .cloned()
            .collect();
        let name_order =
            |a: &ProjectRow, b: &ProjectRow| a.name.to_lowercase().cmp(&b.name.to_lowercase());
        out.sort_by(|a, b| {
            let by_value = |x: Option<i64>, y: Option<i64>| match (x, y) {
                (Some(x), Some(y)) => {
                    let o = x.cmp(&y);
                    if self.desc {
                        o.reverse()
                    } else {
                        o
                    }
                }
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            let primary = match self.sort {
                SortKey::Name => {
                    let o = name_order(a, b);
                    if self.desc {
                        o.reverse()
                    } else {
                        o
                    }
                }
                SortKey::Score => by_value(a.score, b.score),
                // A before F ascending: the grade's rank.
                SortKey::Grade => by_value(a.grade.map(|g| g as i64), b.grade.map(|g| g as i64)),
                SortKey::LastReview => by_value(a.last_review_at, b.last_review_at),
                SortKey::Findings => by_value(
                    a.grade.map(|_| a.open_critical * 1000 + a.open_high),
                    b.grade.map(|_| b.open_critical * 1000 + b.open_high),
                ),
            };
            primary.then_with(|| name_order(a, b)).then(a.id.cmp(&b.id))
        });
        out
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, name: &str, score: Option<i64>, lang: &str, team: Option<&str>) -> ProjectRow {
        ProjectRow {
            id,
            name: name.into(),
            source: format!("/srv/{name}"),
            grade: score.map(|s| match s {
                90.. => Grade::A,
                70..=89 => Grade::C,
                _ => Grade::F,
            }),
            score,
            last_review_at: score.map(|_| 100 + id),
            open_critical: 0,
            open_high: id,
            job: None,
            team: team.map(str::to_string),
            languages: vec![lang.to_string()],
            categories: Vec::new(),
        }
    }

    fn rows() -> Vec<ProjectRow> {
        vec![
            row(1, "orders-api", Some(26), "TypeScript", Some("payments")),
            row(2, "inventory", Some(100), "Python", Some("warehouse")),
            row(3, "billing", Some(71), "Go", Some("payments")),
            row(4, "new-one", None, "Rust", None),
        ]
    }

    fn names(rows: Vec<ProjectRow>) -> Vec<String> {
        rows.into_iter().map(|r| r.name).collect()
    }

    fn params(pairs: &[(&str, &str)]) -> PortfolioQuery {
        PortfolioQuery::from_params(|k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn filters_combine_and_unreviewed_projects_sort_last_both_ways() {
        let q = params(&[("sort", "score")]);
        assert_eq!(
            names(q.apply(&rows())),
            ["orders-api", "billing", "inventory", "new-one"]
        );
        let q = params(&[("sort", "score"), ("dir", "desc")]);
        assert_eq!(
            names(q.apply(&rows())),
            ["inventory", "billing", "orders-api", "new-one"]
        );
        let q = params(&[("team", "Payments"), ("q", "BILL")]);
        assert_eq!(names(q.apply(&rows())), ["billing"]);
        let q = params(&[("language", "python")]);
        assert_eq!(names(q.apply(&rows())), ["inventory"]);
        let q = params(&[("grade", "F")]);
        assert_eq!(names(q.apply(&rows())), ["orders-api"]);
    }

    #[test]
    fn the_query_string_round_trips_and_drops_defaults() {
        let q = params(&[
            ("q", "a b&c"),
            ("grade", "B"),
            ("sort", "grade"),
            ("dir", "desc"),
        ]);
        assert_eq!(
            q.to_query_string(),
            "?q=a%20b%26c&grade=B&sort=grade&dir=desc"
        );
        let back = params(&[
            ("q", "a b&c"),
            ("grade", "B"),
            ("sort", "grade"),
            ("dir", "desc"),
        ]);
        assert_eq!(back, q);
        assert_eq!(PortfolioQuery::default().to_query_string(), "");
        // The page is kept with the rest, and a new order starts at page 1.
        let paged = params(&[("grade", "B"), ("page", "3")]);
        assert_eq!(paged.to_query_string(), "?grade=B&page=3");
        assert_eq!(paged.sorted_by(SortKey::Score).page, 1);
        assert_eq!(params(&[("page", "0")]).page, 1);
        assert_eq!(params(&[("page", "two")]), PortfolioQuery::default());
        // Unknown values are ignored rather than failing the page.
        assert_eq!(
            params(&[("sort", "nope"), ("grade", "Z")]),
            PortfolioQuery::default()
        );
    }

    #[test]
    fn clicking_the_sorted_column_flips_it() {
        let q = PortfolioQuery::default().sorted_by(SortKey::Score);
        assert_eq!((q.sort, q.desc), (SortKey::Score, false));
        let q = q.sorted_by(SortKey::Score);
        assert!(q.desc);
        let q = q.sorted_by(SortKey::LastReview);
        assert_eq!((q.sort, q.desc), (SortKey::LastReview, true));
    }
}
