//! Which language a file is written in, judged by its extension, and which
//! tree-sitter grammar parses it.

/// A language counted in the report. Only these are counted; other text files
/// are still reviewed for secrets.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Language {
    TypeScript,
    JavaScript,
    Python,
    Go,
    Rust,
}

impl Language {
    /// The language of a file name, by its extension.
    pub fn of_path(path: &str) -> Option<Language> {
        match extension(path)?.as_str() {
            "ts" | "mts" | "cts" | "tsx" => Some(Language::TypeScript),
            "js" | "jsx" | "mjs" | "cjs" => Some(Language::JavaScript),
            "py" => Some(Language::Python),
            "go" => Some(Language::Go),
            "rs" => Some(Language::Rust),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::TypeScript => "TypeScript",
            Language::JavaScript => "JavaScript",
            Language::Python => "Python",
            Language::Go => "Go",
            Language::Rust => "Rust",
        }
    }
}

/// A tree-sitter grammar the engine parses with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Grammar {
    /// TypeScript without JSX (`.ts`, `.mts`, `.cts`).
    TypeScript,
    /// TypeScript with JSX; also parses plain JavaScript (`.tsx`, `.js`, `.jsx`, `.mjs`, `.cjs`).
    Tsx,
    Python,
    Go,
    Rust,
}

impl Grammar {
    /// Every grammar the engine parses with.
    pub const ALL: [Grammar; 5] = [
        Grammar::TypeScript,
        Grammar::Tsx,
        Grammar::Python,
        Grammar::Go,
        Grammar::Rust,
    ];

    /// The grammar for a file name, or `None` when the engine does not parse it.
    pub fn of_path(path: &str) -> Option<Grammar> {
        match extension(path)?.as_str() {
            "ts" | "mts" | "cts" => Some(Grammar::TypeScript),
            "tsx" | "js" | "jsx" | "mjs" | "cjs" => Some(Grammar::Tsx),
            "py" => Some(Grammar::Python),
            "go" => Some(Grammar::Go),
            "rs" => Some(Grammar::Rust),
            _ => None,
        }
    }

    /// Python. Rules written for Python trees check this.
    pub fn is_python(self) -> bool {
        self == Grammar::Python
    }

    /// TypeScript or JavaScript (either TS grammar). Rules written for JS
    /// trees must check this rather than "not Python": Go and Rust trees
    /// are parsed too.
    pub fn is_js(self) -> bool {
        matches!(self, Grammar::TypeScript | Grammar::Tsx)
    }

    pub fn ts_language(self) -> tree_sitter::Language {
        match self {
            Grammar::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Grammar::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Grammar::Python => tree_sitter_python::LANGUAGE.into(),
            Grammar::Go => tree_sitter_go::LANGUAGE.into(),
            Grammar::Rust => tree_sitter_rust::LANGUAGE.into(),
        }
    }
}

/// The lower-cased extension of the last path segment, without the dot.
fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_map_to_the_languages_the_report_counts() {
        assert_eq!(Language::of_path("src/a.ts"), Some(Language::TypeScript));
        assert_eq!(Language::of_path("src/a.mts"), Some(Language::TypeScript));
        assert_eq!(Language::of_path("src/a.tsx"), Some(Language::TypeScript));
        assert_eq!(Language::of_path("a.cjs"), Some(Language::JavaScript));
        assert_eq!(Language::of_path("a.jsx"), Some(Language::JavaScript));
        assert_eq!(Language::of_path("app/main.py"), Some(Language::Python));
        assert_eq!(Language::of_path("main.go"), Some(Language::Go));
        assert_eq!(Language::of_path("lib.rs"), Some(Language::Rust));
        assert_eq!(Language::of_path("README.md"), None);
        assert_eq!(Language::of_path(".ts"), None);
    }

    #[test]
    fn javascript_is_parsed_with_the_tsx_grammar_and_typescript_without_it() {
        assert_eq!(Grammar::of_path("a.ts"), Some(Grammar::TypeScript));
        assert_eq!(Grammar::of_path("a.cts"), Some(Grammar::TypeScript));
        assert_eq!(Grammar::of_path("a.tsx"), Some(Grammar::Tsx));
        assert_eq!(Grammar::of_path("a.mjs"), Some(Grammar::Tsx));
        assert_eq!(Grammar::of_path("a.py"), Some(Grammar::Python));
        assert_eq!(Grammar::of_path("a.go"), Some(Grammar::Go));
        assert_eq!(Grammar::of_path("src/main.rs"), Some(Grammar::Rust));
        assert_eq!(Grammar::of_path("a.java"), None);
        assert!(Grammar::Tsx.is_js() && !Grammar::Go.is_js() && !Grammar::Rust.is_python());
    }
}
