//! The command line. Without a subcommand, `backlens` serves the dashboard.

use super::settings::{LogFormat, Settings};
use super::{db, demo, git, http, jobs, services, telemetry};
use crate::model::{Grade, Verdict};
use crate::server::review::{review_tree, ReviewOptions, ReviewReport};
use clap::{Parser, Subcommand, ValueEnum};
use leptos::prelude::LeptosOptions;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "backlens",
    version,
    about = "Reviews backend projects against the backend review checklist."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the dashboard (the default).
    Serve(Settings),
    /// Review a local directory or git repository and print the result.
    Review {
        /// The directory to review.
        path: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Quality gate: exit 1 when the grade is lower than this (A–F).
        #[arg(long, value_name = "GRADE", value_parser = parse_grade)]
        fail_under: Option<Grade>,
        /// Also run the project's own lint, type-check and tests in the
        /// sandbox (BACKLENS_QUALITY_* settings apply); their LOOP-* verdicts
        /// count in the scorecard.
        #[arg(long)]
        quality: bool,
        /// Keep what each file contributed in this file, and reuse it for
        /// the files that did not change since the last review with it.
        #[arg(long, value_name = "FILE")]
        cache: Option<PathBuf>,
    },
    /// Register a project (a local git repository, owner/repo or a GitHub URL)
    /// in the configured database and queue its first review.
    Add {
        /// A local path, `owner/repo`, or any GitHub URL form.
        source: String,
        #[command(flatten)]
        settings: Settings,
    },
    /// Write the shipped sample backends as git repositories into DIR.
    DemoRepos {
        /// Folder to write them into (created when missing).
        dir: PathBuf,
    },
    /// Fill a database with synthetic review history (demos, benchmarks).
    DemoData(super::demo_data::DemoDataArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

/// Exit code for a path that cannot be reviewed.
const EXIT_BAD_PATH: u8 = 2;
/// Exit code when the grade is below `--fail-under`.
const EXIT_GATE_FAILED: u8 = 1;

fn parse_grade(s: &str) -> Result<Grade, String> {
    Grade::parse(&s.to_ascii_uppercase())
        .ok_or_else(|| format!("{s:?} is not a grade: use A, B, C, D or F"))
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Serve(settings)) => serve_blocking(settings),
        None => match Cli::try_parse_from(["backlens", "serve"]) {
            Ok(Cli {
                command: Some(Command::Serve(settings)),
            }) => serve_blocking(settings),
            Ok(_) => unreachable!("serve parses as serve"),
            Err(e) => e.exit(),
        },
        Some(Command::Review {
            path,
            format,
            fail_under,
            quality,
            cache,
        }) => review_command(&path, format, fail_under, quality, cache),
        Some(Command::DemoData(args)) => super::demo_data::run_command(args),
        Some(Command::Add { source, settings }) => add_command(&source, settings),
        Some(Command::DemoRepos { dir }) => match demo::write_sample_repositories(&dir) {
            Ok(repos) => {
                for r in repos {
                    println!("{}", r.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("backlens: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// `backlens add SOURCE`: the Add-project form from the command line. Exit 0
/// when added, 2 when rejected (the message says why), 1 on other errors.
fn add_command(source: &str, settings: Settings) -> ExitCode {
    telemetry::init(settings.log_format);
    let Some(runtime) = runtime(false) else {
        return ExitCode::FAILURE;
    };
    let result = runtime.block_on(async {
        let pool = db::connect_and_migrate(&settings.database_url).await?;
        let outcome = services::github::add_from_input(
            &pool,
            &settings.github,
            source,
            settings.job_max_attempts as i64,
        )
        .await?;
        anyhow::Ok(outcome)
    });
    match result {
        Ok(crate::model::views::AddProjectOutcome::Added { id, name }) => {
            println!("added {name} as project #{id}; its first review is queued (it runs when `backlens serve` runs)");
            ExitCode::SUCCESS
        }
        Ok(crate::model::views::AddProjectOutcome::Rejected { message }) => {
            eprintln!("backlens: {message}");
            ExitCode::from(EXIT_BAD_PATH)
        }
        Err(e) => {
            eprintln!("backlens: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The async runtime of a command (all cores for the server, one thread for
/// the others); `None` after saying why it could not start.
pub(crate) fn runtime(multi_thread: bool) -> Option<tokio::runtime::Runtime> {
    let mut builder = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder
        .enable_all()
        .build()
        .inspect_err(|e| eprintln!("backlens: cannot start the async runtime: {e}"))
        .ok()
}

fn serve_blocking(settings: Settings) -> ExitCode {
    telemetry::init(settings.log_format);
    let Some(runtime) = runtime(true) else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(serve(settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "backlens stopped");
            ExitCode::FAILURE
        }
    }
}

/// Options for rendering pages; the site root comes from cargo-leptos
/// (`LEPTOS_SITE_ROOT`) or defaults to `target/site`.
fn leptos_options(settings: &Settings) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_string());
    LeptosOptions::builder()
        .output_name("backlens")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(settings.addr)
        .build()
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    use anyhow::Context;
    // A bad GitHub App key stops start-up with the reason, before anything runs.
    if let Some(app) =
        crate::server::github::app::load(&settings.github).map_err(anyhow::Error::msg)?
    {
        tracing::info!(
            app_id = app.app_id,
            "GitHub App authentication on: check runs instead of commit statuses"
        );
    }
    let pool = db::connect_and_migrate(&settings.database_url)
        .await
        .with_context(|| format!("database {}", settings.database_url))?;
    jobs::recover_interrupted_jobs(&pool).await?;
    if settings.demo {
        seed_demo(&pool, &settings).await?;
    }
    let worker = jobs::WorkerHandle::new();
    let quality = settings.quality.enabled.then(|| {
        jobs::quality_job::QualityJobConfig::from_settings(
            &settings.quality,
            settings.job_max_attempts as i64,
            settings.job_backoff_secs as i64,
        )
    });
    if settings.quality.sandbox == super::quality::settings::SandboxSetting::Off {
        tracing::warn!(
            "DANGER: BACKLENS_QUALITY_SANDBOX=off — reviewed projects' own lint, type-check and \
             tests run unsandboxed, with backlens's user, files, secrets and network"
        );
    }
    if let Some(q) = &quality {
        jobs::quality_job::spawn_quality_worker(pool.clone(), q.clone());
    }
    jobs::spawn_worker(
        pool.clone(),
        worker.clone(),
        jobs::WorkerConfig {
            concurrency: settings.worker_concurrency as usize,
            backoff_base_secs: settings.job_backoff_secs as i64,
            github: settings.github.clone(),
            quality,
            review_cache: Some(settings.data_dir.join("review-cache")),
        },
    );
    jobs::schedule::spawn_scheduler(
        pool.clone(),
        worker.clone(),
        settings.job_max_attempts as i64,
    );
    let state = super::state::AppState {
        leptos_options: leptos_options(&settings),
        pool,
        worker,
        settings: Arc::new(settings.clone()),
    };
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("cannot listen on {}", settings.addr))?;
    tracing::info!(addr = %settings.addr, "backlens is serving on http://{}", settings.addr);
    axum::serve(listener, http::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("backlens stopped");
    Ok(())
}

/// Writes the sample repositories under `<data_dir>/demo` and registers the
/// ones not yet in the portfolio (each gets its first review queued).
async fn seed_demo(pool: &sqlx::SqlitePool, settings: &Settings) -> anyhow::Result<()> {
    let dir = settings.data_dir.join("demo");
    let repos =
        tokio::task::spawn_blocking(move || demo::write_sample_repositories(&dir)).await??;
    for repo in repos {
        let path = repo.canonicalize()?;
        let outcome = services::projects::add_local_project(
            pool,
            &path.to_string_lossy(),
            settings.job_max_attempts as i64,
        )
        .await?;
        tracing::info!(repo = %path.display(), ?outcome, "demo project");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}

fn review_command(
    path: &Path,
    format: OutputFormat,
    fail_under: Option<Grade>,
    quality: bool,
    cache: Option<PathBuf>,
) -> ExitCode {
    telemetry::init(LogFormat::Text);
    if !path.exists() {
        eprintln!("backlens: no such file or directory: {}", path.display());
        return ExitCode::from(EXIT_BAD_PATH);
    }
    if !path.is_dir() {
        eprintln!("backlens: not a directory: {}", path.display());
        return ExitCode::from(EXIT_BAD_PATH);
    }
    let commit = git::head_commit(path);
    let opts = ReviewOptions {
        cache,
        ..ReviewOptions::default()
    };
    let mut report = match review_tree(path, &opts, &mut |_| {}) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("backlens: {e}");
            return ExitCode::from(EXIT_BAD_PATH);
        }
    };
    let quality = if quality {
        match super::quality::cli::run_on_working_tree(path, &mut report) {
            Ok(outcome) => Some(outcome),
            Err(e) => {
                eprintln!("backlens: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    match format {
        OutputFormat::Json => {
            let mut json = review_json(commit.as_deref(), &report);
            if let Some(outcome) = &quality {
                json["quality"] = super::quality::cli::outcome_json(outcome);
            }
            println!("{json}")
        }
        OutputFormat::Text => {
            print!("{}", review_text(path, commit.as_deref(), &report));
            if let Some(outcome) = &quality {
                print!("{}", super::quality::cli::outcome_text(outcome));
            }
        }
        OutputFormat::Sarif => println!("{}", review_sarif(commit.as_deref(), &report)),
    }
    let grade = report.scorecard.grade;
    match fail_under {
        // Grades order A < B < … < F, so "lower" is greater.
        Some(required) if grade > required => {
            eprintln!(
                "backlens: quality gate failed: grade {} is below the required {}",
                grade.as_str(),
                required.as_str()
            );
            ExitCode::from(EXIT_GATE_FAILED)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// The stable JSON shape scripts and CI read (see the README).
pub fn review_json(commit: Option<&str>, report: &ReviewReport) -> serde_json::Value {
    use serde_json::json;
    json!({
        "commit": commit,
        "grade": report.scorecard.grade.as_str(),
        "score": report.scorecard.score,
        "scoring_version": report.scorecard.scoring_version,
        "files_scanned": report.files_scanned,
        "notes": report.notes,
        "skipped": report.skipped.iter().map(|s| json!({"path": s.path, "reason": s.reason})).collect::<Vec<_>>(),
        "categories": report.scorecard.categories.iter().map(|c| json!({
            "id": c.category.id(),
            "score": c.score,
        })).collect::<Vec<_>>(),
        "checks": report.checks.iter().map(|c| json!({
            "id": c.check_id,
            "category": c.category.id(),
            "kind": c.kind.as_str(),
            "verdict": c.verdict.as_str(),
            "summary": c.summary,
            "evidence": c.evidence.iter().map(|e| json!({"path": e.path, "line": e.line, "note": e.note})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "frameworks": report.frameworks,
        "routes": report.routes,
        "findings": report.findings.iter().map(|f| json!({
            "check": f.check_id,
            "severity": f.severity.as_str(),
            "path": f.path,
            "line": f.line,
            "end_line": f.end_line,
            "message": f.message,
            "snippet": f.snippet,
            "fingerprint": f.fingerprint,
            "suppressed": f.suppressed.as_ref().map(|reason| json!({"reason": reason})),
        })).collect::<Vec<_>>(),
    })
}

/// The route map for the terminal: one line per route (at most 60), marks
/// ✓ ✗ ? – for auth, validation and rate limit.
fn route_map_text(report: &ReviewReport) -> String {
    use crate::model::{AspectStatus, RouteAspect};
    use std::fmt::Write as _;
    let mark = |a: &RouteAspect| match a.status {
        AspectStatus::Yes => "✓",
        AspectStatus::No => "✗",
        AspectStatus::Unknown => "?",
        AspectStatus::NotApplicable => "–",
    };
    let names: Vec<&str> = report.frameworks.iter().map(|f| f.name.as_str()).collect();
    let mut out = String::new();
    if report.routes.is_empty() {
        let _ = writeln!(
            out,
            "Routes: none found ({}).\n",
            if names.is_empty() {
                "no web framework detected".to_string()
            } else {
                names.join(", ")
            }
        );
        return out;
    }
    let _ = writeln!(
        out,
        "Routes ({}): auth / validation / rate limit",
        names.join(", ")
    );
    for r in report.routes.iter().take(60) {
        let _ = writeln!(
            out,
            "  {:<7} {:<40} {} {} {}  {} ({}:{})",
            r.method,
            r.path,
            mark(&r.auth),
            mark(&r.validation),
            mark(&r.rate_limit),
            r.handler,
            r.file,
            r.line
        );
    }
    if report.routes.len() > 60 {
        let _ = writeln!(
            out,
            "  … {} more in --format json",
            report.routes.len() - 60
        );
    }
    out.push('\n');
    out
}

/// The review as a SARIF 2.1.0 log.
pub fn review_sarif(commit: Option<&str>, report: &ReviewReport) -> serde_json::Value {
    let results: Vec<super::sarif::SarifResult<'_>> =
        report.findings.iter().map(Into::into).collect();
    super::sarif::render(&results, commit)
}

/// Skipped files listed by the text output (the JSON lists all).
const MAX_SKIPPED_SHOWN: usize = 10;

/// A scorecard for a terminal.
pub fn review_text(path: &Path, commit: Option<&str>, report: &ReviewReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let card = &report.scorecard;
    let commit = commit
        .map(|c| format!(" at {}", &c[..c.len().min(12)]))
        .unwrap_or_default();
    let _ = writeln!(out, "backlens review of {}{commit}", path.display());
    let langs: Vec<String> = report
        .languages
        .iter()
        .map(|l| format!("{} {}", l.language, l.files))
        .collect();
    let _ = writeln!(
        out,
        "Grade {} · score {} · scoring v{} · {} files ({})",
        card.grade.as_str(),
        card.score,
        card.scoring_version,
        report.files_scanned,
        if langs.is_empty() {
            "no source files".to_string()
        } else {
            langs.join(", ")
        }
    );
    let cats: Vec<String> = card
        .categories
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.category.id(),
                c.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into())
            )
        })
        .collect();
    let _ = writeln!(out, "Categories: {}\n", cats.join("  "));
    for note in &report.notes {
        let _ = writeln!(out, "Note: {note}");
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out);
    }
    if !report.skipped.is_empty() {
        let n = report.skipped.len();
        let _ = writeln!(
            out,
            "Skipped or partly read: {n} file{}",
            if n == 1 { "" } else { "s" }
        );
        for s in report.skipped.iter().take(MAX_SKIPPED_SHOWN) {
            let _ = writeln!(out, "  {}: {}", s.path, s.reason);
        }
        if report.skipped.len() > MAX_SKIPPED_SHOWN {
            let _ = writeln!(
                out,
                "  … and {} more (all of them: --format json)",
                report.skipped.len() - MAX_SKIPPED_SHOWN
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "Checks:");
    for c in report
        .checks
        .iter()
        .filter(|c| c.verdict != Verdict::NotChecked)
    {
        let _ = writeln!(
            out,
            "  {:<15} {:<16} {}",
            c.verdict.label(),
            c.check_id,
            c.summary
        );
    }
    let not_checked = report
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::NotChecked)
        .count();
    let _ = writeln!(
        out,
        "  ({not_checked} more checks not yet checked by this version)\n"
    );
    out.push_str(&route_map_text(report));
    if report.findings.is_empty() {
        let _ = writeln!(out, "No findings.");
    } else {
        let _ = writeln!(out, "Findings:");
        for f in &report.findings {
            let _ = writeln!(
                out,
                "  {:<8} {:<11} {}:{}  {}{}",
                f.severity.as_str(),
                f.check_id,
                f.path,
                f.line,
                f.suppressed
                    .as_ref()
                    .map(|r| format!("[suppressed: {r}] "))
                    .unwrap_or_default(),
                f.message.lines().next().unwrap_or_default()
            );
        }
    }
    out
}
