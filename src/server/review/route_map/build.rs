//! Links the files' routers, mounts and routes into full routes, and decides
//! for each whether it is authenticated, validates its input and is rate
//! limited.

use super::super::language::Grammar;
use super::classify::{body_signals, role, BodySignals, Role};
use super::{join_paths, FileRoutes, FnRec, GlobalKind, Handler, RawRoute, RouteCollector};
use crate::model::{AspectStatus, FrameworkInfo, RouteAspect, RouteInfo};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Routes listed per review, at most.
pub const MAX_ROUTES: usize = 2_000;
/// Mount chains followed per route, at most (a router mounted in several places).
const MAX_CHAINS: usize = 4;
const MAX_DEPTH: usize = 12;

/// A router: the file it lives in (`None` for Go/Rust functions and actix
/// route macros, which are found by name across the package/crate) and its name.
type Key = (Option<usize>, String);

/// A mount of a router under its parent: (parent, prefix, middleware, mount
/// line, file index of the mount).
type Edge = (Key, String, Vec<String>, u32, usize);

/// One way a route is reached: prefixes outermost first, middleware
/// outermost first, and whether the chain ends at an application.
#[derive(Clone, Debug, Default)]
struct Chain {
    prefixes: Vec<String>,
    middleware: Vec<String>,
    resolved: bool,
    framework: Option<&'static str>,
}

struct Linker<'a> {
    c: &'a RouteCollector,
    /// child key → (parent key, prefix, middleware, mount line, file index)
    parents: HashMap<Key, Vec<Edge>>,
}

fn family(g: Option<Grammar>) -> u8 {
    match g {
        Some(Grammar::TypeScript | Grammar::Tsx) => 0,
        Some(Grammar::Python) => 1,
        Some(Grammar::Go) => 2,
        Some(Grammar::Rust) => 3,
        None => 4,
    }
}

fn is_global_name(g: Option<Grammar>, name: &str) -> bool {
    matches!(g, Some(Grammar::Go | Grammar::Rust))
        && (name.starts_with("fn:") || name.starts_with("attr:"))
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

impl<'a> Linker<'a> {
    fn new(c: &'a RouteCollector) -> Self {
        let mut linker = Linker {
            c,
            parents: HashMap::new(),
        };
        for (i, f) in c.files.iter().enumerate() {
            for m in &f.mounts {
                let parent = linker.key(i, &m.parent);
                if let Some(child) = linker.resolve_child(i, &m.child) {
                    if child != parent {
                        linker.parents.entry(child).or_default().push((
                            parent,
                            m.prefix.clone(),
                            m.middleware.clone(),
                            m.line,
                            i,
                        ));
                    }
                }
            }
        }
        linker
    }

    fn key(&self, file: usize, name: &str) -> Key {
        let g = self.c.files[file].grammar;
        if is_global_name(g, name) {
            (None, format!("{}{name}", family(g)))
        } else {
            (Some(file), name.to_string())
        }
    }

    fn file_index(&self, path: &str) -> Option<usize> {
        self.c.files.iter().position(|f| f.path == path)
    }

    /// A JS module specifier relative to `from`.
    fn js_module(&self, from: usize, spec: &str) -> Option<usize> {
        if !spec.starts_with('.') {
            return None;
        }
        let base = normalize(&format!("{}/{}", dir_of(&self.c.files[from].path), spec));
        let stem = base
            .strip_suffix(".js")
            .or_else(|| base.strip_suffix(".mjs"))
            .or_else(|| base.strip_suffix(".cjs"))
            .unwrap_or(&base)
            .to_string();
        let candidates = [
            base.clone(),
            format!("{stem}.ts"),
            format!("{stem}.js"),
            format!("{stem}.tsx"),
            format!("{stem}.mjs"),
            format!("{stem}.cjs"),
            format!("{stem}/index.ts"),
            format!("{stem}/index.js"),
        ];
        candidates.iter().find_map(|c| self.file_index(c))
    }

    /// A Python dotted module (absolute or relative to `from`).
    fn py_module(&self, from: usize, module: &str) -> Option<usize> {
        let dots = module.chars().take_while(|c| *c == '.').count();
        let rest = module[dots..].replace('.', "/");
        let rel = if dots > 0 {
            let mut dir = dir_of(&self.c.files[from].path).to_string();
            for _ in 1..dots {
                dir = dir_of(&dir).to_string();
            }
            normalize(&format!("{dir}/{rest}"))
        } else {
            rest
        };
        let ends = |p: &str, suffix: &str| p == suffix || p.ends_with(&format!("/{suffix}"));
        self.c.files.iter().position(|f| {
            !rel.is_empty()
                && (ends(&f.path, &format!("{rel}.py"))
                    || ends(&f.path, &format!("{rel}/__init__.py")))
        })
    }

    /// The router a file exports by default (JS), or its only router.
    fn exported_router(&self, file: usize) -> Option<String> {
        let f = &self.c.files[file];
        if let Some(d) = &f.default_export {
            return Some(d.clone());
        }
        let mut owners: Vec<&str> = f.routers.iter().map(|r| r.var.as_str()).collect();
        owners.extend(f.routes.iter().map(|r| r.owner.as_str()));
        owners.sort();
        owners.dedup();
        (owners.len() == 1).then(|| owners[0].to_string())
    }

    fn resolve_child(&self, file: usize, child: &str) -> Option<Key> {
        let f = &self.c.files[file];
        match f.grammar {
            Some(Grammar::TypeScript | Grammar::Tsx) => {
                if let Some(spec) = child.strip_prefix("require:") {
                    let j = self.js_module(file, spec)?;
                    return Some((Some(j), self.exported_router(j)?));
                }
                if child.starts_with("fn:") || f.routers.iter().any(|r| r.var == child) {
                    return Some((Some(file), child.to_string()));
                }
                let (head, attr) = match child.split_once('.') {
                    Some((h, a)) => (h, Some(a)),
                    None => (child, None),
                };
                let (_, spec, imported) = f.imports.iter().find(|(local, _, _)| local == head)?;
                let j = self.js_module(file, spec)?;
                let name = match (attr, imported) {
                    (Some(a), _) => a.to_string(),
                    (None, Some(n)) => n.clone(),
                    (None, None) => self.exported_router(j)?,
                };
                Some((Some(j), name))
            }
            Some(Grammar::Python) => {
                if let Some(module) = child.strip_prefix("module:") {
                    let j = self.py_module(file, module)?;
                    return Some((Some(j), "urlpatterns".to_string()));
                }
                if child.starts_with("drf:") || f.routers.iter().any(|r| r.var == child) {
                    return Some((Some(file), child.to_string()));
                }
                let (head, attr) = match child.split_once('.') {
                    Some((h, a)) => (h, Some(a)),
                    None => (child, None),
                };
                let (_, module, imported) = f.imports.iter().find(|(local, _, _)| local == head)?;
                let imported = imported.clone().unwrap_or_else(|| head.to_string());
                match attr {
                    // from app.routers import items; include_router(items.router)
                    Some(a) => {
                        let j = self
                            .py_module(file, &format!("{module}.{imported}"))
                            .or_else(|| self.py_module(file, module))?;
                        Some((Some(j), a.to_string()))
                    }
                    // from app.routers.items import router
                    None => {
                        let j = self.py_module(file, module)?;
                        Some((Some(j), imported))
                    }
                }
            }
            _ => Some(self.key(file, child)),
        }
    }

    fn router_def(&self, key: &Key) -> Option<&'a super::RouterDef> {
        match key.0 {
            Some(i) => self.c.files[i].routers.iter().find(|r| r.var == key.1),
            None => None,
        }
    }

    /// Middleware registered on `key` that applies to something registered
    /// at `line` of `file` under `path`.
    fn uses_for(&self, key: &Key, file: usize, line: u32, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let files: Vec<usize> = match key.0 {
            Some(i) => vec![i],
            None => (0..self.c.files.len()).collect(),
        };
        for i in files {
            let f = &self.c.files[i];
            for u in &f.uses {
                if self.key(i, &u.router) != *key {
                    continue;
                }
                let ordered = u.all || i != file || u.line <= line;
                let under = u.prefix.as_deref().is_none_or(|p| path.starts_with(p));
                if ordered && under {
                    out.extend(u.middleware.iter().cloned());
                }
            }
        }
        out
    }

    /// Every way (up to [`MAX_CHAINS`]) the router `key` is reached.
    fn chains(&self, key: &Key, file: usize, line: u32, path: &str, depth: usize) -> Vec<Chain> {
        let def = self.router_def(key);
        let mut own = Chain::default();
        if let Some(d) = def {
            own.prefixes.push(d.prefix.clone());
            own.middleware.extend(d.middleware.iter().cloned());
            if !d.framework.is_empty() {
                own.framework = Some(d.framework);
            }
        }
        own.middleware.extend(self.uses_for(key, file, line, path));
        let parents = self.parents.get(key).map(Vec::as_slice).unwrap_or_default();
        if parents.is_empty() || depth >= MAX_DEPTH {
            let grammar = key.0.and_then(|i| self.c.files[i].grammar);
            own.resolved = match def {
                Some(d) => {
                    d.root
                        || !matches!(
                            grammar,
                            Some(Grammar::TypeScript | Grammar::Tsx | Grammar::Python)
                        )
                }
                // Go/Rust functions, NestJS controllers, Django urlpatterns,
                // `app` imported from elsewhere: served as they are.
                None => !matches!(key.1.as_str(), "router" | "bp" | "blueprint") || key.0.is_none(),
            };
            own.prefixes.reverse();
            return vec![own];
        }
        let mut out = Vec::new();
        for (parent, prefix, middleware, mount_line, mount_file) in parents.iter().take(MAX_CHAINS)
        {
            for mut up in self.chains(
                parent,
                *mount_file,
                *mount_line,
                &join_paths(prefix, path),
                depth + 1,
            ) {
                up.prefixes.push(prefix.clone());
                up.prefixes.extend(own.prefixes.iter().cloned());
                up.middleware.extend(middleware.iter().cloned());
                up.middleware.extend(own.middleware.iter().cloned());
                if own.framework.is_some() {
                    up.framework = own.framework;
                }
                out.push(up);
                if out.len() >= MAX_CHAINS {
                    return out;
                }
            }
        }
        out
    }
}

/// Finds the function a named handler refers to.
fn find_handler<'a>(
    c: &'a RouteCollector,
    file: usize,
    name: &str,
    qualifier: Option<&str>,
) -> Option<&'a FnRec> {
    let f = &c.files[file];
    let fam = family(f.grammar);
    let q_lower = qualifier.map(|q| {
        q.rsplit(['.', ':'])
            .next()
            .unwrap_or(q)
            .to_ascii_lowercase()
    });
    let qualifier_matches = |r: &FnRec| match (&q_lower, &r.qualifier) {
        (Some(q), Some(rq)) => {
            rq.to_ascii_lowercase() == *q
                || q.contains(&rq.to_ascii_lowercase())
                || rq.to_ascii_lowercase().contains(q.trim_end_matches('s'))
        }
        _ => false,
    };
    // Same file first.
    let same: Vec<&FnRec> = f.functions.iter().filter(|r| r.name == name).collect();
    if let Some(r) = same.iter().find(|r| qualifier_matches(r)).or(same.first()) {
        if qualifier.is_none() || same.len() == 1 || qualifier_matches(r) {
            return Some(r);
        }
    }
    let mut all: Vec<&FnRec> = c
        .files
        .iter()
        .filter(|g| family(g.grammar) == fam)
        .flat_map(|g| g.functions.iter())
        .filter(|r| r.name == name)
        .collect();
    // An imported module named like the qualifier (`views.create_order`).
    if let Some(q) = &q_lower {
        if let Some(r) = all.iter().find(|r| qualifier_matches(r)) {
            return Some(r);
        }
        all.sort_by_key(|r| {
            !r.file
                .to_ascii_lowercase()
                .contains(q.trim_end_matches('s'))
        });
    }
    all.first().copied()
}

static DJANGO_METHODS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s+(?:async\s+)?def\s+(get|post|put|patch|delete)\s*\(").unwrap()
});
static DRF_PERMISSIONS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"permission_classes\s*=\s*[\[(][^\])]*[\])]").unwrap());
static NEST_INPUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"@(Body|Query|Param)\(([^)]*)\)\s*(\w+)\s*:\s*([\w<>\[\]]+)").unwrap()
});
static BENIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^Depends\(|json|urlencoded|cors|helmet|morgan|log|compress|cookie|body_?parser|static|recover|request_?id|trace|timeout|multer|upload|cache|etag|gzip|secure|csrf|error|metrics|prom|otel|sentry|favicon|swagger|docs|state|extension|data::new|normalize|default_headers|httpcode|interceptor|serializ|response_model|status_code|tags|summary|description|api_view|require_(get|post|safe|http_methods)|csrf_exempt|transaction|cache_page|vary_on|name\s*=|ParseIntPipe|HttpCode|Header\(|Redirect|Render|Version|pipe|swagger|Api\w+\(").unwrap()
});

/// A route of the map with what the checks need beyond the DTO.
#[derive(Clone, Debug)]
pub struct BuiltRoute {
    pub info: RouteInfo,
    /// The file of the handler and its first input read (`req.body`, line).
    pub handler_file: Option<String>,
    pub input: Option<(String, u32)>,
    /// The handler writes to a store.
    pub writes: bool,
    /// `input` reads the request body (not only query/path parameters).
    pub body: bool,
}

/// Everything [`routes`] needs about one route's handler.
struct HandlerFacts {
    display: String,
    rec: Option<FnRec>,
    signals: BodySignals,
    /// The handler's source (a class body for class-based views).
    body: String,
    grammar: Option<Grammar>,
}

fn handler_facts(
    c: &RouteCollector,
    file: usize,
    route: &RawRoute,
    cache: &mut HashMap<String, Option<String>>,
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> HandlerFacts {
    let grammar = c.files[file].grammar;
    let (display, rec) = match &route.handler {
        Handler::Inline(rec) => ("inline handler".to_string(), Some(rec.clone())),
        Handler::Named { name, qualifier } => {
            let rec = find_handler(c, file, name, qualifier.as_deref()).cloned();
            let display = match (qualifier, &rec) {
                (_, Some(r)) if r.qualifier.is_some() => {
                    format!("{}.{}", r.qualifier.as_deref().unwrap_or(""), r.name)
                }
                (Some(q), _) => format!("{q}.{name}"),
                _ => name.clone(),
            };
            (display, rec)
        }
        Handler::Unknown => ("?".to_string(), None),
    };
    let mut signals = BodySignals::default();
    let mut body_text = String::new();
    if let Some(r) = &rec {
        let text = cache.entry(r.file.clone()).or_insert_with(|| read(&r.file));
        if let Some(body) = text.as_deref().and_then(|t| t.get(r.start..r.end)) {
            let g = c
                .files
                .iter()
                .find(|f| f.path == r.file)
                .and_then(|f| f.grammar)
                .or(grammar);
            if let Some(g) = g {
                signals = body_signals(g, &r.params, body, r.line, &c.models);
            }
            body_text = body.to_string();
        }
    }
    HandlerFacts {
        display,
        rec,
        signals,
        body: body_text,
        grammar,
    }
}

/// The full routes of the project, with their aspects decided.
pub fn routes(
    c: &RouteCollector,
    frameworks: &[FrameworkInfo],
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> Vec<BuiltRoute> {
    let linker = Linker::new(c);
    let globals: Vec<&super::Global> = c.files.iter().flat_map(|f| f.globals.iter()).collect();
    let global_prefix = globals
        .iter()
        .find(|g| g.kind == GlobalKind::Prefix)
        .map(|g| g.name.clone());
    let mut cache: HashMap<String, Option<String>> = HashMap::new();
    let mut out = Vec::new();
    for (i, f) in c.files.iter().enumerate() {
        for route in &f.routes {
            let key = linker.key(i, &route.owner);
            let facts = handler_facts(c, i, route, &mut cache, read);
            for chain in linker.chains(&key, i, route.line, &route.path, 0) {
                let framework = pick_framework(f, route, &chain, frameworks);
                let mut prefixes = chain.prefixes.clone();
                if framework == "NestJS" {
                    if let Some(p) = &global_prefix {
                        prefixes.insert(0, p.clone());
                    }
                }
                let mut path = String::new();
                for p in &prefixes {
                    path = join_paths(&path, p);
                }
                let path = join_paths(&path, &route.path);
                let mut middleware = chain.middleware.clone();
                middleware.extend(route.middleware.iter().cloned());
                if let Some(rec) = &facts.rec {
                    if facts.grammar == Some(Grammar::Python)
                        && !matches!(route.handler, Handler::Inline(_))
                        && route.framework == "Django"
                    {
                        middleware.extend(rec.decorators.iter().cloned());
                    }
                    if facts.grammar == Some(Grammar::Python) {
                        for d in super::python::depends_in(&rec.params) {
                            if !middleware.contains(&d) {
                                middleware.push(d);
                            }
                        }
                    }
                }
                middleware.dedup();
                let methods = route_methods(route, &facts);
                for method in methods {
                    if out.len() >= MAX_ROUTES {
                        return sorted(out);
                    }
                    let (auth, validation, rate_limit) = aspects(
                        &middleware,
                        &facts,
                        &chain,
                        framework,
                        &globals,
                        c,
                        i,
                        route,
                    );
                    out.push(BuiltRoute {
                        info: RouteInfo {
                            method,
                            path: path.clone(),
                            handler: facts.display.clone(),
                            file: f.path.clone(),
                            line: route.line,
                            framework: framework.to_string(),
                            middleware: middleware.clone(),
                            auth,
                            validation,
                            rate_limit,
                        },
                        handler_file: facts.rec.as_ref().map(|r| r.file.clone()),
                        input: facts.signals.input.clone(),
                        writes: facts.signals.writes,
                        body: facts.signals.body,
                    });
                }
            }
        }
    }
    sorted(out)
}

fn sorted(mut out: Vec<BuiltRoute>) -> Vec<BuiltRoute> {
    out.sort_by(|a, b| {
        let (a, b) = (&a.info, &b.info);
        (&a.path, &a.method, &a.file, a.line).cmp(&(&b.path, &b.method, &b.file, b.line))
    });
    out.dedup_by(|a, b| {
        let (a, b) = (&a.info, &b.info);
        a.path == b.path && a.method == b.method && a.file == b.file && a.line == b.line
    });
    out
}

fn pick_framework(
    f: &FileRoutes,
    route: &RawRoute,
    chain: &Chain,
    frameworks: &[FrameworkInfo],
) -> &'static str {
    if !route.framework.is_empty() && route.framework != "net/http" {
        return route.framework;
    }
    if let Some(fw) = chain.framework {
        return fw;
    }
    if !route.framework.is_empty() {
        return route.framework;
    }
    let language = match f.grammar {
        Some(Grammar::TypeScript | Grammar::Tsx) => super::frameworks::JS,
        Some(Grammar::Python) => "Python",
        Some(Grammar::Go) => "Go",
        _ => "Rust",
    };
    for fw in frameworks {
        if fw.language == language {
            if let Some(def) = super::frameworks::FRAMEWORKS
                .iter()
                .find(|d| d.name == fw.name)
            {
                return def.name;
            }
        }
    }
    match language {
        "Python" => "Flask",
        "Go" => "net/http",
        "Rust" => "axum",
        _ => "Express",
    }
}

fn route_methods(route: &RawRoute, facts: &HandlerFacts) -> Vec<String> {
    if !route.methods.is_empty() {
        return route.methods.clone();
    }
    // Django: from the view's decorators or class methods.
    if let Some(rec) = &facts.rec {
        if facts.body.starts_with("class") && !route.owner.starts_with("drf:") {
            let listed: Vec<String> = DJANGO_METHODS
                .captures_iter(&facts.body)
                .map(|c| c[1].to_ascii_uppercase())
                .collect();
            if !listed.is_empty() {
                return listed;
            }
        }
        for d in &rec.decorators {
            let lower = d.to_ascii_lowercase();
            if lower.starts_with("require_post") {
                return vec!["POST".into()];
            }
            if lower.starts_with("require_get") || lower.starts_with("require_safe") {
                return vec!["GET".into()];
            }
            if lower.starts_with("require_http_methods") || lower.starts_with("api_view") {
                let listed: Vec<String> = d
                    .split(['"', '\''])
                    .skip(1)
                    .step_by(2)
                    .map(|m| m.to_ascii_uppercase())
                    .filter(|m| !m.is_empty())
                    .collect();
                if !listed.is_empty() {
                    return listed;
                }
            }
        }
    }
    vec!["ANY".into()]
}

#[allow(clippy::too_many_arguments)]
fn aspects(
    middleware: &[String],
    facts: &HandlerFacts,
    chain: &Chain,
    framework: &str,
    globals: &[&super::Global],
    c: &RouteCollector,
    file: usize,
    route: &RawRoute,
) -> (RouteAspect, RouteAspect, RouteAspect) {
    let roles: Vec<(Role, &String)> = middleware.iter().map(|m| (role(m), m)).collect();
    let global_of = |kind: GlobalKind| {
        globals.iter().find(|g| {
            g.kind == kind
                && family(
                    c.files
                        .iter()
                        .find(|f| f.path == g.file)
                        .and_then(|f| f.grammar),
                ) == family(c.files[file].grammar)
        })
    };
    let is_drf = facts.rec.as_ref().is_some_and(|r| {
        r.decorators.iter().any(|d| d.starts_with("api_view"))
            || [
                "APIView",
                "ViewSet",
                "GenericAPIView",
                "ModelViewSet",
                "ListAPIView",
                "CreateAPIView",
            ]
            .iter()
            .any(|b| r.params.contains(b))
    }) || route.owner.starts_with("drf:");

    // Authentication.
    let auth = if let Some((_, m)) = roles.iter().find(|(r, _)| *r == Role::Public) {
        RouteAspect::new(AspectStatus::No, format!("marked public by {m}"))
    } else if let Some((_, m)) = roles.iter().find(|(r, _)| *r == Role::Auth) {
        RouteAspect::new(AspectStatus::Yes, m.to_string())
    } else if let Some(a) = &facts.signals.auth {
        RouteAspect::new(AspectStatus::Yes, format!("{a} in the handler"))
    } else if let Some(p) = drf_permissions(facts) {
        p
    } else if let Some(g) = global_of(GlobalKind::AuthGuard)
        .filter(|_| framework == "NestJS" || (framework == "Django" && is_drf))
    {
        RouteAspect::new(
            AspectStatus::Yes,
            format!("global {} ({}:{})", g.name, g.file, g.line),
        )
    } else if !chain.resolved {
        RouteAspect::new(
            AspectStatus::Unknown,
            "its router is mounted where backlens cannot see it",
        )
    } else if let Some((_, m)) = roles
        .iter()
        .find(|(r, m)| *r == Role::Other && !BENIGN.is_match(m))
    {
        RouteAspect::new(
            AspectStatus::Unknown,
            format!("custom middleware {m} may check it"),
        )
    } else {
        RouteAspect::new(AspectStatus::No, "no authentication guard applies")
    };

    // Input validation.
    let nest_validation = nest_input(
        facts,
        middleware,
        global_of(GlobalKind::ValidationPipe).is_some(),
    );
    let validation = if let Some(v) = nest_validation.filter(|_| framework == "NestJS") {
        v
    } else if let Some(s) = &route.schema {
        RouteAspect::new(AspectStatus::Yes, s.clone())
    } else if let Some((_, m)) = roles.iter().find(|(r, _)| *r == Role::Validation) {
        RouteAspect::new(AspectStatus::Yes, m.to_string())
    } else if let Some(s) = &facts.signals.schema {
        RouteAspect::new(AspectStatus::Yes, s.clone())
    } else if let Some((what, line)) = &facts.signals.input {
        RouteAspect::new(
            AspectStatus::No,
            format!("reads {what} (line {line}) without a schema"),
        )
    } else if facts.rec.is_none() {
        RouteAspect::new(AspectStatus::Unknown, "handler not found")
    } else {
        RouteAspect::new(AspectStatus::NotApplicable, "reads no request input")
    };

    // Rate limiting.
    let rate_limit = if let Some((_, m)) = roles.iter().find(|(r, _)| *r == Role::NoRateLimit) {
        RouteAspect::new(AspectStatus::No, format!("exempted by {m}"))
    } else if let Some((_, m)) = roles.iter().find(|(r, _)| *r == Role::RateLimit) {
        RouteAspect::new(AspectStatus::Yes, m.to_string())
    } else if let Some(g) = global_of(GlobalKind::RateLimit) {
        RouteAspect::new(
            AspectStatus::Yes,
            format!("global {} ({}:{})", g.name, g.file, g.line),
        )
    } else {
        RouteAspect::new(AspectStatus::No, "no rate limiter applies")
    };
    (auth, validation, rate_limit)
}

/// DRF `permission_classes`: `@permission_classes([...])` on a function view,
/// `permission_classes = [...]` in a class-based view.
fn drf_permissions(facts: &HandlerFacts) -> Option<RouteAspect> {
    let rec = facts.rec.as_ref()?;
    if let Some(text) = rec
        .decorators
        .iter()
        .find(|d| d.starts_with("permission_classes"))
    {
        return Some(classify_permissions(text));
    }
    let m = DRF_PERMISSIONS.find(&facts.body)?;
    Some(classify_permissions(m.as_str()))
}

fn classify_permissions(text: &str) -> RouteAspect {
    if text.contains("AllowAny") {
        RouteAspect::new(
            AspectStatus::No,
            format!("marked public by {}", super::classify::short(text)),
        )
    } else {
        RouteAspect::new(AspectStatus::Yes, super::classify::short(text))
    }
}

/// NestJS: `@Body() dto: CreateOrderDto` is validated when a ValidationPipe
/// applies (global, class, method or parameter) and the type is a class.
fn nest_input(
    facts: &HandlerFacts,
    middleware: &[String],
    global_pipe: bool,
) -> Option<RouteAspect> {
    let rec = facts.rec.as_ref()?;
    let m = NEST_INPUT.captures(&rec.params)?;
    let (kind, pipe_args, ty) = (&m[1], &m[2], &m[4]);
    let pipe = global_pipe
        || pipe_args.contains("Pipe")
        || middleware.iter().any(|m| m.contains("ValidationPipe"))
        || rec.decorators.iter().any(|d| d.contains("ValidationPipe"));
    let typed = ty.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && !matches!(ty, "Record" | "Object" | "any" | "unknown");
    Some(if pipe && (typed || pipe_args.contains("Pipe")) {
        RouteAspect::new(
            AspectStatus::Yes,
            format!("@{kind}() {ty} with ValidationPipe"),
        )
    } else if !pipe {
        RouteAspect::new(
            AspectStatus::No,
            format!("@{kind}() {ty} but no ValidationPipe applies"),
        )
    } else {
        RouteAspect::new(
            AspectStatus::No,
            format!("@{kind}() typed {ty}, which ValidationPipe cannot check"),
        )
    })
}
