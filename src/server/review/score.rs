//! Scoring, version 2 ([`super::SCORING_VERSION`]).
//!
//! * Each evaluated check (verdict pass or fail) scores 0–100: a practice (or
//!   loop) 100 when it passes and 0 when it fails; a finding check
//!   `max(0, 100 − Σ weight)` over its open (not suppressed) findings,
//!   weights critical 40, high 20, medium 8, low 2. Not applicable, not
//!   checked and could-not-run checks are left out.
//! * A category scores the rounded mean of its evaluated checks (none: no score).
//! * The overall score is the rounded weighted mean of the categories that have
//!   a score, weights SEC 3, DATA 2, TEST 2, API 1, ARCH 1, OBS 1 (0 when none).
//! * Grade: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F; any open critical finding
//!   caps the grade at C, and any open high finding at B (an A means nothing
//!   high or critical is open).
//!
//! Version 2 (this one) evaluates the whole checklist (architecture, data,
//! observability, testing and the remaining security and API checks join the
//! five checks of version 1) and adds the cap at B for high findings. Scores
//! of different versions are not comparable: the trend chart marks the change.

use crate::model::{
    Category, CategoryScore, CheckKind, CheckResult, Finding, Grade, Scorecard, Severity, Verdict,
};

/// How much one finding takes off its check's score.
pub fn severity_weight(severity: Severity) -> u32 {
    match severity {
        Severity::Critical => 40,
        Severity::High => 20,
        Severity::Medium => 8,
        Severity::Low => 2,
    }
}

/// How much a category counts in the overall score.
pub fn category_weight(category: Category) -> u32 {
    match category {
        Category::Sec => 3,
        Category::Data | Category::Test => 2,
        Category::Api | Category::Arch | Category::Obs => 1,
    }
}

/// The score of one check, `None` when it was not evaluated.
pub fn check_score(check: &CheckResult, findings: &[Finding]) -> Option<u32> {
    match check.verdict {
        Verdict::Pass | Verdict::Fail => {}
        Verdict::NotApplicable | Verdict::NotChecked | Verdict::CouldNotRun => return None,
    }
    Some(match check.kind {
        CheckKind::Finding => {
            let penalty: u32 = findings
                .iter()
                .filter(|f| f.check_id == check.check_id && f.suppressed.is_none())
                .map(|f| severity_weight(f.severity))
                .sum();
            100u32.saturating_sub(penalty)
        }
        CheckKind::Practice | CheckKind::Loop => {
            if check.verdict == Verdict::Pass {
                100
            } else {
                0
            }
        }
    })
}

/// The grade of an overall score, before the critical-finding cap.
pub fn grade_for(score: u8) -> Grade {
    match score {
        90.. => Grade::A,
        80..=89 => Grade::B,
        70..=79 => Grade::C,
        60..=69 => Grade::D,
        _ => Grade::F,
    }
}

fn rounded_mean(sum: u64, count: u64) -> u8 {
    if count == 0 {
        return 0;
    }
    // Round half up, in integers so the result never depends on float noise.
    let value = (2 * sum + count) / (2 * count);
    u8::try_from(value.min(100)).unwrap_or(100)
}

/// The scorecard of a review.
pub fn scorecard(checks: &[CheckResult], findings: &[Finding]) -> Scorecard {
    let categories: Vec<CategoryScore> = Category::ALL
        .iter()
        .map(|&category| {
            let scores: Vec<u32> = checks
                .iter()
                .filter(|c| c.category == category)
                .filter_map(|c| check_score(c, findings))
                .collect();
            let score = (!scores.is_empty()).then(|| {
                rounded_mean(
                    scores.iter().map(|&s| u64::from(s)).sum(),
                    scores.len() as u64,
                )
            });
            CategoryScore { category, score }
        })
        .collect();
    let (weighted, weights) = categories
        .iter()
        .filter_map(|c| c.score.map(|s| (c.category, s)))
        .fold((0u64, 0u64), |(sum, w), (category, score)| {
            let weight = u64::from(category_weight(category));
            (sum + weight * u64::from(score), w + weight)
        });
    let score = rounded_mean(weighted, weights);
    let mut grade = grade_for(score);
    let open = |severity: Severity| {
        findings
            .iter()
            .any(|f| f.severity == severity && f.suppressed.is_none())
    };
    if open(Severity::Critical) && grade < Grade::C {
        grade = Grade::C;
    } else if open(Severity::High) && grade < Grade::B {
        grade = Grade::B;
    }
    Scorecard {
        scoring_version: super::SCORING_VERSION,
        score,
        grade,
        categories,
    }
}

/// The formula in plain words, for the scorecard page.
pub fn explanation() -> &'static str {
    "Each check that could be evaluated scores from 0 to 100: a practice scores 100 when the project shows it and 0 when it does not, and a finding check starts at 100 and loses 40 points per critical, 20 per high, 8 per medium and 2 per low finding (never below 0); checks that are not applicable or not yet checked are left out. A category's score is the average of its evaluated checks, and the overall score is a weighted average of the categories that have a score, with Security counting 3 times, Data and Testing twice, and API design, Architecture and Observability once. The grade is A from 90, B from 80, C from 70, D from 60 and F below that; any open critical finding caps the grade at C and any open high finding caps it at B, so an A means nothing high or critical is open. Suppressed findings cost nothing. This is scoring version 2: it covers the whole checklist, so its scores are not comparable with version 1 scores."
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CATALOG;

    fn check(id: &str, verdict: Verdict) -> CheckResult {
        super::super::checks::result(id, verdict, String::new(), Vec::new())
    }

    fn finding(id: &str, severity: Severity) -> Finding {
        Finding {
            check_id: id.to_string(),
            severity,
            path: "a.ts".into(),
            line: 1,
            end_line: 1,
            snippet: String::new(),
            message: String::new(),
            fingerprint: String::new(),
            suppressed: None,
            suppressed_until: None,
        }
    }

    #[test]
    fn suppressed_findings_cost_no_points_and_do_not_cap_the_grade() {
        let check = crate::model::CheckResult {
            check_id: "SEC-SQLI".into(),
            category: crate::model::Category::Sec,
            kind: CheckKind::Finding,
            verdict: Verdict::Pass,
            summary: String::new(),
            evidence: Vec::new(),
        };
        let accepted = Finding {
            suppressed: Some("allow-listed table names".into()),
            ..finding("SEC-SQLI", Severity::Critical)
        };
        assert_eq!(
            check_score(&check, std::slice::from_ref(&accepted)),
            Some(100)
        );
        let card = scorecard(
            std::slice::from_ref(&check),
            std::slice::from_ref(&accepted),
        );
        assert_eq!(card.grade, Grade::A);
    }

    #[test]
    fn finding_checks_lose_points_by_severity_and_never_go_below_zero() {
        let sqli = check("SEC-SQLI", Verdict::Fail);
        let one = [
            finding("SEC-SQLI", Severity::Critical),
            finding("SEC-SQLI", Severity::Low),
        ];
        assert_eq!(check_score(&sqli, &one), Some(58));
        let many = vec![finding("SEC-SQLI", Severity::Critical); 4];
        assert_eq!(check_score(&sqli, &many), Some(0));
        assert_eq!(
            check_score(&check("SEC-SQLI", Verdict::NotApplicable), &many),
            None
        );
        assert_eq!(
            check_score(&check("DATA-MIGRATIONS", Verdict::Fail), &[]),
            Some(0)
        );
        assert_eq!(
            check_score(&check("DATA-MIGRATIONS", Verdict::Pass), &[]),
            Some(100)
        );
    }

    #[test]
    fn categories_without_evaluated_checks_have_no_score_and_do_not_count() {
        let checks: Vec<CheckResult> = CATALOG
            .iter()
            .map(|d| match d.id {
                "SEC-SQLI" | "SEC-SECRET" | "OBS-HEALTH" => check(d.id, Verdict::Pass),
                "DATA-MIGRATIONS" => check(d.id, Verdict::Fail),
                _ => check(d.id, Verdict::NotChecked),
            })
            .collect();
        let card = scorecard(&checks, &[]);
        let by = |c: Category| {
            card.categories
                .iter()
                .find(|s| s.category == c)
                .unwrap()
                .score
        };
        assert_eq!(by(Category::Sec), Some(100));
        assert_eq!(by(Category::Data), Some(0));
        assert_eq!(by(Category::Api), None);
        // (100*3 + 0*2 + 100*1) / 6 = 66.67
        assert_eq!(card.score, 67);
        assert_eq!(card.grade, Grade::D);
        assert_eq!(card.scoring_version, 2);
    }

    #[test]
    fn a_critical_finding_caps_the_grade_at_c() {
        let checks: Vec<CheckResult> = CATALOG
            .iter()
            .map(|d| match d.id {
                "SEC-SQLI" => check(d.id, Verdict::Fail),
                "SEC-SECRET" | "DATA-MIGRATIONS" | "TEST-PRESENT" | "OBS-HEALTH" => {
                    check(d.id, Verdict::Pass)
                }
                _ => check(d.id, Verdict::NotChecked),
            })
            .collect();
        let card = scorecard(&checks, &[finding("SEC-SQLI", Severity::Critical)]);
        // SEC (60+100)/2 = 80; overall (80*3 + 100*2 + 100*2 + 100) / 8 = 92.5
        assert_eq!(card.score, 93);
        assert_eq!(card.grade, Grade::C);
    }

    #[test]
    fn a_high_finding_caps_the_grade_at_b_unless_suppressed() {
        let checks: Vec<CheckResult> = CATALOG
            .iter()
            .map(|d| match d.id {
                "DATA-TX" => check(d.id, Verdict::Fail),
                "SEC-SQLI" | "SEC-SECRET" | "DATA-MIGRATIONS" | "TEST-PRESENT" | "OBS-HEALTH" => {
                    check(d.id, Verdict::Pass)
                }
                _ => check(d.id, Verdict::NotChecked),
            })
            .collect();
        let high = finding("DATA-TX", Severity::High);
        let card = scorecard(&checks, std::slice::from_ref(&high));
        // DATA (80+100)/2 = 90; overall (100*3 + 90*2 + 100*2 + 100) / 8 = 97.5
        assert_eq!(card.score, 98);
        assert_eq!(card.grade, Grade::B);
        let accepted = Finding {
            suppressed: Some("one statement in practice".into()),
            ..high
        };
        assert_eq!(scorecard(&checks, &[accepted]).grade, Grade::A);
        let medium = finding("DATA-TX", Severity::Medium);
        assert_eq!(scorecard(&checks, &[medium]).grade, Grade::A);
    }

    #[test]
    fn an_empty_project_scores_zero() {
        let checks: Vec<CheckResult> = CATALOG
            .iter()
            .map(|d| check(d.id, Verdict::NotApplicable))
            .collect();
        let card = scorecard(&checks, &[]);
        assert_eq!((card.score, card.grade), (0, Grade::F));
        assert!(card.categories.iter().all(|c| c.score.is_none()));
    }

    #[test]
    fn grades_follow_the_documented_thresholds() {
        assert_eq!(grade_for(100), Grade::A);
        assert_eq!(grade_for(90), Grade::A);
        assert_eq!(grade_for(89), Grade::B);
        assert_eq!(grade_for(70), Grade::C);
        assert_eq!(grade_for(60), Grade::D);
        assert_eq!(grade_for(59), Grade::F);
    }
}
