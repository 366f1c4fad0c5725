//! Webhook signatures: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header value GitHub would send for `body` signed with `secret`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Whether `header` is a valid signature of `body`. The comparison of the MAC
/// is constant-time (`hmac`'s `verify_slice`); a malformed header is `false`.
pub fn verify(secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(hex) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Some(expected) = decode_hex(hex) else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GitHub's documented example ("Validating webhook deliveries").
    const SECRET: &[u8] = b"It's a Secret to Everybody";
    const PAYLOAD: &[u8] = b"Hello, World!";
    const EXPECTED: &str =
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    #[test]
    fn githubs_documented_vector() {
        assert_eq!(sign(SECRET, PAYLOAD), EXPECTED);
        assert!(verify(SECRET, PAYLOAD, Some(EXPECTED)));
    }

    #[test]
    fn wrong_missing_or_malformed_signatures_fail() {
        assert!(!verify(SECRET, b"Hello, World?", Some(EXPECTED)));
        assert!(!verify(b"another secret", PAYLOAD, Some(EXPECTED)));
        assert!(!verify(SECRET, PAYLOAD, None));
        assert!(!verify(SECRET, PAYLOAD, Some("sha1=abc")));
        assert!(!verify(SECRET, PAYLOAD, Some("sha256=zz")));
        assert!(!verify(
            SECRET,
            PAYLOAD,
            Some(&EXPECTED[..EXPECTED.len() - 2])
        ));
    }
}
