//! The review engine: walks a backend project, parses its TypeScript,
//! JavaScript and Python files with tree-sitter, runs the checks this version
//! implements (SEC-SQLI, SEC-SECRET, DATA-MIGRATIONS, TEST-PRESENT, OBS-HEALTH),
//! and scores the result. Synchronous and CPU-bound: call it from a blocking
//! task.

mod api_errors;
mod api_status;
mod blocking;
mod cache;
mod checks;
mod code_secrets;
mod config;
mod config_secrets;
mod cors;
mod db_calls;
mod design;
mod env_secrets;
mod errleak;
mod facts;
mod file_kinds;
mod findings;
mod fingerprint;
mod fk_index;
mod functions;
mod giant;
mod headers;
mod health;
mod idempotency;
mod injection;
mod interned;
mod jwt;
mod lang;
mod language;
mod layers;
mod log_secrets;
mod manifests;
mod mask;
mod merge;
mod migrations;
mod nplus1;
mod openapi;
mod pagination;
mod password;
mod practices;
mod route_map;
mod routes;
mod score;
mod sec_api;
mod secret_patterns;
mod secrets;
mod snippet;
mod sqli;
mod suppressions;
mod syntax;
mod taint;
mod test_presence;
mod tls;
mod transactions;
mod versioning;
mod walk;

#[cfg(test)]
mod cache_tests;
#[cfg(test)]
mod design_tests;
#[cfg(test)]
mod kind_gates_tests;
#[cfg(test)]
mod parallel_tests;
#[cfg(test)]
mod review_tree_tests;
#[cfg(test)]
mod sample_projects_tests;

use facts::ProjectFacts;
use language::{Grammar, Language};
use merge::Merge;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Version of the scoring formula ([`scoring_explanation`]); stored with every
/// scorecard so scores from different formulas are never compared silently.
pub const SCORING_VERSION: u32 = 2;

pub use score::{category_weight, grade_for};

/// Limits of one review.
#[derive(Clone, Debug)]
pub struct ReviewOptions {
    /// Files larger than this are skipped (default 1 MiB).
    pub max_file_bytes: u64,
    /// At most this many files are reviewed (default 50 000).
    pub max_files: usize,
    /// Skip what `.gitignore` lists (default). Off for a tree exported from a
    /// commit: everything in it was committed, a force-added `.env` included.
    pub respect_gitignore: bool,
    /// The day suppressions expire against (`YYYY-MM-DD`); today when `None`.
    pub today: Option<String>,
    /// Analyze each file on its own on all cores and fold the results in
    /// walk order (default). Off: one pass on the calling thread, every file
    /// into the same facts; the report is the same either way.
    pub parallel: bool,
    /// The review cache of this project (a file; made when missing): files
    /// unchanged since the review that wrote it are not analyzed again.
    /// Only the parallel stage uses it.
    pub cache: Option<PathBuf>,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions {
            max_file_bytes: 1024 * 1024,
            max_files: 50_000,
            respect_gitignore: true,
            today: None,
            parallel: true,
            cache: None,
        }
    }
}

/// Where a running review is.
#[derive(Clone, Debug)]
pub struct ReviewProgress {
    /// `"walking"`, `"parsing"` or `"scoring"`.
    pub stage: &'static str,
    pub files_done: usize,
    /// 0 while walking (not known yet).
    pub files_total: usize,
}

/// A file that was not reviewed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// How many reviewed files are in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageCount {
    /// "TypeScript", "JavaScript", "Python", "Go", "Rust".
    pub language: String,
    pub files: usize,
}

/// Everything one review found.
#[derive(Clone, Debug)]
pub struct ReviewReport {
    pub files_scanned: usize,
    /// Files whose outcome came from the review cache unchanged.
    pub files_from_cache: usize,
    pub skipped: Vec<SkippedFile>,
    /// Sorted by number of files, most first.
    pub languages: Vec<LanguageCount>,
    /// Exactly one per catalog entry, in catalog order.
    pub checks: Vec<crate::model::CheckResult>,
    /// Sorted by path, line and check id.
    pub findings: Vec<crate::model::Finding>,
    pub scorecard: crate::model::Scorecard,
    /// Problems with the project's `.backlens.toml`, for people to fix.
    pub notes: Vec<String>,
    /// Web frameworks detected (or declared in `.backlens.toml`).
    pub frameworks: Vec<crate::model::FrameworkInfo>,
    /// The route map: every HTTP route with its auth, validation and rate limit.
    pub routes: Vec<crate::model::RouteInfo>,
}

/// Why a review could not start.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("the directory to review does not exist: {0}")]
    RootMissing(PathBuf),
    #[error("the path to review is not a directory: {0}")]
    NotADirectory(PathBuf),
    #[error("could not read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The scorecard of checks and findings (after the quality loop changed
/// the LOOP-* verdicts of a review).
pub fn rescore(
    checks: &[crate::model::CheckResult],
    findings: &[crate::model::Finding],
) -> crate::model::Scorecard {
    score::scorecard(checks, findings)
}

/// The scoring formula in plain words (shown on the scorecard page).
pub fn scoring_explanation() -> &'static str {
    score::explanation()
}

/// Reviews the project at `root`. Reported paths are relative to `root`, with
/// `/` separators. Unreadable, binary, oversized, minified and non-UTF-8 files
/// are listed in `skipped`; only a missing or unreadable root is an error.
pub fn review_tree(
    root: &Path,
    opts: &ReviewOptions,
    progress: &mut dyn FnMut(ReviewProgress),
) -> Result<ReviewReport, ReviewError> {
    let meta = std::fs::metadata(root).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            ReviewError::RootMissing(root.to_path_buf())
        } else {
            ReviewError::Io {
                path: root.to_path_buf(),
                source: err,
            }
        }
    })?;
    if !meta.is_dir() {
        return Err(ReviewError::NotADirectory(root.to_path_buf()));
    }
    std::fs::read_dir(root).map_err(|source| ReviewError::Io {
        path: root.to_path_buf(),
        source,
    })?;

    progress(ReviewProgress {
        stage: "walking",
        files_done: 0,
        files_total: 0,
    });
    let mut project = config::load(root);
    let exclude = walk::exclusions(root, &project.exclude, &mut project.notes);
    let walked = walk::walk(root, opts, &exclude, progress);
    let total = walked.candidates.len();
    progress(ReviewProgress {
        stage: "walking",
        files_done: total,
        files_total: total,
    });

    let mut skipped = walked.skipped;
    let mut facts = ProjectFacts {
        all_paths: walked.candidates.iter().map(|c| c.rel.clone()).collect(),
        ..ProjectFacts::default()
    };
    let mut languages: BTreeMap<Language, usize> = BTreeMap::new();
    let mut pending = Vec::new();
    let mut files_scanned = 0usize;
    let mut files_from_cache = 0usize;
    let mut done = 0usize;
    let mut tick = |done: usize| {
        if done.is_multiple_of(16) || done == total {
            progress(ReviewProgress {
                stage: "parsing",
                files_done: done,
                files_total: total,
            });
        }
    };
    let mut count_language = |rel: &str| {
        if let Some(language) = Language::of_path(rel) {
            *languages.entry(language).or_insert(0) += 1;
        }
    };
    if opts.parallel {
        // Each file is analyzed on its own into fresh facts, on rayon's pool
        // (or read back from the cache), a chunk at a time; this thread folds
        // the previous chunk into the project's facts in walk order. The
        // channel holds one chunk, so at most three chunks are alive at once.
        let cache = opts
            .cache
            .as_deref()
            .map(|path| cache::FileCache::open(path, opts.max_file_bytes));
        // The new cache is written as files are folded (never held whole);
        // a write that fails only costs the next review its time.
        let mut writer = cache.as_ref().and_then(|c| {
            c.writer()
                .inspect_err(|err| tracing::warn!("could not write the review cache: {err}"))
                .ok()
        });
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            let candidates = &walked.candidates;
            let cache = cache.as_ref();
            scope.spawn(move || {
                for chunk in candidates.chunks(CHUNK_FILES) {
                    let outcomes: Vec<_> =
                        chunk.par_iter().map(|c| look_up(c, opts, cache)).collect();
                    if tx.send((chunk, outcomes)).is_err() {
                        break;
                    }
                }
            });
            for (chunk, outcomes) in rx {
                for (candidate, looked) in chunk.iter().zip(outcomes) {
                    files_from_cache += usize::from(looked.hit);
                    if let (Some(entry), Some(w)) = (&looked.entry, writer.as_mut()) {
                        if let Err(err) = w.record(&candidate.rel, entry) {
                            tracing::warn!("could not write the review cache: {err}");
                            writer = None;
                        }
                    }
                    match looked.outcome {
                        FileOutcome::Skipped(reason) => skipped.push(SkippedFile {
                            path: candidate.rel.clone(),
                            reason,
                        }),
                        FileOutcome::Reviewed {
                            facts: file_facts,
                            pending: file_pending,
                            note,
                        } => {
                            files_scanned += 1;
                            count_language(&candidate.rel);
                            facts.fold_in(*file_facts);
                            pending.extend(file_pending);
                            if let Some(reason) = note {
                                skipped.push(SkippedFile {
                                    path: candidate.rel.clone(),
                                    reason,
                                });
                            }
                        }
                    }
                    done += 1;
                    tick(done);
                }
            }
        });
        if let Some(writer) = writer {
            tracing::debug!(files = total, files_from_cache, "review cache");
            if let Err(err) = writer.finish() {
                tracing::warn!("could not write the review cache: {err}");
            }
        }
    } else {
        // The reference: one pass on this thread, every file analyzed into
        // the same facts. The tests hold the parallel stage to its report.
        for candidate in &walked.candidates {
            match walk::read_text(candidate, opts) {
                Ok(text) => {
                    files_scanned += 1;
                    count_language(&candidate.rel);
                    let drafts = analyze_file(&candidate.rel, &text, &mut facts, &mut skipped);
                    pending.extend(findings::finish_file(&candidate.rel, &text, drafts));
                }
                Err(reason) => skipped.push(SkippedFile {
                    path: candidate.rel.clone(),
                    reason,
                }),
            }
            done += 1;
            tick(done);
        }
    }

    progress(ReviewProgress {
        stage: "scoring",
        files_done: total,
        files_total: total,
    });
    design::settle(&facts.design, &mut pending);
    let by_rel: std::collections::HashMap<&str, &walk::Candidate> = walked
        .candidates
        .iter()
        .map(|c| (c.rel.as_str(), c))
        .collect();
    let (frameworks, routes) = build_route_map(&facts, &by_rel, opts, &project);
    sec_api::adopt_route_map(&mut facts.sec_api, routes.iter().map(|r| &r.info));
    for (path, draft) in route_map::route_findings(&routes) {
        let text = by_rel
            .get(path.as_str())
            .and_then(|c| walk::read_text(c, opts).ok())
            .unwrap_or_default();
        pending.extend(findings::finish_file(&path, &text, vec![draft]));
    }
    let today = opts.today.clone().unwrap_or_else(config::today);
    let findings = apply_config(findings::finalize(pending), &project, &today);
    let route_checks = route_map::evaluate_checks(&routes, &frameworks, &findings);
    let checks = checks::evaluate(&facts, &findings)
        .into_iter()
        .map(|c| {
            route_checks
                .iter()
                .find(|r| r.check_id == c.check_id)
                .cloned()
                .unwrap_or(c)
        })
        .map(|c| {
            if project.is_disabled(&c.check_id) {
                checks::result(
                    &c.check_id,
                    crate::model::Verdict::NotApplicable,
                    format!("Disabled by the project's {}.", config::FILE_NAME),
                    Vec::new(),
                )
            } else {
                c
            }
        })
        .collect::<Vec<_>>();
    let scorecard = score::scorecard(&checks, &findings);
    let mut languages: Vec<LanguageCount> = languages
        .into_iter()
        .map(|(language, files)| LanguageCount {
            language: language.name().to_string(),
            files,
        })
        .collect();
    languages.sort_by(|a, b| b.files.cmp(&a.files).then(a.language.cmp(&b.language)));
    skipped.sort_by(|a, b| a.path.cmp(&b.path).then(a.reason.cmp(&b.reason)));
    Ok(ReviewReport {
        notes: project.notes,
        files_scanned,
        files_from_cache,
        skipped,
        languages,
        checks,
        findings,
        scorecard,
        frameworks,
        routes: routes.into_iter().map(|r| r.info).collect(),
    })
}

/// Links the route registrations of every file into the route map.
fn build_route_map(
    facts: &ProjectFacts,
    by_rel: &std::collections::HashMap<&str, &walk::Candidate>,
    opts: &ReviewOptions,
    project: &config::ProjectConfig,
) -> (Vec<crate::model::FrameworkInfo>, Vec<route_map::BuiltRoute>) {
    let mut read = |rel: &str| by_rel.get(rel).and_then(|c| walk::read_text(c, opts).ok());
    facts.route_map.build(&mut read, &project.frameworks)
}

/// Applies the project's `.backlens.toml`: drops findings of disabled checks,
/// overrides severities, and suppresses what it accepts until it expires.
fn apply_config(
    findings: Vec<crate::model::Finding>,
    project: &config::ProjectConfig,
    today: &str,
) -> Vec<crate::model::Finding> {
    findings
        .into_iter()
        .filter(|f| !project.is_disabled(&f.check_id))
        .map(|mut f| {
            if let Some(severity) = project.severity.get(&f.check_id) {
                f.severity = *severity;
            }
            if f.suppressed.is_none() {
                if let Some(s) = project
                    .suppressions
                    .iter()
                    .find(|s| s.matches(&f.check_id, &f.path))
                {
                    match &s.expires {
                        Some(day) if day.as_str() < today => f.message.push_str(&format!(
                            " (A suppression in {} expired on {day}: the finding is open again.)",
                            config::FILE_NAME
                        )),
                        _ => {
                            f.suppressed = Some(s.describe());
                            f.suppressed_until = s.expires.clone();
                        }
                    }
                }
            }
            f
        })
        .collect()
}

/// What one file contributed to a review: the facts and findings of the
/// file alone, or why it was not reviewed. Folded into the project's facts
/// in walk order; the cache stores it.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) enum FileOutcome {
    Skipped(String),
    Reviewed {
        facts: Box<ProjectFacts>,
        pending: Vec<findings::Pending>,
        /// Reviewed only in part (could not be parsed in time), and why.
        note: Option<String>,
    },
}

/// Reviews one file on its own (on any thread).
fn review_file(rel: &str, bytes: Result<Vec<u8>, String>) -> FileOutcome {
    let text = match bytes.and_then(|b| walk::screen(rel, b)) {
        Ok(text) => text,
        Err(reason) => return FileOutcome::Skipped(reason),
    };
    let mut facts = ProjectFacts::default();
    let mut notes = Vec::new();
    let drafts = analyze_file(rel, &text, &mut facts, &mut notes);
    FileOutcome::Reviewed {
        facts: Box::new(facts),
        pending: findings::finish_file(rel, &text, drafts),
        note: notes.pop().map(|n| n.reason),
    }
}

/// One file's outcome, from the cache when it has the file unchanged.
fn look_up(
    candidate: &walk::Candidate,
    opts: &ReviewOptions,
    cache: Option<&cache::FileCache>,
) -> cache::Looked {
    let read = || walk::read_bytes(candidate, opts);
    let analyze = |bytes| review_file(&candidate.rel, bytes);
    match cache {
        Some(cache) => cache.look_up(candidate, read, analyze),
        None => cache::Looked {
            outcome: analyze(read()),
            entry: None,
            hit: false,
        },
    }
}

/// Files prepared in parallel at a time (bounds the texts and syntax trees
/// alive at once).
const CHUNK_FILES: usize = 64;

thread_local! {
    /// Each worker thread keeps its own tree-sitter parsers.
    static PARSERS: std::cell::RefCell<syntax::Parsers> =
        std::cell::RefCell::new(syntax::Parsers::default());
}

/// Reads one file: parses it and runs every rule over it, recording in
/// `facts` what the project-wide checks need. Returns its finding drafts.
fn analyze_file(
    path: &str,
    text: &str,
    facts: &mut ProjectFacts,
    skipped: &mut Vec<SkippedFile>,
) -> Vec<findings::Draft> {
    let language = Language::of_path(path);
    *facts.coverage.text.entry(language).or_insert(0) += 1;
    if manifests::is_manifest(path) {
        facts.manifests.push(path.to_string());
        facts
            .database_packages
            .extend(manifests::database_packages(path, text));
        if file_kinds::file_name(path) == "package.json" {
            if let Some((script, line)) = manifests::npm_test_script(text) {
                facts.npm_test_scripts.push(crate::model::Evidence {
                    path: path.to_string(),
                    line: Some(line),
                    note: format!("test script `{}`", snippet::truncate(&script)),
                });
            }
        }
    }
    facts.route_map.observe_text(path, text);
    if file_kinds::is_test_file(path)
        && facts.test_text_bytes + text.len() <= facts::MAX_TEST_TEXT_BYTES
    {
        facts.test_text_bytes += text.len();
        facts.test_texts.push((path.to_string(), text.to_string()));
    }

    // Declaration files are read as text: their secrets and practice
    // signals still count, but there is no code in them for the syntax rules.
    let grammar = Grammar::of_path(path).filter(|_| !file_kinds::is_type_declaration(path));
    let Some(grammar) = grammar else {
        sec_api::scan_file(
            path,
            text,
            None,
            manifests::is_manifest(path),
            &mut facts.sec_api,
        );
        let mut drafts = secrets::scan_file(path, text, None);
        drafts.extend(design::analyze_text(path, text, &mut facts.design));
        return drafts;
    };
    let Some(tree) = PARSERS.with(|p| p.borrow_mut().parse(grammar, text)) else {
        skipped.push(SkippedFile {
            path: path.to_string(),
            reason: "could not be parsed in time; only the text checks ran".to_string(),
        });
        return secrets::scan_file(path, text, None);
    };
    let parsed = syntax::ParsedFile::new(path, text, grammar, &tree);
    let sql = sqli::scan(&parsed);
    let routes = if file_kinds::is_test_or_fixture_path(path) {
        Vec::new()
    } else {
        routes::collect(&parsed)
    };
    let secret_drafts = secrets::scan_file(path, text, Some(&parsed));
    // Counts the files the SQL rules read (every parsed source file).
    if let Some(language) = language {
        *facts.coverage.parsed.entry(language).or_insert(0) += 1;
    }
    for line in sql.sql_lines.iter().take(5) {
        if facts.sql_strings.len() < facts::MAX_SQL_STRINGS {
            facts.sql_strings.push(crate::model::Evidence {
                path: path.to_string(),
                line: Some(*line),
                note: "SQL string literal".to_string(),
            });
        }
    }
    facts.routes.extend(routes);
    facts
        .route_map
        .observe_parsed(&parsed, file_kinds::is_test_or_fixture_path(path));
    let mut drafts = sql.drafts;
    drafts.extend(sec_api::scan_file(
        path,
        text,
        Some(&parsed),
        manifests::is_manifest(path),
        &mut facts.sec_api,
    ));
    drafts.extend(secret_drafts);
    drafts.extend(design::analyze(&parsed, &mut facts.design));
    drafts
}
