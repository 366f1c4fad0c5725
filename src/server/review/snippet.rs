//! Code excerpts shown with a finding: its lines (at most five, each at most
//! 240 characters), common indentation removed, secrets masked.

use super::mask::Masker;

pub const MAX_LINES: usize = 5;
pub const MAX_LINE_CHARS: usize = 240;

/// The excerpt of lines `line..=end_line` (1-based) of `text`.
#[cfg(test)]
pub fn excerpt(text: &str, line: u32, end_line: u32, secrets: &[String]) -> String {
    excerpt_masked(text, line, end_line, &Masker::new(secrets))
}

/// [`excerpt`] with a prepared [`Masker`].
pub fn excerpt_masked(text: &str, line: u32, end_line: u32, masker: &Masker) -> String {
    let first = line.max(1) as usize - 1;
    let last = (end_line.max(line) as usize).min(first + MAX_LINES);
    let lines: Vec<String> = text
        .lines()
        .skip(first)
        .take(last - first)
        .map(|l| masker.apply(l.trim_end()))
        .collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| truncate(l.get(indent..).unwrap_or(l.trim_start())))
        .collect::<Vec<_>>()
        .join("\n")
}

/// At most [`MAX_LINE_CHARS`] characters, the last one `…` when cut.
pub fn truncate(line: &str) -> String {
    if line.chars().count() <= MAX_LINE_CHARS {
        return line.to_string();
    }
    let mut out: String = line.chars().take(MAX_LINE_CHARS - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_has_at_most_five_lines_without_common_indentation() {
        let text = (1..=10)
            .map(|i| format!("    line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(excerpt(&text, 2, 3, &[]), "line 2\nline 3");
        assert_eq!(excerpt(&text, 1, 10, &[]).lines().count(), MAX_LINES);
    }

    #[test]
    fn long_lines_are_cut_at_240_characters() {
        let text = "x".repeat(1000);
        let got = excerpt(&text, 1, 1, &[]);
        assert_eq!(got.chars().count(), MAX_LINE_CHARS);
        assert!(got.ends_with('…'));
    }

    #[test]
    fn secrets_are_masked_before_lines_are_cut() {
        let secret = "AKIAZ7QK3M5N9P2R4T6V".to_string();
        let text = format!("{}{}", "y".repeat(230), secret);
        let got = excerpt(&text, 1, 1, std::slice::from_ref(&secret));
        assert!(!got.contains("AKIAZ7QK3M5N"), "{got}");
    }
}
