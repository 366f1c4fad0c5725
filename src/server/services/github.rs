//! GitHub use cases: adding a repository, reading webhook deliveries into
//! queued reviews, one review's page compared with its base, the quality
//! gate, the settings page.

use super::ServiceError;
use crate::model::github::{
    evaluate_gate, is_high, Comparison, GitHubProjectSettings, ImportResult, OwnerRepos,
    PostedStatus, QualityGate, RepoChoice, ReviewPageData, SettingState, SettingsPageData,
    REVIEW_SCHEDULES,
};
use crate::model::views::{AddProjectOutcome, FindingView, ReviewView};
use crate::model::Grade;
use crate::server::db::{github as store, projects, reviews};
use crate::server::github::settings::GitHubSettings;
use crate::server::github::webhook::{interpret, WebhookAction};
use crate::server::github::{parse_repo_reference, signature, GitHubApi, GitHubError};
use crate::server::now;
use sqlx::SqlitePool;
use std::collections::HashSet;

/// Registers `owner/repo` (any URL form) after asking GitHub about it, and
/// queues its first review. Every problem is a `Rejected` message; nothing is
/// stored then.
#[tracing::instrument(skip(pool, api))]
pub async fn add_github_project(
    pool: &SqlitePool,
    api: &dyn GitHubApi,
    input: &str,
    max_attempts: i64,
) -> Result<AddProjectOutcome, ServiceError> {
    let rejected = |message: String| Ok(AddProjectOutcome::Rejected { message });
    let name = match parse_repo_reference(input) {
        Ok(n) => n,
        Err(message) => return rejected(message),
    };
    if let Some(existing) = store::find_github_project(pool, &name.full_name()).await? {
        return rejected(format!(
            "{} is already in the portfolio (project #{}).",
            existing.full_name, existing.project_id
        ));
    }
    let repo = match api.repository(&name).await {
        Ok(r) => r,
        Err(GitHubError::NotFound(_)) => {
            return rejected(format!(
                "GitHub has no repository {} that backlens can see: check the spelling, or — if it is private — \
                 give backlens access (BACKLENS_GITHUB_TOKEN with read access to it).",
                name.full_name()
            ))
        }
        Err(e) => return rejected(format!("Could not ask GitHub about {}: {e}.", name.full_name())),
    };
    if repo.archived {
        return rejected(format!(
            "{} is archived on GitHub: it no longer changes, so there is nothing to follow. Unarchive it first.",
            repo.full_name
        ));
    }
    if repo.empty {
        return rejected(format!(
            "{} is empty on GitHub (no commits yet): push a first commit, then add it.",
            repo.full_name
        ));
    }
    match store::insert_github_project(
        pool,
        &repo.full_name,
        &repo.default_branch,
        &repo.html_url,
        repo.private,
        repo.archived,
        max_attempts,
        now(),
    )
    .await?
    {
        Some((id, job_id)) => {
            tracing::info!(project_id = id, job_id, repo = %repo.full_name, "GitHub project added, review queued");
            Ok(AddProjectOutcome::Added {
                id,
                name: repo.full_name,
            })
        }
        None => rejected(format!("{} is already in the portfolio.", repo.full_name)),
    }
}

/// What to answer a webhook delivery.
#[derive(Debug, PartialEq, Eq)]
pub enum WebhookReply {
    /// 401: no secret configured, or the signature is missing or wrong.
    Unauthorized(&'static str),
    /// 400: a required header is missing or the body is not a valid payload.
    BadRequest(String),
    /// 200 to a ping.
    Pong,
    /// 202: accepted; a job when one was queued.
    Accepted { job_id: Option<i64>, note: String },
    /// 202: a redelivery of a delivery already handled.
    Duplicate,
}

/// A webhook delivery's headers and raw body.
pub struct Delivery<'a> {
    pub event: Option<&'a str>,
    pub delivery_id: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub body: &'a [u8],
}

/// Verifies, deduplicates and turns a delivery into a queued review. Does no
/// network I/O, so it answers in milliseconds.
#[tracing::instrument(skip_all, fields(event = d.event, delivery = d.delivery_id))]
pub async fn handle_webhook(
    pool: &SqlitePool,
    settings: &GitHubSettings,
    d: Delivery<'_>,
    max_attempts: i64,
) -> Result<WebhookReply, ServiceError> {
    let Some(secret) = &settings.webhook_secret else {
        tracing::warn!("webhook refused: BACKLENS_WEBHOOK_SECRET is not set");
        return Ok(WebhookReply::Unauthorized(
            "webhooks are refused: backlens has no webhook secret configured",
        ));
    };
    if !signature::verify(secret.expose().as_bytes(), d.body, d.signature) {
        tracing::warn!("webhook refused: missing or wrong X-Hub-Signature-256");
        return Ok(WebhookReply::Unauthorized(
            "missing or wrong X-Hub-Signature-256",
        ));
    }
    let Some(event) = d.event.filter(|e| !e.is_empty()) else {
        return Ok(WebhookReply::BadRequest("missing X-GitHub-Event".into()));
    };
    let Some(delivery_id) = d.delivery_id.filter(|e| !e.is_empty() && e.len() <= 100) else {
        return Ok(WebhookReply::BadRequest("missing X-GitHub-Delivery".into()));
    };
    let action = match interpret(event, d.body) {
        Ok(a) => a,
        Err(reason) => return Ok(WebhookReply::BadRequest(reason)),
    };
    let (outcome, job) = match &action {
        WebhookAction::Ping => ("ping".to_string(), None),
        WebhookAction::Ignore(reason) => (format!("ignored: {reason}"), None),
        WebhookAction::Review(request) => {
            match store::find_github_project(pool, &request.repo).await? {
                Some(project) => (
                    format!("queued: {}", request.trigger),
                    Some((project.project_id, request.payload())),
                ),
                None => (
                    format!("ignored: {} is not in the portfolio", request.repo),
                    None,
                ),
            }
        }
    };
    let accepted = store::accept_delivery(
        pool,
        delivery_id,
        event,
        &outcome,
        job.as_ref().map(|(p, payload)| (*p, payload, max_attempts)),
        now(),
    )
    .await?;
    let Some(job_id) = accepted else {
        tracing::info!("redelivery ignored");
        return Ok(WebhookReply::Duplicate);
    };
    tracing::info!(?job_id, %outcome, "webhook accepted");
    Ok(match action {
        WebhookAction::Ping => WebhookReply::Pong,
        _ => WebhookReply::Accepted {
            job_id,
            note: outcome,
        },
    })
}

/// Compares a review with a base review by finding fingerprints.
pub fn compare(against: String, head: &ReviewView, base: &ReviewView) -> Comparison {
    let base_keys: HashSet<&str> = base
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let head_keys: HashSet<&str> = head
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let (mut new, mut unchanged) = (Vec::new(), Vec::new());
    for f in &head.findings {
        if base_keys.contains(f.fingerprint.as_str()) {
            unchanged.push(f.clone());
        } else {
            new.push(f.clone());
        }
    }
    let fixed: Vec<FindingView> = base
        .findings
        .iter()
        .filter(|f| !head_keys.contains(f.fingerprint.as_str()))
        .cloned()
        .collect();
    Comparison {
        against,
        base_review_id: base.id,
        base_commit: base.commit_sha.clone(),
        base_grade: base.grade,
        base_score: base.score,
        score_delta: head.score - base.score,
        new,
        fixed,
        unchanged,
    }
}

/// New open critical/high findings and fixed findings of a comparison.
pub fn gate_counts(c: Option<&Comparison>, head: &ReviewView) -> (i64, i64) {
    match c {
        Some(c) => (
            c.new
                .iter()
                .filter(|f| f.suppressed.is_none() && is_high(f.severity))
                .count() as i64,
            c.fixed.iter().filter(|f| f.suppressed.is_none()).count() as i64,
        ),
        // No base: every open high finding is new.
        None => (
            head.findings
                .iter()
                .filter(|f| f.suppressed.is_none() && is_high(f.severity))
                .count() as i64,
            0,
        ),
    }
}

/// One review's page: the scorecard, and what it changed against its base
/// (a PR's base commit, else the previous review). `None` when the review is
/// not one of the project's.
pub async fn review_page(
    pool: &SqlitePool,
    project_id: i64,
    review_id: i64,
) -> Result<Option<ReviewPageData>, ServiceError> {
    let Some(project) = projects::get_project(pool, project_id).await? else {
        return Ok(None);
    };
    let Some((owner, job_id)) = store::review_owner(pool, review_id).await? else {
        return Ok(None);
    };
    if owner != project_id {
        return Ok(None);
    }
    let Some(review) = reviews::review_view(pool, review_id).await? else {
        return Ok(None);
    };
    let payload = store::job_payload(pool, job_id).await?;
    let pull_request = payload
        .as_ref()
        .and_then(|p| p.get("pull_request"))
        .and_then(|v| v.as_i64());
    let base_sha = payload
        .as_ref()
        .and_then(|p| p.get("base_sha"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let trigger = payload
        .as_ref()
        .and_then(|p| p.get("trigger"))
        .and_then(|v| v.as_str())
        .unwrap_or("manual")
        .to_string();
    let (comparison, base_missing) =
        comparison_for(pool, project_id, &review, pull_request, base_sha.as_deref()).await?;
    let gate = store::quality_gate(pool, project_id).await?;
    let (new_high, fixed) = gate_counts(comparison.as_ref(), &review);
    let gate_result = evaluate_gate(&gate, review.grade, review.score, new_high, fixed);
    let status =
        store::status_of_review(pool, review_id)
            .await?
            .map(|(state, description, error)| PostedStatus {
                state,
                description,
                error,
            });
    let repo_url = store::repository_of_project(pool, project_id)
        .await?
        .map(|r| r.html_url);
    Ok(Some(ReviewPageData {
        now: now(),
        project,
        repo_url,
        review,
        pull_request,
        trigger,
        comparison,
        base_missing,
        gate,
        gate_result,
        status,
        scoring_explanation: crate::server::review::scoring_explanation().to_string(),
    }))
}

/// The comparison a review is judged by: against the PR's base commit when
/// it was a PR review, else against the project's previous review.
pub async fn comparison_for(
    pool: &SqlitePool,
    project_id: i64,
    review: &ReviewView,
    pull_request: Option<i64>,
    base_sha: Option<&str>,
) -> Result<(Option<Comparison>, Option<String>), ServiceError> {
    if let Some(base_sha) = base_sha {
        let label = match pull_request {
            Some(n) => format!("the base of pull request #{n}"),
            None => "its base commit".to_string(),
        };
        return Ok(
            match store::review_at_commit(pool, project_id, base_sha).await? {
                Some(base_id) => match reviews::review_view(pool, base_id).await? {
                    Some(base) => (Some(compare(label, review, &base)), None),
                    None => (None, Some(base_sha.to_string())),
                },
                None => (None, Some(base_sha.to_string())),
            },
        );
    }
    Ok(
        match store::previous_review(pool, project_id, review.id).await? {
            Some(prev) => (
                reviews::review_view(pool, prev)
                    .await?
                    .map(|base| compare("the previous review".to_string(), review, &base)),
                None,
            ),
            None => (None, None),
        },
    )
}

pub async fn quality_gate(pool: &SqlitePool, project_id: i64) -> Result<QualityGate, ServiceError> {
    Ok(store::quality_gate(pool, project_id).await?)
}

/// Saves a project's gate. `Ok(false)` when the project does not exist.
pub async fn save_quality_gate(
    pool: &SqlitePool,
    project_id: i64,
    min_grade: &str,
    fail_on_new_high: bool,
) -> Result<Result<QualityGate, String>, ServiceError> {
    if projects::get_project(pool, project_id).await?.is_none() {
        return Ok(Err(format!("There is no project #{project_id}.")));
    }
    let Some(min_grade) = Grade::parse(min_grade) else {
        return Ok(Err(format!(
            "{min_grade:?} is not a grade (A, B, C, D or F)."
        )));
    };
    let gate = QualityGate {
        min_grade,
        fail_on_new_high,
    };
    store::save_quality_gate(pool, project_id, &gate).await?;
    Ok(Ok(gate))
}

/// A GitHub project's gate and schedule; `None` when it is not a GitHub project.
pub async fn project_settings(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<GitHubProjectSettings>, ServiceError> {
    let Some(review_every_hours) = store::review_schedule(pool, project_id).await? else {
        return Ok(None);
    };
    Ok(Some(GitHubProjectSettings {
        gate: store::quality_gate(pool, project_id).await?,
        review_every_hours,
    }))
}

/// Saves how often a GitHub project's default branch is re-reviewed.
pub async fn save_review_schedule(
    pool: &SqlitePool,
    project_id: i64,
    hours: i64,
) -> Result<Result<(), String>, ServiceError> {
    if !REVIEW_SCHEDULES.iter().any(|(h, _)| *h == hours) {
        return Ok(Err(format!(
            "{hours} hours is not one of the offered schedules."
        )));
    }
    if store::review_schedule(pool, project_id).await?.is_none() {
        return Ok(Err(format!(
            "Project #{project_id} is not a GitHub project."
        )));
    }
    store::set_review_schedule(pool, project_id, hours).await?;
    Ok(Ok(()))
}

/// The settings page: which GitHub settings are configured (never a secret's
/// value), the API budget and the ETag hit rate.
pub async fn settings_page(
    pool: &SqlitePool,
    settings: &GitHubSettings,
) -> Result<SettingsPageData, ServiceError> {
    let public = |variable: &str, value: Option<String>, meaning: &str| SettingState {
        variable: variable.to_string(),
        configured: value.is_some(),
        value,
        meaning: meaning.to_string(),
    };
    let secret = |variable: &str, set: bool, meaning: &str| SettingState {
        variable: variable.to_string(),
        configured: set,
        value: None,
        meaning: meaning.to_string(),
    };
    Ok(SettingsPageData {
        now: now(),
        settings: vec![
            public(
                "BACKLENS_GITHUB_API_URL",
                Some(settings.api_url().to_string()),
                "GitHub REST API address",
            ),
            secret(
                "BACKLENS_GITHUB_TOKEN",
                settings.github_token.is_some(),
                "personal access token (without it: public repositories only, 60 requests an hour)",
            ),
            public(
                "BACKLENS_GITHUB_APP_ID",
                settings.github_app_id.map(|id| id.to_string()),
                &app_auth_state(settings),
            ),
            secret(
                "BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE",
                settings.github_app_private_key_file.is_some(),
                "GitHub App private key file",
            ),
            secret(
                "BACKLENS_WEBHOOK_SECRET",
                settings.webhook_secret.is_some(),
                "webhook secret (without it every webhook is refused)",
            ),
            public(
                "BACKLENS_PUBLIC_URL",
                settings.public_url().map(str::to_string),
                "this dashboard's address, for links in commit statuses",
            ),
        ],
        budget: store::api_stats(pool).await?,
        deliveries: store::count_deliveries(pool).await?,
    })
}

/// What /settings says about GitHub App authentication: off, broken (why),
/// or working with the cached installation tokens' expiry (never a token).
fn app_auth_state(settings: &GitHubSettings) -> String {
    use crate::server::github::app;
    match app::load(settings) {
        Ok(None) => {
            "GitHub App id (not set: the personal token is used and results are commit statuses)"
                .to_string()
        }
        Err(e) => format!("GitHub App authentication is NOT working: {e}"),
        Ok(Some(key)) => {
            let tokens = app::token_expiries(settings.api_url(), key.app_id);
            let now = now();
            let valid: Vec<String> = tokens
                .iter()
                .filter(|(_, exp)| *exp > now)
                .map(|(repo, exp)| format!("{repo} until {}", app::format_utc(*exp)))
                .collect();
            let tokens = if valid.is_empty() {
                "no installation token yet (one is fetched at the first review)".to_string()
            } else {
                format!("installation token valid for {}", valid.join(", "))
            };
            format!(
                "GitHub App authentication is working (key loaded; results are check runs): {tokens}"
            )
        }
    }
}

/// The Add-project form and `backlens add`: a local path, or `owner/repo` /
/// a GitHub URL — whichever the input is, with that source's validation.
pub async fn add_from_input(
    pool: &SqlitePool,
    settings: &GitHubSettings,
    input: &str,
    max_attempts: i64,
) -> Result<AddProjectOutcome, ServiceError> {
    if !crate::server::github::looks_like_github(input) {
        return super::projects::add_local_project(pool, input, max_attempts).await;
    }
    let client = match crate::server::github::client::GitHubClient::new(settings, pool.clone()) {
        Ok(c) => c,
        Err(e) => {
            return Ok(AddProjectOutcome::Rejected {
                message: e.to_string(),
            })
        }
    };
    add_github_project(pool, &client, input, max_attempts).await
}

/// Every repository of an organisation or user, for the import list.
pub async fn owner_repositories(
    pool: &SqlitePool,
    api: &dyn GitHubApi,
    input: &str,
) -> Result<OwnerRepos, ServiceError> {
    let owner = match crate::server::github::parse_owner(input) {
        Ok(o) => o,
        Err(message) => return Ok(OwnerRepos::Rejected { message }),
    };
    let repos = match api.owner_repositories(&owner).await {
        Ok(r) => r,
        Err(GitHubError::NotFound(_)) => {
            return Ok(OwnerRepos::Rejected {
                message: format!("GitHub has no organisation or user {owner}."),
            })
        }
        Err(e) => {
            return Ok(OwnerRepos::Rejected {
                message: format!("Could not list the repositories of {owner}: {e}."),
            })
        }
    };
    let mut choices = Vec::with_capacity(repos.len());
    for r in repos {
        let already_added = store::find_github_project(pool, &r.full_name)
            .await?
            .is_some();
        choices.push(RepoChoice {
            full_name: r.full_name,
            description: r.description,
            language: r.language,
            archived: r.archived,
            private: r.private,
            empty: r.empty,
            pushed_at: r.pushed_at,
            already_added,
        });
    }
    Ok(OwnerRepos::Listed {
        owner,
        repos: choices,
    })
}

/// Adds each selected repository (one per line) like the Add-project form would.
pub async fn import_repositories(
    pool: &SqlitePool,
    api: &dyn GitHubApi,
    names: &str,
    max_attempts: i64,
) -> Result<ImportResult, ServiceError> {
    let mut out = Vec::new();
    for name in names
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .take(500)
    {
        let outcome = add_github_project(pool, api, name, max_attempts).await?;
        out.push((name.to_string(), outcome));
    }
    Ok(out)
}

/// The real client for the configured settings (a message when it cannot be built).
pub fn client(
    pool: &SqlitePool,
    settings: &GitHubSettings,
) -> Result<crate::server::github::client::GitHubClient, String> {
    crate::server::github::client::GitHubClient::new(settings, pool.clone())
        .map_err(|e| e.to_string())
}
