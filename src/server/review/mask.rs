//! Masking of secret values. A reported secret keeps at most its first four
//! characters: `ghp_…(40 chars)`. Nothing the engine reports (messages,
//! snippets, fingerprint input) ever holds a full secret.

/// Fragments of a multi-line secret shorter than this are left alone when
/// masking line by line (they would match unrelated text).
const MIN_FRAGMENT: usize = 6;

/// `abcd…(N chars)`: at most the first 4 characters (fewer for short values),
/// then the length.
pub fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    let keep = match n {
        0..=7 => 0,
        8..=15 => 2,
        _ => 4,
    };
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}…({n} chars)")
}

/// Masks a fixed set of secrets in any number of texts.
pub struct Masker {
    /// (secret or fragment, its mask), longest first so a secret is masked
    /// whole before any fragment of it.
    pieces: Vec<(String, String)>,
}

impl Masker {
    pub fn new(secrets: &[String]) -> Masker {
        let mut pieces: Vec<(String, String)> = Vec::new();
        for secret in secrets {
            if secret.is_empty() {
                continue;
            }
            pieces.push((secret.clone(), mask(secret)));
            if secret.contains('\n') {
                for fragment in secret.split('\n').map(str::trim) {
                    if fragment.chars().count() >= MIN_FRAGMENT {
                        pieces.push((fragment.to_string(), mask(fragment)));
                    }
                }
            }
        }
        pieces.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        pieces.dedup_by(|a, b| a.0 == b.0);
        Masker { pieces }
    }

    /// `text` with every occurrence of every secret replaced by its mask.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (secret, masked) in &self.pieces {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), masked);
            }
        }
        out
    }
}

/// Replaces every occurrence of every secret in `text` by its mask. A secret
/// that spans lines is also masked fragment by fragment.
#[cfg(test)]
pub fn mask_all(text: &str, secrets: &[String]) -> String {
    Masker::new(secrets).apply(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_secret_keeps_at_most_four_characters_and_its_length() {
        let secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        assert_eq!(mask(secret), "ghp_…(40 chars)");
        assert_eq!(mask("hunter2hunter2"), "hu…(14 chars)");
        assert_eq!(mask("short"), "…(5 chars)");
    }

    #[test]
    fn masking_a_text_leaves_no_trace_of_the_secret() {
        let secret = "s3cr3t-signing-key-for-jwt-2024".to_string();
        let line = format!("const JWT_SECRET = \"{secret}\"; // {secret}");
        let masked = mask_all(&line, std::slice::from_ref(&secret));
        assert!(!masked.contains(&secret));
        assert!(!masked.contains("signing-key"));
        assert_eq!(
            masked,
            "const JWT_SECRET = \"s3cr…(31 chars)\"; // s3cr…(31 chars)"
        );
    }

    #[test]
    fn a_multi_line_secret_is_masked_line_by_line() {
        let secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7".to_string();
        let second_line = "BKcwggSjAgEAAoIBAQC7\"\"\"";
        let masked = mask_all(second_line, &[secret]);
        assert!(!masked.contains("BKcwggSjAgEAAoIBAQC7"), "{masked}");
    }
}
