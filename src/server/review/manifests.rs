//! What a project's manifests say about it: database drivers and ORMs in
//! `package.json`, `requirements*.txt`, `pyproject.toml`, `Pipfile`,
//! `setup.py`/`setup.cfg`, `go.mod` and `Cargo.toml`.

use super::file_kinds::file_name;
use crate::model::Evidence;

/// Database drivers and ORMs of npm.
const NPM_DATABASE_PACKAGES: &[&str] = &[
    "pg",
    "pg-promise",
    "postgres",
    "@neondatabase/serverless",
    "@vercel/postgres",
    "mysql",
    "mysql2",
    "mariadb",
    "sqlite",
    "sqlite3",
    "better-sqlite3",
    "@libsql/client",
    "prisma",
    "@prisma/client",
    "knex",
    "typeorm",
    "sequelize",
    "drizzle-orm",
    "mongoose",
    "mongodb",
    "@mikro-orm/core",
    "objection",
    "kysely",
    "mssql",
    "tedious",
    "oracledb",
    "slonik",
];

/// Database drivers and ORMs of PyPI (compared with `-`/`_` folded).
const PYPI_DATABASE_PACKAGES: &[&str] = &[
    "sqlalchemy",
    "sqlmodel",
    "psycopg",
    "psycopg2",
    "psycopg2-binary",
    "psycopg-binary",
    "asyncpg",
    "aiosqlite",
    "pymysql",
    "mysqlclient",
    "mysql-connector-python",
    "aiomysql",
    "django",
    "peewee",
    "tortoise-orm",
    "pony",
    "databases",
    "pymongo",
    "motor",
    "mongoengine",
    "alembic",
    "piccolo",
    "ormar",
    "records",
    "dataset",
    "flask-sqlalchemy",
    "prisma",
];

/// Go modules and Rust crates that talk to a database.
const GO_DATABASE_MODULES: &[&str] = &[
    "github.com/lib/pq",
    "github.com/jackc/pgx",
    "gorm.io/gorm",
    "github.com/jmoiron/sqlx",
    "github.com/go-sql-driver/mysql",
    "github.com/mattn/go-sqlite3",
    "entgo.io/ent",
    "go.mongodb.org/mongo-driver",
    "modernc.org/sqlite",
    "github.com/uptrace/bun",
];
const CARGO_DATABASE_CRATES: &[&str] = &[
    "sqlx",
    "diesel",
    "sea-orm",
    "tokio-postgres",
    "postgres",
    "rusqlite",
    "mysql",
    "mongodb",
];

/// Is this a manifest the engine reads?
pub fn is_manifest(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "package.json"
            | "pyproject.toml"
            | "pipfile"
            | "setup.py"
            | "setup.cfg"
            | "go.mod"
            | "cargo.toml"
    ) || (name.starts_with("requirements") && name.ends_with(".txt"))
        || (path.to_ascii_lowercase().contains("requirements/") && name.ends_with(".txt"))
}

/// Where a manifest declares a database driver or ORM: one evidence per
/// package, with its line.
pub fn database_packages(path: &str, text: &str) -> Vec<Evidence> {
    let name = file_name(path).to_ascii_lowercase();
    let found: Vec<(String, u32)> = match name.as_str() {
        "package.json" => npm_packages(text),
        "go.mod" => lines_mentioning(text, GO_DATABASE_MODULES, |line, m| line.contains(m)),
        "cargo.toml" => lines_mentioning(text, CARGO_DATABASE_CRATES, |line, c| {
            let key = line.split(['=', '.', ' ']).next().unwrap_or("").trim();
            key == *c
        }),
        _ => python_packages(text),
    };
    found
        .into_iter()
        .map(|(package, line)| Evidence {
            path: path.to_string(),
            line: Some(line),
            note: format!("database package `{package}`"),
        })
        .collect()
}

/// Dependencies of a package.json that are database packages.
fn npm_packages(text: &str) -> Vec<(String, u32)> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for section in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
        let Some(deps) = json.get(section).and_then(|d| d.as_object()) else {
            continue;
        };
        for name in deps.keys() {
            if NPM_DATABASE_PACKAGES.contains(&name.as_str()) && !out.iter().any(|(n, _)| n == name)
            {
                out.push((name.clone(), line_of(text, &format!("\"{name}\""))));
            }
        }
    }
    out
}

/// Database packages in a Python manifest (requirements, pyproject, Pipfile,
/// setup.py/cfg): a package name at the start of a requirement, quoted, or as
/// a TOML key.
fn python_packages(text: &str) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        for token in requirement_names(line) {
            let folded = fold(&token);
            if let Some(package) = PYPI_DATABASE_PACKAGES.iter().find(|p| fold(p) == folded) {
                if !out.iter().any(|(n, _)| n == package) {
                    out.push((
                        package.to_string(),
                        u32::try_from(i + 1).unwrap_or(u32::MAX),
                    ));
                }
            }
        }
    }
    out
}

/// Candidate package names on a manifest line: `name>=1`, `"name[extra]>=1"`,
/// `name = "^1"`.
fn requirement_names(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let is_name = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    // Each quoted string and the line itself may start with a requirement.
    let mut starts = vec![line];
    for (i, part) in line.split(['"', '\'']).enumerate() {
        if i % 2 == 1 {
            starts.push(part);
        }
    }
    for s in starts {
        let name: String = s.trim().chars().take_while(|c| is_name(*c)).collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

fn fold(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

fn lines_mentioning(
    text: &str,
    names: &[&str],
    matches: impl Fn(&str, &&str) -> bool,
) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for name in names {
            if matches(line.trim(), name) && !out.iter().any(|(n, _)| n == name) {
                out.push((name.to_string(), u32::try_from(i + 1).unwrap_or(u32::MAX)));
            }
        }
    }
    out
}

/// 1-based line of the first occurrence of `needle`, or 1.
fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| u32::try_from(i + 1).unwrap_or(u32::MAX))
}

/// The `scripts.test` line of a package.json, if any.
pub fn npm_test_script(text: &str) -> Option<(String, u32)> {
    let json = serde_json::from_str::<serde_json::Value>(text).ok()?;
    let script = json.get("scripts")?.get("test")?.as_str()?.to_string();
    let line = line_of(text, "\"test\"");
    Some((script, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packages(path: &str, text: &str) -> Vec<(String, Option<u32>)> {
        database_packages(path, text)
            .into_iter()
            .map(|e| (e.note, e.line))
            .collect()
    }

    #[test]
    fn npm_database_drivers_are_found_with_their_line() {
        let pkg = "{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"express\": \"^4\",\n    \"pg\": \"^8.11.0\"\n  }\n}\n";
        assert_eq!(
            packages("package.json", pkg),
            vec![("database package `pg`".into(), Some(5))]
        );
        assert!(packages("package.json", "{\"dependencies\":{\"express\":\"4\"}}").is_empty());
        assert!(packages("package.json", "not json").is_empty());
    }

    #[test]
    fn python_database_packages_are_found_in_requirements_and_pyproject() {
        let req = "fastapi==0.110\nSQLAlchemy[asyncio]>=2.0  # orm\npsycopg2-binary\n";
        assert_eq!(
            packages("requirements.txt", req),
            vec![
                ("database package `sqlalchemy`".into(), Some(2)),
                ("database package `psycopg2-binary`".into(), Some(3))
            ]
        );
        let pyproject = "[project]\ndependencies = [\n  \"fastapi>=0.110\",\n  \"sqlalchemy>=2.0\",\n]\n[tool.poetry.dependencies]\nasyncpg = \"^0.29\"\n";
        assert_eq!(packages("pyproject.toml", pyproject).len(), 2);
        assert!(packages("requirements-dev.txt", "pytest\nhttpx\n").is_empty());
    }

    #[test]
    fn manifests_are_recognised_by_name() {
        for p in [
            "package.json",
            "api/pyproject.toml",
            "requirements-dev.txt",
            "requirements/base.txt",
            "go.mod",
            "Cargo.toml",
        ] {
            assert!(is_manifest(p), "{p}");
        }
        assert!(!is_manifest("src/package.ts"));
    }
}
