//! Precision and recall of the finding checks over the labelled corpus in
//! `tests/corpus/` (see its README). Prints the table; fails under precision
//! 0.9 or recall 0.8 overall.

#![cfg(feature = "ssr")]

use backlens::server::review::{review_tree, ReviewOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// (check, project/path, line)
type Place = (String, String, u32);

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Labels of one project: what must be found, and what must not.
fn labels(project: &Path, name: &str) -> (BTreeSet<Place>, BTreeSet<Place>) {
    let (mut expect, mut lookalike) = (BTreeSet::new(), BTreeSet::new());
    let mut stack = vec![project.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let rel = path
                .strip_prefix(project)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for (i, line) in text.lines().enumerate() {
                for (marker, set) in [("expect: ", &mut expect), ("lookalike: ", &mut lookalike)] {
                    // A line may carry several labels (`expect: A expect: B`).
                    for (at, _) in line.match_indices(marker) {
                        let id: String = line[at + marker.len()..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                            .collect();
                        set.insert((id, format!("{name}/{rel}"), i as u32 + 1));
                    }
                }
            }
        }
    }
    (expect, lookalike)
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

#[test]
fn finding_checks_are_precise_and_find_what_the_corpus_labels() {
    let mut expected = BTreeSet::new();
    let mut lookalikes = BTreeSet::new();
    let mut found = BTreeSet::new();
    let mut projects: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    projects.sort();
    assert!(projects.len() >= 5, "the corpus has its projects");
    for project in &projects {
        let name = project.file_name().unwrap().to_string_lossy().to_string();
        let (e, l) = labels(project, &name);
        expected.extend(e);
        lookalikes.extend(l);
        let report = review_tree(project, &ReviewOptions::default(), &mut |_| {}).unwrap();
        found.extend(
            report
                .findings
                .iter()
                .map(|f| (f.check_id.clone(), format!("{name}/{}", f.path), f.line)),
        );
    }
    let checks: BTreeSet<String> = expected.iter().map(|(c, ..)| c.clone()).collect();
    let mut per_check: BTreeMap<String, Counts> = BTreeMap::new();
    let mut mistakes = Vec::new();
    for place in found.iter().filter(|(c, ..)| checks.contains(c)) {
        let counts = per_check.entry(place.0.clone()).or_default();
        if expected.contains(place) {
            counts.tp += 1;
        } else {
            counts.fp += 1;
            let kind = if lookalikes.contains(place) {
                "look-alike flagged"
            } else {
                "unlabelled finding"
            };
            mistakes.push(format!("{kind}: {} {}:{}", place.0, place.1, place.2));
        }
    }
    for place in expected.difference(&found) {
        per_check.entry(place.0.clone()).or_default().fn_ += 1;
        mistakes.push(format!("missed: {} {}:{}", place.0, place.1, place.2));
    }

    let mut total = Counts::default();
    println!(
        "\n{:<12} {:>4} {:>4} {:>4} {:>10} {:>8}",
        "check", "TP", "FP", "FN", "precision", "recall"
    );
    for (check, c) in &per_check {
        println!(
            "{check:<12} {:>4} {:>4} {:>4} {:>10.2} {:>8.2}",
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall()
        );
        total.tp += c.tp;
        total.fp += c.fp;
        total.fn_ += c.fn_;
    }
    println!(
        "{:<12} {:>4} {:>4} {:>4} {:>10.2} {:>8.2}   ({} look-alikes labelled)",
        "overall",
        total.tp,
        total.fp,
        total.fn_,
        total.precision(),
        total.recall(),
        lookalikes.len()
    );
    for m in &mistakes {
        println!("  {m}");
    }
    assert!(total.tp > 0, "the corpus exercises the checks");
    assert!(
        total.precision() >= 0.9,
        "precision {:.2} under 0.9: {mistakes:#?}",
        total.precision()
    );
    assert!(
        total.recall() >= 0.8,
        "recall {:.2} under 0.8: {mistakes:#?}",
        total.recall()
    );
}
