//! Parsing what people type to name a GitHub repository: `owner/repo`,
//! `https://github.com/owner/repo(.git)(/tree/main/...)`, `github.com/owner/repo`,
//! `git@github.com:owner/repo.git`, `ssh://git@github.com/owner/repo.git`.

/// A repository's owner and name, validated against GitHub's naming rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoName {
    pub owner: String,
    pub repo: String,
}

impl RepoName {
    /// `owner/repo`, as stored in `projects.source`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.repo)
    }
}

/// Whether the input looks like a GitHub reference rather than a local path.
pub fn looks_like_github(input: &str) -> bool {
    let s = input.trim();
    if s.starts_with('/') || s.starts_with('.') || s.starts_with('~') || s.is_empty() {
        return false;
    }
    s.contains("github.com") || s.starts_with("git@") || s.split('/').count() == 2
}

/// Parses any accepted form; the error is a message for the form.
pub fn parse_repo_reference(input: &str) -> Result<RepoName, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("Enter a path on the server, owner/repo, or a GitHub URL.".into());
    }
    let rest = if let Some(r) = s.strip_prefix("git@github.com:") {
        r
    } else if let Some(idx) = s.find("github.com") {
        let before = &s[..idx];
        let valid_prefix = matches!(
            before,
            "" | "https://"
                | "http://"
                | "ssh://git@"
                | "git://"
                | "https://www."
                | "http://www."
                | "www."
        );
        if !valid_prefix {
            return Err(format!("{s:?} is not a GitHub repository URL."));
        }
        let after = &s[idx + "github.com".len()..];
        after
            .strip_prefix('/')
            .or_else(|| after.strip_prefix(':'))
            .ok_or_else(|| format!("{s:?} is not a GitHub repository URL."))?
    } else if s.contains("://") || s.contains('@') {
        return Err(format!(
            "{s:?} is not on github.com: only GitHub repositories and local paths can be added."
        ));
    } else {
        s
    };
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let owner = parts.next().unwrap_or_default();
    let repo = parts.next().unwrap_or_default();
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    // Plain `owner/repo` must be exactly two parts; URLs may go on (/tree/main, /pull/3).
    if !s.contains("github.com") && !s.starts_with("git@") && parts.next().is_some() {
        return Err(format!(
            "{s:?} is neither owner/repo nor a GitHub URL (a local path must be absolute)."
        ));
    }
    if owner.is_empty() || repo.is_empty() {
        return Err(format!(
            "{s:?} does not name a repository: write owner/repo, e.g. rust-lang/cargo."
        ));
    }
    if !valid_owner(owner) {
        return Err(format!(
            "{owner:?} is not a valid GitHub owner name (letters, digits and single hyphens, at most 39)."
        ));
    }
    if !valid_repo(repo) {
        return Err(format!(
            "{repo:?} is not a valid GitHub repository name (letters, digits, '.', '-', '_', at most 100)."
        ));
    }
    Ok(RepoName {
        owner: owner.to_string(),
        repo: repo.to_string(),
    })
}

/// Validates an organisation or user name (or its github.com URL).
pub fn parse_owner(input: &str) -> Result<String, String> {
    let s = input.trim().trim_end_matches('/');
    let s = s
        .rsplit_once("github.com/")
        .map(|(_, rest)| rest)
        .unwrap_or(s);
    if s.is_empty() || !valid_owner(s) {
        return Err(format!(
            "{input:?} is not a GitHub organisation or user name (letters, digits and single hyphens)."
        ));
    }
    Ok(s.to_string())
}

fn valid_owner(s: &str) -> bool {
    s.len() <= 39
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn valid_repo(s: &str) -> bool {
    s.len() <= 100
        && s != "."
        && s != ".."
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        parse_repo_reference(input)
            .unwrap_or_else(|e| panic!("{input}: {e}"))
            .full_name()
    }

    #[test]
    fn every_url_form_names_the_same_repository() {
        for input in [
            "octo-org/hello_world.rs",
            " octo-org/hello_world.rs ",
            "https://github.com/octo-org/hello_world.rs",
            "https://github.com/octo-org/hello_world.rs.git",
            "https://github.com/octo-org/hello_world.rs/",
            "https://github.com/octo-org/hello_world.rs/tree/main/src",
            "https://github.com/octo-org/hello_world.rs/pull/3?x=1#y",
            "http://www.github.com/octo-org/hello_world.rs",
            "github.com/octo-org/hello_world.rs",
            "git@github.com:octo-org/hello_world.rs.git",
            "ssh://git@github.com/octo-org/hello_world.rs.git",
        ] {
            assert_eq!(ok(input), "octo-org/hello_world.rs", "{input}");
        }
    }

    #[test]
    fn wrong_names_get_a_message() {
        for input in [
            "",
            "octocat",
            "octo/cat/extra",
            "-bad/repo",
            "a--b/repo",
            "owner/re po",
            "owner/..",
            "https://gitlab.com/owner/repo",
            "https://evilgithub.com/owner/repo",
            "https://github.com/owner",
            "https://github.com.evil.example/owner/repo",
        ] {
            assert!(parse_repo_reference(input).is_err(), "{input:?} accepted");
        }
    }

    #[test]
    fn owners_by_name_or_url() {
        assert_eq!(parse_owner("acme").unwrap(), "acme");
        assert_eq!(parse_owner("https://github.com/acme/").unwrap(), "acme");
        assert!(parse_owner("acme/api").is_err());
        assert!(parse_owner("").is_err());
        assert!(parse_owner("bad name").is_err());
    }

    #[test]
    fn local_paths_are_not_taken_for_github() {
        assert!(!looks_like_github("/srv/repos/api"));
        assert!(!looks_like_github("./api"));
        assert!(looks_like_github("octocat/hello-world"));
        assert!(looks_like_github("https://github.com/o/r"));
        assert!(looks_like_github("git@github.com:o/r.git"));
    }
}
