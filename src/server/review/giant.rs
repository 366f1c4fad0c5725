//! ARCH-GIANT: functions and files far beyond the project's own norm.
//!
//! Sizes are lines (first to last, blank lines included) of named functions
//! and route handlers, and of source files, outside tests. A function is
//! giant when it is at least [`FUNCTION_FLOOR`] lines long *and* an outlier
//! for this project: robust z-score ≥ [`Z_LIMIT`] (distance from the median
//! in units of 1.4826 × the median absolute deviation) and at least
//! [`RATIO_LIMIT`] × the median. With fewer than [`MIN_SAMPLE`] functions
//! there is no norm to compare with, and only functions of
//! [`SMALL_PROJECT_FLOOR`] lines or more are reported. Files likewise, with
//! [`FILE_FLOOR`] lines and at least 5 files. The floors keep small projects
//! with one 40-line function quiet; the relative part keeps a codebase whose
//! style is long functions from being flagged wholesale.

use super::findings::{Draft, Pending};
use super::functions::Function;
use super::syntax::{first_line, last_line, ParsedFile};
use crate::model::Severity;
use crate::server::review::facts::Empty;
use std::collections::HashSet;

pub const CHECK_ID: &str = "ARCH-GIANT";
pub const FUNCTION_FLOOR: u32 = 60;
pub const SMALL_PROJECT_FLOOR: u32 = 120;
pub const FILE_FLOOR: u32 = 500;
pub const SMALL_PROJECT_FILE_FLOOR: u32 = 1000;
pub const Z_LIMIT: f64 = 3.5;
pub const RATIO_LIMIT: f64 = 3.0;
pub const MIN_SAMPLE: usize = 10;

/// One measured function or file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Size {
    pub path: String,
    pub line: u32,
    pub end_line: u32,
    pub lines: u32,
    pub name: String,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct GiantFacts {
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub functions: Vec<Size>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub files: Vec<Size>,
    /// Long named functions outside controller files: reported only when a
    /// route registers them by name (path, line, name).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub by_name: Vec<(String, u32, String)>,
}

/// Path segments and name parts of controller-like files.
const CONTROLLER_MARKERS: &[&str] = &[
    "controller",
    "controllers",
    "handler",
    "handlers",
    "route",
    "routes",
    "router",
    "routers",
    "view",
    "views",
    "api",
    "endpoints",
    "endpoint",
    "resources",
    "resolvers",
];

/// Does the path name a controller, handler, route or view file?
pub fn is_controller_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower
        .split(['/', '.', '_', '-'])
        .any(|part| CONTROLLER_MARKERS.contains(&part))
}

/// Rust unit-test modules kept beside the code (`tests.rs`, `foo_tests.rs`).
fn is_rust_test_module(path: &str) -> bool {
    let name = super::file_kinds::file_name(path);
    name == "tests.rs"
        || name == "test.rs"
        || name.ends_with("_tests.rs")
        || name.ends_with("_test.rs")
}

/// Lines that hold code: not blank, not only a comment.
fn code_lines(text: &str) -> u32 {
    let n = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("//")
                && !l.starts_with('#')
                && !l.starts_with("/*")
                && !l.starts_with('*')
                && !l.starts_with("--")
                && !l.starts_with("\"\"\"")
        })
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Measures one parsed file. Every named function and handler counts for
/// the project's norm; the candidates are the controllers: route handlers,
/// functions of controller/route/view files, and named functions (kept when
/// a route registers them by name). Files are candidates when they are
/// controller files or register routes.
pub fn scan(file: &ParsedFile, functions: &[Function], facts: &mut GiantFacts) -> Vec<Draft> {
    if super::file_kinds::is_test_or_fixture_path(file.path) || is_rust_test_module(file.path) {
        return Vec::new();
    }
    let controller_file = is_controller_path(file.path);
    let mut drafts = Vec::new();
    for f in functions.iter().filter(|f| f.handler || f.name.is_some()) {
        let (line, end_line) = (first_line(f.node), last_line(f.node));
        let lines = end_line.saturating_sub(line) + 1;
        let name = f
            .name
            .map(str::to_string)
            .unwrap_or_else(|| format!("route handler on line {line}"));
        if lines >= FUNCTION_FLOOR {
            if !(f.handler || controller_file) {
                facts
                    .by_name
                    .push((file.path.to_string(), line, name.clone()));
            }
            drafts.push(Draft {
                check_id: CHECK_ID,
                severity: Severity::Low,
                line,
                end_line: line,
                message: format!("`{name}` is {lines} lines long."),
                code: file
                    .text_of(f.node)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string(),
                secrets: Vec::new(),
            });
        }
        facts.functions.push(Size {
            path: file.path.to_string(),
            line,
            end_line,
            lines,
            name,
        });
    }
    let lines = code_lines(file.text);
    let registers_routes =
        functions.iter().any(|f| f.handler) || !super::functions::handler_refs(file).is_empty();
    if lines >= FILE_FLOOR && (controller_file || registers_routes) {
        drafts.push(Draft {
            check_id: CHECK_ID,
            severity: Severity::Low,
            line: 1,
            end_line: 1,
            message: format!("This controller file has {lines} lines of code."),
            code: format!("file of {} lines", lines / 100 * 100),
            secrets: Vec::new(),
        });
    }
    facts.files.push(Size {
        path: file.path.to_string(),
        line: 1,
        end_line: lines,
        lines,
        name: file.path.to_string(),
    });
    drafts
}

/// The norm of a set of sizes: median, scaled MAD, 95th percentile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Norm {
    pub median: f64,
    pub mad: f64,
    pub p95: f64,
    pub count: usize,
}

pub fn norm(sizes: &[u32]) -> Norm {
    let mut v: Vec<f64> = sizes.iter().map(|&s| f64::from(s)).collect();
    v.sort_by(f64::total_cmp);
    let median = quantile(&v, 0.5);
    let mut dev: Vec<f64> = v.iter().map(|x| (x - median).abs()).collect();
    dev.sort_by(f64::total_cmp);
    Norm {
        median,
        mad: 1.4826 * quantile(&dev, 0.5),
        p95: quantile(&v, 0.95),
        count: v.len(),
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Is `size` giant against `norm`?
pub fn is_giant(size: u32, norm: &Norm, floor: u32, small_floor: u32, min_sample: usize) -> bool {
    if norm.count < min_sample {
        return size >= small_floor;
    }
    let size = f64::from(size);
    let z = (size - norm.median) / norm.mad.max(1.0);
    size >= f64::from(floor) && z >= Z_LIMIT && size >= RATIO_LIMIT * norm.median
}

/// Keeps the outliers among the drafted candidates and explains each against
/// the project's norm.
pub fn settle(
    facts: &GiantFacts,
    handler_refs: &std::collections::HashSet<String>,
    pending: &mut Vec<Pending>,
) {
    let not_controllers: HashSet<(&str, u32)> = facts
        .by_name
        .iter()
        .filter(|(_, _, name)| !handler_refs.contains(name))
        .map(|(path, line, _)| (path.as_str(), *line))
        .collect();
    let fn_norm = norm(&facts.functions.iter().map(|s| s.lines).collect::<Vec<_>>());
    let file_norm = norm(&facts.files.iter().map(|s| s.lines).collect::<Vec<_>>());
    let giant_functions: Vec<&Size> = facts
        .functions
        .iter()
        .filter(|s| {
            is_giant(
                s.lines,
                &fn_norm,
                FUNCTION_FLOOR,
                SMALL_PROJECT_FLOOR,
                MIN_SAMPLE,
            )
        })
        .filter(|s| !not_controllers.contains(&(s.path.as_str(), s.line)))
        .collect();
    // A giant inside a giant is reported once, at the outer one.
    let keep_functions: HashSet<(&str, u32)> = giant_functions
        .iter()
        .filter(|s| {
            !giant_functions.iter().any(|o| {
                o.path == s.path
                    && o.line <= s.line
                    && s.end_line <= o.end_line
                    && (o.line, o.end_line) != (s.line, s.end_line)
            })
        })
        .map(|s| (s.path.as_str(), s.line))
        .collect();
    let keep_files: HashSet<&str> = facts
        .files
        .iter()
        .filter(|s| is_giant(s.lines, &file_norm, FILE_FLOOR, SMALL_PROJECT_FILE_FLOOR, 5))
        .map(|s| s.path.as_str())
        .collect();
    pending.retain_mut(|p| {
        if p.finding.check_id != CHECK_ID {
            return true;
        }
        let is_file = p.finding.message.starts_with("This controller file");
        let keep = if is_file {
            keep_files.contains(p.finding.path.as_str())
        } else {
            keep_functions.contains(&(p.finding.path.as_str(), p.finding.line))
        };
        if !keep {
            return false;
        }
        let size = facts
            .functions
            .iter()
            .chain(facts.files.iter())
            .find(|s| s.path == p.finding.path && s.line == p.finding.line)
            .map_or(0, |s| s.lines);
        let n = if is_file { &file_norm } else { &fn_norm };
        let what = if is_file { "files" } else { "functions and handlers" };
        if size >= 3 * FUNCTION_FLOOR.max(if is_file { FILE_FLOOR } else { 0 }) || (!is_file && size >= 200) {
            p.finding.severity = Severity::Medium;
        }
        let fix = if is_file {
            "split it by responsibility (routes, services, data access) into smaller modules"
        } else {
            "split it: keep the handler to parsing the request and shaping the response, and move each step into a named service function that can be tested on its own"
        };
        let context = if n.count < if is_file { 5 } else { MIN_SAMPLE } {
            format!(
                "The project has only {} {what}, too few for a norm, and this is past the {} lines backlens flags regardless",
                n.count,
                if is_file { SMALL_PROJECT_FILE_FLOOR } else { SMALL_PROJECT_FLOOR }
            )
        } else {
            format!(
                "That is far beyond this project's norm: its {} {what} have a median of {:.0} lines and a 95th percentile of {:.0}",
                n.count, n.median, n.p95
            )
        };
        p.finding.message = format!(
            "{} {context}. Code this long mixes several jobs and is hard to review, test and change safely. To fix it, {fix}.",
            p.finding.message
        );
        true
    });
}

crate::merge_fields!(GiantFacts {
    functions,
    files,
    by_name
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outliers_need_the_floor_and_the_relative_limits() {
        let sizes: Vec<u32> = (0..30).map(|i| 8 + i % 10).collect();
        let n = norm(&sizes);
        assert!(is_giant(
            90,
            &n,
            FUNCTION_FLOOR,
            SMALL_PROJECT_FLOOR,
            MIN_SAMPLE
        ));
        assert!(
            !is_giant(50, &n, FUNCTION_FLOOR, SMALL_PROJECT_FLOOR, MIN_SAMPLE),
            "under the floor"
        );
        // A codebase of long functions: 100 lines is its norm.
        let long: Vec<u32> = (0..30).map(|i| 80 + i * 2).collect();
        assert!(!is_giant(
            150,
            &norm(&long),
            FUNCTION_FLOOR,
            SMALL_PROJECT_FLOOR,
            MIN_SAMPLE
        ));
        // Small project: only the high floor counts.
        let few = norm(&[3, 4, 5]);
        assert!(!is_giant(
            80,
            &few,
            FUNCTION_FLOOR,
            SMALL_PROJECT_FLOOR,
            MIN_SAMPLE
        ));
        assert!(is_giant(
            130,
            &few,
            FUNCTION_FLOOR,
            SMALL_PROJECT_FLOOR,
            MIN_SAMPLE
        ));
    }
}
