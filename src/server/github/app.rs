//! GitHub App authentication: an RS256 app JWT signed with the App's private
//! key (PKCS#1 `RSA PRIVATE KEY`, as GitHub hands it out, or PKCS#8), and the
//! installation tokens it is exchanged for. Installation tokens live in this
//! process's memory only (never the database, never a log line) and are
//! refreshed [`REFRESH_BEFORE_SECS`] before GitHub's `expires_at`.

use super::settings::{GitHubSettings, Secret};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// An installation token is replaced this long before it expires.
pub const REFRESH_BEFORE_SECS: i64 = 300;
/// The app JWT's `iat` is backdated this much against clock drift.
pub const JWT_BACKDATE_SECS: i64 = 60;
/// The app JWT's lifetime from its `iat` (GitHub allows at most 10 minutes).
pub const JWT_LIFETIME_SECS: i64 = 540;

/// The App's id and private key.
pub struct AppKey {
    pub app_id: u64,
    key: RsaKeyPair,
}

impl std::fmt::Debug for AppKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AppKey {{ app_id: {}, key: *** }}", self.app_id)
    }
}

impl AppKey {
    /// Parses a PEM private key (PKCS#1 or PKCS#8 RSA).
    pub fn from_pem(app_id: u64, pem: &str) -> Result<AppKey, String> {
        let (label, der) = pem_body(pem)?;
        let key = match label.as_str() {
            "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
            "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
            other => {
                return Err(format!(
                    "it holds a {other:?} block, not an RSA private key (\"RSA PRIVATE KEY\" or \"PRIVATE KEY\")"
                ))
            }
        }
        .map_err(|e| format!("it is not a usable RSA private key ({e})"))?;
        Ok(AppKey { app_id, key })
    }

    /// The App's JWT at unix time `now`: `iat` = now - 60 s, `exp` = iat + 9 min.
    pub fn jwt(&self, now: i64) -> Result<String, String> {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let iat = now - JWT_BACKDATE_SECS;
        let claims = serde_json::json!({
            "iat": iat,
            "exp": iat + JWT_LIFETIME_SECS,
            "iss": self.app_id.to_string(),
        });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{claims}");
        let mut signature = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "cannot sign the GitHub App JWT".to_string())?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }
}

/// The label and DER bytes of the first PEM block.
fn pem_body(pem: &str) -> Result<(String, Vec<u8>), String> {
    let start = pem
        .find("-----BEGIN ")
        .ok_or("it is not a PEM file (no \"-----BEGIN\" line)")?;
    let rest = &pem[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----").ok_or("its BEGIN line is malformed")?;
    let label = rest[..label_end].to_string();
    let body = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = body
        .find(&end_marker)
        .ok_or_else(|| format!("its {label:?} block has no END line"))?;
    let b64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| format!("its {label:?} block is not valid base64 ({e})"))?;
    Ok((label, der))
}

/// Loads the App key named by the settings: `None` without an App id,
/// an error in words when the App is half-configured or the key unusable.
pub fn load(settings: &GitHubSettings) -> Result<Option<Arc<AppKey>>, String> {
    let (id, file) = match (
        settings.github_app_id,
        settings.github_app_private_key_file.as_ref(),
    ) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(
                "BACKLENS_GITHUB_APP_ID is set but BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE is not"
                    .into(),
            )
        }
        (None, Some(_)) => {
            return Err(
                "BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE is set but BACKLENS_GITHUB_APP_ID is not"
                    .into(),
            )
        }
        (Some(id), Some(file)) => (id, file),
    };
    let pem = std::fs::read_to_string(file).map_err(|e| {
        format!(
            "cannot read the GitHub App private key {} (BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE): {e}",
            file.display()
        )
    })?;
    AppKey::from_pem(id, &pem)
        .map(|k| Some(Arc::new(k)))
        .map_err(|e| {
            format!(
                "the GitHub App private key {} (BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE) cannot be used: {e}",
                file.display()
            )
        })
}

/// One installation token and when GitHub says it expires (unix time).
#[derive(Clone)]
pub struct CachedToken {
    pub token: Secret,
    pub expires_at: i64,
}

/// Cache key: API address, App id, repository (lower case).
type Key = (String, u64, String);

fn cache() -> &'static Mutex<HashMap<Key, CachedToken>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, CachedToken>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn key(api_url: &str, app_id: u64, repo: &str) -> Key {
    (api_url.to_string(), app_id, repo.to_ascii_lowercase())
}

/// The cached token for a repository while it is not within the refresh window.
pub fn cached_token(api_url: &str, app_id: u64, repo: &str, now: i64) -> Option<Secret> {
    let cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    cache
        .get(&key(api_url, app_id, repo))
        .filter(|t| t.expires_at - now > REFRESH_BEFORE_SECS)
        .map(|t| t.token.clone())
}

pub fn store_token(api_url: &str, app_id: u64, repo: &str, token: CachedToken) {
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    cache.insert(key(api_url, app_id, repo), token);
}

/// Forgets a repository's token (after GitHub refused it).
pub fn forget_token(api_url: &str, app_id: u64, repo: &str) {
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    cache.remove(&key(api_url, app_id, repo));
}

/// For /settings: (repository, expires_at) of every cached token of this App.
pub fn token_expiries(api_url: &str, app_id: u64) -> Vec<(String, i64)> {
    let cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    let mut out: Vec<(String, i64)> = cache
        .iter()
        .filter(|((url, id, _), _)| url == api_url && *id == app_id)
        .map(|((_, _, repo), t)| (repo.clone(), t.expires_at))
        .collect();
    out.sort();
    out
}

/// Parses GitHub's `expires_at` (`2016-07-11T22:14:10Z`) to unix time.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let offset = match &s[19..] {
        "Z" => 0,
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) => {
            let oh: i64 = tz.get(1..3)?.parse().ok()?;
            let om: i64 = tz.get(4..6)?.parse().ok()?;
            let o = oh * 3600 + om * 60;
            if tz.starts_with('+') {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = crate::model::week::days_from_civil(y, mo, d);
    Some(days * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// `YYYY-MM-DD HH:MM UTC` of a unix time.
pub fn format_utc(t: i64) -> String {
    let (y, m, d) = crate::model::week::civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        s / 3600,
        s % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_timestamps_parse_to_unix_time() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp("2016-07-11T22:14:10Z"), Some(1_468_275_250));
        assert_eq!(
            parse_timestamp("2016-07-12T00:14:10+02:00"),
            Some(1_468_275_250)
        );
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2016-13-11T22:14:10Z"), None);
        assert_eq!(format_utc(1_468_275_250), "2016-07-11 22:14 UTC");
    }

    #[test]
    fn a_file_that_is_not_a_key_is_refused_in_words() {
        let e = AppKey::from_pem(1, "hello").unwrap_err();
        assert!(e.contains("not a PEM file"), "{e}");
        let e = AppKey::from_pem(
            1,
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        )
        .unwrap_err();
        assert!(e.contains("not an RSA private key"), "{e}");
        let e = AppKey::from_pem(
            1,
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
        )
        .unwrap_err();
        assert!(e.contains("not a usable RSA private key"), "{e}");
    }

    #[test]
    fn a_token_is_reused_until_the_refresh_window() {
        let url = "http://cache-test.invalid";
        store_token(
            url,
            7,
            "O/R",
            CachedToken {
                token: Secret::new("t1"),
                expires_at: 10_000,
            },
        );
        assert!(cached_token(url, 7, "o/r", 10_000 - REFRESH_BEFORE_SECS - 1).is_some());
        assert!(cached_token(url, 7, "o/r", 10_000 - REFRESH_BEFORE_SECS).is_none());
        assert!(cached_token(url, 8, "o/r", 0).is_none());
        assert_eq!(token_expiries(url, 7), vec![("o/r".to_string(), 10_000)]);
        forget_token(url, 7, "o/r");
        assert!(cached_token(url, 7, "o/r", 0).is_none());
    }
}
