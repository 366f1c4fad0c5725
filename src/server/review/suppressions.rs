//! Inline suppressions: a comment `backlens-ignore SEC-SQLI: reason` on the
//! line of a finding, or on the line above it, accepts that finding. Several
//! checks may be named, separated by commas. The finding stays visible as
//! suppressed, with its reason.

const MARKER: &str = "backlens-ignore";
/// Said when the comment gives no reason.
pub const NO_REASON: &str = "no reason given";

/// The reason of the suppression that covers a finding of `check_id` starting
/// at 1-based `line` of `text`, if any.
pub fn inline_suppression(text: &str, line: u32, check_id: &str) -> Option<String> {
    let index = line.checked_sub(1)? as usize;
    let mut lines = text.lines().skip(index.saturating_sub(1));
    let above = if index > 0 { lines.next() } else { None };
    let at = lines.next();
    [at, above]
        .into_iter()
        .flatten()
        .find_map(|l| {
            parse(l).filter(|(ids, _)| ids.iter().any(|id| id.eq_ignore_ascii_case(check_id)))
        })
        .map(|(_, reason)| reason)
}

/// The checks and the reason of a `backlens-ignore` comment in a line.
fn parse(line: &str) -> Option<(Vec<String>, String)> {
    let rest = &line[line.find(MARKER)? + MARKER.len()..];
    if !rest.starts_with([' ', '\t', ':']) {
        return None;
    }
    let (ids, reason) = match rest.split_once(':') {
        Some((ids, reason)) => (ids, reason),
        None => (rest, ""),
    };
    let ids: Vec<String> = ids
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if ids.is_empty() {
        return None;
    }
    // A block comment ends the reason: code may follow it on the same line.
    let reason = reason.split("*/").next().unwrap_or_default();
    let reason = reason.split("-->").next().unwrap_or_default();
    let reason = reason.trim().trim_matches(['"', '\'']).trim();
    let reason = if reason.is_empty() { NO_REASON } else { reason };
    Some((ids, reason.chars().take(300).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "const a = 1;\n\
        // backlens-ignore SEC-SQLI: table name comes from a fixed allow-list\n\
        db.query(\"SELECT * FROM \" + table);\n\
        db.query(\"SELECT \" + x); // backlens-ignore SEC-SQLI, SEC-SECRET\n\
        db.query(\"SELECT \" + y);\n";

    #[test]
    fn a_comment_on_the_line_above_suppresses_with_its_reason() {
        assert_eq!(
            inline_suppression(CODE, 3, "SEC-SQLI").as_deref(),
            Some("table name comes from a fixed allow-list")
        );
    }

    #[test]
    fn a_comment_on_the_same_line_may_name_several_checks_and_no_reason() {
        assert_eq!(
            inline_suppression(CODE, 4, "SEC-SECRET").as_deref(),
            Some(NO_REASON)
        );
        assert_eq!(
            inline_suppression(CODE, 4, "sec-sqli").as_deref(),
            Some(NO_REASON)
        );
    }

    #[test]
    fn other_checks_other_lines_and_lookalike_words_are_not_suppressed() {
        assert_eq!(inline_suppression(CODE, 3, "SEC-SECRET"), None);
        // Line 5 sits below a line that has a suppression on its own code.
        assert_eq!(
            inline_suppression(CODE, 5, "SEC-SQLI").as_deref(),
            Some(NO_REASON)
        );
        assert_eq!(inline_suppression(CODE, 1, "SEC-SQLI"), None);
        assert_eq!(
            inline_suppression("x // backlens-ignored SEC-SQLI\n", 1, "SEC-SQLI"),
            None
        );
        assert_eq!(
            inline_suppression("x // backlens-ignore\n", 1, "SEC-SQLI"),
            None
        );
        assert_eq!(inline_suppression("", 0, "SEC-SQLI"), None);
        assert_eq!(inline_suppression("one line\n", 9, "SEC-SQLI"), None);
    }

    #[test]
    fn block_comment_closers_are_not_part_of_the_reason() {
        let text = "/* backlens-ignore SEC-SQLI: reviewed with security */ q(\"SELECT \" + a)\n";
        assert_eq!(
            inline_suppression(text, 1, "SEC-SQLI").as_deref(),
            Some("reviewed with security")
        );
    }
}
