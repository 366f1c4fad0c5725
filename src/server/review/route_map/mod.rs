//! The route map: which web frameworks a project uses and every HTTP route it
//! registers, with the full path (router and mount prefixes joined), the
//! handler, and whether the route is authenticated, validates its input and
//! is rate limited.
//!
//! Each parsed file yields a [`FileRoutes`]: its route registrations, router
//! definitions, mounts (`app.use("/x", router)`, `include_router`,
//! `r.Group`, `.nest`, `web::scope`), router-wide middleware, imports and
//! function signatures. [`RouteCollector::build`] then links the files
//! (imports, Django `include()`, Go/Rust functions that register routes on a
//! router they receive), joins prefixes, gathers the middleware that applies,
//! and reads each handler's body for input reads and schemas.

mod build;
mod classify;
mod frameworks;
mod go;
mod js;
mod python;
mod rust;
mod verdicts;

crate::merge_fields!(RouteCollector {
    files,
    frameworks,
    models
});

#[cfg(test)]
mod tests;

pub use frameworks::{framework_by_key, FRAMEWORK_KEYS};
pub use verdicts::{evaluate_checks, route_findings};

use super::language::Grammar;
use super::syntax::ParsedFile;
use crate::model::FrameworkInfo;
use crate::server::review::facts::Empty;
pub use build::BuiltRoute;

/// A route registration as written in one file.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RawRoute {
    /// The router it is registered on (variable, class, `fn:NAME`…).
    pub owner: String,
    /// Upper-case methods; `["ANY"]` when any method is accepted.
    pub methods: Vec<String>,
    /// The path as written at this registration.
    pub path: String,
    pub handler: Handler,
    pub line: u32,
    /// Middleware, guards, decorators and dependencies of this registration.
    pub middleware: Vec<String>,
    /// A route-level schema (Fastify `schema:`, a Pydantic body in the decorator…).
    pub schema: Option<String>,
    #[serde(with = "super::interned::name")]
    pub framework: super::interned::StaticName,
}

/// The handler of a route.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub enum Handler {
    /// A function defined elsewhere, by name (last segment) and qualifier
    /// (`ordersController.create` → name `create`, qualifier `ordersController`).
    Named {
        name: String,
        qualifier: Option<String>,
    },
    /// A function written at the registration (its byte range in this file).
    Inline(FnRec),
    #[default]
    Unknown,
}

/// A function (or class, for Django/DRF class-based views) defined in a file.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FnRec {
    pub file: String,
    pub name: String,
    /// Class or receiver type, when it is a method.
    pub qualifier: Option<String>,
    pub line: u32,
    pub start: usize,
    pub end: usize,
    /// Decorators/attributes as written (`login_required`, `UseGuards(AuthGuard)`).
    pub decorators: Vec<String>,
    /// The parameter list as written.
    pub params: String,
}

/// `parent` includes `child` under `prefix`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Mount {
    pub parent: String,
    pub prefix: String,
    /// A variable, an imported name, `mod.attr`, `fn:NAME`, `module:dotted.path`
    /// or `file:relative/path`.
    pub child: String,
    pub middleware: Vec<String>,
    pub line: u32,
}

/// Middleware registered on a whole router.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Use {
    pub router: String,
    pub middleware: Vec<String>,
    pub line: u32,
    /// Only routes under this path (Hono `app.use("/api/*", auth)`).
    pub prefix: Option<String>,
    /// Applies to every route of the router, not only those registered after
    /// it (Echo `e.Use`, actix `.wrap`, Flask `before_request`).
    pub all: bool,
}

/// A router created in a file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RouterDef {
    pub var: String,
    pub prefix: String,
    pub middleware: Vec<String>,
    /// An application (`express()`, `FastAPI()`, `gin.Default()`,
    /// `Router::new()` served in main), not a sub-router waiting to be mounted.
    pub root: bool,
    #[serde(with = "super::interned::name")]
    pub framework: super::interned::StaticName,
}

/// What one parsed file contributes to the route map.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FileRoutes {
    pub path: String,
    pub grammar: Option<Grammar>,
    pub routes: Vec<RawRoute>,
    pub routers: Vec<RouterDef>,
    pub mounts: Vec<Mount>,
    pub uses: Vec<Use>,
    /// Local name → (module specifier, imported name; `None` for the default
    /// export or the module itself).
    pub imports: Vec<(String, String, Option<String>)>,
    /// The variable a JS module exports by default.
    pub default_export: Option<String>,
    pub functions: Vec<FnRec>,
    /// Project-wide settings seen in this file: global guards, pipes, prefixes.
    pub globals: Vec<Global>,
}

/// A project-wide setting that changes every route of a framework.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Global {
    pub kind: GlobalKind,
    pub name: String,
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GlobalKind {
    /// NestJS `APP_GUARD`/`useGlobalGuards`, DRF `DEFAULT_PERMISSION_CLASSES`.
    AuthGuard,
    /// NestJS `useGlobalPipes(new ValidationPipe())`.
    ValidationPipe,
    /// NestJS `ThrottlerGuard` as `APP_GUARD`, flask-limiter `default_limits`,
    /// DRF `DEFAULT_THROTTLE_CLASSES`.
    RateLimit,
    /// NestJS `app.setGlobalPrefix("api")`.
    Prefix,
}

/// Collects the route map over a review: call [`RouteCollector::observe_text`]
/// for every text file and [`RouteCollector::observe_parsed`] for every parsed
/// one, then [`RouteCollector::build`].
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RouteCollector {
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub files: Vec<FileRoutes>,
    pub frameworks: frameworks::Detector,
    /// Pydantic/Marshmallow/serde models and Go structs with validation tags,
    /// by name, project-wide.
    pub models: classify::Models,
}

impl RouteCollector {
    /// Manifests (package.json, requirements, pyproject, go.mod, Cargo.toml)
    /// and model declarations.
    pub fn observe_text(&mut self, path: &str, text: &str) {
        self.frameworks.observe_manifest(path, text);
    }

    /// Route registrations, routers, mounts and functions of a parsed file.
    pub fn observe_parsed(&mut self, file: &ParsedFile, in_tests: bool) {
        self.frameworks.observe_imports(file);
        self.models.observe(file);
        if in_tests {
            return;
        }
        let found = match file.grammar {
            Grammar::TypeScript | Grammar::Tsx => js::collect(file),
            Grammar::Python => python::collect(file),
            Grammar::Go => go::collect(file),
            Grammar::Rust => rust::collect(file),
        };
        if !(found.routes.is_empty()
            && found.mounts.is_empty()
            && found.functions.is_empty()
            && found.globals.is_empty())
        {
            self.files.push(found);
        }
    }

    /// The frameworks and the routes, sorted by path, method and place.
    /// `read` returns the text of a reviewed file (handler bodies are read
    /// from it); `declared` are the frameworks named in `.backlens.toml`.
    pub fn build(
        &self,
        read: &mut dyn FnMut(&str) -> Option<String>,
        declared: &[(String, u32)],
    ) -> (Vec<FrameworkInfo>, Vec<build::BuiltRoute>) {
        let frameworks = self.frameworks.list(declared);
        let routes = build::routes(self, &frameworks, read);
        (frameworks, routes)
    }
}

/// Joins a prefix and a path: `("/api", "/orders")` → `/api/orders`,
/// `("/api/", "")` → `/api`, `("", "users/")` → `/users/`.
pub fn join_paths(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let path = path.trim();
    let joined = if path.is_empty() || path == "/" {
        if prefix.is_empty() {
            "/".to_string()
        } else {
            prefix.to_string()
        }
    } else if path.starts_with('/') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    };
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}
