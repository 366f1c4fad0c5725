//! Which web frameworks a project uses: from its manifests (package.json,
//! requirements/pyproject/Pipfile, go.mod, Cargo.toml), from imports in its
//! code, and from `framework = [...]` in its `.backlens.toml`.

use super::super::file_kinds::file_name;
use super::super::language::Grammar;
use super::super::syntax::ParsedFile;
use crate::model::FrameworkInfo;
use crate::server::review::facts::Empty;
use std::collections::BTreeMap;

/// One framework backlens knows.
pub struct FrameworkDef {
    /// The key used in `.backlens.toml` (`framework = ["gin"]`).
    pub key: &'static str,
    pub name: &'static str,
    pub language: &'static str,
    /// Package names in manifests.
    pub packages: &'static [&'static str],
    /// Module names in imports.
    pub imports: &'static [&'static str],
}

pub const JS: &str = "TypeScript/JavaScript";

pub const FRAMEWORKS: &[FrameworkDef] = &[
    FrameworkDef {
        key: "express",
        name: "Express",
        language: JS,
        packages: &["express"],
        imports: &["express"],
    },
    FrameworkDef {
        key: "fastify",
        name: "Fastify",
        language: JS,
        packages: &["fastify"],
        imports: &["fastify"],
    },
    FrameworkDef {
        key: "hono",
        name: "Hono",
        language: JS,
        packages: &["hono"],
        imports: &["hono"],
    },
    FrameworkDef {
        key: "nestjs",
        name: "NestJS",
        language: JS,
        packages: &["@nestjs/core"],
        imports: &["@nestjs/common", "@nestjs/core"],
    },
    FrameworkDef {
        key: "koa",
        name: "Koa",
        language: JS,
        packages: &["koa"],
        imports: &["koa"],
    },
    FrameworkDef {
        key: "fastapi",
        name: "FastAPI",
        language: "Python",
        packages: &["fastapi"],
        imports: &["fastapi"],
    },
    FrameworkDef {
        key: "django",
        name: "Django",
        language: "Python",
        packages: &["django", "djangorestframework"],
        imports: &["django"],
    },
    FrameworkDef {
        key: "flask",
        name: "Flask",
        language: "Python",
        packages: &["flask"],
        imports: &["flask"],
    },
    FrameworkDef {
        key: "net/http",
        name: "net/http",
        language: "Go",
        packages: &[],
        imports: &["net/http"],
    },
    FrameworkDef {
        key: "gin",
        name: "Gin",
        language: "Go",
        packages: &["github.com/gin-gonic/gin"],
        imports: &["github.com/gin-gonic/gin"],
    },
    FrameworkDef {
        key: "echo",
        name: "Echo",
        language: "Go",
        packages: &["github.com/labstack/echo"],
        imports: &["github.com/labstack/echo"],
    },
    FrameworkDef {
        key: "fiber",
        name: "Fiber",
        language: "Go",
        packages: &["github.com/gofiber/fiber"],
        imports: &["github.com/gofiber/fiber"],
    },
    FrameworkDef {
        key: "axum",
        name: "axum",
        language: "Rust",
        packages: &["axum"],
        imports: &["axum"],
    },
    FrameworkDef {
        key: "actix-web",
        name: "actix-web",
        language: "Rust",
        packages: &["actix-web"],
        imports: &["actix_web"],
    },
];

/// The `.backlens.toml` keys, for its error messages.
pub const FRAMEWORK_KEYS: &[&str] = &[
    "express",
    "fastify",
    "hono",
    "nestjs",
    "koa",
    "fastapi",
    "django",
    "flask",
    "net/http",
    "gin",
    "echo",
    "fiber",
    "axum",
    "actix-web",
];

/// The framework of a `.backlens.toml` key (case-insensitive; `nest`,
/// `nethttp`, `actix` accepted too).
pub fn framework_by_key(key: &str) -> Option<&'static FrameworkDef> {
    let key = key.trim().to_ascii_lowercase();
    let key = match key.as_str() {
        "nest" => "nestjs",
        "nethttp" | "net-http" | "http" => "net/http",
        "actix" | "actix_web" => "actix-web",
        other => other,
    };
    FRAMEWORKS.iter().find(|f| f.key == key)
}

/// Evidence for frameworks, first seen wins (manifests before imports).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Detector {
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    #[serde(with = "super::super::interned::name_map")]
    manifest: BTreeMap<&'static str, (String, u32, String)>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    #[serde(with = "super::super::interned::name_map")]
    imports: BTreeMap<&'static str, (String, u32, String)>,
}

impl Detector {
    pub fn observe_manifest(&mut self, path: &str, text: &str) {
        let name = file_name(path).to_ascii_lowercase();
        for def in FRAMEWORKS {
            for package in def.packages {
                let line = match name.as_str() {
                    "package.json" => line_where(text, |l| {
                        l.trim_start().starts_with(&format!("\"{package}\""))
                    }),
                    "go.mod" => line_where(text, |l| {
                        l.split_whitespace()
                            .any(|w| w == *package || w.starts_with(&format!("{package}/")))
                    }),
                    "cargo.toml" => line_where(text, |l| {
                        let key = l.split(['=', '.', ' ']).next().unwrap_or("").trim();
                        key == *package
                    }),
                    n if n.starts_with("requirements")
                        || n == "pyproject.toml"
                        || n == "pipfile"
                        || n == "setup.py"
                        || n == "setup.cfg" =>
                    {
                        line_where(text, |l| python_requirement(l, package))
                    }
                    _ => None,
                };
                if let Some(line) = line {
                    self.manifest.entry(def.name).or_insert_with(|| {
                        (
                            path.to_string(),
                            line,
                            format!("dependency in {}", file_name(path)),
                        )
                    });
                }
            }
        }
    }

    pub fn observe_imports(&mut self, file: &ParsedFile) {
        for (i, line) in file.text.lines().enumerate().take(400) {
            let l = line.trim();
            for def in FRAMEWORKS {
                let hit = match file.grammar {
                    Grammar::TypeScript | Grammar::Tsx => {
                        def.language == JS
                            && def.imports.iter().any(|m| {
                                (l.starts_with("import") || l.contains("require("))
                                    && (l.contains(&format!("'{m}'"))
                                        || l.contains(&format!("\"{m}\"")))
                            })
                    }
                    Grammar::Python => {
                        def.language == "Python"
                            && def.imports.iter().any(|m| {
                                l.starts_with(&format!("from {m} "))
                                    || l.starts_with(&format!("from {m}."))
                                    || l.starts_with(&format!("import {m}"))
                            })
                    }
                    Grammar::Go => {
                        def.language == "Go"
                            && def.imports.iter().any(|m| {
                                l.contains(&format!("\"{m}\"")) || l.contains(&format!("\"{m}/"))
                            })
                            && (def.key != "net/http" || serves_http(file.text))
                    }
                    Grammar::Rust => {
                        def.language == "Rust"
                            && def.imports.iter().any(|m| {
                                l.starts_with(&format!("use {m}::"))
                                    || l.starts_with(&format!("use {m};"))
                                    || l.contains(&format!(" {m}::"))
                            })
                    }
                };
                if hit {
                    self.imports.entry(def.name).or_insert_with(|| {
                        (file.path.to_string(), i as u32 + 1, "import".to_string())
                    });
                }
            }
        }
    }

    /// The frameworks found, plus those declared in `.backlens.toml`
    /// (`(key, line)`), in the order of [`FRAMEWORKS`].
    pub fn list(&self, declared: &[(String, u32)]) -> Vec<FrameworkInfo> {
        let mut out = Vec::new();
        for def in FRAMEWORKS {
            let found = self
                .manifest
                .get(def.name)
                .or_else(|| self.imports.get(def.name));
            let declared_line = declared
                .iter()
                .find(|(key, _)| framework_by_key(key).is_some_and(|d| d.name == def.name))
                .map(|(_, line)| *line);
            let (path, line, source) = match (found, declared_line) {
                (Some((p, l, s)), _) => (p.clone(), Some(*l), s.clone()),
                (None, Some(l)) => (
                    ".backlens.toml".to_string(),
                    Some(l),
                    "declared in .backlens.toml".to_string(),
                ),
                (None, None) => continue,
            };
            out.push(FrameworkInfo {
                name: def.name.to_string(),
                language: def.language.to_string(),
                path,
                line,
                source,
            });
        }
        out
    }
}

fn serves_http(text: &str) -> bool {
    text.contains(".HandleFunc(")
        || text.contains(".Handle(")
        || text.contains("http.ListenAndServe")
        || text.contains("http.NewServeMux")
}

fn python_requirement(line: &str, package: &str) -> bool {
    let l = line
        .split('#')
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches(['"', '\'']);
    let lower = l.to_ascii_lowercase();
    lower.starts_with(package)
        && lower[package.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

fn line_where(text: &str, pred: impl Fn(&str) -> bool) -> Option<u32> {
    text.lines().position(pred).map(|i| i as u32 + 1)
}

impl crate::server::review::merge::Merge for Detector {
    fn fold_in(&mut self, later: Self) {
        use crate::server::review::merge::first_wins;
        first_wins(&mut self.manifest, later.manifest);
        first_wins(&mut self.imports, later.imports);
    }
}
