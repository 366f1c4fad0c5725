//! What the per-file pass learns about the project as a whole, for the
//! practice checks and for the summaries of the finding checks.

use super::language::Language;
use super::routes::Route;
use crate::model::Evidence;
use std::collections::BTreeMap;

/// Test file contents kept for the "do tests mention the routes" check, at most.
pub const MAX_TEST_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// SQL string literals kept as evidence that the project uses a database.
pub const MAX_SQL_STRINGS: usize = 10;

/// Whether a facts field holds nothing (an empty list or map, zero, false,
/// `None`). Facts fields skip such values when they are written (the review
/// cache holds one set of facts per file, most of them empty: 1.4 KB per
/// file before, read back on every re-review) and read them back as their
/// default.
pub trait Empty {
    fn is_empty_value(&self) -> bool;
}

macro_rules! empty_by_is_empty {
    ($($t:ty),*) => {$(
        impl<T> Empty for $t { fn is_empty_value(&self) -> bool { self.is_empty() } }
    )*};
}
empty_by_is_empty!(Vec<T>, std::collections::BTreeSet<T>);

impl<K, V> Empty for BTreeMap<K, V> {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
}

impl<T> Empty for Option<T> {
    fn is_empty_value(&self) -> bool {
        self.is_none()
    }
}

impl Empty for String {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
}

impl Empty for bool {
    fn is_empty_value(&self) -> bool {
        !*self
    }
}

macro_rules! empty_when_zero {
    ($($t:ty),*) => {$(
        impl Empty for $t { fn is_empty_value(&self) -> bool { *self == 0 } }
    )*};
}
empty_when_zero!(usize, u32, u64);

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ProjectFacts {
    /// Every file the walk found (reviewed or skipped for its content).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub all_paths: Vec<String>,
    /// Manifests read, and database packages they declare.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub manifests: Vec<String>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub database_packages: Vec<Evidence>,
    /// String literals that read like SQL (first few).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub sql_strings: Vec<Evidence>,
    /// Route registrations outside test code.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub routes: Vec<Route>,
    /// Test files and (up to a budget) their text.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub test_texts: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub test_text_bytes: usize,
    /// `scripts.test` of package.json files.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub npm_test_scripts: Vec<Evidence>,
    /// Files examined by each rule family, by language.
    pub coverage: Coverage,
    /// Routers, routes and frameworks for the route map.
    pub route_map: super::route_map::RouteCollector,
    /// What the SEC/API rules of [`super::sec_api`] gathered.
    pub sec_api: super::sec_api::Facts,
    /// What the ARCH/DATA/OBS/TEST rules of [`super::design`] gathered.
    pub design: super::design::DesignFacts,
}

/// How many files each check looked at.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    /// Parsed source files (JS/TS, Python, Go, Rust), by language.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub parsed: BTreeMap<Language, usize>,
    /// Text files scanned for secrets, by language (`None`: other text).
    #[serde(with = "as_pairs")]
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub text: BTreeMap<Option<Language>, usize>,
}

impl Coverage {
    pub fn parsed_total(&self) -> usize {
        self.parsed.values().sum()
    }

    pub fn text_total(&self) -> usize {
        self.text.values().sum()
    }

    /// "5 TypeScript, 2 Python"
    pub fn describe_parsed(&self) -> String {
        describe(self.parsed.iter().map(|(l, n)| (l.name(), *n)))
    }

    /// "5 TypeScript, 3 other text files"
    pub fn describe_text(&self) -> String {
        describe(
            self.text
                .iter()
                .map(|(l, n)| (l.map_or("other text files", |l| l.name()), *n)),
        )
    }
}

fn describe<'a>(counts: impl Iterator<Item = (&'a str, usize)>) -> String {
    let mut counts: Vec<(&str, usize)> = counts.filter(|(_, n)| *n > 0).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
        .iter()
        .map(|(name, n)| format!("{n} {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

crate::merge_fields!(Coverage { parsed, text });

/// A map whose keys are not strings, as a list of pairs (JSON maps need
/// string keys).
mod as_pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer, K: Serialize, V: Serialize>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<
        'de,
        D: Deserializer<'de>,
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
    >(
        d: D,
    ) -> Result<BTreeMap<K, V>, D::Error> {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

impl super::merge::Merge for ProjectFacts {
    fn fold_in(&mut self, later: Self) {
        use super::merge::capped;
        self.all_paths.fold_in(later.all_paths);
        self.manifests.fold_in(later.manifests);
        self.database_packages.fold_in(later.database_packages);
        capped(&mut self.sql_strings, later.sql_strings, MAX_SQL_STRINGS);
        self.routes.fold_in(later.routes);
        // Test texts are kept while they fit the budget, in walk order.
        for (path, text) in later.test_texts {
            if self.test_text_bytes + text.len() <= MAX_TEST_TEXT_BYTES {
                self.test_text_bytes += text.len();
                self.test_texts.push((path, text));
            }
        }
        self.npm_test_scripts.fold_in(later.npm_test_scripts);
        self.coverage.fold_in(later.coverage);
        self.route_map.fold_in(later.route_map);
        self.sec_api.fold_in(later.sec_api);
        self.design.fold_in(later.design);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Empty fields are left out of the written facts and read back as
    /// their defaults; fields with values survive the round trip.
    #[test]
    fn empty_fields_are_left_out_and_read_back() {
        let empty = serde_json::to_string(&ProjectFacts::default()).unwrap();
        assert!(
            !empty.contains("all_paths") && !empty.contains("any_count"),
            "{empty}"
        );
        assert!(empty.len() < 200, "{} bytes: {empty}", empty.len());

        let mut facts = ProjectFacts::default();
        facts.all_paths.push("src/app.ts".into());
        facts.test_text_bytes = 42;
        facts.coverage.text.insert(None, 3);
        facts.coverage.parsed.insert(Language::Go, 2);
        facts.design.parsed_go = 2;
        facts.design.practices.ts_files = 1;
        facts.sec_api.env_names.insert("DATABASE_URL".into());
        let json = serde_json::to_string(&facts).unwrap();
        let back: ProjectFacts = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        assert_eq!(back.all_paths, facts.all_paths);
        assert_eq!(back.test_text_bytes, 42);
        assert_eq!(back.coverage.text.get(&None), Some(&3));
        assert_eq!(back.coverage.parsed.get(&Language::Go), Some(&2));
        assert_eq!(back.design.parsed_go, 2);
        assert_eq!(back.design.practices.ts_files, 1);
        assert!(back.sec_api.env_names.contains("DATABASE_URL"));
    }
}
