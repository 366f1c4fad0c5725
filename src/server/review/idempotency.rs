//! API-IDEMPOTENCY (practice): idempotency keys on the mutating endpoints
//! where a retried request does harm — those that create payments, charges,
//! orders, transfers, bookings, subscriptions or invoices. Passes when the
//! code reads an `Idempotency-Key` (or uses an idempotency middleware); fails
//! when such POST routes exist without one; not applicable when the API has
//! no such routes.

use super::checks::{list_some, result, MAX_EVIDENCE};
use super::facts::ProjectFacts;
use super::lang::{call, string_value};
use super::sec_api::{describe_evidence, has_routes, Facts, Scope, Signal, NO_ROUTES};
use super::syntax::{first_line, ParsedFile};
use crate::model::{CheckResult, Evidence, Verdict};
use crate::server::review::syntax::NodeExt;

/// POST/PUT routes the rules collect themselves, at most.
pub const MAX_ROUTES: usize = 2_000;

pub const CHECK_ID: &str = "API-IDEMPOTENCY";
const KIND: &str = "idempotency";

pub const SIGNALS: &[Signal] = &[
    Signal {
        kind: KIND,
        pattern: r"(?i)idempotency[-_]?key|idempotent[-_]?key",
        note: "reads an idempotency key",
        scope: Scope::Code,
    },
    Signal {
        kind: KIND,
        pattern: r#"(?i)["'](?:express-idempotency|idempotency-middleware|@node-idempotency/\w+|django-idempotency-key|fastapi-idempotency|idempotency-express)["']"#,
        note: "idempotency middleware",
        scope: Scope::CodeAndManifests,
    },
];

/// Path words of resources whose duplicate creation costs money or stock.
const SENSITIVE: &[&str] = &[
    "payment",
    "payments",
    "charge",
    "charges",
    "checkout",
    "order",
    "orders",
    "transfer",
    "transfers",
    "booking",
    "bookings",
    "reservation",
    "reservations",
    "subscription",
    "subscriptions",
    "invoice",
    "invoices",
    "purchase",
    "purchases",
    "refund",
    "refunds",
    "donation",
    "donations",
    "payout",
    "payouts",
    "transaction",
    "transactions",
];

fn is_sensitive(path: &str) -> bool {
    path.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| SENSITIVE.contains(&w))
}

/// POST route registrations of one file, any language: `router.post("/x")`,
/// NestJS `@Post()` under `@Controller("x")`, `@app.post("/x")`,
/// `@bp.route("/x", methods=["POST"])`, Gin/Echo/Fiber `.POST("/x")`/`.Post`,
/// net/http `HandleFunc("POST /x")`, axum `.route("/x", post(h))`, actix
/// `#[post("/x")]`.
pub fn collect_routes(file: &ParsedFile, facts: &mut Facts) {
    let mut controller_prefix = String::new();
    let kinds = [super::lang::CALL_KINDS, &["decorator", "attribute_item"]].concat();
    file.for_each_of(&kinds, |node| {
        let found: Option<(String, String)> = (|| {
            if node.kind_name() == "decorator" {
                let text = file.text_of(node);
                let inner = node.named_child(0)?;
                if let Some(c) = call(file, inner) {
                    let first = c.positional().first().and_then(|a| string_value(file, *a));
                    match c.name {
                        "Controller" => {
                            controller_prefix = first.unwrap_or_default();
                            return None;
                        }
                        "Post" if c.object.is_none() => {
                            let path = format!(
                                "/{}/{}",
                                controller_prefix.trim_matches('/'),
                                first.unwrap_or_default().trim_matches('/')
                            );
                            return Some(("POST".into(), path));
                        }
                        "post" => return Some(("POST".into(), first?)),
                        "route" if text.contains("POST") => return Some(("POST".into(), first?)),
                        _ => {}
                    }
                }
                return None;
            }
            if node.kind_name() == "attribute_item" {
                // actix `#[post("/x")]`
                let text = file.text_of(node);
                let rest = text.strip_prefix("#[post(\"")?;
                return Some(("POST".into(), rest.split('"').next()?.to_string()));
            }
            if file
                .parent(node)
                .is_some_and(|p| p.kind_name() == "decorator")
            {
                return None;
            }
            let c = call(file, node)?;
            let receiver = c.object_text(file).to_ascii_lowercase();
            if [
                "axios", "client", "http", "request", "got", "ky", "agent", "session", "fetch",
            ]
            .iter()
            .any(|w| receiver.contains(w))
            {
                return None;
            }
            let args = c.positional();
            let first = args.first().and_then(|a| string_value(file, *a));
            let method = match c.name {
                "post" | "POST" | "Post" if c.object.is_some() => "POST",
                "get" | "GET" | "Get" | "put" | "PUT" | "Put" | "patch" | "PATCH" | "Patch"
                | "delete" | "DELETE" | "Delete"
                    if c.object.is_some() =>
                {
                    "OTHER"
                }
                "HandleFunc" | "Handle" => {
                    let pattern = first?;
                    let (m, p) = pattern.split_once(' ')?;
                    return Some((m.to_string(), p.to_string()));
                }
                "route" => {
                    // axum `.route("/x", post(create).get(list))`
                    let handlers = args.get(1).map(|a| file.text_of(*a)).unwrap_or("");
                    let path = first?;
                    if handlers.contains("post(") {
                        return Some(("POST".into(), path));
                    }
                    return Some(("OTHER".into(), path));
                }
                _ => return None,
            };
            let path = first?;
            if !path.starts_with('/') && !path.is_empty() {
                return None;
            }
            // A route call passes a handler after the path.
            (args.len() >= 2 || !file.grammar.is_js()).then(|| (method.to_string(), path))
        })();
        if let Some((method, path)) = found {
            if facts.routes.len() < MAX_ROUTES {
                facts
                    .routes
                    .push((method, path, file.path.to_string(), first_line(node)));
            }
        }
    });
}

pub fn check(facts: &ProjectFacts) -> CheckResult {
    if !has_routes(facts) {
        return result(
            CHECK_ID,
            Verdict::NotApplicable,
            NO_ROUTES.to_string(),
            Vec::new(),
        );
    }
    let keys = facts.sec_api.signals_of(KIND);
    if !keys.is_empty() {
        let evidence: Vec<Evidence> = keys.iter().take(MAX_EVIDENCE).cloned().collect();
        return result(
            CHECK_ID,
            Verdict::Pass,
            format!(
                "Creating requests carry idempotency keys: {}.",
                describe_evidence(&evidence)
            ),
            evidence,
        );
    }
    let sensitive: Vec<&(String, String, String, u32)> = facts
        .sec_api
        .routes
        .iter()
        .filter(|(m, p, ..)| m == "POST" && is_sensitive(p))
        .collect();
    if sensitive.is_empty() {
        let posts = facts
            .sec_api
            .routes
            .iter()
            .filter(|(m, ..)| m == "POST")
            .count();
        return result(
            CHECK_ID,
            Verdict::NotApplicable,
            format!(
                "No POST route creates payments, charges, orders, transfers, bookings, subscriptions or invoices ({posts} POST route{} seen), where a retried request would do harm twice.",
                super::checks::plural(posts)
            ),
            Vec::new(),
        );
    }
    let paths: Vec<String> = sensitive.iter().map(|r| format!("POST {}", r.1)).collect();
    result(
        CHECK_ID,
        Verdict::Fail,
        format!(
            "{} without an idempotency key: a client that retries after a timeout creates the order or payment twice. Read an `Idempotency-Key` header, store the first response under it, and replay it for repeats.",
            list_some(&paths, 4)
        ),
        sensitive
            .iter()
            .take(MAX_EVIDENCE)
            .map(|r| Evidence {
                path: r.2.clone(),
                line: Some(r.3),
                note: format!("POST {} creates without an idempotency key", r.1),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_like_paths_are_sensitive() {
        assert!(is_sensitive("/api/v1/payments"));
        assert!(is_sensitive("/orders/:id/refunds"));
        assert!(!is_sensitive("/items"));
        assert!(!is_sensitive("/users/login"));
        assert!(!is_sensitive("/preorder-info"));
    }
}
