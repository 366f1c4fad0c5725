//! Pages of a long list: which rows a page shows and how a pager labels them.
//! The page number lives in the URL (`?page=3`, 1-based); a number past the
//! end shows the last page, anything that is not a positive number the first.

use serde::{Deserialize, Serialize};

/// Reads a `page` URL parameter: 1 when missing, not a number, zero or negative.
pub fn parse_page(raw: Option<&str>) -> usize {
    raw.and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// One page of `total` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInfo {
    /// 1-based, within `1..=pages`.
    pub page: usize,
    /// At least 1 (an empty list has one, empty, page).
    pub pages: usize,
    pub page_size: usize,
    /// Rows in the whole list.
    pub total: usize,
    /// The page asked for was past the end (the last page is shown instead).
    pub clamped: bool,
}

impl PageInfo {
    /// Page `requested` (1-based) of `total` rows, `page_size` per page.
    pub fn new(total: usize, page_size: usize, requested: usize) -> PageInfo {
        let page_size = page_size.max(1);
        let pages = total.div_ceil(page_size).max(1);
        let page = requested.clamp(1, pages);
        PageInfo {
            page,
            pages,
            page_size,
            total,
            clamped: requested > pages,
        }
    }

    /// The index range of this page's rows in the whole list.
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = ((self.page - 1) * self.page_size).min(self.total);
        start..(start + self.page_size).min(self.total)
    }

    /// "rows 51–100 of 500" (1-based, inclusive); "no rows" when empty.
    pub fn label(&self, noun: &str) -> String {
        let r = self.range();
        if r.is_empty() {
            format!("no {noun}")
        } else {
            format!("{noun} {}\u{2013}{} of {}", r.start + 1, r.end, self.total)
        }
    }

    /// Page numbers for the pager's links: the first, the last and two either
    /// side of the current one; `None` marks a gap ("…").
    pub fn links(&self) -> Vec<Option<usize>> {
        let mut out = Vec::new();
        let mut last = 0;
        for p in 1..=self.pages {
            let near = p + 2 >= self.page && p <= self.page + 2;
            if p == 1 || p == self.pages || near {
                if p > last + 1 {
                    out.push(None);
                }
                out.push(Some(p));
                last = p;
            }
        }
        out
    }

    /// The rows of this page out of the whole list.
    pub fn slice<T: Clone>(&self, all: &[T]) -> Vec<T> {
        all[self.range()].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_clamp_and_label_their_rows() {
        let p = PageInfo::new(500, 50, 2);
        assert_eq!((p.page, p.pages, p.range()), (2, 10, 50..100));
        assert_eq!(p.label("rows"), "rows 51\u{2013}100 of 500");
        let past = PageInfo::new(120, 50, 9);
        assert_eq!((past.page, past.range(), past.clamped), (3, 100..120, true));
        let empty = PageInfo::new(0, 50, 4);
        assert_eq!((empty.page, empty.pages, empty.range()), (1, 1, 0..0));
        assert_eq!(empty.label("rows"), "no rows");
        assert_eq!(PageInfo::new(10, 0, 1).page_size, 1);
    }

    #[test]
    fn bad_page_parameters_are_the_first_page() {
        for raw in [
            None,
            Some(""),
            Some("x"),
            Some("0"),
            Some("-3"),
            Some("1e3"),
            Some("99999999999999999999999"),
        ] {
            assert_eq!(parse_page(raw), 1, "{raw:?}");
        }
        assert_eq!(parse_page(Some(" 7 ")), 7);
    }

    #[test]
    fn links_show_ends_and_neighbours_with_gaps() {
        let l = PageInfo::new(500, 50, 5).links();
        assert_eq!(
            l,
            [
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(10)
            ]
        );
        assert_eq!(PageInfo::new(100, 50, 1).links(), vec![Some(1), Some(2)]);
    }
}
