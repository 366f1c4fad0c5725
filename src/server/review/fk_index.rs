//! DATA-FKINDEX: foreign key columns without an index.
//!
//! PostgreSQL and SQLite do not index the referencing column of a foreign
//! key: joins from the parent and every delete/update of a parent row scan
//! the child table. Foreign keys and indexes are collected from every file,
//! and a foreign key is reported when no index, primary key or unique
//! constraint anywhere in the project starts with its column:
//!
//! * SQL (migrations of golang-migrate, goose, sqlx, diesel, refinery,
//!   Prisma, Flyway...; and SQL strings in migration code such as TypeORM's
//!   `queryRunner.query(...)`): `REFERENCES` in `CREATE TABLE`/`ALTER TABLE`,
//!   `CREATE INDEX ... ON t (c)`. MySQL/InnoDB indexes foreign keys itself,
//!   so MySQL-dialect SQL (`ENGINE=`, `AUTO_INCREMENT`) is not reported.
//! * Prisma schema: `@relation(fields: [authorId], ...)` against `@@index`,
//!   `@@unique`, `@@id`, `@id`, `@unique` (not for MySQL unless
//!   `relationMode = "prisma"`).
//! * Django: `ForeignKey`/`OneToOneField` are indexed by default; only
//!   `db_index=False` without a `Meta` index on the field is reported.
//! * SQLAlchemy models and Alembic: `ForeignKey(...)` in a `Column`/
//!   `mapped_column` without `index=True`, `op.create_foreign_key`, against
//!   `op.create_index`, `Index(...)`, `PrimaryKeyConstraint`/`UniqueConstraint`.
//! * Knex: `table.integer("user_id").references(...)` without `.index()`,
//!   against `table.index([...])`/`unique`/`primary`.

use super::checks::{finding_check, plural, result};
use super::findings::{Draft, Pending};
use super::language::Grammar;
use super::syntax::{first_line, named_children, ParsedFile};
use crate::model::{CheckResult, Finding, Severity, Verdict};
use crate::server::review::facts::Empty;
use crate::server::review::syntax::NodeExt;
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

pub const CHECK_ID: &str = "DATA-FKINDEX";

/// One foreign key column.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    pub path: String,
    pub line: u32,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FkFacts {
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub foreign_keys: Vec<ForeignKey>,
    /// (table, first column) of every index, primary key and unique constraint.
    pub indexed: HashSet<(String, String)>,
    /// Foreign keys the database indexes by itself (Django, MySQL).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub auto_indexed: usize,
    /// Files that declared schema (for the verdict's evidence).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub schema_files: Vec<String>,
}

fn norm_ident(s: &str) -> String {
    let s = s
        .trim()
        .trim_matches(|c| matches!(c, '"' | '`' | '[' | ']' | '\''));
    let s = s.rsplit('.').next().unwrap_or(s);
    s.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']' | '\''))
        .to_ascii_lowercase()
}

fn line_at(text: &str, offset: usize) -> u32 {
    u32::try_from(text[..offset.min(text.len())].matches('\n').count() + 1).unwrap_or(u32::MAX)
}

/// SQL with comments blanked (same length, so offsets keep their lines).
fn blank_comments(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    let mut in_quote = false;
    while i < bytes.len() {
        let c = bytes[i];
        if in_quote {
            if c == b'\'' {
                in_quote = false;
            }
            out.push(c as char);
            i += 1;
            continue;
        }
        if c == b'\'' {
            in_quote = true;
        } else if c == b'-' && bytes.get(i + 1) == Some(&b'-') {
            while i < bytes.len() && bytes[i] != b'\n' {
                out.push(' ');
                i += 1;
            }
            continue;
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                out.push(if bytes[i] == b'\n' { '\n' } else { ' ' });
                i += 1;
            }
            out.push_str("  ");
            i += 2;
            continue;
        }
        out.push(if c.is_ascii() { c as char } else { ' ' });
        i += 1;
    }
    out
}

/// Splits at commas outside parentheses: (offset, element).
fn top_level_items(body: &str, base: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push((base + start, &body[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((base + start, &body[start..]));
    out
}

struct SqlRes {
    create_table: Regex,
    fk_constraint: Regex,
    references: Regex,
    key_list: Regex,
    alter_fk: Regex,
    alter_add_column: Regex,
    create_index: Regex,
}

fn res() -> &'static SqlRes {
    static R: OnceLock<SqlRes> = OnceLock::new();
    R.get_or_init(|| {
        let id = r#"[\w."`\[\]]+"#;
        SqlRes {
            create_table: Regex::new(&format!(r"(?is)^\s*create\s+(?:temp(?:orary)?\s+)?table\s+(?:if\s+not\s+exists\s+)?({id})\s*\(")).unwrap(),
            fk_constraint: Regex::new(&format!(r"(?is)foreign\s+key\s*\(\s*({id})[^)]*\)\s*references\s+({id})")).unwrap(),
            references: Regex::new(&format!(r"(?is)\breferences\s+({id})")).unwrap(),
            key_list: Regex::new(&format!(r"(?is)^\s*(?:constraint\s+{id}\s+)?(?:primary\s+key|unique(?:\s+key|\s+index)?|key|index)\s*(?:{id}\s*)?\(\s*({id})")).unwrap(),
            alter_fk: Regex::new(&format!(r"(?is)^\s*alter\s+table\s+(?:only\s+)?(?:if\s+exists\s+)?({id})\s+add\s+(?:constraint\s+{id}\s+)?foreign\s+key\s*\(\s*({id})[^)]*\)\s*references\s+({id})")).unwrap(),
            alter_add_column: Regex::new(&format!(r"(?is)^\s*alter\s+table\s+(?:only\s+)?({id})\s+add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?({id})\s+[^;]*?\breferences\s+({id})")).unwrap(),
            create_index: Regex::new(&format!(r"(?is)^\s*create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:{id}\s+)?on\s+(?:only\s+)?({id})\s*(?:using\s+\w+\s*)?\(\s*({id})")).unwrap(),
        }
    })
}

/// Reads the schema statements of one SQL text; `line_base` is added to
/// line numbers (for SQL inside a string literal).
fn scan_sql(sql: &str, path: &str, line_base: u32, facts: &mut FkFacts, drafts: &mut Vec<Draft>) {
    let blank = blank_comments(sql);
    let lower = blank.to_ascii_lowercase();
    let mysql =
        lower.contains("engine=") || lower.contains("engine =") || lower.contains("auto_increment");
    let r = res();
    let mut offset = 0usize;
    let mut found_any = false;
    for stmt in blank.split(';') {
        let base = offset;
        offset += stmt.len() + 1;
        let line_of = |o: usize| line_base + line_at(sql, o) - 1;
        if let Some(c) = r.create_table.captures(stmt) {
            found_any = true;
            let table = norm_ident(&c[1]);
            let open = c.get(0).unwrap().end();
            let close = stmt.rfind(')').unwrap_or(stmt.len()).max(open);
            for (item_off, item) in top_level_items(&stmt[open..close], base + open) {
                let trimmed = item.trim_start();
                let lead = item.len() - trimmed.len();
                let item_line = line_of(item_off + lead);
                let lower_item = trimmed.to_ascii_lowercase();
                if let Some(k) = r.key_list.captures(trimmed) {
                    facts.indexed.insert((table.clone(), norm_ident(&k[1])));
                    continue;
                }
                if let Some(fk) = r.fk_constraint.captures(trimmed) {
                    add_fk(
                        facts,
                        drafts,
                        mysql,
                        &table,
                        &norm_ident(&fk[1]),
                        &norm_ident(&fk[2]),
                        path,
                        item_line,
                    );
                    continue;
                }
                let column = norm_ident(trimmed.split_whitespace().next().unwrap_or(""));
                if lower_item.contains("primary key") || lower_item.contains(" unique") {
                    facts.indexed.insert((table.clone(), column.clone()));
                }
                if let Some(rf) = r.references.captures(trimmed) {
                    add_fk(
                        facts,
                        drafts,
                        mysql,
                        &table,
                        &column,
                        &norm_ident(&rf[1]),
                        path,
                        item_line,
                    );
                }
            }
            continue;
        }
        if let Some(c) = r.alter_fk.captures(stmt) {
            found_any = true;
            let at =
                line_of(base + c.get(0).unwrap().start() + (stmt.len() - stmt.trim_start().len()));
            add_fk(
                facts,
                drafts,
                mysql,
                &norm_ident(&c[1]),
                &norm_ident(&c[2]),
                &norm_ident(&c[3]),
                path,
                at,
            );
            continue;
        }
        if let Some(c) = r.alter_add_column.captures(stmt) {
            found_any = true;
            let at = line_of(base + (stmt.len() - stmt.trim_start().len()));
            add_fk(
                facts,
                drafts,
                mysql,
                &norm_ident(&c[1]),
                &norm_ident(&c[2]),
                &norm_ident(&c[3]),
                path,
                at,
            );
            continue;
        }
        if let Some(c) = r.create_index.captures(stmt) {
            found_any = true;
            facts.indexed.insert((norm_ident(&c[1]), norm_ident(&c[2])));
        }
    }
    if found_any && !facts.schema_files.iter().any(|p| p == path) {
        facts.schema_files.push(path.to_string());
    }
}

#[allow(clippy::too_many_arguments)]
fn add_fk(
    facts: &mut FkFacts,
    drafts: &mut Vec<Draft>,
    auto_indexed: bool,
    table: &str,
    column: &str,
    references: &str,
    path: &str,
    line: u32,
) {
    if auto_indexed {
        facts.auto_indexed += 1;
        return;
    }
    facts.foreign_keys.push(ForeignKey {
        table: table.to_string(),
        column: column.to_string(),
        path: path.to_string(),
        line,
    });
    let fix = if path.ends_with(".prisma") {
        format!("add `@@index([{column}])` to the model and create a migration")
    } else if path.ends_with(".py") && !path.contains("migrations/") && !path.contains("versions/")
    {
        "declare the column with `index=True` (or a Meta/`__table_args__` index) and generate a migration".to_string()
    } else if path.ends_with(".js") || path.ends_with(".ts") {
        format!("chain `.index()` on the column, or add `table.index(['{column}'])`")
    } else {
        format!("add `CREATE INDEX {table}_{column}_idx ON {table} ({column});` in a new migration")
    };
    drafts.push(Draft {
        check_id: CHECK_ID,
        severity: Severity::Medium,
        line,
        end_line: line,
        message: format!(
            "Foreign key `{table}.{column}` (→ `{references}`) has no index: joins from `{references}` and every delete or key update there scan all of `{table}`, which gets slow and lock-heavy as it grows. To fix it, {fix}."
        ),
        code: format!("{table}.{column} -> {references}"),
        secrets: Vec::new(),
    });
}

/// Text files: SQL and Prisma schemas.
pub fn scan_text(path: &str, text: &str, facts: &mut FkFacts) -> Vec<Draft> {
    let lower = path.to_ascii_lowercase();
    let mut drafts = Vec::new();
    if super::file_kinds::is_test_or_fixture_path(path) {
        return drafts;
    }
    if lower.ends_with(".sql") {
        // Down migrations drop what the up migrations create.
        let name = super::file_kinds::file_name(&lower);
        if name.contains(".down.") || name == "down.sql" || name.starts_with("down") {
            return drafts;
        }
        let up = match text.find("-- +goose Down") {
            Some(i) => &text[..i],
            None => text,
        };
        scan_sql(up, path, 1, facts, &mut drafts);
    } else if lower.ends_with(".prisma") {
        scan_prisma(path, text, facts, &mut drafts);
    }
    drafts
}

fn scan_prisma(path: &str, text: &str, facts: &mut FkFacts, drafts: &mut Vec<Draft>) {
    let lower = text.to_ascii_lowercase();
    let mysql = lower.contains("provider = \"mysql\"") || lower.contains("provider=\"mysql\"");
    let relation_mode_prisma = lower.contains("relationmode") && lower.contains("\"prisma\"");
    let auto = mysql && !relation_mode_prisma;
    static FIELDS: OnceLock<Regex> = OnceLock::new();
    let fields_re = FIELDS.get_or_init(|| Regex::new(r"fields\s*:\s*\[\s*(\w+)").unwrap());
    static LIST: OnceLock<Regex> = OnceLock::new();
    let list_re = LIST.get_or_init(|| {
        Regex::new(r"@@(?:index|unique|id)\s*\(\s*(?:fields\s*:\s*)?\[\s*(\w+)").unwrap()
    });
    let mut model: Option<String> = None;
    let mut found = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("model ") {
            model = rest
                .split_whitespace()
                .next()
                .map(|m| m.to_ascii_lowercase());
            continue;
        }
        if t.starts_with('}') {
            model = None;
            continue;
        }
        let Some(m) = &model else { continue };
        found = true;
        if let Some(c) = list_re.captures(t) {
            facts.indexed.insert((m.clone(), c[1].to_ascii_lowercase()));
            continue;
        }
        let field = t
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if t.contains("@id") || t.contains("@unique") {
            facts.indexed.insert((m.clone(), field.clone()));
        }
        if t.contains("@relation(") {
            if let Some(c) = fields_re.captures(t) {
                let target = t
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("")
                    .trim_end_matches(['?', '[', ']'])
                    .to_ascii_lowercase();
                add_fk(
                    facts,
                    drafts,
                    auto,
                    m,
                    &c[1].to_ascii_lowercase(),
                    &target,
                    path,
                    u32::try_from(i + 1).unwrap_or(u32::MAX),
                );
            }
        }
    }
    if found && !facts.schema_files.iter().any(|p| p == path) {
        facts.schema_files.push(path.to_string());
    }
}

fn is_migration_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.contains("migration")
        || lower.contains("/versions/")
        || lower.starts_with("versions/")
        || lower.contains("migrate/")
}

/// Parsed files: ORM models, Alembic, Knex, and SQL strings in migration code.
pub fn scan_tree(file: &ParsedFile, facts: &mut FkFacts) -> Vec<Draft> {
    let mut drafts = Vec::new();
    if super::file_kinds::is_test_or_fixture_path(file.path) {
        return drafts;
    }
    if is_migration_path(file.path) {
        file.for_each_node(|n| {
            if matches!(
                n.kind_name(),
                "string"
                    | "template_string"
                    | "interpreted_string_literal"
                    | "raw_string_literal"
                    | "string_literal"
            ) {
                if file
                    .parent(n)
                    .is_some_and(|p| p.kind_name() == "concatenated_string")
                {
                    return;
                }
                let raw = file.text_of(n);
                let lower = raw.to_ascii_lowercase();
                if lower.contains("create table")
                    || lower.contains("create index")
                    || lower.contains("alter table")
                    || lower.contains("create unique index")
                {
                    let inner = raw.trim_matches(|c| matches!(c, '"' | '\'' | '`' | 'r' | '#'));
                    scan_sql(inner, file.path, first_line(n), facts, &mut drafts);
                }
            }
        });
    }
    match file.grammar {
        Grammar::Python => scan_python(file, facts, &mut drafts),
        Grammar::TypeScript | Grammar::Tsx => scan_knex(file, facts, &mut drafts),
        _ => {}
    }
    drafts
}

fn py_string(file: &ParsedFile, node: tree_sitter::Node) -> Option<String> {
    super::syntax::py_literal_text(file, node)
}

fn keyword<'t>(file: &ParsedFile<'t>, call: tree_sitter::Node<'t>, name: &str) -> Option<&'t str> {
    let args = call.field("arguments")?;
    named_children(args).into_iter().find_map(|a| {
        (a.kind_name() == "keyword_argument"
            && a.field("name").is_some_and(|n| file.text_of(n) == name))
        .then(|| a.field("value").map(|v| file.text_of(v)))
        .flatten()
    })
}

fn callee_short<'a>(file: &ParsedFile<'a>, call: tree_sitter::Node) -> &'a str {
    let f = call
        .field("function")
        .map(|f| file.text_of(f))
        .unwrap_or("");
    f.rsplit('.').next().unwrap_or(f)
}

fn scan_python(file: &ParsedFile, facts: &mut FkFacts, drafts: &mut Vec<Draft>) {
    let is_django = file.mentions("django");
    let mut found = false;
    file.for_each_of(&["call"], |n| {
        if n.kind_name() != "call" {
            return;
        }
        let callee = callee_short(file, n);
        let args: Vec<_> = n.field("arguments").map(named_children).unwrap_or_default();
        match callee {
            "ForeignKey" | "OneToOneField" if is_django => {
                found = true;
                let db_index_off = keyword(file, n, "db_index") == Some("False");
                if callee == "OneToOneField" || !db_index_off {
                    facts.auto_indexed += 1;
                    return;
                }
                let Some(field) = assigned_name(file, n) else {
                    return;
                };
                let class = enclosing_class(file, n);
                let class_text = class.map(|c| file.text_of(c)).unwrap_or("");
                let meta_index = Regex::new(&format!(
                    r#"fields\s*=\s*[\[(]\s*["']{}["']"#,
                    regex::escape(&field)
                ))
                .map(|re| re.is_match(class_text))
                .unwrap_or(false);
                let table = class
                    .and_then(|c| c.field("name"))
                    .map(|n| file.text_of(n).to_ascii_lowercase())
                    .unwrap_or_default();
                if meta_index {
                    facts.indexed.insert((table.clone(), field.clone()));
                }
                let target = args
                    .first()
                    .map(|a| file.text_of(*a).trim_matches(['"', '\'']).to_string())
                    .unwrap_or_default();
                add_fk(
                    facts,
                    drafts,
                    false,
                    &table,
                    &field,
                    &target,
                    file.path,
                    first_line(n),
                );
            }
            "ForeignKey" => {
                // SQLAlchemy: inside Column(...)/mapped_column(...)
                let Some(column_call) = file.ancestors(n).take(3).find(|a| {
                    a.kind_name() == "call"
                        && matches!(callee_short(file, *a), "Column" | "mapped_column")
                }) else {
                    return;
                };
                found = true;
                let indexed = ["index", "primary_key", "unique"]
                    .iter()
                    .any(|k| keyword(file, column_call, k) == Some("True"));
                let col_args: Vec<_> = column_call
                    .field("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                let column = col_args
                    .first()
                    .and_then(|a| py_string(file, *a))
                    .or_else(|| assigned_name(file, column_call));
                let Some(column) = column else { return };
                let Some(table) = table_of(file, column_call) else {
                    return;
                };
                let target = args
                    .first()
                    .and_then(|a| py_string(file, *a))
                    .unwrap_or_default();
                let target = target.split('.').next().unwrap_or("").to_string();
                if indexed {
                    facts
                        .indexed
                        .insert((table.clone(), column.to_ascii_lowercase()));
                }
                add_fk(
                    facts,
                    drafts,
                    false,
                    &table,
                    &column.to_ascii_lowercase(),
                    &target,
                    file.path,
                    first_line(column_call),
                );
            }
            "create_foreign_key" => {
                // op.create_foreign_key(name, source, referent, [local_cols], [remote_cols])
                found = true;
                let source = args.get(1).and_then(|a| py_string(file, *a));
                let referent = args
                    .get(2)
                    .and_then(|a| py_string(file, *a))
                    .unwrap_or_default();
                let col = args
                    .get(3)
                    .and_then(|a| a.named_child(0))
                    .and_then(|a| py_string(file, a));
                if let (Some(t), Some(c)) = (source, col) {
                    add_fk(
                        facts,
                        drafts,
                        false,
                        &t.to_ascii_lowercase(),
                        &c.to_ascii_lowercase(),
                        &referent,
                        file.path,
                        first_line(n),
                    );
                }
            }
            "create_index" => {
                let table = args.get(1).and_then(|a| py_string(file, *a));
                let col = args
                    .get(2)
                    .and_then(|a| {
                        if a.kind_name() == "list" {
                            a.named_child(0)
                        } else {
                            Some(*a)
                        }
                    })
                    .and_then(|a| py_string(file, a));
                if let (Some(t), Some(c)) = (table, col) {
                    facts
                        .indexed
                        .insert((t.to_ascii_lowercase(), c.to_ascii_lowercase()));
                }
            }
            "Index" | "PrimaryKeyConstraint" | "UniqueConstraint" => {
                let first_col = if callee == "Index" {
                    args.get(1)
                } else {
                    args.first()
                };
                let col = first_col.and_then(|a| {
                    py_string(file, *a).or_else(|| {
                        (a.kind_name() == "attribute")
                            .then(|| a.field("attribute").map(|x| file.text_of(x).to_string()))
                            .flatten()
                    })
                });
                if let (Some(c), Some(t)) = (col, table_of(file, n)) {
                    facts.indexed.insert((t, c.to_ascii_lowercase()));
                }
            }
            _ => {}
        }
    });
    if found && !facts.schema_files.iter().any(|p| p == file.path) {
        facts.schema_files.push(file.path.to_string());
    }
}

/// `user_id = Column(...)`, `user_id: Mapped[int] = mapped_column(...)`.
fn assigned_name(file: &ParsedFile, call: tree_sitter::Node) -> Option<String> {
    let parent = file.parent(call)?;
    (parent.kind_name() == "assignment")
        .then(|| parent.field("left"))
        .flatten()
        .map(|l| file.text_of(l).to_string())
}

fn enclosing_class<'t>(
    file: &ParsedFile<'t>,
    node: tree_sitter::Node<'t>,
) -> Option<tree_sitter::Node<'t>> {
    file.ancestors(node)
        .find(|a| a.kind_name() == "class_definition")
}

/// The table a column/index belongs to: `op.create_table("t", ...)`,
/// `op.add_column("t", ...)`, `Table("t", ...)`, or `__tablename__` of the class.
fn table_of(file: &ParsedFile, node: tree_sitter::Node) -> Option<String> {
    for a in file.ancestors(node) {
        if a.kind_name() == "call"
            && matches!(
                callee_short(file, a),
                "create_table" | "add_column" | "Table"
            )
        {
            let first = a.field("arguments")?.named_child(0)?;
            return py_string(file, first).map(|s| s.to_ascii_lowercase());
        }
        if a.kind_name() == "class_definition" {
            let body = a.field("body")?;
            for stmt in file.descendants(body) {
                if stmt.kind_name() == "assignment"
                    && stmt
                        .field("left")
                        .is_some_and(|l| file.text_of(l) == "__tablename__")
                {
                    return stmt
                        .field("right")
                        .and_then(|r| py_string(file, r))
                        .map(|s| s.to_ascii_lowercase());
                }
            }
            return a
                .field("name")
                .map(|n| file.text_of(n).to_ascii_lowercase());
        }
    }
    None
}

fn scan_knex(file: &ParsedFile, facts: &mut FkFacts, drafts: &mut Vec<Draft>) {
    if !file.mentions("createTable") && !file.mentions("alterTable") {
        return;
    }
    let mut found = false;
    file.for_each_of(&["call_expression"], |n| {
        if n.kind_name() != "call_expression" {
            return;
        }
        let Some(function) = n
            .field("function")
            .filter(|f| f.kind_name() == "member_expression")
        else {
            return;
        };
        let method = function
            .field("property")
            .map(|p| file.text_of(p))
            .unwrap_or("");
        let first_string = |call: tree_sitter::Node| {
            call.field("arguments")
                .and_then(|a| a.named_child(0))
                .and_then(|a| {
                    if a.kind_name() == "array" {
                        a.named_child(0)
                    } else {
                        Some(a)
                    }
                })
                .and_then(|a| super::syntax::js_literal_text(file, a))
                .map(|s| s.to_ascii_lowercase())
        };
        let table = || {
            file.ancestors(n).find_map(|a| {
                (a.kind_name() == "call_expression"
                    && a.field("function").is_some_and(|f| {
                        let t = file.text_of(f);
                        t.ends_with("createTable")
                            || t.ends_with("alterTable")
                            || t.ends_with(".table")
                    }))
                .then(|| first_string(a))
                .flatten()
            })
        };
        match method {
            "references" => {
                // Walk down to the column call: table.integer("user_id") / table.foreign("user_id")
                let mut inner = function.field("object");
                let mut chain_text = file.text_of(n).to_string();
                let mut column = None;
                while let Some(obj) = inner {
                    if obj.kind_name() != "call_expression" {
                        break;
                    }
                    let f = obj.field("function");
                    if f.is_some_and(|f| {
                        f.field("object")
                            .is_some_and(|o| o.kind_name() == "identifier")
                    }) {
                        column = first_string(obj);
                        break;
                    }
                    inner = f.and_then(|f| f.field("object"));
                }
                // Chained after .references(...): .inTable(...).onDelete(...).index()
                let mut outer = n;
                while let Some(p) = file.parent(outer) {
                    if !matches!(p.kind_name(), "member_expression" | "call_expression") {
                        break;
                    }
                    outer = p;
                }
                chain_text.push_str(file.text_of(outer));
                let (Some(column), Some(table)) = (column, table()) else {
                    return;
                };
                found = true;
                let in_table = chain_text
                    .split(".inTable(")
                    .nth(1)
                    .and_then(|t| t.split(['"', '\'', '`']).nth(1))
                    .map(str::to_ascii_lowercase);
                let target = in_table.or_else(|| first_string(n)).unwrap_or_default();
                if chain_text.contains(".index(")
                    || chain_text.contains(".primary(")
                    || chain_text.contains(".unique(")
                {
                    facts.indexed.insert((table.clone(), column.clone()));
                }
                add_fk(
                    facts,
                    drafts,
                    false,
                    &table,
                    &column,
                    target.split('.').next().unwrap_or(""),
                    file.path,
                    first_line(n),
                );
            }
            "index" | "unique" | "primary" => {
                let obj_is_table = function
                    .field("object")
                    .is_some_and(|o| o.kind_name() == "identifier");
                if obj_is_table {
                    if let (Some(col), Some(t)) = (first_string(n), table()) {
                        facts.indexed.insert((t, col));
                    }
                }
            }
            _ => {}
        }
    });
    if found && !facts.schema_files.iter().any(|p| p == file.path) {
        facts.schema_files.push(file.path.to_string());
    }
}

/// Drops foreign keys that an index covers anywhere, and repeats of the
/// same column (a model and its migration): the migration is kept.
pub fn settle(facts: &FkFacts, pending: &mut Vec<Pending>) {
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let mut keep: HashSet<(&str, u32)> = HashSet::new();
    let mut ordered: Vec<&ForeignKey> = facts.foreign_keys.iter().collect();
    ordered.sort_by_key(|fk| {
        (
            !is_migration_path(&fk.path) && !fk.path.ends_with(".sql"),
            fk.path.clone(),
            fk.line,
        )
    });
    for fk in ordered {
        if facts
            .indexed
            .contains(&(fk.table.clone(), fk.column.clone()))
        {
            continue;
        }
        if seen.insert((fk.table.as_str(), fk.column.as_str())) {
            keep.insert((fk.path.as_str(), fk.line));
        }
    }
    pending.retain(|p| {
        p.finding.check_id != CHECK_ID || keep.contains(&(p.finding.path.as_str(), p.finding.line))
    });
}

pub fn check(facts: &FkFacts, findings: &[Finding]) -> CheckResult {
    if facts.foreign_keys.is_empty() {
        let why = if facts.auto_indexed > 0 {
            format!(
                "The {} foreign key{} found are indexed by the database or framework itself (Django ForeignKey, MySQL/InnoDB), so there is nothing to add.",
                facts.auto_indexed,
                plural(facts.auto_indexed)
            )
        } else {
            "No foreign keys declared in SQL migrations, a Prisma schema, Django or SQLAlchemy models, Alembic or Knex migrations.".to_string()
        };
        let verdict = if facts.auto_indexed > 0 {
            Verdict::Pass
        } else {
            Verdict::NotApplicable
        };
        return result(CHECK_ID, verdict, why, schema_evidence(facts));
    }
    let n = facts.foreign_keys.len();
    let mut r = finding_check(
        CHECK_ID,
        findings,
        n,
        || {
            format!(
                "Every foreign key has an index ({n} foreign key{} in {}).",
                plural(n),
                super::checks::list_some(&facts.schema_files, 3)
            )
        },
        "",
    );
    if r.evidence.is_empty() {
        r.evidence = schema_evidence(facts);
    }
    r
}

fn schema_evidence(facts: &FkFacts) -> Vec<crate::model::Evidence> {
    facts
        .schema_files
        .iter()
        .take(super::checks::MAX_EVIDENCE)
        .map(|p| crate::model::Evidence {
            path: p.clone(),
            line: None,
            note: "schema or migration".to_string(),
        })
        .collect()
}

crate::merge_fields!(FkFacts {
    foreign_keys,
    indexed,
    auto_indexed,
    schema_files
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_foreign_keys_and_indexes_are_read() {
        let mut facts = FkFacts::default();
        let sql = "-- orders\nCREATE TABLE orders (\n  id BIGSERIAL PRIMARY KEY,\n  customer_id BIGINT NOT NULL REFERENCES customers(id),\n  shop_id BIGINT REFERENCES shops (id),\n  CONSTRAINT fk_c FOREIGN KEY (coupon_id) REFERENCES coupons(id)\n);\nCREATE INDEX orders_shop_idx ON orders (shop_id, created_at);\n";
        let drafts = scan_text("migrations/0001_init.up.sql", sql, &mut facts);
        assert_eq!(
            drafts.iter().map(|d| d.line).collect::<Vec<_>>(),
            vec![4, 5, 6]
        );
        assert!(facts.indexed.contains(&("orders".into(), "shop_id".into())));
        let mut pending: Vec<Pending> = drafts
            .into_iter()
            .flat_map(|d| {
                super::super::findings::finish_file("migrations/0001_init.up.sql", sql, vec![d])
            })
            .collect();
        settle(&facts, &mut pending);
        assert_eq!(
            pending.iter().map(|p| p.finding.line).collect::<Vec<_>>(),
            vec![4, 6]
        );
        let mut mysql = FkFacts::default();
        assert!(scan_text(
            "m/1.sql",
            "CREATE TABLE a (b_id INT REFERENCES b(id)) ENGINE=InnoDB;",
            &mut mysql
        )
        .is_empty());
    }

    fn tree_drafts(path: &str, code: &str, facts: &mut FkFacts) -> Vec<u32> {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = super::super::syntax::Parsers::default()
            .parse(grammar, code)
            .unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        scan_tree(&file, facts).iter().map(|d| d.line).collect()
    }

    #[test]
    fn orm_and_migration_foreign_keys_are_read() {
        // Django indexes a ForeignKey unless told not to.
        let mut facts = FkFacts::default();
        let models = "from django.db import models\n\nclass Order(models.Model):\n    customer = models.ForeignKey('Customer', on_delete=models.CASCADE)\n    coupon = models.ForeignKey('Coupon', on_delete=models.SET_NULL, db_index=False)\n";
        assert_eq!(tree_drafts("shop/models.py", models, &mut facts), vec![5]);
        assert_eq!(facts.auto_indexed, 1);
        // Alembic: index=True, or an index created on the table later.
        let mut facts = FkFacts::default();
        let alembic = "def upgrade():\n    op.create_table(\n        'lines',\n        sa.Column('order_id', sa.Integer(), sa.ForeignKey('orders.id')),\n        sa.Column('product_id', sa.Integer(), sa.ForeignKey('products.id'), index=True),\n        sa.Column('shop_id', sa.Integer(), sa.ForeignKey('shops.id')),\n    )\n    op.create_index('ix_lines_shop', 'lines', ['shop_id'])\n";
        assert_eq!(
            tree_drafts("alembic/versions/0002_lines.py", alembic, &mut facts),
            vec![4, 5, 6]
        );
        assert!(facts
            .indexed
            .contains(&("lines".into(), "product_id".into())));
        assert!(facts.indexed.contains(&("lines".into(), "shop_id".into())));
        // Knex: `.index()` in the chain or `table.index([...])`.
        let mut facts = FkFacts::default();
        let knex = "exports.up = (knex) => knex.schema.createTable('items', (t) => {\n  t.integer('order_id').references('id').inTable('orders');\n  t.integer('sku_id').references('skus.id').index();\n});\n";
        assert_eq!(
            tree_drafts("migrations/1_items.js", knex, &mut facts),
            vec![2, 3]
        );
        assert!(facts.indexed.contains(&("items".into(), "sku_id".into())));
        assert_eq!(facts.foreign_keys[0].table, "items");
    }

    #[test]
    fn prisma_relations_need_an_index() {
        let mut facts = FkFacts::default();
        let schema = "model Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n  tagId Int\n  tag Tag @relation(fields: [tagId], references: [id])\n  @@index([tagId])\n}\n";
        let drafts = scan_text("prisma/schema.prisma", schema, &mut facts);
        assert_eq!(drafts.len(), 2);
        assert!(facts.indexed.contains(&("post".into(), "tagid".into())));
    }
}
