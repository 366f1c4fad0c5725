//! What a middleware, decorator or extractor is (an auth guard, a rate
//! limiter, a validator), and what a handler body does with request input.
//! Names and bodies are read as text: by this point the syntax tree has said
//! which text is a middleware, a parameter list or a handler body.

use super::super::language::Grammar;
use super::super::syntax::ParsedFile;
use crate::server::review::facts::Empty;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// What a middleware/guard/decorator name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Auth,
    /// Explicitly public (`AllowAny`, `@Public()`, `SkipAuth`).
    Public,
    RateLimit,
    NoRateLimit,
    Validation,
    Other,
}

static RATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)rate_?limit|ratelimit|limiter|throttl|slow_?down|slowapi|governor|\blimit\(")
        .unwrap()
});
static NO_RATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)skip_?throttle|exempt").unwrap());
static PUBLIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bAllowAny\b|@?\bPublic\(|skip_?auth|no_?auth|\bisPublic\b|\bpublic_route\b")
        .unwrap()
});
static AUTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)auth|login_required|logged_?in|jwt|passport|guard|permission|protect|bearer|\bacl\b|rbac|roles?_required|require_?role|admin_required|staff_member|clerk|verify_?(user|token|session)|current_?user|require_?user|ensure_?user|api_?key|oauth|keycloak|isAuthenticated|IsAdminUser|token_required|user_passes_test|\bSecurity\(|session_required|require_?session|\bidentity\b",
    )
    .unwrap()
});
/// Session stores and helpers that mention auth words without guarding anything.
static NOT_AUTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(express-?)?session\b|cookie_?session|passport\.(initialize|session)\b|SessionManagerLayer|SessionMiddleware|CSRF|csrf|authRouter|auth_router|authRoutes|auth_routes|oauth2_scheme$")
        .unwrap()
});
static VALIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)validat|celebrate|zValidator|vValidator|tbValidator|checkSchema|\bschema\b|\bbody\(['\x22]|\bcheck\(['\x22]|\bquery\(['\x22]|\bparam\(['\x22]|ValidationPipe|use_args|use_kwargs|expects_json")
        .unwrap()
});

/// The role of one middleware/guard/decorator, by its text.
pub fn role(text: &str) -> Role {
    if NO_RATE.is_match(text) {
        return Role::NoRateLimit;
    }
    if RATE.is_match(text) {
        return Role::RateLimit;
    }
    if PUBLIC.is_match(text) {
        return Role::Public;
    }
    if AUTH.is_match(text) && !NOT_AUTH.is_match(text.trim()) {
        return Role::Auth;
    }
    if VALIDATE.is_match(text) {
        return Role::Validation;
    }
    Role::Other
}

/// A short display form of a middleware expression: whitespace collapsed,
/// at most 60 characters.
pub fn short(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= 60 {
        collapsed
    } else {
        let mut out: String = collapsed.chars().take(59).collect();
        out.push('…');
        out
    }
}

/// Models that validate what they are built from: Pydantic/Marshmallow/DRF
/// classes, Go structs with `binding:`/`validate:` tags, Rust types deriving
/// `Deserialize`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Models {
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub python: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub go_tagged: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub rust_deserialize: BTreeSet<String>,
}

static PY_MODEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*class\s+(\w+)\s*\(\s*[\w.]*(BaseModel|Schema|Serializer|ModelSerializer|Form|ModelForm|SQLModel|Struct)\b").unwrap()
});
static GO_TAGGED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?s)type\s+(\w+)\s+struct\s*\{([^}]*)\}"#).unwrap());
static RUST_DESER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)#\[derive\(([^)]*)\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum)\s+(\w+)").unwrap()
});

impl Models {
    pub fn observe(&mut self, file: &ParsedFile) {
        match file.grammar {
            Grammar::Python => {
                for c in PY_MODEL.captures_iter(file.text) {
                    self.python.insert(c[1].to_string());
                }
            }
            Grammar::Go => {
                for c in GO_TAGGED.captures_iter(file.text) {
                    if c[2].contains("binding:\"") || c[2].contains("validate:\"") {
                        self.go_tagged.insert(c[1].to_string());
                    }
                }
            }
            Grammar::Rust => {
                for c in RUST_DESER.captures_iter(file.text) {
                    if c[1].contains("Deserialize") {
                        self.rust_deserialize.insert(c[2].to_string());
                    }
                }
            }
            _ => {}
        }
    }
}

/// What a handler does with request input, read from its source.
#[derive(Clone, Debug, Default)]
pub struct BodySignals {
    /// The first request input read, and its 1-based line (in the file).
    pub input: Option<(String, u32)>,
    /// The schema or typed extractor that validates it.
    pub schema: Option<String>,
    /// An authentication check inside the handler (`if (!req.user)`).
    pub auth: Option<String>,
    /// Writes to a store (`.save(`, `INSERT`, `.create(`…).
    pub writes: bool,
    /// `input` is the request body (not only query or path parameters).
    pub body: bool,
}

static BODY_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)body|json|form|\.data\b|\bPOST\b|files|bind|parser|decode|multipart|\.text$")
        .unwrap()
});

/// The first body read matched by `re` in `body`, else the first read.
fn first_input(re: &Regex, body: &str, line_of: &dyn Fn(usize) -> u32, out: &mut BodySignals) {
    let mut first = None;
    for m in re.find_iter(body) {
        let what = m.as_str().trim_end_matches('(').to_string();
        if BODY_READ.is_match(&what) && !what.contains("Query") {
            out.input = Some((what, line_of(m.start())));
            out.body = true;
            return;
        }
        first.get_or_insert((what, line_of(m.start())));
    }
    out.input = first;
}

static JS_INPUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(req|request)\.(body|query|params)\b|\bctx\.(request\.body|request\.query|query|params)\b|\bc\.req\.(json|query|queries|param|parseBody|formData|text)\s*\(|@(Body|Query|Param)\(").unwrap()
});
static JS_SCHEMA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Za-z_$][\w$]*)\s*\.\s*(safeParse|safeParseAsync|parseAsync|parse|validate|validateAsync|validateSync|assert|check)\s*\(|\bc\.req\.valid\s*\(|\bvalidationResult\s*\(|\bplainToInstance\s*\(|\bvalidateOrReject\s*\(|\bajv\b|\bz\.object\(|\bJoi\.|\bv\.parse\(|\bis\(\w+,").unwrap()
});
static JS_AUTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"if\s*\(\s*!\s*(req|request|ctx\.state|ctx|c)\s*\.\s*(user|auth|session\s*\.\s*user|session\s*\.\s*userId|isAuthenticated\s*\(\s*\))|\bjwt\.verify\s*\(|\bverifyToken\s*\(|\bgetServerSession\s*\(|\brequireUser\s*\(").unwrap()
});
static PY_INPUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\brequest\.(json|get_json|form|args|values|data|files|POST|GET|body|query_params)\b",
    )
    .unwrap()
});
static PY_SCHEMA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\w*Schema\(\s*\)\s*\.\s*(load|validate)\s*\(|\b\w*(Serializer|serializer)\s*\(\s*data\s*=|\b\w*Form\s*\(\s*request\.|\.is_valid\s*\(|\.model_validate(_json)?\s*\(|\.parse_obj\s*\(|\bvalidate\s*\(|\.load\s*\(\s*request\.").unwrap()
});
static PY_AUTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(request\.user|current_user)\.is_authenticated\b|if\s+not\s+(request\.user|current_user|g\.user)\b|\bcheck_permissions?\s*\(|\bverify_jwt_in_request\s*\(").unwrap()
});
static GO_INPUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(r|req)\.(FormValue|PostFormValue|PathValue|ParseForm|ParseMultipartForm|URL\.Query\(\)|Body)\b|\b(c|ctx)\.(Query|DefaultQuery|Param|Params|PostForm|QueryParam|QueryParams|FormValue|FormParams|ShouldBind\w*|Bind\w*|MustBind\w*|BodyParser|QueryParser|ParamsParser|GetRawData|Body|Queries|FormFile)\s*\(").unwrap()
});
static GO_VALIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bvalidate\.Struct\s*\(|\.Validate\s*\(|\bvalidator\.\w+\s*\(").unwrap()
});
static GO_BIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:ShouldBind\w*|Bind\w*|MustBind\w*|BodyParser|Decode)\s*\(\s*&?(\w+)\s*\)")
        .unwrap()
});
static GO_VAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bvar\s+(\w+)\s+\*?(?:\w+\.)?(\w+)|\b(\w+)\s*:=\s*&?(?:\w+\.)?(\w+)\s*\{").unwrap()
});
static RUST_EXTRACTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(Json|Query|Path|Form|Multipart|Bytes|String|HttpRequest|Request|Value)\b(?:\s*<\s*([\w:]+(?:<[^>]*>)?)\s*>)?").unwrap()
});
static RUST_AUTH_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\w+::)*(auth\w*|\w*user|claims|\w*session|identity|bearerauth|\w*token|currentuser|jwt\w*|\w*principal)\b").unwrap()
});
static WRITES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\.(save|create|insert\w*|update\w*|delete\w*|destroy|remove|upsert|bulk_create|add|commit|exec|execute)\s*\(|\b(INSERT|UPDATE|DELETE)\s").unwrap()
});

const NOT_SCHEMAS: &[&str] = &[
    "JSON",
    "Date",
    "path",
    "url",
    "qs",
    "querystring",
    "cookie",
    "URL",
    "Number",
    "parseInt",
];

/// Reads a handler: its parameters and body text. `line` is the handler's
/// first line in its file.
pub fn body_signals(
    grammar: Grammar,
    params: &str,
    body: &str,
    line: u32,
    models: &Models,
) -> BodySignals {
    let line_of = |offset: usize| line + body[..offset].matches('\n').count() as u32;
    let mut out = BodySignals {
        writes: WRITES.is_match(body),
        ..BodySignals::default()
    };
    match grammar {
        Grammar::TypeScript | Grammar::Tsx => {
            first_input(&JS_INPUT, body, &line_of, &mut out);
            for c in JS_SCHEMA.captures_iter(body) {
                let object = c.get(1).map_or("", |m| m.as_str());
                if !NOT_SCHEMAS.contains(&object) {
                    out.schema = Some(short(c.get(0).map_or("", |m| m.as_str())));
                    break;
                }
            }
            if let Some(m) = JS_AUTH.find(body) {
                out.auth = Some(short(m.as_str()));
            }
        }
        Grammar::Python => {
            first_input(&PY_INPUT, body, &line_of, &mut out);
            if let Some(m) = PY_SCHEMA.find(body) {
                out.schema = Some(short(m.as_str().trim_end_matches('(')));
            }
            if let Some(m) = PY_AUTH.find(body) {
                out.auth = Some(short(m.as_str()));
            }
            // FastAPI validates annotated parameters; a Pydantic body model
            // is the schema.
            for model in &models.python {
                if params.contains(&format!(": {model}")) {
                    out.schema = Some(format!("{model} (Pydantic model parameter)"));
                }
            }
        }
        Grammar::Go => {
            first_input(&GO_INPUT, body, &line_of, &mut out);
            if let Some(m) = GO_VALIDATE.find(body) {
                out.schema = Some(short(m.as_str().trim_end_matches('(')));
            } else {
                for bind in GO_BIND.captures_iter(body) {
                    let var = &bind[1];
                    let ty = GO_VAR.captures_iter(body).find_map(|v| {
                        let (name, ty) = match (v.get(1), v.get(2), v.get(3), v.get(4)) {
                            (Some(n), Some(t), _, _) | (_, _, Some(n), Some(t)) => (n, t),
                            _ => return None,
                        };
                        (name.as_str() == var).then(|| ty.as_str().to_string())
                    });
                    if let Some(ty) = ty.filter(|t| models.go_tagged.contains(t)) {
                        out.schema = Some(format!("{ty} (struct with validation tags)"));
                        break;
                    }
                }
            }
        }
        Grammar::Rust => {
            let (input, schema) = rust_extractors(params, models);
            out.body = input
                .as_deref()
                .is_some_and(|i| !i.starts_with("Query") && !i.starts_with("Path"));
            out.input = input.map(|i| (i, line));
            out.schema = schema;
            for param in split_params(params) {
                let ty = param.split_once(':').map_or("", |(_, t)| t).trim();
                let ty = ty.trim_start_matches('&').trim_start_matches("web::");
                let outer = ty.split('<').next().unwrap_or("").trim();
                if matches!(outer, "Json" | "Query" | "Path" | "Form" | "State" | "Data") {
                    continue;
                }
                let inner = if outer == "Extension" || outer == "ReqData" {
                    ty.split_once('<')
                        .map_or("", |(_, t)| t.trim_end_matches('>'))
                } else {
                    ty
                };
                if RUST_AUTH_TYPE.is_match(inner.trim()) {
                    out.auth = Some(format!("{} extractor", short(ty)));
                    break;
                }
            }
        }
    }
    out
}

/// The request input a Rust handler takes, and whether its extractors are
/// typed (serde validates them into the declared type).
fn rust_extractors(params: &str, models: &Models) -> (Option<String>, Option<String>) {
    let mut input = None;
    let mut untyped = None;
    let mut typed = None;
    for param in split_params(params) {
        let ty = param.split_once(':').map_or("", |(_, t)| t).trim();
        let ty = ty
            .trim_start_matches("web::")
            .trim_start_matches("axum::extract::");
        let Some(c) = RUST_EXTRACTOR.captures(ty) else {
            continue;
        };
        if c.get(0).map(|m| m.start()) != Some(0) {
            continue;
        }
        let outer = &c[1];
        let inner = c.get(2).map(|m| m.as_str().to_string());
        match outer {
            "Json" | "Query" | "Form" | "Path" => {
                input.get_or_insert_with(|| short(ty));
                match inner.as_deref() {
                    Some(t) if is_untyped_rust(t) => {
                        untyped.get_or_insert_with(|| short(ty));
                    }
                    Some(t) => {
                        let name = t.rsplit("::").next().unwrap_or(t);
                        let known = models.rust_deserialize.contains(name)
                            || matches!(
                                name,
                                "i32" | "i64" | "u32" | "u64" | "Uuid" | "usize" | "bool"
                            )
                            || name.starts_with('(');
                        if known || outer == "Path" {
                            typed.get_or_insert_with(|| {
                                format!("{} (typed serde extractor)", short(ty))
                            });
                        } else {
                            typed.get_or_insert_with(|| format!("{} (typed extractor)", short(ty)));
                        }
                    }
                    None if outer == "Path" => {
                        typed.get_or_insert_with(|| format!("{} (typed extractor)", short(ty)));
                    }
                    None => {
                        untyped.get_or_insert_with(|| short(ty));
                    }
                }
            }
            "String" | "Bytes" | "Multipart" | "Value" => {
                input.get_or_insert_with(|| short(ty));
                untyped.get_or_insert_with(|| short(ty));
            }
            _ => {}
        }
    }
    match (untyped, typed) {
        (Some(u), _) => (Some(u), None),
        (None, Some(t)) => (input, Some(t)),
        (None, None) => (input, None),
    }
}

fn is_untyped_rust(t: &str) -> bool {
    let t = t.trim();
    t == "Value"
        || t.ends_with("::Value")
        || t.starts_with("HashMap")
        || t.starts_with("BTreeMap")
        || t == "String"
}

/// Splits a parameter list on top-level commas (not those inside `<>`/`()`).
pub fn split_params(params: &str) -> Vec<&str> {
    let inner = params
        .trim()
        .strip_prefix('(')
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(params);
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in inner.char_indices() {
        match ch {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' | ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        out.push(inner[start..].trim());
    }
    out
}

crate::merge_fields!(Models {
    python,
    go_tagged,
    rust_deserialize
});
