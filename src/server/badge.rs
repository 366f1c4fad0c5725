//! README badges: a shields-style SVG with the project's grade and score.

use crate::model::Grade;

/// What a badge says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadgeState {
    Reviewed { grade: Grade, score: i64 },
    NotReviewed,
}

fn color(state: &BadgeState) -> &'static str {
    match state {
        BadgeState::Reviewed { grade, .. } => match grade {
            Grade::A => "#059669",
            Grade::B => "#65a30d",
            Grade::C => "#d97706",
            Grade::D => "#ea580c",
            Grade::F => "#b91c1c",
        },
        BadgeState::NotReviewed => "#64748b",
    }
}

/// Width of text in the badge's 11 px Verdana, close enough for layout:
/// wide letters count more than narrow ones.
fn text_width(text: &str) -> u32 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | '.' | ':' | '·' | ' ' | '(' | ')' => 4,
            'm' | 'w' | 'M' | 'W' => 10,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 8,
            _ => 7,
        })
        .sum()
}

/// The SVG of a badge. Only fixed labels and numbers reach it, so it needs
/// no escaping.
pub fn render_badge(state: &BadgeState) -> String {
    let label = "backlens";
    let message = match state {
        BadgeState::Reviewed { grade, score } => format!("{} · {score}", grade.as_str()),
        BadgeState::NotReviewed => "not reviewed".to_string(),
    };
    let (lw, mw) = (text_width(label) + 12, text_width(&message) + 12);
    let width = lw + mw;
    let fill = color(state);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{label}: {message}"><title>{label}: {message}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#334155"/><rect x="{lw}" width="{mw}" height="20" fill="{fill}"/><rect width="{width}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="{lx}" y="14">{label}</text><text x="{mx}" y="14">{message}</text></g></svg>"##,
        lx = lw / 2,
        mx = lw + mw / 2,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reviewed_project_shows_grade_and_score_in_the_grade_color() {
        let svg = render_badge(&BadgeState::Reviewed {
            grade: Grade::B,
            score: 82,
        });
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(">B · 82</text>"));
        assert!(svg.contains("#65a30d"));
    }

    #[test]
    fn a_project_without_review_says_so_in_gray() {
        let svg = render_badge(&BadgeState::NotReviewed);
        assert!(svg.contains(">not reviewed</text>"));
        assert!(svg.contains("#64748b"));
    }

    #[test]
    fn longer_messages_make_wider_badges() {
        let short = render_badge(&BadgeState::Reviewed {
            grade: Grade::A,
            score: 9,
        });
        let long = render_badge(&BadgeState::NotReviewed);
        let width = |s: &str| {
            s.split("width=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse::<u32>()
                .unwrap()
        };
        assert!(width(&long) > width(&short));
    }
}
