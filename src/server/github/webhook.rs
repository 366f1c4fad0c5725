//! What a webhook delivery asks backlens to do, read from GitHub's payloads
//! (`push`, `pull_request`, `ping`); everything else is accepted and ignored.

use serde::Deserialize;

/// The action a delivery calls for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookAction {
    Ping,
    /// Review `commit` of repository `repo` (`owner/repo`).
    Review(ReviewRequest),
    /// Accepted, nothing to do; the reason is logged and recorded.
    Ignore(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewRequest {
    pub repo: String,
    pub commit: String,
    pub pull_request: Option<i64>,
    pub base_sha: Option<String>,
    /// "push to main" or "pull request #3".
    pub trigger: String,
}

impl ReviewRequest {
    /// The job payload (`jobs.payload`).
    pub fn payload(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "commit": self.commit,
            "trigger": self.trigger,
        });
        if let Some(pr) = self.pull_request {
            v["pull_request"] = pr.into();
        }
        if let Some(base) = &self.base_sha {
            v["base_sha"] = base.clone().into();
        }
        v
    }
}

#[derive(Deserialize)]
struct Repository {
    full_name: String,
    default_branch: Option<String>,
}

#[derive(Deserialize)]
struct Push {
    #[serde(rename = "ref")]
    git_ref: String,
    after: String,
    #[serde(default)]
    deleted: bool,
    repository: Repository,
}

#[derive(Deserialize)]
struct Commitish {
    sha: String,
}

#[derive(Deserialize)]
struct PullRequest {
    head: Commitish,
    base: Commitish,
}

#[derive(Deserialize)]
struct PullRequestEvent {
    action: String,
    number: i64,
    pull_request: PullRequest,
    repository: Repository,
}

/// Reads a delivery. `Err` is a malformed body (a 400), with the reason.
pub fn interpret(event: &str, body: &[u8]) -> Result<WebhookAction, String> {
    // Malformed JSON is a 400 whatever the event.
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    if !value.is_object() {
        return Err("the body is not a JSON object".into());
    }
    match event {
        "ping" => Ok(WebhookAction::Ping),
        "push" => {
            let push: Push =
                serde_json::from_value(value).map_err(|e| format!("not a push payload: {e}"))?;
            let default = push.repository.default_branch.as_deref().unwrap_or("main");
            if push.git_ref != format!("refs/heads/{default}") {
                return Ok(WebhookAction::Ignore(format!(
                    "push to {}, not to the default branch {default}",
                    push.git_ref
                )));
            }
            if push.deleted
                || !super::is_commit_sha(&push.after)
                || push.after.bytes().all(|b| b == b'0')
            {
                return Ok(WebhookAction::Ignore("the branch was deleted".into()));
            }
            Ok(WebhookAction::Review(ReviewRequest {
                repo: push.repository.full_name,
                commit: push.after.to_ascii_lowercase(),
                pull_request: None,
                base_sha: None,
                trigger: format!("push to {default}"),
            }))
        }
        "pull_request" => {
            let pr: PullRequestEvent = serde_json::from_value(value)
                .map_err(|e| format!("not a pull_request payload: {e}"))?;
            if !matches!(pr.action.as_str(), "opened" | "synchronize" | "reopened") {
                return Ok(WebhookAction::Ignore(format!(
                    "pull request action {:?}",
                    pr.action
                )));
            }
            let (head, base) = (pr.pull_request.head.sha, pr.pull_request.base.sha);
            if !super::is_commit_sha(&head) || !super::is_commit_sha(&base) {
                return Err("the pull request's head or base is not a commit SHA".into());
            }
            Ok(WebhookAction::Review(ReviewRequest {
                repo: pr.repository.full_name,
                commit: head.to_ascii_lowercase(),
                pull_request: Some(pr.number),
                base_sha: Some(base.to_ascii_lowercase()),
                trigger: format!("pull request #{}", pr.number),
            }))
        }
        other => Ok(WebhookAction::Ignore(format!(
            "event {other:?} is not used"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/github/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|_| panic!("{path}"))
    }

    #[test]
    fn githubs_example_payloads() {
        assert_eq!(
            interpret("ping", &example("ping.json")),
            Ok(WebhookAction::Ping)
        );
        // The example push is a deleted tag: ignored.
        assert!(matches!(
            interpret("push", &example("push.json")),
            Ok(WebhookAction::Ignore(_))
        ));
        for action in ["opened", "synchronize", "reopened"] {
            let got = interpret(
                "pull_request",
                &example(&format!("pull_request.{action}.json")),
            )
            .unwrap();
            let WebhookAction::Review(r) = got else {
                panic!("{action}: {got:?}")
            };
            assert_eq!(r.repo, "Codertocat/Hello-World");
            assert_eq!(r.commit, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
            assert_eq!(
                r.base_sha.as_deref(),
                Some("f95f852bd8fca8fcc58a9a2d6c842781e32a215e")
            );
            assert_eq!(r.pull_request, Some(2));
        }
        assert!(matches!(
            interpret("pull_request", &example("pull_request.closed.json")),
            Ok(WebhookAction::Ignore(_))
        ));
        assert!(matches!(
            interpret("check_run", &example("check_run.rerequested.json")),
            Ok(WebhookAction::Ignore(_))
        ));
    }

    #[test]
    fn a_push_to_the_default_branch_is_reviewed() {
        let body = serde_json::json!({
            "ref": "refs/heads/main", "after": "a".repeat(40), "deleted": false,
            "repository": {"full_name": "o/r", "default_branch": "main"}
        });
        let got = interpret("push", body.to_string().as_bytes()).unwrap();
        let WebhookAction::Review(r) = got else {
            panic!("{got:?}")
        };
        assert_eq!(r.commit, "a".repeat(40));
        assert_eq!(r.trigger, "push to main");
        assert_eq!(r.payload()["commit"], "a".repeat(40));
    }

    #[test]
    fn malformed_bodies_are_errors() {
        assert!(interpret("push", b"{not json").is_err());
        assert!(interpret("ping", b"[1]").is_err());
        assert!(interpret("pull_request", br#"{"action":"opened"}"#).is_err());
        // Unknown events with a JSON body are fine.
        assert!(matches!(
            interpret("star", b"{}"),
            Ok(WebhookAction::Ignore(_))
        ));
    }
}
