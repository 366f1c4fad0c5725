//! Known secret formats found by regular expression in any text file: vendor
//! tokens (GitHub, AWS, Slack, Stripe, Google), PEM private keys, JSON Web
//! Tokens, and database/broker connection strings with an inline password.

use regex::Regex;
use std::sync::OnceLock;

/// A known format matched on a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenMatch {
    /// What it is, for the message ("GitHub token").
    pub kind: &'static str,
    /// The secret part (the whole token, or the password of a URL).
    pub secret: String,
    /// Extra advice for this kind.
    pub advice: &'static str,
}

struct Pattern {
    kind: &'static str,
    regex: Regex,
    advice: &'static str,
}

const ROTATE: &str = "Revoke it now (it stays in the git history even after the file changes), issue a new one, and load it from the environment or a secret manager.";

fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let p = |kind, re: &str, advice| Pattern {
            kind,
            regex: Regex::new(re).expect("valid secret pattern"),
            advice,
        };
        vec![
            p("GitHub token", r"\b(gh[pousr]_[A-Za-z0-9]{36,255})\b", ROTATE),
            p("GitHub token", r"\b(github_pat_[A-Za-z0-9_]{22,255})\b", ROTATE),
            p("AWS access key id", r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b", ROTATE),
            p("Slack token", r"\b(xox[abprs]-[A-Za-z0-9-]{10,250})", ROTATE),
            p("Stripe live key", r"\b((?:sk|rk)_live_[A-Za-z0-9]{16,250})\b", ROTATE),
            p("Google API key", r"\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)", ROTATE),
            p(
                "JSON Web Token",
                r"\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})",
                "A signed token grants whatever it claims until it expires; treat it as a credential: remove it and create tokens at run time.",
            ),
        ]
    })
}

fn pem_header() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----").expect("valid")
    })
}

fn connection_string() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?)(?:\+[a-z0-9]+)?://([^:/?#@\s"'`]*):([^@/?#\s"'`]+)@[^/?#\s"'`]+"#,
        )
        .expect("valid")
    })
}

/// A quick test that rules most lines out before the full patterns run.
fn might_hold_a_secret(line: &str) -> bool {
    static QUICK: OnceLock<Regex> = OnceLock::new();
    QUICK
        .get_or_init(|| {
            Regex::new(
                r"gh[pousr]_|github_pat_|AKIA|ASIA|xox[abprs]-|_live_|AIza|eyJ|PRIVATE KEY|://",
            )
            .expect("valid")
        })
        .is_match(line)
}

/// The longest run of base64 characters in a text.
fn longest_base64_run(text: &str) -> usize {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// Every known secret on one line of text (`next_line` helps to tell a PEM
/// key from a mention of its header).
pub fn find_on_line(line: &str, next_line: Option<&str>, in_example_file: bool) -> Vec<TokenMatch> {
    let mut out = Vec::new();
    if !might_hold_a_secret(line) {
        return out;
    }
    for pattern in patterns() {
        for caps in pattern.regex.captures_iter(line) {
            let token = caps.get(1).map_or("", |m| m.as_str());
            if is_documented_dummy(token) {
                continue;
            }
            out.push(TokenMatch {
                kind: pattern.kind,
                secret: token.to_string(),
                advice: pattern.advice,
            });
        }
    }
    if let Some(header) = pem_header().find(line) {
        // A key, not a mention of one: key material follows the header on the
        // same line (an escaped string) or on the next line (a PEM file).
        let rest = line[header.end()..].trim();
        let rest = rest.split("-----END").next().unwrap_or(rest);
        let on_this_line = longest_base64_run(&rest.replace("\\n", " ").replace("\\r", " ")) >= 40;
        let on_next_line = rest
            .trim_matches(|c: char| !c.is_ascii_alphanumeric())
            .is_empty()
            && next_line.is_some_and(|l| longest_base64_run(l.trim()) >= 40);
        if (on_this_line || on_next_line) && !is_documented_dummy(rest) {
            let secret = if on_this_line {
                rest.trim_end_matches(['"', '\'', '`', ',', ';', ')', '+', ' '])
                    .to_string()
            } else {
                String::new()
            };
            out.push(TokenMatch {
                kind: "private key (PEM)",
                secret,
                advice: "Replace the key pair (the private half is now public), and load keys from files or a secret manager that are not committed.",
            });
        }
    }
    for caps in connection_string().captures_iter(line) {
        let password = caps.get(2).map_or("", |m| m.as_str());
        if is_placeholder_password(password, in_example_file) {
            continue;
        }
        out.push(TokenMatch {
            kind: "connection string with an inline password",
            secret: password.to_string(),
            advice: "Change that password, and pass the whole URL (e.g. `DATABASE_URL`) through the environment at deploy time.",
        });
    }
    out
}

/// Example values published by vendors in their documentation.
fn is_documented_dummy(token: &str) -> bool {
    let upper = token.to_ascii_uppercase();
    upper.contains("EXAMPLE") || upper.contains("XXXXXXXX") || upper.contains("00000000")
}

/// A connection-string password that is a variable, a template or an obvious
/// placeholder rather than a real password.
pub fn is_placeholder_password(password: &str, in_example_file: bool) -> bool {
    let lower = password.to_ascii_lowercase();
    let templated = password.starts_with(['$', '{', '<', '%', '['])
        || password.contains("${")
        || password.contains("{{");
    let same_char = password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '));
    let generic = [
        "password",
        "pass",
        "passwd",
        "pwd",
        "secret",
        "xxx",
        "user",
        "username",
        "your_password",
        "yourpassword",
        "your-password",
    ]
    .contains(&lower.as_str());
    templated
        || same_char
        || generic
        || (in_example_file && super::secrets::looks_like_placeholder(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<&'static str> {
        find_on_line(line, None, false)
            .into_iter()
            .map(|m| m.kind)
            .collect()
    }

    #[test]
    fn vendor_token_formats_are_recognised() {
        assert_eq!(
            kinds("token = 'ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5'"),
            vec!["GitHub token"]
        );
        assert_eq!(
            kinds("AWS_ACCESS_KEY_ID=AKIAZ7QK3M5N9P2R4T6V"),
            vec!["AWS access key id"]
        );
        assert_eq!(
            kinds("slack: xoxb-1234567890-abcdefghij"),
            vec!["Slack token"]
        );
        assert_eq!(
            kinds("const k = 'sk_live_51HxYzAbCdEfGhIjKlMn'"),
            vec!["Stripe live key"]
        );
        assert_eq!(
            kinds("key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"),
            vec!["Google API key"]
        );
        assert_eq!(
            kinds("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            vec!["JSON Web Token"]
        );
    }

    #[test]
    fn a_private_key_needs_key_material_after_its_header() {
        let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
        let pem = find_on_line("-----BEGIN RSA PRIVATE KEY-----", Some(body), false);
        assert_eq!(pem.len(), 1);
        assert_eq!(pem[0].kind, "private key (PEM)");
        let inline = format!(
            "const key = \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\";"
        );
        let found = find_on_line(&inline, None, false);
        assert_eq!(found.len(), 1);
        assert!(found[0].secret.contains(body));
        for mention in [
            "_SK_START = b\"-----BEGIN OPENSSH PRIVATE KEY-----\"",
            "key=\"-----BEGIN PRIVATE KEY-----\\nXXXXXXXX\\n-----END PRIVATE KEY-----\"",
            "when your file has '-----BEGIN RSA PRIVATE KEY-----' in it",
        ] {
            assert!(
                find_on_line(mention, Some("def load(): pass"), false).is_empty(),
                "{mention}"
            );
        }
    }

    #[test]
    fn documented_dummy_keys_and_public_keys_are_not_secrets() {
        assert!(kinds("aws_access_key_id = AKIAIOSFODNN7EXAMPLE").is_empty());
        assert!(kinds("-----BEGIN PUBLIC KEY-----").is_empty());
        assert!(kinds("-----BEGIN CERTIFICATE-----").is_empty());
    }

    #[test]
    fn connection_strings_are_flagged_only_with_a_real_inline_password() {
        let hit = find_on_line(
            "DATABASE_URL=postgres://orders:Tr0ub4dor-3@db.internal:5432/orders",
            None,
            false,
        );
        assert_eq!(hit.len(), 1);
        assert_eq!(hit[0].secret, "Tr0ub4dor-3");
        assert_eq!(
            kinds("url = 'postgresql+psycopg://app:s3cretPass@db/app'").len(),
            1
        );
        assert_eq!(kinds("redis://:hunter2hunter2@cache:6379").len(), 1);
        for line in [
            "postgres://user:${DB_PASSWORD}@localhost/db",
            "mysql://root:password@localhost/db",
            "mongodb://app:<password>@cluster0.mongodb.net",
            "postgres://localhost:5432/orders",
            "amqp://guest:****@rabbit",
        ] {
            assert!(kinds(line).is_empty(), "{line}");
        }
        assert!(find_on_line("postgres://app:change-me@localhost/app", None, true).is_empty());
        assert_eq!(
            find_on_line("postgres://app:change-me@localhost/app", None, false).len(),
            1
        );
    }
}
