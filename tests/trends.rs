//! Trend data from real reviews: findings opened and fixed between two
//! commits, the scoring version, the portfolio summary and sparklines.

#![cfg(feature = "ssr")]

mod common;

use backlens::model::views::FindingStatus;
use backlens::model::week::IsoWeek;
use backlens::model::Grade;
use backlens::server::jobs::run_next_job;
use backlens::server::now;
use backlens::server::services::{reviews, trends};

#[tokio::test]
async fn a_second_commit_shows_as_findings_opened_and_fixed_on_the_trends() {
    let dir = tempfile::tempdir().unwrap();
    let pool = common::database(dir.path()).await;
    let repo = common::demo_repositories(dir.path()).join("orders-api");
    let config = common::worker_config();
    let id = common::add_local_project(&pool, &repo.to_string_lossy(), 3).await;
    run_next_job(&pool, &config)
        .await
        .unwrap()
        .expect("first review");
    let first = common::latest_review(&pool, id).await;

    // Second commit: the hard-coded secret goes, a new SQL injection comes,
    // and .backlens.toml accepts SQL injection findings until a fixed day.
    let auth = repo.join("src/auth.ts");
    let text = std::fs::read_to_string(&auth).unwrap().replace(
        "\"orders-api-jwt-signing-key-2023\"",
        "process.env.JWT_SECRET ?? \"\"",
    );
    std::fs::write(&auth, text).unwrap();
    std::fs::write(
        repo.join("src/routes/report.ts"),
        "import { pool } from \"../db\";\nexport async function report(req: any) {\n  return pool.query(\"SELECT * FROM sales ORDER BY \" + req.query.column);\n}\n",
    )
    .unwrap();
    std::fs::write(
        repo.join(".backlens.toml"),
        "[[suppress]]\ncheck = \"SEC-SQLI\"\nreason = \"allow-listed\"\nexpires = \"2099-12-31\"\n",
    )
    .unwrap();
    common::git::git(&repo, &["add", "--all", "--force"]);
    common::git::git(&repo, &["commit", "--quiet", "-m", "second"]);
    reviews::request_review(&pool, id, 3)
        .await
        .unwrap()
        .unwrap();
    run_next_job(&pool, &config)
        .await
        .unwrap()
        .expect("second review");
    let second = common::latest_review(&pool, id).await;
    let opened = second
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::New)
        .count() as i64;
    assert!(opened >= 1, "the new file opens a finding");
    assert!(second.fixed_since_previous >= 1, "the secret is fixed");
    assert!(second
        .findings
        .iter()
        .filter(|f| f.check_id == "SEC-SQLI")
        .all(|f| f.suppressed_until.as_deref() == Some("2099-12-31")));

    let t = trends::project_trends(&pool, id, 4, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.points.len(), 2);
    assert_eq!(t.points[0].review_id, first.id);
    assert_eq!(
        t.points[0].opened,
        first.findings.len() as i64,
        "a first review opens all"
    );
    assert_eq!(t.points[0].fixed, 0);
    assert_eq!(t.points[1].opened, opened);
    assert_eq!(t.points[1].fixed, second.fixed_since_previous);
    assert_eq!(t.points[1].categories.len(), second.categories.len());
    assert!(t.scoring_changes.is_empty());
    assert_eq!(t.findings_per_week.len(), 4, "every week of the window");
    let this_week = t.findings_per_week.last().unwrap();
    assert_eq!(this_week.week, IsoWeek::of_unix(now()));
    assert_eq!(this_week.reviews, 2);
    assert_eq!(this_week.opened, t.points[0].opened + opened);
    assert!(t.category_series().iter().all(|s| s.points.len() == 2));
    assert!(trends::project_trends(&pool, id + 99, 4, now())
        .await
        .unwrap()
        .is_none());

    let p = trends::portfolio_trends(&pool, now()).await.unwrap();
    assert_eq!(p.summary.projects, 1);
    assert_eq!(p.summary.reviews_this_week, 2);
    assert_eq!(p.summary.not_reviewed, 0);
    assert_eq!(p.summary.stale_projects, 0);
    let graded: i64 = p.summary.by_grade.iter().map(|g| g.projects).sum();
    assert_eq!(graded, 1);
    assert_eq!(
        p.summary
            .by_grade
            .iter()
            .find(|g| g.grade == second.grade)
            .unwrap()
            .projects,
        1
    );
    let open_high = second
        .findings
        .iter()
        .filter(|f| f.severity == backlens::model::Severity::High && f.suppressed.is_none())
        .count() as i64;
    assert_eq!(p.summary.open_high, open_high);
    let spark = p.sparkline(id).expect("a sparkline");
    assert_eq!(
        spark.points.len(),
        1,
        "one point per week: the week's last review"
    );
    assert_eq!(spark.points[0].score, second.score);
    assert!(matches!(
        second.grade,
        Grade::A | Grade::B | Grade::C | Grade::D | Grade::F
    ));
}
