//! Stable finding fingerprints: a finding keeps its fingerprint when unrelated
//! lines move, and gets a new one when its file or its code changes.
//!
//! fingerprint = first 16 bytes (32 hex chars) of
//! sha256(check id, path, normalized code, occurrence index), where the code is
//! whitespace-collapsed with secrets masked, and the occurrence index counts
//! identical (check, path, code) triples from the top of the file.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Whitespace collapsed to single spaces, trimmed.
pub fn normalize(code: &str) -> String {
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fingerprint of one finding.
pub fn fingerprint(check_id: &str, path: &str, normalized_code: &str, occurrence: usize) -> String {
    let mut hasher = Sha256::new();
    for part in [check_id, path, normalized_code, &occurrence.to_string()] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Fingerprints for findings given as (check id, path, normalized code) in
/// report order (path, line): each gets its occurrence index among identical
/// triples.
pub fn assign<'a>(keys: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Vec<String> {
    let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    keys.into_iter()
        .map(|key| {
            let count = seen.entry(key).or_insert(0);
            let fp = fingerprint(key.0, key.1, key.2, *count);
            *count += 1;
            fp
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_32_hex_characters() {
        let fp = fingerprint("SEC-SQLI", "src/a.ts", "x + y", 0);
        assert_eq!(fp.len(), 32);
        assert!(fp.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn a_fingerprint_ignores_whitespace_and_line_position() {
        let a = fingerprint(
            "SEC-SQLI",
            "src/a.ts",
            &normalize("\"SELECT \" +\n    id"),
            0,
        );
        let b = fingerprint("SEC-SQLI", "src/a.ts", &normalize("\"SELECT \"   + id"), 0);
        assert_eq!(a, b);
    }

    #[test]
    fn a_fingerprint_changes_with_the_path_or_the_code() {
        let base = fingerprint("SEC-SQLI", "src/a.ts", "\"SELECT \" + id", 0);
        assert_ne!(
            base,
            fingerprint("SEC-SQLI", "src/b.ts", "\"SELECT \" + id", 0)
        );
        assert_ne!(
            base,
            fingerprint("SEC-SQLI", "src/a.ts", "\"SELECT \" + name", 0)
        );
        assert_ne!(
            base,
            fingerprint("SEC-SECRET", "src/a.ts", "\"SELECT \" + id", 0)
        );
    }

    #[test]
    fn identical_code_twice_in_a_file_gets_two_fingerprints() {
        let fps = assign([
            ("SEC-SQLI", "a.ts", "q + id"),
            ("SEC-SQLI", "a.ts", "q + id"),
            ("SEC-SQLI", "b.ts", "q + id"),
        ]);
        assert_ne!(fps[0], fps[1]);
        assert_eq!(fps[0], fingerprint("SEC-SQLI", "a.ts", "q + id", 0));
        assert_eq!(fps[2], fingerprint("SEC-SQLI", "b.ts", "q + id", 0));
    }
}
