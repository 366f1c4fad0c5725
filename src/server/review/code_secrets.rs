//! SEC-SECRET over Go and Rust syntax trees: string literals given to
//! secret-like names (`const apiKey = "…"`, `jwtSecret := "…"`,
//! `Config{Password: "…"}`, `const JWT_SECRET: &str = "…"`, `let api_key =
//! "…"`, `Config { password: "…".into() }`), hard-coded fallbacks of
//! environment reads (`env::var("JWT_SECRET").unwrap_or("…".into())`), and
//! literal JWT keys (`token.SignedString([]byte("…"))`,
//! `EncodingKey::from_secret(b"…")`).

use super::file_kinds::is_example_file;
use super::findings::Draft;
use super::lang::{call, pair_parts, string_value};
use super::language::Grammar;
use super::secrets::{draft, is_plausible_secret, is_secret_name, Assigned};
use super::syntax::{named_children, ParsedFile};
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub fn scan(file: &ParsedFile) -> Vec<Draft> {
    if !matches!(file.grammar, Grammar::Go | Grammar::Rust) {
        return Vec::new();
    }
    let in_example = is_example_file(file.path);
    let mut out = Vec::new();
    // The kinds of the match below, and calls (JWT keys, env fallbacks).
    let kinds = [
        &[
            "const_spec",
            "var_spec",
            "short_var_declaration",
            "assignment_statement",
            "const_item",
            "static_item",
            "let_declaration",
            "assignment_expression",
            "keyed_element",
            "field_initializer",
        ],
        super::lang::CALL_KINDS,
    ]
    .concat();
    file.for_each_of(&kinds, |node| {
        let mut candidates: Vec<(String, Node)> = Vec::new();
        match node.kind_name() {
            "const_spec" | "var_spec" => {
                let mut cursor = node.walk();
                let names: Vec<Node> = node.children_by_field_name("name", &mut cursor).collect();
                let values = node.field("value").map(named_children).unwrap_or_default();
                for (n, v) in names.iter().zip(values.iter()) {
                    candidates.push((file.text_of(*n).to_string(), *v));
                }
            }
            "short_var_declaration" | "assignment_statement" => {
                if let (Some(l), Some(r)) = (node.field("left"), node.field("right")) {
                    for (n, v) in named_children(l).iter().zip(named_children(r).iter()) {
                        candidates.push((last_name(file, *n), *v));
                    }
                }
            }
            "const_item" | "static_item" | "let_declaration" => {
                let name = node.field("name").or_else(|| node.field("pattern"));
                if let (Some(n), Some(v)) = (name, node.field("value")) {
                    candidates.push((file.text_of(n).trim_start_matches("mut ").to_string(), v));
                }
            }
            "assignment_expression" => {
                if let (Some(l), Some(r)) = (node.field("left"), node.field("right")) {
                    candidates.push((last_name(file, l), r));
                }
            }
            "keyed_element" | "field_initializer" => {
                if let Some((k, v)) = pair_parts(file, node) {
                    candidates.push((k, v));
                }
            }
            _ => {}
        }
        if !candidates.is_empty() && super::lang::in_rust_test_code(file, node) {
            // Test data: reported by the path-based rules only when the file is a test file.
            return;
        }
        for (name, value) in candidates {
            if !is_secret_name(&name) {
                continue;
            }
            if let Some(v) = string_value(file, value) {
                if is_plausible_secret(&v, &name, in_example) {
                    out.push(draft(file, node, &name, &v, Assigned::Literal));
                }
            } else if let Some((env, v)) = env_fallback(file, value) {
                if is_plausible_secret(&v, &name, in_example) {
                    let shown = if is_secret_name(&env) {
                        env
                    } else {
                        name.clone()
                    };
                    out.push(draft(file, node, &shown, &v, Assigned::EnvFallback));
                }
            }
        }
        if let Some(c) = call(file, node) {
            // token.SignedString([]byte("…")), EncodingKey::from_secret(b"…")
            let jwt_key = match (file.grammar, c.name) {
                (Grammar::Go, "SignedString") => c.args.first().copied(),
                (Grammar::Rust, "from_secret") if c.object_text(file).ends_with("Key") => {
                    c.args.first().copied()
                }
                _ => None,
            };
            if let Some(v) = jwt_key.and_then(|k| string_value(file, k)) {
                if is_plausible_secret(&v, "", in_example) {
                    out.push(draft(file, node, "JWT_SECRET", &v, Assigned::JwtKey));
                }
            }
            // A fallback anywhere: env::var("X").unwrap_or("…".into())
            if matches!(c.name, "unwrap_or" | "unwrap_or_else") {
                let in_binding = file.parent(node).is_some_and(|p| {
                    matches!(
                        p.kind_name(),
                        "let_declaration"
                            | "const_item"
                            | "static_item"
                            | "field_initializer"
                            | "assignment_expression"
                    )
                });
                if let (false, Some((env, v))) = (in_binding, env_fallback(file, node)) {
                    if is_secret_name(&env) && is_plausible_secret(&v, &env, in_example) {
                        out.push(draft(file, node, &env, &v, Assigned::EnvFallback));
                    }
                }
            }
        }
    });
    out
}

/// The last name of an assignment target (`cfg.JWTSecret` → `JWTSecret`).
fn last_name(file: &ParsedFile, node: Node) -> String {
    let name = node
        .field("field")
        .map(|f| file.text_of(f))
        .unwrap_or_else(|| file.text_of(node));
    name.rsplit(['.', ':']).next().unwrap_or(name).to_string()
}

/// Rust `env::var("X").unwrap_or("lit".into())` /
/// `.unwrap_or_else(|_| "lit".to_string())`: the variable and the literal.
fn env_fallback(file: &ParsedFile, node: Node) -> Option<(String, String)> {
    let c = call(file, node)?;
    if !matches!(c.name, "unwrap_or" | "unwrap_or_else") {
        return None;
    }
    let env_call = call(file, c.object?)?;
    if !(env_call.name == "var" && env_call.object_text(file).ends_with("env")) {
        return None;
    }
    let env = string_value(file, *env_call.args.first()?)?;
    let fallback = *c.args.first()?;
    let fallback = if fallback.kind_name() == "closure_expression" {
        fallback.field("body")?
    } else {
        fallback
    };
    Some((env, string_value(file, fallback)?))
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    #[test]
    fn go_secrets() {
        let go = "package x\nconst apiKey = \"sk_4f9a8b7c6d5e4f3a2b1c\"\nvar jwtSecret = []byte(\"orders-signing-secret-2024\")\nfunc f() {\n\tdbPassword := \"Tr0ub4dor&3xyz\"\n\tcfg := Config{Password: \"Tr0ub4dor&3xyz\", Host: \"db.internal\"}\n\ts, _ := token.SignedString([]byte(\"literal-signing-key-123\"))\n\tenvPassword := os.Getenv(\"DB_PASSWORD\")\n\tpasswordField := \"password\"\n}\n";
        assert_eq!(lines("main.go", go, scan), vec![2, 3, 5, 6, 7]);
    }

    #[test]
    fn rust_secrets() {
        let rs = "const JWT_SECRET: &str = \"orders-signing-secret-2024\";\nfn f() {\n    let api_key = \"sk_4f9a8b7c6d5e4f3a2b1c\".to_string();\n    let cfg = Config { password: \"Tr0ub4dor&3xyz\".into(), host: \"db\".into() };\n    let key = EncodingKey::from_secret(b\"literal-signing-key-123\");\n    let secret = std::env::var(\"JWT_SECRET\").unwrap_or(\"dev-signing-secret-1\".to_string());\n    let ok = std::env::var(\"JWT_SECRET\").expect(\"JWT_SECRET must be set\");\n}\n";
        assert_eq!(lines("src/main.rs", rs, scan), vec![1, 3, 4, 5, 6]);
    }
}
