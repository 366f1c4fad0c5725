//! What role a file plays in a project, judged by its path: test code, test
//! fixtures, documentation, example/template files, committed `.env` files.
//! Paths are relative to the reviewed root, with `/` separators.

use super::language::Language;

/// The last segment of a path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The directory segments of a path (everything but the file name), lower-cased.
fn dir_segments(path: &str) -> impl Iterator<Item = String> + '_ {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts.into_iter().map(|s| s.to_ascii_lowercase())
}

fn in_dir_named(path: &str, names: &[&str]) -> bool {
    dir_segments(path).any(|seg| names.contains(&seg.as_str()))
}

/// A file name that follows a test naming convention: `*.test.*`, `*.spec.*`,
/// `test_*.py`, `*_test.py`, `*_test.go`.
fn has_test_file_name(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| *p == "test" || *p == "spec")
    {
        return true;
    }
    (name.starts_with("test_") && name.ends_with(".py"))
        || name.ends_with("_test.py")
        || name.ends_with("_test.go")
}

/// A TypeScript declaration file (`.d.ts`, `.d.mts`, `.d.cts`): types only,
/// no code that runs, so the syntax rules have nothing to read in it.
pub fn is_type_declaration(path: &str) -> bool {
    let name = file_name(path);
    [".d.ts", ".d.mts", ".d.cts"]
        .iter()
        .any(|ext| name.len() > ext.len() && name.ends_with(ext))
}

/// Test code or test data: where a hard-coded credential is most likely a dummy.
pub fn is_test_or_fixture_path(path: &str) -> bool {
    has_test_file_name(path)
        || in_dir_named(
            path,
            &[
                "test",
                "tests",
                "__tests__",
                "fixtures",
                "__fixtures__",
                "testdata",
                "__mocks__",
            ],
        )
}

/// A file that shows the project has tests: test code in a language the engine
/// knows, or a pytest set-up file.
pub fn is_test_file(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    if name == "pytest.ini" || name == "conftest.py" {
        return true;
    }
    if Language::of_path(path).is_none() {
        return false;
    }
    if in_dir_named(path, &["fixtures", "__fixtures__", "testdata", "__mocks__"]) {
        return false;
    }
    has_test_file_name(path) || in_dir_named(path, &["test", "tests", "__tests__"])
}

/// What kind of test file it is, for evidence notes.
pub fn test_file_note(path: &str) -> &'static str {
    let name = file_name(path).to_ascii_lowercase();
    match name.as_str() {
        "pytest.ini" => "pytest configuration",
        "conftest.py" => "pytest fixtures (conftest.py)",
        _ if name.ends_with(".py") => "Python test file",
        _ if name.ends_with(".go") => "Go test file",
        _ if name.ends_with(".rs") => "Rust test file",
        _ => "JavaScript/TypeScript test file",
    }
}

/// Documentation and examples: Markdown/reStructuredText files and files under
/// `docs/`, `examples/`.
pub fn is_docs_path(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    name.ends_with(".md")
        || name.ends_with(".mdx")
        || name.ends_with(".rst")
        || in_dir_named(path, &["docs", "doc", "examples", "example"])
}

/// Name parts that mark a file as an example or template.
const EXAMPLE_MARKERS: &[&str] = &["example", "sample", "template", "dist", "tmpl", "tpl"];

/// An example or template file that documents configuration (`.env.example`,
/// `config.sample.json`, `settings.template.py`, `app.env.dist`, ...), where
/// placeholder values such as `changeme` are expected.
pub fn is_example_file(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    name.split(['.', '_', '-'])
        .any(|part| EXAMPLE_MARKERS.contains(&part))
        || is_docs_path(path)
}

/// A dotenv file that holds real configuration: `.env`, `.env.local`,
/// `.env.production`, ... but not `.env.example`, `.env.sample`,
/// `.env.template` or `.env.dist`.
pub fn is_committed_env_file(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    if name == ".env" {
        return true;
    }
    match name.strip_prefix(".env.") {
        Some(rest) => !rest.split('.').any(|p| EXAMPLE_MARKERS.contains(&p)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declaration_files_are_told_from_code() {
        for p in ["types/env.d.ts", "index.d.mts", "lib/a.d.cts"] {
            assert!(is_type_declaration(p), "{p}");
        }
        for p in [
            "src/app.ts",
            "src/d.ts",
            ".d.ts",
            "src/app.d.tsx",
            "build.d.js",
        ] {
            assert!(!is_type_declaration(p), "{p}");
        }
    }

    #[test]
    fn test_naming_conventions_are_recognised() {
        for p in [
            "src/orders.test.ts",
            "src/orders.spec.js",
            "tests/test_items.py",
            "app/items_test.py",
            "test/helpers.ts",
            "src/__tests__/a.tsx",
            "tests/conftest.py",
            "pytest.ini",
        ] {
            assert!(is_test_file(p), "{p}");
        }
        for p in [
            "src/testing.ts",
            "src/contest.py",
            "tests/fixtures/data.ts",
            "README.md",
            "tests/data.json",
        ] {
            assert!(!is_test_file(p), "{p}");
        }
    }

    #[test]
    fn fixtures_count_as_test_data_but_not_as_tests() {
        assert!(is_test_or_fixture_path("fixtures/keys.json"));
        assert!(is_test_or_fixture_path("tests/fixtures/data.ts"));
        assert!(!is_test_file("tests/fixtures/data.ts"));
        assert!(!is_test_or_fixture_path("src/latest.ts"));
    }

    #[test]
    fn committed_env_files_exclude_example_and_template_files() {
        assert!(is_committed_env_file(".env"));
        assert!(is_committed_env_file("deploy/.env.production"));
        assert!(is_committed_env_file(".env.local"));
        for p in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            "env.ts",
            ".envrc",
        ] {
            assert!(!is_committed_env_file(p), "{p}");
        }
    }

    #[test]
    fn example_files_and_docs_are_recognised() {
        assert!(is_example_file(".env.example"));
        assert!(is_example_file("config/settings.sample.json"));
        assert!(is_example_file("docs/setup.md"));
        assert!(is_example_file("examples/client.ts"));
        assert!(!is_example_file("src/config.ts"));
        assert!(is_docs_path("README.md"));
        assert!(!is_docs_path("src/server.ts"));
    }
}
