//! DATA-MIGRATIONS: does a project that uses a database keep versioned
//! migrations?

use super::checks::{list_some, plural, result, MAX_EVIDENCE};
use super::facts::ProjectFacts;
use super::file_kinds::file_name;
use crate::model::{CheckResult, Evidence, Verdict};

pub const CHECK_ID: &str = "DATA-MIGRATIONS";

const LOOKED_FOR: &str = "looked for prisma/migrations/, alembic.ini with alembic/versions/, Django migrations/0001_*.py, a drizzle meta/_journal.json, golang-migrate NNN_name.up.sql, goose and sqlx numbered .sql files, diesel migrations/<date>_name/up.sql, refinery/Flyway V1__name.sql, an Atlas atlas.sum, and migrations/, migrate/ or db/migrate/ directories with numbered files";

/// What kind of migration a path is, if it is one. `exists` tells whether
/// another path of the project exists (an Alembic `versions/` directory sits
/// next to the `env.py` of its environment).
pub fn migration_kind(path: &str, exists: &dyn Fn(&str) -> bool) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let segments: Vec<&str> = lower.split('/').collect();
    let name = file_name(&lower);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if lower.contains("prisma/migrations/") && name == "migration.sql" {
        return Some("Prisma migration");
    }
    if name == "_journal.json" && lower.ends_with("meta/_journal.json") {
        return Some("Drizzle migration journal");
    }
    let n = segments.len();
    if n >= 2
        && segments[n - 2] == "versions"
        && ext == "py"
        && name != "__init__.py"
        && name != "env.py"
    {
        let env_py = path
            .rsplitn(3, '/')
            .nth(2)
            .map_or_else(|| "env.py".to_string(), |dir| format!("{dir}/env.py"));
        if exists(&env_py) {
            return Some("Alembic migration");
        }
    }
    if n >= 2
        && segments[n - 2] == "migrations"
        && ext == "py"
        && name.len() > 5
        && name.bytes().take(4).all(|b| b.is_ascii_digit())
        && name.as_bytes()[4] == b'_'
    {
        return Some("Django migration");
    }
    if name == "atlas.sum" {
        return Some("Atlas migration directory");
    }
    let in_migrations_dir = segments
        .iter()
        .take(n.saturating_sub(1))
        .any(|s| matches!(*s, "migrations" | "migrate" | "migration"));
    if in_migrations_dir {
        let digits = name.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && (name.ends_with(".up.sql") || name.ends_with(".down.sql")) {
            return Some("golang-migrate migration");
        }
        if n >= 2 && (name == "up.sql" || name == "down.sql") {
            let dir = segments[n - 2];
            if dir.len() > 17 && dir.as_bytes()[4] == b'-' && dir.as_bytes()[10] == b'-' {
                return Some("Diesel migration");
            }
        }
        if name.starts_with('v')
            && name.contains("__")
            && name[1..].bytes().next().is_some_and(|b| b.is_ascii_digit())
            && (ext == "sql" || ext == "rs")
        {
            return Some("refinery/Flyway migration");
        }
    }
    // migrations/0001_init.sql, db/migrate/20240101_create.rb,
    // migrations/2024-01-01-000000_create/up.sql (diesel), db/migration/V1__init.sql.
    for (i, seg) in segments.iter().enumerate().take(n.saturating_sub(1)) {
        if !matches!(*seg, "migrations" | "migrate" | "migration") {
            continue;
        }
        let next = segments[i + 1];
        let numbered = next.chars().next().is_some_and(|c| c.is_ascii_digit())
            || (next.starts_with('v') && next.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
        let code = matches!(
            ext,
            "sql" | "js" | "ts" | "mjs" | "cjs" | "py" | "go" | "rb" | "rs"
        );
        if numbered && code {
            return Some("versioned migration");
        }
    }
    None
}

pub fn check(facts: &ProjectFacts) -> CheckResult {
    let has_alembic_ini = facts
        .all_paths
        .iter()
        .any(|p| file_name(p).eq_ignore_ascii_case("alembic.ini"));
    let mut migrations: Vec<Evidence> = Vec::new();
    if has_alembic_ini {
        for p in facts
            .all_paths
            .iter()
            .filter(|p| file_name(p).eq_ignore_ascii_case("alembic.ini"))
        {
            migrations.push(Evidence {
                path: p.clone(),
                line: None,
                note: "Alembic configuration".to_string(),
            });
        }
    }
    let known: std::collections::HashSet<&str> =
        facts.all_paths.iter().map(String::as_str).collect();
    let exists = |p: &str| known.contains(p);
    let mut count = 0usize;
    for path in &facts.all_paths {
        if let Some(kind) = migration_kind(path, &exists) {
            count += 1;
            migrations.push(Evidence {
                path: path.clone(),
                line: None,
                note: kind.to_string(),
            });
        }
    }
    let prisma_schema: Vec<Evidence> = facts
        .all_paths
        .iter()
        .filter(|p| file_name(p) == "schema.prisma")
        .map(|p| Evidence {
            path: p.clone(),
            line: None,
            note: "Prisma schema".to_string(),
        })
        .collect();

    if count > 0 {
        let files: Vec<String> = migrations
            .iter()
            .filter(|e| e.note != "Alembic configuration")
            .map(|e| e.path.clone())
            .collect();
        let kinds = {
            let mut k: Vec<&str> = migrations
                .iter()
                .filter(|e| e.note != "Alembic configuration")
                .map(|e| e.note.as_str())
                .collect();
            k.sort();
            k.dedup();
            k.join(", ")
        };
        migrations.truncate(MAX_EVIDENCE);
        return result(
            CHECK_ID,
            Verdict::Pass,
            format!(
                "Versioned migrations found: {count} file{} ({kinds}): {}.",
                plural(count),
                list_some(&files, 3)
            ),
            migrations,
        );
    }

    let mut uses_database: Vec<Evidence> = facts.database_packages.clone();
    uses_database.extend(prisma_schema);
    let shown_by = if !uses_database.is_empty() {
        let what: Vec<String> = uses_database
            .iter()
            .map(|e| {
                format!(
                    "{} in {}",
                    e.note.trim_start_matches("database package "),
                    e.path
                )
            })
            .collect();
        list_some(&what, 3)
    } else if !facts.sql_strings.is_empty() {
        format!(
            "SQL in {}",
            list_some(
                &facts
                    .sql_strings
                    .iter()
                    .map(|e| e.path.clone())
                    .collect::<Vec<_>>(),
                3
            )
        )
    } else {
        let examined = if facts.manifests.is_empty() {
            "no package.json, requirements*.txt or pyproject.toml was found".to_string()
        } else {
            format!("examined {}", list_some(&facts.manifests, 5))
        };
        let evidence = facts
            .manifests
            .iter()
            .take(MAX_EVIDENCE)
            .map(|m| Evidence {
                path: m.clone(),
                line: None,
                note: "manifest without a database package".to_string(),
            })
            .collect();
        return result(
            CHECK_ID,
            Verdict::NotApplicable,
            format!(
                "No database use found: no database driver or ORM in the manifests ({examined}) and no SQL in the code."
            ),
            evidence,
        );
    };
    uses_database.extend(facts.sql_strings.iter().cloned());
    uses_database.truncate(MAX_EVIDENCE);
    result(
        CHECK_ID,
        Verdict::Fail,
        format!(
            "The project uses a database ({shown_by}) but has no versioned migrations: {LOOKED_FOR}. Schema changes then depend on someone running SQL by hand."
        ),
        uses_database,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_layouts_of_common_tools_are_recognised() {
        let exists = |p: &str| p == "alembic/env.py" || p == "app/migrations/env.py";
        let cases = [
            (
                "prisma/migrations/20240101120000_init/migration.sql",
                "Prisma migration",
            ),
            ("alembic/versions/0001_create_items.py", "Alembic migration"),
            ("app/migrations/versions/ab12cd_add.py", "Alembic migration"),
            ("shop/migrations/0001_initial.py", "Django migration"),
            ("drizzle/meta/_journal.json", "Drizzle migration journal"),
            (
                "migrations/20240101120000_create_orders.js",
                "versioned migration",
            ),
            (
                "db/migrate/20240101120000_create_users.rb",
                "versioned migration",
            ),
            ("migrations/000001_init.up.sql", "golang-migrate migration"),
            (
                "migrations/2024-01-01-000000_create/up.sql",
                "Diesel migration",
            ),
            ("src/db/migration/V1__init.sql", "refinery/Flyway migration"),
            ("migrations/V2__orders.rs", "refinery/Flyway migration"),
            ("migrations/20240301120000_init.sql", "versioned migration"),
            (
                "db/migrations/20240301120000_orders.go",
                "versioned migration",
            ),
            (
                "ent/migrate/migrations/atlas.sum",
                "Atlas migration directory",
            ),
            (
                "src/migrations/1700000000000-CreateUsers.ts",
                "versioned migration",
            ),
        ];
        for (path, kind) in cases {
            assert_eq!(migration_kind(path, &exists), Some(kind), "{path}");
        }
        for path in [
            "src/migrations.ts",
            "migrations/README.md",
            "shop/migrations/__init__.py",
            "alembic/env.py",
            "src/versions/v1.py",
            "migrations/helpers.js",
        ] {
            assert_eq!(migration_kind(path, &exists), None, "{path}");
        }
    }
}
