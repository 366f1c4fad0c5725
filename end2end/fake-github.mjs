// A fake GitHub for the end-to-end tests (started by ./dev.sh e2e, never by
// the product). It serves one repository, acme/orders-api, built as a real git
// repository from a demo backend: the default branch `main` is the base
// commit; a second commit (the head of a pull request) adds a route that
// concatenates request input into SQL. Answers use the shapes of GitHub's REST
// description (tests/fixtures/github/rest); commit statuses posted by backlens
// are kept and listed at GET /_fake/state.
//
//   FAKE_GITHUB_PORT    port to listen on (127.0.0.1)
//   FAKE_GITHUB_SOURCE  a demo repository to copy (e.g. .../repos/orders-api)
//   FAKE_GITHUB_WORK    a scratch folder
import { createServer } from "node:http";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.FAKE_GITHUB_PORT ?? 4923);
const source = process.env.FAKE_GITHUB_SOURCE;
const work = process.env.FAKE_GITHUB_WORK;
if (!source || !work) {
  console.error("FAKE_GITHUB_SOURCE and FAKE_GITHUB_WORK are required");
  process.exit(2);
}
const OWNER = "acme";
const NAME = "orders-api";
const FULL = `${OWNER}/${NAME}`;

// Build the repository: base commit, then the PR's head commit.
const repo = join(work, "acme-orders-api");
rmSync(repo, { recursive: true, force: true });
cpSync(source, repo, { recursive: true, filter: (p) => !p.split("/").includes(".git") });
const git = (...args) =>
  execFileSync("git", ["-c", "user.name=fake", "-c", "user.email=fake@example.invalid", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    encoding: "utf8",
  }).trim();
git("init", "--quiet", "--initial-branch=main");
git("add", "--all", "--force");
git("commit", "--quiet", "-m", "base");
const base = git("rev-parse", "HEAD");
mkdirSync(join(repo, "src/routes"), { recursive: true });
writeFileSync(
  join(repo, "src/routes/reports.ts"),
  `import { Router } from "express";
import { pool } from "../db";

export const reportsRouter = Router();

// GET /reports?region=<name>
reportsRouter.get("/", async (req, res) => {
  const { rows } = await pool.query(
    "SELECT region, SUM(total_cents) FROM orders WHERE region = '" + req.query.region + "' GROUP BY region",
  );
  res.json(rows);
});
`,
);
git("checkout", "--quiet", "-b", "reports");
git("add", "--all");
git("commit", "--quiet", "-m", "Add a sales report");
const head = git("rev-parse", "HEAD");
git("checkout", "--quiet", "main");

const fixture = (name) => JSON.parse(readFileSync(join(here, "..", "tests", "fixtures", "github", "rest", name), "utf8"));
const repoJson = () => {
  const r = fixture("repos-get.json");
  Object.assign(r, {
    name: NAME,
    full_name: FULL,
    html_url: `https://github.com/${FULL}`,
    default_branch: "main",
    private: false,
    archived: false,
    size: 120,
    language: "TypeScript",
  });
  r.owner.login = OWNER;
  return r;
};

const statuses = [];
let remaining = 5000;

function send(res, status, body, headers = {}) {
  remaining -= 1;
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    ...headers,
  });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

const server = createServer((req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  const parts = url.pathname.split("/").filter(Boolean);
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const is = (method, ...pattern) =>
      req.method === method && parts.length === pattern.length && pattern.every((p, i) => p === "*" || p === parts[i]);
    if (is("GET", "_fake", "state")) return send(res, 200, { base, head, statuses });
    if (is("GET", "repos", OWNER, NAME)) {
      const json = repoJson();
      const etag = `"fake-${base.slice(0, 12)}"`;
      if (req.headers["if-none-match"] === etag) return send(res, 304, undefined, { etag });
      return send(res, 200, json, { etag });
    }
    if (is("GET", "orgs", OWNER, "repos")) {
      // One page is enough here; pagination is covered by tests/github.rs.
      const t = fixture("repos-list-for-org.json")[0];
      const mk = (name, extra) => ({ ...t, name, full_name: `${OWNER}/${name}`, html_url: `https://github.com/${OWNER}/${name}`, ...extra });
      return send(res, 200, [
        mk(NAME, { language: "TypeScript", archived: false, pushed_at: "2026-11-20T09:12:00Z" }),
        mk("legacy-billing", { language: "PHP", archived: true, pushed_at: "2019-03-02T17:40:00Z" }),
        mk("inventory-service", { language: "Python", archived: false, pushed_at: "2026-11-21T16:05:00Z" }),
      ]);
    }
    if (is("GET", "repos", OWNER, NAME, "branches", "main")) {
      return send(res, 200, { name: "main", commit: { sha: base }, protected: false });
    }
    if (is("GET", "repos", OWNER, NAME, "tarball", "*")) {
      return send(res, 302, undefined, { location: `http://127.0.0.1:${port}/codeload/${FULL}/legacy.tar.gz/${parts[4]}` });
    }
    if (is("GET", "codeload", OWNER, NAME, "legacy.tar.gz", "*")) {
      const sha = parts[4];
      if (!/^[0-9a-f]{40}$/.test(sha)) return send(res, 404, { message: "Not Found" });
      res.writeHead(200, { "content-type": "application/x-gzip" });
      const archive = spawn("git", ["archive", "--format=tar.gz", `--prefix=${OWNER}-${NAME}-${sha.slice(0, 7)}/`, sha], { cwd: repo });
      archive.stdout.pipe(res);
      return;
    }
    if (is("POST", "repos", OWNER, NAME, "statuses", "*")) {
      const sent = JSON.parse(body || "{}");
      statuses.push({ sha: parts[4], ...sent });
      const answer = fixture("create-commit-status.json");
      Object.assign(answer, sent);
      return send(res, 201, answer);
    }
    return send(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  });
});
server.listen(port, "127.0.0.1", () => console.log(`fake GitHub on http://127.0.0.1:${port} (base ${base}, head ${head})`));
