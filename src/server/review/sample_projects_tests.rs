//! The demo projects shipped with backlens, reviewed end to end.

use super::review_tree_tests::review;
use crate::model::{Grade, Severity, Verdict};
use std::path::PathBuf;

/// The samples directory: `$BACKLENS_SAMPLES_DIR`, else
/// `src/server/demo/samples` (the app crate), else `samples` (the dev harness).
fn samples_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BACKLENS_SAMPLES_DIR") {
        return PathBuf::from(dir);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("src/server/demo/samples"),
        manifest.join("samples"),
    ]
    .into_iter()
    .find(|p| p.join("orders-api").is_dir())
    .expect("samples directory (set BACKLENS_SAMPLES_DIR)")
}

const PRACTICES: [&str; 3] = ["DATA-MIGRATIONS", "TEST-PRESENT", "OBS-HEALTH"];
const IMPLEMENTED: [&str; 8] = [
    "SEC-SQLI",
    "SEC-SECRET",
    "DATA-MIGRATIONS",
    "TEST-PRESENT",
    "OBS-HEALTH",
    "SEC-AUTHZ",
    "SEC-VALIDATION",
    "SEC-RATELIMIT",
];

fn line_of(path: &std::path::Path, needle: &str) -> u32 {
    let text = std::fs::read_to_string(path).unwrap();
    let index = text.lines().position(|l| l.contains(needle)).expect(needle);
    u32::try_from(index + 1).unwrap()
}

#[test]
fn the_sample_projects_get_the_verdicts_they_were_written_for() {
    let samples = samples_dir();

    // orders-api: SQL injection, a hard-coded JWT secret, no migrations, tests
    // or health endpoint.
    let orders = review(&samples.join("orders-api"));
    let sqli_line = line_of(
        &samples.join("orders-api/src/routes/orders.ts"),
        "\"SELECT * FROM orders WHERE customer_id = '\" + req.query.customer",
    );
    let sqli = orders
        .findings
        .iter()
        .find(|f| f.check_id == "SEC-SQLI" && f.severity == Severity::Critical)
        .expect("critical SQL injection");
    assert_eq!(
        (sqli.path.as_str(), sqli.line),
        ("src/routes/orders.ts", sqli_line)
    );
    assert_eq!(
        orders
            .findings
            .iter()
            .filter(|f| f.check_id == "SEC-SQLI")
            .count(),
        1,
        "only the concatenated query: {:?}",
        orders.findings
    );

    let secret_line = line_of(
        &samples.join("orders-api/src/auth.ts"),
        "const JWT_SECRET =",
    );
    let secret = orders
        .findings
        .iter()
        .find(|f| f.check_id == "SEC-SECRET" && f.message.contains("JWT_SECRET"))
        .expect("JWT secret finding");
    assert_eq!(
        (secret.path.as_str(), secret.line),
        ("src/auth.ts", secret_line)
    );
    let source = std::fs::read_to_string(samples.join("orders-api/src/auth.ts")).unwrap();
    let value = source
        .lines()
        .find(|l| l.contains("const JWT_SECRET ="))
        .and_then(|l| l.split('"').nth(1))
        .unwrap();
    assert!(value.len() >= 20);
    assert!(!secret.snippet.contains(value) && !secret.message.contains(value));
    assert!(secret.snippet.contains('…') && secret.message.contains('…'));

    for id in PRACTICES {
        let c = orders.checks.iter().find(|c| c.check_id == id).unwrap();
        assert_eq!(c.verdict, Verdict::Fail, "{id}: {}", c.summary);
    }
    // Architecture, data, observability and CI: queries in handlers, the
    // order and its items written without a transaction, console logging, no
    // metrics/tracing/SIGTERM handling/CI; TypeScript `strict` is on.
    for (id, expected) in [
        ("ARCH-LAYERS", Verdict::Fail),
        ("ARCH-DI", Verdict::Fail),
        ("DATA-TX", Verdict::Fail),
        ("DATA-NPLUS1", Verdict::Pass),
        ("OBS-LOGGING", Verdict::Fail),
        ("OBS-METRICS", Verdict::Fail),
        ("OBS-TRACING", Verdict::Fail),
        ("OBS-SHUTDOWN", Verdict::Fail),
        ("TEST-CI", Verdict::Fail),
        ("TEST-TYPES", Verdict::Pass),
    ] {
        let c = orders.checks.iter().find(|c| c.check_id == id).unwrap();
        assert_eq!(c.verdict, expected, "{id}: {}", c.summary);
    }
    // The statement starts on the line before its INSERT text.
    let tx_line = line_of(
        &samples.join("orders-api/src/routes/orders.ts"),
        "\"INSERT INTO orders (customer_id",
    ) - 1;
    assert!(orders
        .findings
        .iter()
        .any(|f| f.check_id == "DATA-TX" && f.path == "src/routes/orders.ts" && f.line == tx_line));
    assert!(
        matches!(orders.scorecard.grade, Grade::D | Grade::F),
        "{:?}",
        orders.scorecard
    );

    // inventory-service: tidy.
    let inventory = review(&samples.join("inventory-service"));
    assert!(inventory.findings.is_empty(), "{:?}", inventory.findings);
    for id in PRACTICES {
        let c = inventory.checks.iter().find(|c| c.check_id == id).unwrap();
        assert_eq!(c.verdict, Verdict::Pass, "{id}: {}", c.summary);
    }
    for id in super::design::CHECK_IDS {
        let c = inventory.checks.iter().find(|c| c.check_id == *id).unwrap();
        assert!(
            matches!(c.verdict, Verdict::Pass | Verdict::NotApplicable),
            "{id}: {}",
            c.summary
        );
    }
    assert_eq!(
        inventory.scorecard.grade,
        Grade::A,
        "{:?}",
        inventory.scorecard
    );

    for report in [&orders, &inventory] {
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        for c in &report.checks {
            if !IMPLEMENTED.contains(&c.check_id.as_str())
                && !super::design::CHECK_IDS.contains(&c.check_id.as_str())
                && !super::sec_api::owns(&c.check_id)
            {
                assert_eq!(c.verdict, Verdict::NotChecked, "{}", c.check_id);
            }
        }
    }
}
