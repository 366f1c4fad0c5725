//! ISO 8601 weeks (Monday to Sunday, UTC; week 1 holds the year's first
//! Thursday), parsed once at the boundary from text such as `2026-W47`.
//!
//! Weeks are also numbered as a plain index since the Monday before the unix
//! epoch (1969-12-29): `(unix seconds + 3 days) / 7 days`. The database groups
//! reviews by that index, so SQL needs no date functions.

use serde::{Deserialize, Serialize};
use std::fmt;

const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;
/// 1970-01-01 was a Thursday: three days after the Monday that starts week 0.
const EPOCH_OFFSET: i64 = 3 * DAY;

/// One ISO week. Serialized as its label, `2026-W47`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct IsoWeek {
    /// Weeks since the Monday 1969-12-29 (may be negative).
    index: i64,
}

/// Why a week label was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WeekError {
    #[error("{0:?} is not an ISO week: write it as YYYY-Www, e.g. 2026-W47")]
    Format(String),
    #[error("{year} has no week {week}: it has weeks 1 to {last}")]
    OutOfRange { year: i64, week: i64, last: i64 },
}

impl IsoWeek {
    /// The SQL expression that gives a unix time's week index (see module docs).
    pub const SQL_INDEX_OFFSET: i64 = EPOCH_OFFSET;
    pub const SECONDS: i64 = WEEK;

    pub fn from_index(index: i64) -> IsoWeek {
        IsoWeek { index }
    }

    /// The week a unix time falls in.
    pub fn of_unix(ts: i64) -> IsoWeek {
        IsoWeek {
            index: (ts + EPOCH_OFFSET).div_euclid(WEEK),
        }
    }

    /// Parses `2026-W47` (also `2026-w47`, `2026W47`).
    pub fn parse(text: &str) -> Result<IsoWeek, WeekError> {
        let bad = || WeekError::Format(text.chars().take(40).collect());
        let t = text.trim();
        let (year, week) = t
            .split_once(['W', 'w'])
            .map(|(y, w)| (y.strip_suffix('-').unwrap_or(y), w))
            .ok_or_else(bad)?;
        if year.len() != 4 || !(1..=2).contains(&week.len()) {
            return Err(bad());
        }
        if !year.bytes().chain(week.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i64 = year.parse().map_err(|_| bad())?;
        let week: i64 = week.parse().map_err(|_| bad())?;
        IsoWeek::from_year_week(year, week)
    }

    pub fn from_year_week(year: i64, week: i64) -> Result<IsoWeek, WeekError> {
        let last = weeks_in_year(year);
        if !(1..=last).contains(&week) {
            return Err(WeekError::OutOfRange { year, week, last });
        }
        Ok(IsoWeek {
            index: week_one_index(year) + week - 1,
        })
    }

    pub fn index(self) -> i64 {
        self.index
    }

    /// Monday 00:00 UTC, unix seconds.
    pub fn start(self) -> i64 {
        self.index * WEEK - EPOCH_OFFSET
    }

    /// The next Monday 00:00 UTC (exclusive end).
    pub fn end(self) -> i64 {
        self.start() + WEEK
    }

    pub fn previous(self) -> IsoWeek {
        IsoWeek {
            index: self.index - 1,
        }
    }

    pub fn next(self) -> IsoWeek {
        IsoWeek {
            index: self.index + 1,
        }
    }

    /// The ISO year and week number (the year of the week's Thursday).
    pub fn year_week(self) -> (i64, i64) {
        let thursday = self.start().div_euclid(DAY) + 3;
        let (year, _, _) = civil_from_days(thursday);
        let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
        (year, week)
    }

    /// "16–22 Nov 2026" (or across months/years as needed).
    pub fn date_range_label(self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let first = self.start().div_euclid(DAY);
        let (y1, m1, d1) = civil_from_days(first);
        let (y2, m2, d2) = civil_from_days(first + 6);
        let (n1, n2) = (MONTHS[m1 as usize - 1], MONTHS[m2 as usize - 1]);
        if y1 != y2 {
            format!("{d1} {n1} {y1} \u{2013} {d2} {n2} {y2}")
        } else if m1 != m2 {
            format!("{d1} {n1} \u{2013} {d2} {n2} {y2}")
        } else {
            format!("{d1}\u{2013}{d2} {n2} {y2}")
        }
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, week) = self.year_week();
        write!(f, "{year:04}-W{week:02}")
    }
}

impl From<IsoWeek> for String {
    fn from(w: IsoWeek) -> String {
        w.to_string()
    }
}

impl TryFrom<String> for IsoWeek {
    type Error = WeekError;
    fn try_from(s: String) -> Result<IsoWeek, WeekError> {
        IsoWeek::parse(&s)
    }
}

impl std::str::FromStr for IsoWeek {
    type Err = WeekError;
    fn from_str(s: &str) -> Result<IsoWeek, WeekError> {
        IsoWeek::parse(s)
    }
}

/// In the OpenAPI description a week is its label.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for IsoWeek {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^\d{4}-W\d{2}$"))
            .description(Some("ISO 8601 week, Monday to Sunday (UTC)"))
            .examples(["2026-W47"])
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for IsoWeek {}

/// Index of the week holding January 4th (always ISO week 1).
fn week_one_index(year: i64) -> i64 {
    IsoWeek::of_unix(days_from_civil(year, 1, 4) * DAY).index
}

fn weeks_in_year(year: i64) -> i64 {
    // December 28th is always in the year's last week.
    IsoWeek::of_unix(days_from_civil(year, 12, 28) * DAY).index - week_one_index(year) + 1
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `YYYY-MM-DD` of a unix time (UTC).
pub fn iso_date(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, m: i64, d: i64) -> i64 {
        days_from_civil(y, m, d) * DAY
    }

    #[test]
    fn weeks_match_the_iso_calendar_at_year_boundaries() {
        // Known ISO weeks (from the ISO 8601 calendar).
        assert_eq!(IsoWeek::of_unix(at(2026, 11, 22)).to_string(), "2026-W47");
        assert_eq!(IsoWeek::of_unix(at(2026, 11, 16)).to_string(), "2026-W47");
        assert_eq!(IsoWeek::of_unix(at(2026, 11, 23)).to_string(), "2026-W48");
        assert_eq!(IsoWeek::of_unix(at(2021, 1, 3)).to_string(), "2020-W53");
        assert_eq!(IsoWeek::of_unix(at(2024, 12, 30)).to_string(), "2025-W01");
        assert_eq!(IsoWeek::of_unix(at(2027, 1, 1)).to_string(), "2026-W53");
        assert_eq!(IsoWeek::of_unix(0).to_string(), "1970-W01");
    }

    #[test]
    fn a_week_starts_on_monday_midnight_utc_and_lasts_seven_days() {
        let w = IsoWeek::parse("2026-W47").unwrap();
        assert_eq!(w.start(), at(2026, 11, 16));
        assert_eq!(w.end(), at(2026, 11, 23));
        assert_eq!(IsoWeek::of_unix(w.end() - 1), w);
        assert_eq!(IsoWeek::of_unix(w.end()), w.next());
        assert_eq!(w.next().previous(), w);
        assert_eq!(w.date_range_label(), "16\u{2013}22 Nov 2026");
    }

    #[test]
    fn labels_round_trip_and_bad_labels_are_refused_with_a_reason() {
        for label in ["2020-W53", "2026-W01", "2026-W52", "2026-W53", "1999-W10"] {
            assert_eq!(IsoWeek::parse(label).unwrap().to_string(), label);
        }
        assert_eq!(IsoWeek::parse("2026w7").unwrap().to_string(), "2026-W07");
        assert!(matches!(
            IsoWeek::parse("2025-W53"),
            Err(WeekError::OutOfRange { last: 52, .. })
        ));
        for bad in [
            "",
            "2026",
            "2026-47",
            "2026-W",
            "2026-W0",
            "2026-W123",
            "abcd-W01",
            "2026-W+1",
        ] {
            assert!(IsoWeek::parse(bad).is_err(), "{bad:?} must be refused");
        }
        let json = serde_json::to_string(&IsoWeek::parse("2026-W47").unwrap()).unwrap();
        assert_eq!(json, "\"2026-W47\"");
        assert!(serde_json::from_str::<IsoWeek>("\"2026-W99\"").is_err());
    }

    #[test]
    fn iso_dates_read_as_calendar_days() {
        assert_eq!(iso_date(at(2000, 2, 29) + 3600), "2000-02-29");
        assert_eq!(iso_date(-1), "1969-12-31");
    }
}
