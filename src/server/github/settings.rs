//! GitHub settings: API address, credentials, webhook secret, public URL.
//! Secrets are kept in [`Secret`], whose `Debug` never shows the value, so
//! logging the settings cannot leak them; nothing here is sent to the browser
//! or written to the database.

use clap::Args;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// A secret value; `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself: only for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl FromStr for Secret {
    type Err = String;
    fn from_str(s: &str) -> Result<Secret, String> {
        Ok(Secret(s.to_string()))
    }
}

/// The GitHub part of `backlens serve`'s settings. Every field is optional:
/// without them backlens reads public repositories anonymously and refuses
/// webhooks.
#[derive(Clone, Debug, Default, Args)]
pub struct GitHubSettings {
    /// GitHub REST API address (GitHub Enterprise or a test fake).
    #[arg(
        long,
        env = "BACKLENS_GITHUB_API_URL",
        default_value = "https://api.github.com"
    )]
    pub github_api_url: String,

    /// Personal access token for the API (read repositories, write commit statuses).
    #[arg(long, env = "BACKLENS_GITHUB_TOKEN", hide_env_values = true)]
    pub github_token: Option<Secret>,

    /// GitHub App id (with BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE).
    #[arg(long, env = "BACKLENS_GITHUB_APP_ID")]
    pub github_app_id: Option<u64>,

    /// PEM file of the GitHub App's private key.
    #[arg(long, env = "BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE")]
    pub github_app_private_key_file: Option<PathBuf>,

    /// Secret of the GitHub webhook (X-Hub-Signature-256); webhooks are refused without it.
    #[arg(long, env = "BACKLENS_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<Secret>,

    /// The dashboard's public address, for links posted to GitHub (e.g. https://backlens.example.com).
    #[arg(long, env = "BACKLENS_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl GitHubSettings {
    /// Settings pointing at `api_url` with everything else unset.
    pub fn with_api_url(api_url: &str) -> GitHubSettings {
        GitHubSettings {
            github_api_url: api_url.to_string(),
            ..GitHubSettings::default()
        }
    }

    /// The API address; the default when empty.
    pub fn api_url(&self) -> &str {
        if self.github_api_url.trim().is_empty() {
            "https://api.github.com"
        } else {
            self.github_api_url.trim_end_matches('/')
        }
    }

    /// The public URL without a trailing slash, when set.
    pub fn public_url(&self) -> Option<&str> {
        self.public_url
            .as_deref()
            .map(|u| u.trim().trim_end_matches('/'))
            .filter(|u| !u.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let s = GitHubSettings {
            github_token: Some(Secret::new("ghp_supersecret")),
            webhook_secret: Some(Secret::new("hook-secret")),
            ..GitHubSettings::default()
        };
        let printed = format!("{s:?}");
        assert!(!printed.contains("supersecret"), "{printed}");
        assert!(!printed.contains("hook-secret"), "{printed}");
        assert!(printed.contains("***"));
    }

    #[test]
    fn urls_lose_trailing_slashes() {
        let mut s = GitHubSettings::with_api_url("http://127.0.0.1:9/");
        s.public_url = Some("https://backlens.example/ ".into());
        assert_eq!(s.api_url(), "http://127.0.0.1:9");
        assert_eq!(s.public_url(), Some("https://backlens.example"));
        assert_eq!(
            GitHubSettings::default().api_url(),
            "https://api.github.com"
        );
    }
}
