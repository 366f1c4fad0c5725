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

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ProjectFacts {
    /// Every file the walk found (reviewed or skipped for its content).
    pub all_paths: Vec<String>,
    /// Manifests read, and database packages they declare.
    pub manifests: Vec<String>,
    pub database_packages: Vec<Evidence>,
    /// String literals that read like SQL (first few).
    pub sql_strings: Vec<Evidence>,
    /// Route registrations outside test code.
    pub routes: Vec<Route>,
    /// Test files and (up to a budget) their text.
    pub test_texts: Vec<(String, String)>,
    pub test_text_bytes: usize,
    /// `scripts.test` of package.json files.
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
    pub parsed: BTreeMap<Language, usize>,
    /// Text files scanned for secrets, by language (`None`: other text).
    #[serde(with = "as_pairs")]
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
