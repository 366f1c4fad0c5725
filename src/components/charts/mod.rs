//! Server-rendered SVG charts: they show without JavaScript and print, and
//! once hydrated a hover shows the values under the pointer. Small components
//! of our own rather than a chart crate: the Rust chart crates (plotters,
//! charming) draw to canvas/bitmaps or need a JS runtime, none renders as
//! Leptos 0.8 SSR markup that hydrates.

mod bars;
mod line;
mod readout;
mod sparkline;

pub use bars::BarChart;
pub use line::LineChart;
pub use sparkline::Sparkline;

/// One line of a line chart: a value per x position (`None`: no data there).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    /// A CSS color.
    pub color: &'static str,
    pub values: Vec<Option<f64>>,
    /// Drawn thicker (the overall score among category scores, say).
    pub emphasis: bool,
}

/// A vertical mark between two x positions: "scoring v2 from here".
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// The mark is drawn just before this x position.
    pub before: usize,
    pub label: String,
}

/// Colors of the six categories, in catalog order, readable on white and
/// told apart by people with the common color deficiencies (Okabe–Ito).
pub const CATEGORY_COLORS: [&str; 6] = [
    "#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
];

/// Geometry shared by the charts: a plot area inside a fixed viewBox.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// For a chart about half the page wide: text stays ~11 px on a laptop.
    pub const STANDARD: Frame = Frame {
        width: 560.0,
        height: 220.0,
        left: 52.0,
        right: 14.0,
        top: 14.0,
        bottom: 26.0,
    };

    /// For a chart the whole page wide: the same text size as `STANDARD`.
    pub const WIDE: Frame = Frame {
        width: 1120.0,
        height: 260.0,
        left: 52.0,
        right: 14.0,
        top: 14.0,
        bottom: 26.0,
    };

    pub fn plot_width(&self) -> f64 {
        self.width - self.left - self.right
    }

    pub fn plot_bottom(&self) -> f64 {
        self.height - self.bottom
    }

    /// Center of slot `index` of `count` equal slots across the plot.
    pub fn slot_center(&self, index: usize, count: usize) -> f64 {
        let slot = self.plot_width() / count.max(1) as f64;
        self.left + slot * (index as f64 + 0.5)
    }

    pub fn slot_width(&self, count: usize) -> f64 {
        self.plot_width() / count.max(1) as f64
    }

    /// y of `value` on a 0..=`max` scale.
    pub fn y_of(&self, value: f64, max: f64) -> f64 {
        let max = if max > 0.0 { max } else { 1.0 };
        let t = (value / max).clamp(0.0, 1.0);
        self.plot_bottom() - t * (self.plot_bottom() - self.top)
    }
}

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten.
pub(crate) fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 5.0, 10.0] {
        if max <= step * magnitude {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// An axis top for counts: four equal steps of 1, 2 or 5 × 10^k, so every
/// guide line falls on a whole number.
pub(crate) fn count_max(max: f64) -> f64 {
    let step = nice_max((max / 4.0).max(1.0));
    step * 4.0
}

/// x and text-anchor of the label of slot `index`: the last label ends at
/// the plot's right edge instead of running past it.
pub(crate) fn label_anchor(frame: &Frame, index: usize, count: usize) -> (f64, &'static str) {
    let x = frame.slot_center(index, count);
    if index + 1 == count && count > 1 {
        (
            (x + frame.slot_width(count) / 2.0).min(frame.width - frame.right),
            "end",
        )
    } else {
        (x, "middle")
    }
}

/// Which labels of `count` x positions to print so they do not overlap.
pub(crate) fn label_every(count: usize, room: usize) -> usize {
    count.div_ceil(room.max(1)).max(1)
}

/// Whether x position `index` of `count` gets a label: evenly spaced,
/// counted from the newest so the latest position is always labelled.
pub(crate) fn labelled(index: usize, count: usize, every: usize) -> bool {
    (count - 1 - index).is_multiple_of(every.max(1))
}

/// "1.2 s" / "340 ms" for durations; plain numbers otherwise.
pub fn format_value(value: f64, unit: &str) -> String {
    match unit {
        "ms" if value >= 1000.0 => format!("{:.1} s", value / 1000.0),
        "ms" => format!("{value:.0} ms"),
        "%" => format!("{value:.0}%"),
        "" => format!("{value:.0}"),
        other => format!("{value:.0} {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_map_into_the_plot_area() {
        let f = Frame::STANDARD;
        assert_eq!(f.y_of(0.0, 100.0), f.plot_bottom());
        assert_eq!(f.y_of(100.0, 100.0), f.top);
        assert_eq!(f.y_of(250.0, 100.0), f.top, "clamped");
        assert_eq!(
            f.y_of(5.0, 0.0),
            f.top,
            "a zero scale does not divide by zero"
        );
        assert_eq!(f.slot_center(0, 2), f.left + f.plot_width() / 4.0);
    }

    #[test]
    fn axis_bounds_are_round_numbers_at_or_above_the_data() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(13.0), 20.0);
        assert_eq!(nice_max(420.0), 500.0);
        assert_eq!(nice_max(100.0), 100.0);
        assert_eq!(count_max(2.4), 4.0);
        assert_eq!(count_max(5.0), 8.0);
        assert_eq!(count_max(72.0), 80.0);
    }

    #[test]
    fn labels_thin_out_when_crowded() {
        assert_eq!(label_every(10, 12), 1);
        assert_eq!(label_every(104, 12), 9);
        assert!(labelled(103, 104, 9) && labelled(94, 104, 9) && !labelled(102, 104, 9));
        assert_eq!(format_value(1530.0, "ms"), "1.5 s");
        assert_eq!(format_value(340.0, "ms"), "340 ms");
    }
}
