//! End-to-end verdicts of the architecture, data, observability and testing
//! practices over small trees in each language.

use super::review_tree_tests::{review, write_tree};
use super::ReviewReport;
use crate::model::Verdict;

fn verdict(report: &ReviewReport, id: &str) -> (Verdict, String) {
    let c = report.checks.iter().find(|c| c.check_id == id).unwrap();
    (c.verdict, c.summary.clone())
}

fn expect(report: &ReviewReport, cases: &[(&str, Verdict)]) {
    for (id, expected) in cases {
        let (v, summary) = verdict(report, id);
        assert_eq!(v, *expected, "{id}: {summary}");
    }
}

#[test]
fn a_tidy_go_service_passes_the_practices() {
    let main = b"package main

import (
\t\"context\"
\t\"net/http\"
\t\"os\"
\t\"os/signal\"
\t\"syscall\"

\t\"go.uber.org/zap\"
\t\"github.com/prometheus/client_golang/prometheus/promhttp\"
\t\"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp\"
)

type Handler struct{ store *Store }

func (h *Handler) health(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }

func main() {
\tlogger, _ := zap.NewProduction()
\tdefer logger.Sync()
\th := &Handler{store: NewStore()}
\tmux := http.NewServeMux()
\tmux.HandleFunc(\"GET /healthz\", h.health)
\tmux.Handle(\"GET /metrics\", promhttp.Handler())
\tsrv := &http.Server{Addr: \":8080\", Handler: otelhttp.NewHandler(mux, \"api\")}
\tctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
\tdefer stop()
\tgo srv.ListenAndServe()
\t<-ctx.Done()
\tsrv.Shutdown(context.Background())
}
";
    let store = b"package main

import \"database/sql\"

type Store struct{ db *sql.DB }

func NewStore() *Store { return &Store{} }

func (s *Store) Count() (n int, err error) {
\terr = s.db.QueryRow(\"SELECT count(*) FROM orders\").Scan(&n)
\treturn n, err
}
";
    let dir = write_tree(&[
        ("go.mod", b"module example.com/api\n\ngo 1.22\n\nrequire (\n\tgo.uber.org/zap v1.27.0\n\tgithub.com/lib/pq v1.10.9\n)\n"),
        ("main.go", main),
        ("store.go", store),
        ("store_test.go", b"package main\n\nimport \"testing\"\n\nfunc TestCount(t *testing.T) {}\n"),
        ("migrations/000001_init.up.sql", b"CREATE TABLE orders (id BIGSERIAL PRIMARY KEY);\n"),
        (".github/workflows/ci.yml", b"on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go test ./...\n"),
    ]);
    let report = review(dir.path());
    expect(
        &report,
        &[
            ("OBS-SHUTDOWN", Verdict::Pass),
            ("OBS-HEALTH", Verdict::Pass),
            ("OBS-LOGGING", Verdict::Pass),
            ("OBS-METRICS", Verdict::Pass),
            ("OBS-TRACING", Verdict::Pass),
            ("TEST-PRESENT", Verdict::Pass),
            ("TEST-CI", Verdict::Pass),
            ("TEST-TYPES", Verdict::Pass),
            ("DATA-MIGRATIONS", Verdict::Pass),
            ("ARCH-DI", Verdict::Pass),
            ("ARCH-BLOCKING", Verdict::NotApplicable),
        ],
    );
    assert!(verdict(&report, "DATA-MIGRATIONS")
        .1
        .contains("golang-migrate"));
}

#[test]
fn a_rust_service_that_stops_on_ctrl_c_only_fails_the_shutdown_practice() {
    let main = b"use axum::{routing::get, Router};

async fn health() -> &'static str { \"ok\" }

#[tokio::main]
async fn main() {
    let app = Router::new().route(\"/health\", get(health));
    let listener = tokio::net::TcpListener::bind(\"0.0.0.0:3000\").await.unwrap();
    axum::serve(listener, app)
        .with_graceful_shutdown(async { tokio::signal::ctrl_c().await.unwrap() })
        .await
        .unwrap();
    println!(\"bye\");
}

#[cfg(test)]
mod tests {
    #[test]
    fn it_works() {}
}
";
    let dir = write_tree(&[
        ("Cargo.toml", b"[package]\nname = \"api\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.8\"\ndiesel = \"2\"\n"),
        ("src/main.rs", main),
        ("migrations/2024-03-01-120000_create_orders/up.sql", b"CREATE TABLE orders (id BIGSERIAL PRIMARY KEY);\n"),
    ]);
    let report = review(dir.path());
    expect(
        &report,
        &[
            ("OBS-SHUTDOWN", Verdict::Fail),
            ("OBS-HEALTH", Verdict::Pass),
            ("OBS-LOGGING", Verdict::Fail),
            ("TEST-PRESENT", Verdict::Pass),
            ("TEST-CI", Verdict::Fail),
            ("TEST-TYPES", Verdict::Pass),
            ("DATA-MIGRATIONS", Verdict::Pass),
        ],
    );
    assert!(verdict(&report, "OBS-SHUTDOWN").1.contains("Ctrl-C"));
    assert!(verdict(&report, "TEST-PRESENT").1.contains("src/main.rs"));
    assert!(verdict(&report, "DATA-MIGRATIONS").1.contains("Diesel"));
}

#[test]
fn node_and_python_practices_follow_their_evidence() {
    let dir = write_tree(&[
        ("package.json", b"{\"dependencies\":{\"@nestjs/core\":\"10\",\"prom-client\":\"15\"}}"),
        ("tsconfig.json", b"{ \"compilerOptions\": { \"strict\": false } }"),
        ("src/main.ts", b"import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.enableShutdownHooks();\n  await app.listen(3000);\n}\nbootstrap();\n"),
        (".gitlab-ci.yml", b"build:\n  script:\n    - npm ci\n    - npm run build\n"),
    ]);
    let report = review(dir.path());
    expect(
        &report,
        &[
            ("OBS-SHUTDOWN", Verdict::Pass),
            ("OBS-METRICS", Verdict::Pass),
            ("OBS-TRACING", Verdict::Fail),
            ("TEST-CI", Verdict::Fail),
            ("TEST-TYPES", Verdict::Fail),
        ],
    );
    assert!(verdict(&report, "TEST-CI")
        .1
        .contains("no step runs the tests"));

    let views = b"from flask import Flask, request\nfrom app.db import db\n\napp = Flask(__name__)\n\n@app.post('/users')\ndef create_user():\n    db.session.add(User(email=request.json['email']))\n    db.session.commit()\n    print('created')\n    return {}, 201\n\nif __name__ == '__main__':\n    app.run()\n";
    let dir = write_tree(&[
        ("requirements.txt", b"flask==3.0\nflask-sqlalchemy==3.1\n"),
        ("app/__init__.py", b""),
        (
            "app/db.py",
            b"from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
        ),
        ("app/views.py", views),
    ]);
    let report = review(dir.path());
    expect(
        &report,
        &[
            ("OBS-SHUTDOWN", Verdict::Fail),
            ("OBS-LOGGING", Verdict::Fail),
            ("ARCH-DI", Verdict::Fail),
            ("ARCH-LAYERS", Verdict::Fail),
            ("TEST-TYPES", Verdict::Fail),
            ("DATA-TX", Verdict::Pass),
            ("DATA-FKINDEX", Verdict::NotApplicable),
        ],
    );
}

#[test]
fn giant_handlers_are_judged_against_the_projects_own_norm() {
    // Twelve short functions and one 90-line handler.
    let mut code = String::from("import { Router } from 'express';\nexport const r = Router();\n");
    for i in 0..12 {
        code.push_str(&format!(
            "export function helper{i}(a: number) {{\n  return a + {i};\n}}\n"
        ));
    }
    code.push_str("r.post('/import', async (req, res) => {\n");
    for i in 0..88 {
        code.push_str(&format!(
            "  const step{i} = helper{}(req.body.n);\n",
            i % 12
        ));
    }
    code.push_str("  res.json({});\n});\n");
    let dir = write_tree(&[("src/import.ts", code.as_bytes())]);
    let report = review(dir.path());
    let giant: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.check_id == "ARCH-GIANT")
        .collect();
    assert_eq!(giant.len(), 1, "{giant:?}");
    assert_eq!(giant[0].line, 39);
    assert!(
        giant[0].message.contains("median of 3 lines"),
        "{}",
        giant[0].message
    );

    // The same handler in a project of long functions is its norm.
    let mut long = String::from("import { Router } from 'express';\nexport const r = Router();\n");
    for i in 0..12 {
        long.push_str(&format!("export function step{i}(a: number) {{\n"));
        for j in 0..70 {
            long.push_str(&format!("  a = a + {j};\n"));
        }
        long.push_str("  return a;\n}\n");
    }
    long.push_str("r.post('/import', async (req, res) => {\n");
    for i in 0..88 {
        long.push_str(&format!("  const s{i} = step{}(1);\n", i % 12));
    }
    long.push_str("  res.json({});\n});\n");
    let dir = write_tree(&[("src/import.ts", long.as_bytes())]);
    let report = review(dir.path());
    assert!(
        report.findings.iter().all(|f| f.check_id != "ARCH-GIANT"),
        "{:?}",
        report.findings
    );
    assert_eq!(verdict(&report, "ARCH-GIANT").0, Verdict::Pass);
}
