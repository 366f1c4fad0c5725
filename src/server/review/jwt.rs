//! SEC-JWT (CWE-347): JSON Web Tokens accepted without verifying them —
//! `jwt.decode`/`jwtDecode`/`decodeJwt` used where nothing verifies, `none`
//! among the accepted algorithms, signature or expiry checks switched off
//! (`verify_signature: False`, `ignoreExpiration: true`,
//! `insecure_disable_signature_validation()`), Go `ParseUnverified` and
//! `jwt.Parse` key functions that never check the signing method.

use super::findings::Draft;
use super::lang::{
    call, draft, enclosing_function, is_false, is_true, keyed_values, pair_parts, string_value,
    Call,
};
use super::language::Grammar;
use super::sec_api::{Facts, Scope, Signal};
use super::syntax::{first_line, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub const CHECK_ID: &str = "SEC-JWT";

pub const SIGNALS: &[Signal] = &[Signal {
    kind: CHECK_ID,
    pattern: r#"["'](?:jsonwebtoken|jose|jwt-decode|@nestjs/jwt|passport-jwt|express-jwt|@fastify/jwt|fast-jwt|hono/jwt|koa-jwt)["']|^\s*(?:import jwt\b|from jwt import|from jose import|import jose\b|from rest_framework_simplejwt)|(?i)\bpyjwt\b|python-jose|djangorestframework-simplejwt|golang-jwt/jwt|dgrijalva/jwt-go|lestrrat-go/jwx|^\s*(?:jsonwebtoken|jwt-simple|jwt-compact)\s*=|\buse jsonwebtoken\b"#,
    note: "JWT library",
    scope: Scope::CodeAndManifests,
}];

fn verify_advice(grammar: Grammar) -> &'static str {
    match grammar {
        Grammar::Python => "Verify it: `jwt.decode(token, key, algorithms=[\"HS256\"])` with the signature check on.",
        Grammar::Go => "Verify it: `jwt.Parse(token, keyFunc, jwt.WithValidMethods([]string{\"HS256\"}))`.",
        Grammar::Rust => "Verify it: `decode::<Claims>(&token, &DecodingKey::from_secret(key), &Validation::new(Algorithm::HS256))` with the default checks on.",
        _ => "Verify it: `jwt.verify(token, secret, { algorithms: [\"HS256\"] })` (jose: `jwtVerify`).",
    }
}

fn is_jwt_object(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    let last = t.rsplit(['.', ':']).next().unwrap_or(&t);
    last.contains("jwt") || last == "jose" || last == "jsonwebtoken"
}

/// Does the function around a node verify a token anywhere?
fn function_verifies(file: &ParsedFile, node: Node) -> bool {
    let scope = enclosing_function(file, node).unwrap_or_else(|| file.tree.root_node());
    let text = file.text_of(scope);
    [
        "verify(",
        "jwtVerify(",
        "verifyAsync(",
        "verify_jwt",
        "decode_complete(",
    ]
    .iter()
    .any(|v| text.contains(v))
}

fn lists_none(file: &ParsedFile, node: Node) -> bool {
    let t = file.text_of(node).to_ascii_lowercase();
    t.contains("\"none\"") || t.contains("'none'")
}

pub fn scan(file: &ParsedFile, facts: &mut Facts) -> Vec<Draft> {
    let mut out = Vec::new();
    let kinds = [
        super::lang::CALL_KINDS,
        super::lang::PAIR_KINDS,
        &["assignment_expression", "selector_expression"],
    ]
    .concat();
    file.for_each_of(&kinds, |node| {
        if let Some(c) = call(file, node) {
            rule_for_call(file, c, facts, &mut out);
            return;
        }
        // `ignoreExpiration: true` (jsonwebtoken, passport-jwt, @nestjs/jwt).
        if let Some((key, value)) = pair_parts(file, node) {
            if key == "ignoreExpiration" && is_true(file, value) {
                out.push(draft(CHECK_ID, Severity::Medium, node, file, format!("`ignoreExpiration: true` accepts expired tokens forever: a token that leaked once never stops working (CWE-613/347). Remove it and keep tokens short-lived. {}", verify_advice(file.grammar))));
            }
            return;
        }
        // Rust `validation.validate_exp = false;`
        if file.grammar == Grammar::Rust && node.kind_name() == "assignment_expression" {
            let left = node.field("left").map(|l| file.text_of(l)).unwrap_or("");
            let right = node.field("right");
            if left.ends_with(".validate_exp") && right.is_some_and(|r| is_false(file, r)) {
                out.push(draft(CHECK_ID, Severity::Medium, node, file, "`validate_exp = false` accepts expired tokens forever: a token that leaked once never stops working (CWE-613/347). Keep the default expiry check.".to_string()));
            }
        }
        // Go `jwt.SigningMethodNone` / `jwt.UnsafeAllowNoneSignatureType`.
        if file.grammar == Grammar::Go && node.kind_name() == "selector_expression" {
            let text = file.text_of(node);
            if text.ends_with(".UnsafeAllowNoneSignatureType") {
                out.push(draft(CHECK_ID, Severity::Critical, node, file, format!("`{text}` makes unsigned tokens (`alg: none`) acceptable: anyone can write their own claims (CWE-347). {}", verify_advice(file.grammar))));
            }
        }
    });
    out
}

fn rule_for_call(file: &ParsedFile, c: &Call, facts: &mut Facts, out: &mut Vec<Draft>) {
    let object = c.object_text(file);
    let grammar = file.grammar;
    let advice = verify_advice(grammar);
    let mut push = |severity: Severity, message: String| {
        out.push(draft(CHECK_ID, severity, c.node, file, message))
    };
    match grammar {
        Grammar::TypeScript | Grammar::Tsx => {
            let jwt_object = is_jwt_object(object);
            if (c.name == "decode" && jwt_object)
                || matches!(c.name, "jwtDecode" | "jwt_decode" | "decodeJwt")
            {
                facts.relevant(
                    CHECK_ID,
                    file.path,
                    first_line(c.node),
                    format!("`{}`", super::lang::short(file, c.callee)),
                );
                if !function_verifies(file, c.node) {
                    push(Severity::High, format!("`{}` reads the token's claims without checking its signature, and nothing around it verifies the token: anyone can forge one with any user id or role (CWE-347). {advice}", super::lang::short(file, c.callee)));
                }
                return;
            }
            if matches!(c.name, "verify" | "sign" | "jwtVerify" | "register")
                && (jwt_object || c.name == "jwtVerify" || c.name == "register")
            {
                if c.name != "register" {
                    facts.relevant(
                        CHECK_ID,
                        file.path,
                        first_line(c.node),
                        format!("`{}`", super::lang::short(file, c.callee)),
                    );
                }
                for arg in &c.args {
                    for (k, v) in keyed_values(file, *arg) {
                        let none = match k.as_str() {
                            "algorithms" => lists_none(file, v),
                            "algorithm" => string_value(file, v)
                                .is_some_and(|a| a.eq_ignore_ascii_case("none")),
                            _ => false,
                        };
                        if none {
                            push(Severity::Critical, format!("`{}` with the `none` algorithm: tokens without a signature are {} (CWE-347). Allow only the algorithm you sign with, e.g. `algorithms: [\"HS256\"]`.", super::lang::short(file, c.callee), if c.name == "sign" { "issued, and will be accepted" } else { "accepted, so anyone can write their own claims" }));
                            return;
                        }
                    }
                }
            }
        }
        Grammar::Python => {
            if c.name == "decode" && is_jwt_object(object) {
                facts.relevant(
                    CHECK_ID,
                    file.path,
                    first_line(c.node),
                    format!("`{}`", super::lang::short(file, c.callee)),
                );
                let options = c.option(file, "options");
                let off = |key: &str| {
                    options.is_some_and(|o| {
                        keyed_values(file, o)
                            .iter()
                            .any(|(k, v)| k == key && file.text_of(*v) == "False")
                    })
                };
                if off("verify_signature")
                    || c.option(file, "verify")
                        .is_some_and(|v| file.text_of(v) == "False")
                {
                    push(Severity::Critical, format!("`{}` with signature verification switched off: anyone can forge a token with any claims (CWE-347). {advice}", super::lang::short(file, c.callee)));
                } else if c
                    .option(file, "algorithms")
                    .is_some_and(|a| lists_none(file, a))
                {
                    push(Severity::Critical, format!("`{}` accepts the `none` algorithm: unsigned tokens pass (CWE-347). Allow only the algorithm you sign with.", super::lang::short(file, c.callee)));
                } else if off("verify_exp") {
                    push(Severity::Medium, "`verify_exp: False` accepts expired tokens forever: a token that leaked once never stops working (CWE-613/347). Keep the expiry check on.".to_string());
                }
                return;
            }
            if c.name == "get_unverified_claims" {
                facts.relevant(
                    CHECK_ID,
                    file.path,
                    first_line(c.node),
                    "`get_unverified_claims`".to_string(),
                );
                if !function_verifies(file, c.node)
                    && !file
                        .text_of(enclosing_function(file, c.node).unwrap_or(c.node))
                        .contains(".decode(")
                {
                    push(Severity::High, format!("`{}` reads the claims without checking the signature: anyone can forge a token (CWE-347). {advice}", super::lang::short(file, c.callee)));
                }
            }
        }
        Grammar::Go => {
            if c.name == "ParseUnverified" {
                facts.relevant(
                    CHECK_ID,
                    file.path,
                    first_line(c.node),
                    "`ParseUnverified`".to_string(),
                );
                push(Severity::High, format!("`{}` parses the token without checking its signature: anyone can forge one with any claims (CWE-347). {advice}", super::lang::short(file, c.callee)));
                return;
            }
            if matches!(c.name, "Parse" | "ParseWithClaims") && is_jwt_object(object) {
                facts.relevant(
                    CHECK_ID,
                    file.path,
                    first_line(c.node),
                    format!("`{}`", super::lang::short(file, c.callee)),
                );
                let text = file.text_of(c.node);
                let key_func_checks = text.contains(".Method")
                    || text.contains("WithValidMethods")
                    || text.contains("SigningMethod");
                if !key_func_checks {
                    push(Severity::Medium, format!("`{}` without checking the signing method: the key function returns the key whatever `alg` the token names, which opens algorithm-confusion attacks (CWE-347). Pass `jwt.WithValidMethods([]string{{\"HS256\"}})` or check `token.Method` in the key function.", super::lang::short(file, c.callee)));
                }
            }
        }
        Grammar::Rust => {
            if matches!(
                c.name,
                "insecure_disable_signature_validation"
                    | "dangerous_insecure_decode"
                    | "insecure_decode"
                    | "dangerous_insecure_decode_with_validation"
            ) {
                facts.relevant(
                    CHECK_ID,
                    file.path,
                    first_line(c.node),
                    format!("`{}`", c.name),
                );
                push(Severity::Critical, format!("`{}` accepts tokens without checking their signature: anyone can forge one with any claims (CWE-347). {advice}", c.name));
                return;
            }
            if c.name == "decode"
                && (object.contains("jsonwebtoken") || file.mentions("use jsonwebtoken"))
            {
                facts.relevant(
                    CHECK_ID,
                    file.path,
                    first_line(c.node),
                    "`jsonwebtoken::decode`".to_string(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    fn rule(file: &ParsedFile) -> Vec<Draft> {
        scan(file, &mut Facts::default())
    }

    #[test]
    fn js_decode_without_verify_and_alg_none() {
        let js = "export function currentUser(req) {\n  const claims = jwt.decode(req.headers.authorization.slice(7));\n  return claims.sub;\n}\nexport function checked(token) {\n  jwt.verify(token, process.env.JWT_SECRET);\n  return jwt.decode(token, { complete: true });\n}\njwt.verify(token, key, { algorithms: ['HS256', 'none'] });\njwt.verify(token, key, { algorithms: ['HS256'] });\nconst s = new JwtStrategy({ ignoreExpiration: true, secretOrKey: k });\n";
        assert_eq!(lines("src/auth.ts", js, rule), vec![2, 9, 11]);
    }

    #[test]
    fn python_go_and_rust_rules() {
        let py = "claims = jwt.decode(token, options={'verify_signature': False})\nok = jwt.decode(token, KEY, algorithms=['HS256'])\nbad = jwt.decode(token, KEY, algorithms=['none'])\nexp = jwt.decode(token, KEY, algorithms=['HS256'], options={'verify_exp': False})\n";
        assert_eq!(lines("app/auth.py", py, rule), vec![1, 3, 4]);
        let go = "package x\nfunc a(s string) { t, _, _ := new(jwt.Parser).ParseUnverified(s, jwt.MapClaims{}) }\nfunc b(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return key, nil }) }\nfunc c(s string) { jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return key, nil }, jwt.WithValidMethods([]string{\"HS256\"})) }\n";
        assert_eq!(lines("auth.go", go, rule), vec![2, 3]);
        let rs = "fn v() { let mut validation = Validation::new(Algorithm::HS256); validation.insecure_disable_signature_validation(); }\nfn w() { let mut v = Validation::default();\n v.validate_exp = false; }\n";
        assert_eq!(lines("src/auth.rs", rs, rule), vec![1, 3]);
    }
}
