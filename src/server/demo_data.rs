//! Synthetic review history for demos and benchmarks (`backlens demo-data`):
//! projects with varied grades and trends, category scores, findings that are
//! opened, carried and fixed week by week, a change of scoring version part
//! way through, projects that stopped being reviewed, and suppressions that
//! expire soon. Deterministic: the same seed and anchor week give the same
//! rows. The generator is pure; `db::demo_data` stores what it yields.
//!
//! To keep a 500 × 104 history small and fast to write, only each project's
//! latest review carries a checklist (verdict rows); older synthetic reviews
//! have scores, category scores and findings, which is what trends read.

use crate::model::catalog::{Category, CheckKind, CATALOG};
use crate::model::week::{iso_date, IsoWeek};
use crate::model::{Grade, Severity, Verdict};
use crate::server::db::demo_data as store;
use crate::server::review::{category_weight, grade_for};
use sqlx::SqlitePool;

/// What to generate.
#[derive(Clone, Debug)]
pub struct DemoDataOptions {
    pub projects: usize,
    pub weeks: usize,
    pub seed: u64,
    /// The history ends in the ISO week holding this time (no review after it).
    pub now: i64,
}

/// What `fill` stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FillReport {
    pub projects: usize,
    pub reviews: usize,
    pub findings: usize,
}

/// The limits `backlens demo-data` accepts.
pub const MAX_PROJECTS: usize = 5_000;
pub const MAX_WEEKS: usize = 520;

/// A small, fast deterministic generator (SplitMix64): demo data needs
/// repeatability, not cryptographic quality, and no extra dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi]`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as i64 - 1) as usize]
    }

    fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(len);
        s
    }
}

/// A synthetic project with its whole history, oldest review first.
#[derive(Clone, Debug)]
pub struct SynthProject {
    pub name: String,
    pub source: String,
    pub created_at: i64,
    pub reviews: Vec<SynthReview>,
}

#[derive(Clone, Debug)]
pub struct SynthReview {
    pub commit_sha: String,
    pub scoring_version: i64,
    pub score: i64,
    pub grade: Grade,
    pub files_scanned: i64,
    pub languages_json: String,
    pub started_at: i64,
    pub finished_at: i64,
    pub duration_ms: i64,
    pub opened: i64,
    pub fixed: i64,
    pub categories: Vec<(Category, Option<i64>)>,
    pub findings: Vec<SynthFinding>,
    /// Only on the project's latest review: (check id, kind, category, verdict, summary).
    pub checks: Vec<SynthCheck>,
}

#[derive(Clone, Debug)]
pub struct SynthCheck {
    pub check_id: &'static str,
    pub kind: CheckKind,
    pub category: Category,
    pub verdict: Verdict,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthFinding {
    pub check_id: &'static str,
    pub severity: Severity,
    pub path: String,
    pub line: i64,
    pub snippet: &'static str,
    pub message: &'static str,
    pub fingerprint: String,
    /// True in the review that first saw it.
    pub is_new: bool,
    pub suppressed_reason: Option<&'static str>,
    pub suppressed_until: Option<String>,
}

const AREAS: [&str; 20] = [
    "orders",
    "billing",
    "inventory",
    "payments",
    "auth",
    "search",
    "catalog",
    "shipping",
    "notifications",
    "users",
    "reports",
    "ledger",
    "pricing",
    "checkout",
    "gateway",
    "analytics",
    "accounts",
    "media",
    "scheduler",
    "profiles",
];
const KINDS: [&str; 6] = ["api", "service", "worker", "backend", "svc", "events"];
const STACKS: [(&str, &str, &[&str]); 3] = [
    (
        "TypeScript",
        "ts",
        &["src/routes", "src/services", "src/db", "src/jobs"],
    ),
    (
        "Python",
        "py",
        &["app/routes", "app/services", "app/db", "app/tasks"],
    ),
    (
        "JavaScript",
        "js",
        &["lib/routes", "lib/services", "lib/db", "lib/workers"],
    ),
];
const FILES: [&str; 10] = [
    "orders", "users", "auth", "reports", "payments", "search", "export", "admin", "webhooks",
    "config",
];
const REASONS: [&str; 4] = [
    "column names come from a fixed allow-list",
    "test fixture, not a real credential",
    "legacy endpoint, removed with the v3 migration",
    "accepted by security review SR-142",
];

/// The text a synthetic finding of a check shows.
fn finding_text(check_id: &str) -> (&'static str, &'static str) {
    match check_id {
        "SEC-SQLI" => (
            "db.query(\"SELECT * FROM t WHERE id = '\" + req.query.id + \"'\")",
            "SQL is built by concatenating request input: use a parameterized query.",
        ),
        "SEC-SECRET" => (
            "const API_KEY = \"sk_live_****************\";",
            "A secret is committed to the source: move it to the environment and rotate it.",
        ),
        _ => (
            "// synthetic finding (demo data)",
            "Synthetic finding generated by backlens demo-data.",
        ),
    }
}

/// The week whose reviews use scoring version 2: two thirds into the history.
fn version_change_week(opts: &DemoDataOptions) -> i64 {
    let last = IsoWeek::of_unix(opts.now).index();
    last - (opts.weeks as i64 - 1) + (opts.weeks as i64 * 2) / 3
}

/// Project number `index` of the data set (independent of the others, so a
/// project's history does not depend on how many projects are generated).
pub fn generate_project(opts: &DemoDataOptions, index: usize) -> SynthProject {
    let mut rng = Rng::new(opts.seed ^ (index as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
    let area = AREAS[index % AREAS.len()];
    let kind = KINDS[(index / AREAS.len()) % KINDS.len()];
    let round = index / (AREAS.len() * KINDS.len());
    let name = if round == 0 {
        format!("{area}-{kind}")
    } else {
        format!("{area}-{kind}-{}", round + 1)
    };
    let (language, ext, dirs) = STACKS[rng.range(0, 2) as usize];
    let files = rng.range(30, 1800);
    let languages_json = format!("[{{\"language\":\"{language}\",\"files\":{files}}}]");

    let last_week = IsoWeek::of_unix(opts.now).index();
    let first_week = last_week - (opts.weeks as i64 - 1);
    // Some projects joined later; some stopped being reviewed weeks ago.
    let joined = if rng.chance(0.2) {
        first_week + rng.range(0, (opts.weeks as i64 / 2).max(0))
    } else {
        first_week
    };
    let stopped = if rng.chance(0.08) {
        last_week - rng.range(2, 6)
    } else {
        last_week
    };
    let base = rng.range(60, 99) as f64;
    // Points per week: improving, declining, flat, or a late regression.
    let shape = rng.range(0, 3);
    let slope = match shape {
        0 => rng.range(4, 25) as f64 / 100.0,
        1 => -(rng.range(4, 20) as f64 / 100.0),
        _ => 0.0,
    };
    let offsets: Vec<i64> = Category::ALL.iter().map(|_| rng.range(-12, 12)).collect();
    let no_tests = rng.chance(0.1);
    let day = rng.range(0, 4);
    let hour = rng.range(7, 18);
    let change_week = version_change_week(opts);

    let mut open: Vec<SynthFinding> = Vec::new();
    let mut counter = 0u64;
    let mut reviews = Vec::new();
    let finding_checks: Vec<&'static str> = CATALOG
        .iter()
        .filter(|c| c.kind == CheckKind::Finding)
        .map(|c| c.id)
        .collect();
    for week in joined..=stopped {
        if week > joined && rng.chance(0.05) {
            continue; // a missed week
        }
        let finished_at =
            IsoWeek::from_index(week).start() + day * 86_400 + hour * 3600 + rng.range(0, 3599);
        if finished_at > opts.now {
            break;
        }
        let t = (week - joined) as f64;
        let mut quality = base + slope * t + rng.range(-3, 3) as f64;
        if shape == 3 && stopped - week < 3 {
            quality -= 12.0; // a recent regression for the weekly page to show
        }
        let version = if week >= change_week { 2 } else { 1 };
        if version == 2 {
            quality -= 4.0; // the stricter formula: a jump that is not a regression
        }
        let quality = quality.clamp(5.0, 100.0);

        // Findings: some fixed, then new ones up to a level set by the quality.
        let before: Vec<SynthFinding> = std::mem::take(&mut open);
        let fix_rate = 0.06 + if slope > 0.0 { 0.08 } else { 0.0 };
        let mut fixed = 0;
        for mut f in before {
            if rng.chance(fix_rate) {
                fixed += 1;
            } else {
                f.is_new = false;
                open.push(f);
            }
        }
        let target = ((100.0 - quality) / 3.5) as i64 + rng.range(0, 2);
        let mut opened = 0;
        while (open.len() as i64) < target || (opened == 0 && rng.chance(0.3)) {
            counter += 1;
            let check_id = *rng.pick(&finding_checks);
            let roll = rng.range(0, 99);
            let severity = match roll {
                0..=3 => Severity::Critical,
                4..=24 => Severity::High,
                25..=69 => Severity::Medium,
                _ => Severity::Low,
            };
            let suppressed = rng.chance(0.08);
            let (snippet, message) = finding_text(check_id);
            open.push(SynthFinding {
                check_id,
                severity,
                path: format!("{}/{}.{ext}", rng.pick(dirs), rng.pick(&FILES)),
                line: rng.range(3, 400),
                snippet,
                message,
                fingerprint: format!("{:016x}{:08x}", rng.next_u64(), counter),
                is_new: true,
                suppressed_reason: suppressed.then(|| *rng.pick(&REASONS)),
                // Half the accepted findings have an end, half of those within
                // two weeks after the end of the history (the weekly page's "soon").
                suppressed_until: (suppressed && rng.chance(0.5)).then(|| {
                    let days = if rng.chance(0.5) {
                        rng.range(2, 14)
                    } else {
                        rng.range(15, 90)
                    };
                    iso_date(opts.now + days * 86_400)
                }),
            });
            opened += 1;
        }

        let categories: Vec<(Category, Option<i64>)> = Category::ALL
            .iter()
            .zip(&offsets)
            .map(|(c, off)| {
                let score = (quality + *off as f64 + rng.range(-4, 4) as f64).clamp(0.0, 100.0);
                let none = *c == Category::Test && no_tests;
                (*c, (!none).then_some(score.round() as i64))
            })
            .collect();
        let (sum, weight) = categories
            .iter()
            .filter_map(|(c, s)| s.map(|s| (s * category_weight(*c) as i64, category_weight(*c))))
            .fold((0i64, 0i64), |(a, b), (s, w)| (a + s, b + w as i64));
        let score = if weight == 0 {
            0
        } else {
            (2 * sum + weight) / (2 * weight)
        };
        let mut grade = grade_for(score.clamp(0, 100) as u8);
        let open_critical = open
            .iter()
            .any(|f| f.severity == Severity::Critical && f.suppressed_reason.is_none());
        if open_critical && grade < Grade::C {
            grade = Grade::C;
        }
        let duration_ms = files * rng.range(4, 18) + rng.range(300, 1500);
        reviews.push(SynthReview {
            commit_sha: rng.hex(40),
            scoring_version: version,
            score,
            grade,
            files_scanned: files,
            languages_json: languages_json.clone(),
            started_at: finished_at - duration_ms / 1000 - 1,
            finished_at,
            duration_ms,
            opened,
            fixed,
            categories,
            findings: open.clone(),
            checks: Vec::new(),
        });
    }
    if let Some(last) = reviews.last_mut() {
        last.checks = checklist(&mut rng, last);
    }
    SynthProject {
        source: format!("demo-data://seed-{}/{name}", opts.seed),
        name,
        created_at: IsoWeek::from_index(joined).start(),
        reviews,
    }
}

/// Verdicts consistent with the review's findings and category scores.
fn checklist(rng: &mut Rng, review: &SynthReview) -> Vec<SynthCheck> {
    CATALOG
        .iter()
        .map(|c| {
            let open = review
                .findings
                .iter()
                .filter(|f| f.check_id == c.id && f.suppressed_reason.is_none())
                .count();
            let category_score = review
                .categories
                .iter()
                .find(|(cat, _)| *cat == c.category)
                .and_then(|(_, s)| *s);
            let (verdict, summary) = match (c.kind, category_score) {
                (_, None) => (
                    Verdict::NotApplicable,
                    "Not applicable to this project (demo data).".to_string(),
                ),
                (CheckKind::Finding, _) if open > 0 => (
                    Verdict::Fail,
                    format!("{open} open finding(s) (demo data)."),
                ),
                (CheckKind::Finding, _) => {
                    (Verdict::Pass, "No open findings (demo data).".to_string())
                }
                (CheckKind::Loop, _) => (
                    Verdict::NotChecked,
                    "The quality loop did not run on demo data.".to_string(),
                ),
                (CheckKind::Practice, Some(s)) => {
                    if rng.range(0, 100) < s {
                        (Verdict::Pass, "Practice in place (demo data).".to_string())
                    } else {
                        (Verdict::Fail, "Practice missing (demo data).".to_string())
                    }
                }
            };
            SynthCheck {
                check_id: c.id,
                kind: c.kind,
                category: c.category,
                verdict,
                summary,
            }
        })
        .collect()
}

/// `backlens demo-data`.
#[derive(clap::Args, Debug)]
pub struct DemoDataArgs {
    /// How many projects.
    #[arg(long, default_value_t = 50)]
    pub projects: usize,
    /// Weeks of history, ending this week (one review per project a week).
    #[arg(long, default_value_t = 26)]
    pub weeks: usize,
    /// Same seed, same data (for the same week).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// SQLite database to fill (created and migrated when missing).
    #[arg(
        long,
        env = "BACKLENS_DATABASE_URL",
        default_value = "sqlite://data/backlens.db"
    )]
    pub database: String,
}

/// Runs `backlens demo-data`: fills the database and prints what it stored.
pub fn run_command(args: DemoDataArgs) -> std::process::ExitCode {
    use std::process::ExitCode;
    let Some(runtime) = super::cli::runtime(false) else {
        return ExitCode::FAILURE;
    };
    let opts = DemoDataOptions {
        projects: args.projects,
        weeks: args.weeks,
        seed: args.seed,
        now: crate::server::now(),
    };
    let started = std::time::Instant::now();
    let result = runtime.block_on(async {
        let pool = crate::server::db::connect_and_migrate(&args.database)
            .await
            .map_err(|e| e.to_string())?;
        let report = fill(&pool, &opts).await.map_err(|e| e.to_string())?;
        pool.close().await;
        Ok::<_, String>(report)
    });
    match result {
        Ok(r) => {
            println!(
                "demo-data: {} projects, {} reviews, {} findings in {:.1} s ({})",
                r.projects,
                r.reviews,
                r.findings,
                started.elapsed().as_secs_f64(),
                args.database
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("backlens: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Why `fill` refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum FillError {
    #[error("--projects must be 1 to {MAX_PROJECTS} and --weeks 1 to {MAX_WEEKS}")]
    OutOfRange,
    #[error(
        "this database already holds demo data of seed {0}: use another --seed or a fresh database"
    )]
    AlreadyFilled(u64),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

/// Generates and stores the data set, in transactions of a few dozen
/// projects each with batched inserts.
pub async fn fill(pool: &SqlitePool, opts: &DemoDataOptions) -> Result<FillReport, FillError> {
    if !(1..=MAX_PROJECTS).contains(&opts.projects) || !(1..=MAX_WEEKS).contains(&opts.weeks) {
        return Err(FillError::OutOfRange);
    }
    let prefix = format!("demo-data://seed-{}/", opts.seed);
    if store::any_source_with_prefix(pool, &prefix).await? {
        return Err(FillError::AlreadyFilled(opts.seed));
    }
    let mut report = FillReport::default();
    const PROJECTS_PER_TRANSACTION: usize = 25;
    let mut index = 0;
    while index < opts.projects {
        let end = (index + PROJECTS_PER_TRANSACTION).min(opts.projects);
        let batch: Vec<SynthProject> = (index..end).map(|i| generate_project(opts, i)).collect();
        let stored = store::insert_projects(pool, &batch).await?;
        report.projects += batch.len();
        report.reviews += stored.reviews;
        report.findings += stored.findings;
        index = end;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(projects: usize, weeks: usize, seed: u64) -> DemoDataOptions {
        DemoDataOptions {
            projects,
            weeks,
            seed,
            now: 1_795_000_000, // Wednesday 2026-11-18
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_history_and_another_seed_does_not() {
        let a = generate_project(&opts(10, 30, 7), 3);
        let b = generate_project(&opts(10, 30, 7), 3);
        let c = generate_project(&opts(10, 30, 8), 3);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_ne!(format!("{a:?}"), format!("{c:?}"));
    }

    #[test]
    fn histories_are_varied_and_consistent() {
        let o = opts(200, 104, 1);
        let projects: Vec<SynthProject> = (0..200).map(|i| generate_project(&o, i)).collect();
        let names: std::collections::HashSet<&str> =
            projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names.len(), 200, "unique names");
        let latest: Vec<&SynthReview> = projects.iter().filter_map(|p| p.reviews.last()).collect();
        let grades: std::collections::HashSet<Grade> = latest.iter().map(|r| r.grade).collect();
        assert!(grades.len() >= 4, "varied grades: {grades:?}");
        let stale = latest
            .iter()
            .filter(|r| r.finished_at < o.now - 14 * 86_400)
            .count();
        assert!(stale > 0, "some projects were not reviewed for two weeks");
        assert!(projects.iter().all(|p| p.reviews.len() <= 104));
        let change = projects[0]
            .reviews
            .windows(2)
            .filter(|w| w[0].scoring_version != w[1].scoring_version)
            .count();
        assert!(change <= 1);
        assert!(projects
            .iter()
            .any(|p| p.reviews.iter().any(|r| r.scoring_version == 1)
                && p.reviews.iter().any(|r| r.scoring_version == 2)));
        let soon = iso_date(o.now + 14 * 86_400);
        assert!(
            latest.iter().any(|r| r
                .findings
                .iter()
                .any(|f| f.suppressed_until.as_deref().is_some_and(|d| *d <= *soon))),
            "suppressions expiring within two weeks"
        );
        for p in &projects {
            for w in p.reviews.windows(2) {
                let (prev, cur) = (&w[0], &w[1]);
                assert!(cur.finished_at > prev.finished_at);
                assert!(cur.finished_at <= o.now);
                let prev_fps: std::collections::HashSet<&str> = prev
                    .findings
                    .iter()
                    .map(|f| f.fingerprint.as_str())
                    .collect();
                let cur_fps: std::collections::HashSet<&str> = cur
                    .findings
                    .iter()
                    .map(|f| f.fingerprint.as_str())
                    .collect();
                assert_eq!(cur.fixed as usize, prev_fps.difference(&cur_fps).count());
                assert_eq!(cur.opened as usize, cur_fps.difference(&prev_fps).count());
                assert_eq!(
                    cur.opened as usize,
                    cur.findings.iter().filter(|f| f.is_new).count()
                );
            }
            if let Some(last) = p.reviews.last() {
                assert_eq!(last.checks.len(), CATALOG.len());
            }
        }
    }
}

#[cfg(test)]
mod fill_tests {
    use super::*;
    use crate::server::services::trends;

    #[tokio::test]
    async fn filling_a_database_stores_the_history_the_trends_read() {
        let (_dir, pool) = crate::server::db::migrated_pool().await;
        let now = crate::server::now();
        let opts = DemoDataOptions {
            projects: 30,
            weeks: 20,
            seed: 5,
            now,
        };
        let report = fill(&pool, &opts).await.unwrap();
        assert_eq!(report.projects, 30);
        let expected: usize = (0..30)
            .map(|i| generate_project(&opts, i).reviews.len())
            .sum();
        assert_eq!(report.reviews, expected);
        assert!(matches!(
            fill(&pool, &opts).await,
            Err(FillError::AlreadyFilled(5))
        ));
        assert!(matches!(
            fill(
                &pool,
                &DemoDataOptions {
                    projects: 0,
                    ..opts.clone()
                }
            )
            .await,
            Err(FillError::OutOfRange)
        ));

        let p = trends::portfolio_trends(&pool, now).await.unwrap();
        assert_eq!(p.summary.projects, 30);
        assert!(p.sparklines.len() >= 25);
        let first = generate_project(&opts, 0);
        let t = trends::project_trends(&pool, 1, 20, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(t.points.len(), first.reviews.len());
        for (point, synth) in t.points.iter().zip(&first.reviews) {
            assert_eq!(point.score, synth.score);
            assert_eq!(point.opened, synth.opened);
            assert_eq!(point.fixed, synth.fixed);
            assert_eq!(point.categories.len(), 6);
        }
        let view = crate::server::db::reviews::latest_review_view(&pool, 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(view.checks.len(), CATALOG.len());
        assert_eq!(
            view.findings.len(),
            first.reviews.last().unwrap().findings.len()
        );
        // The page computes "fixed" from fingerprints: it agrees with the stored count.
        assert_eq!(
            view.fixed_since_previous,
            first.reviews.last().unwrap().fixed
        );
    }
}
