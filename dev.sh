#!/usr/bin/env bash
# backlens developer entry point. The README names two commands:
#   ./dev.sh run    build and start the dashboard with demo projects on http://127.0.0.1:3000
#   ./dev.sh test   unit + integration tests, clippy (both features), end-to-end tests in Chromium
# Both install what is missing first, and only what is missing (a second run
# installs nothing). Other subcommands: setup, build, e2e.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

CARGO_LEPTOS_VERSION=0.3.10
# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# Same flags cargo-leptos uses for dev builds, so plain cargo reuses its build.
DEV_RUSTFLAGS="--cfg erase_components"
# leptos reads this at compile time (option_env!); cargo-leptos sets it, and
# plain cargo must see the same value or it rebuilds leptos with a different
# asset name (and the next cargo-leptos build rebuilds it back).
export LEPTOS_OUTPUT_NAME=backlens
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1;34m==>\033[0m \033[1m%s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_apt() {
  local missing=()
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown && return
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

# ensure_cargo_tool BINARY VERSION CRATE [cargo install flags...]
ensure_cargo_tool() {
  local bin=$1 version=$2 crate=$3; shift 3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -qF "$version"; then return; fi
  say "installing $crate $version (one time; takes minutes)"
  cargo install "$crate" --version "$version" "$@"
}

# ensure_npm DIR BINARY: npm install in DIR unless its node_modules is current.
ensure_npm() {
  local dir=$1 bin=$2 stamp=$1/node_modules/.backlens-installed
  if [ -x "$dir/node_modules/.bin/$bin" ] && [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package.json" ]; then return; fi
  say "installing npm packages in $dir"
  # Playwright must never fetch its own browser: Debian's Chromium is used.
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)
  touch "$stamp"
}

# The quality loop's sandbox (bubblewrap) and the tools it offers reviewed
# projects that bring none of their own: ruff, mypy, pytest in a virtualenv
# and typescript, eslint from npm, under a folder backlens owns (read-only
# inside the sandbox). BACKLENS_QUALITY_TOOLS_DIR moves it.
QUALITY_TOOLS=${BACKLENS_QUALITY_TOOLS_DIR:-$HOME/.cache/backlens/tools}
QUALITY_PY_TOOLS="ruff==0.8.6 mypy==1.13.0 pytest==8.3.4"
QUALITY_NODE_TOOLS="typescript@5.7.2 eslint@9.17.0"
ensure_quality_tools() {
  ensure_apt bubblewrap python3-venv util-linux golang-go
  local stamp=$QUALITY_TOOLS/.installed want="$QUALITY_PY_TOOLS | $QUALITY_NODE_TOOLS"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "installing the quality loop's tools into $QUALITY_TOOLS"
  mkdir -p "$QUALITY_TOOLS/node"
  # Debian's python3, so the virtualenv needs nothing outside /usr in the sandbox.
  [ -x "$QUALITY_TOOLS/venv/bin/python" ] || /usr/bin/python3 -m venv "$QUALITY_TOOLS/venv"
  # shellcheck disable=SC2086
  "$QUALITY_TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check $QUALITY_PY_TOOLS
  [ -f "$QUALITY_TOOLS/node/package.json" ] || echo '{"private": true}' >"$QUALITY_TOOLS/node/package.json"
  # shellcheck disable=SC2086
  (cd "$QUALITY_TOOLS/node" && npm install --no-audit --no-fund --loglevel=error $QUALITY_NODE_TOOLS)
  echo "$want" >"$stamp"
}

setup_build() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
  command -v npm >/dev/null || die "npm not found: install Node.js 20+ first"
  # A C compiler and linker: rustc links with `cc`, and tree-sitter's
  # grammars, ring and SQLite are compiled from C.
  ensure_apt build-essential git ca-certificates curl tar
  ensure_wasm_target
  # cargo-leptos downloads missing tools from GitHub, which is not reachable:
  # every tool it runs is installed here first.
  ensure_cargo_tool cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-leptos --locked
  # Without --locked: its lockfile wants a crate version the registry lacks.
  ensure_cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
  ensure_npm "$ROOT" tailwindcss
  ensure_quality_tools
}

setup_test() {
  setup_build
  ensure_apt chromium openssl
  ensure_npm "$ROOT/end2end" playwright
}

# --split: the lazy routes (src/pages/lazy.rs) go into wasm files of their
# own, fetched when first shown. Every build must split: without it the
# wasm's lazy-loading imports are left unresolved and wasm-bindgen fails.
build() {
  say "building server, browser bundle and styles (cargo leptos build --split)"
  cargo leptos build --split
}

# cargo-leptos writes the site to `site-root` of Cargo.toml, relative to the
# project, whatever CARGO_TARGET_DIR says.
SITE_ROOT=$ROOT/target/site
# The server binary `e2e` drives: the debug build, or BACKLENS_E2E_BIN (e.g. the
# release build of `bench-wasm`, whose bundle is then the one in target/site).
E2E_BIN=${BACKLENS_E2E_BIN:-$TARGET_DIR/debug/backlens}

# run --release: the release build of bench-wasm (wasm-opt, the bundle
# precompressed with brotli and gzip -9) and the release server.
run() {
  setup_build
  local bin=$TARGET_DIR/debug/backlens
  if [ "${1:-}" = --release ]; then
    "$ROOT/end2end/bench/wasm.sh"
    bin=$TARGET_DIR/release/backlens
  else
    build
  fi
  mkdir -p data
  say "starting backlens on http://${BACKLENS_ADDR:-127.0.0.1:3000} (demo projects from local git repositories)"
  BACKLENS_DEMO=${BACKLENS_DEMO:-true} LEPTOS_SITE_ROOT=$SITE_ROOT exec "$bin" serve
}

# start_history_server WORK PORT: a second server on synthetic history
# (`demo-data`) for the pages that need weeks of it (weekly review).
start_history_server() {
  local work=$1 port=$2
  "$E2E_BIN" demo-data --projects 200 --weeks 16 --seed 7 --database "sqlite://$work/history.db" >/dev/null
  BACKLENS_DATABASE_URL="sqlite://$work/history.db" BACKLENS_ADDR="127.0.0.1:$port" BACKLENS_DATA_DIR="$work/history-data" \
    BACKLENS_DEMO=false LEPTOS_SITE_ROOT=$SITE_ROOT \
    "$E2E_BIN" serve >"$work/history-server.log" 2>&1 &
  history_pid=$!
}

e2e() {
  local work port pid status history_pid fake_pid fake_port
  work=$(mktemp -d /tmp/backlens-e2e.XXXXXX)
  port=${BACKLENS_E2E_PORT:-3917}
  "$E2E_BIN" demo-repos "$work/repos" >/dev/null
  # A fake GitHub (test-only Node script) for the GitHub end-to-end test.
  fake_port=$((port + 1000))
  mkdir -p "$work/fake-github"
  FAKE_GITHUB_PORT=$fake_port FAKE_GITHUB_SOURCE="$work/repos/orders-api" FAKE_GITHUB_WORK="$work/fake-github" \
    node end2end/fake-github.mjs >"$work/fake-github.log" 2>&1 &
  fake_pid=$!
  # A second server on synthetic history, for the weekly review's spec.
  start_history_server "$work" $((port + 2000))
  say "end-to-end: server on 127.0.0.1:$port with a fresh database in $work (fake GitHub on $fake_port, history on $((port + 2000)))"
  BACKLENS_DATABASE_URL="sqlite://$work/e2e.db" BACKLENS_ADDR="127.0.0.1:$port" BACKLENS_DATA_DIR="$work/data" \
    BACKLENS_DEMO=false BACKLENS_JOB_BACKOFF_SECS=1 LEPTOS_SITE_ROOT=$SITE_ROOT \
    BACKLENS_GITHUB_API_URL="http://127.0.0.1:$fake_port" BACKLENS_GITHUB_TOKEN=e2e-fake-token \
    BACKLENS_WEBHOOK_SECRET=e2e-webhook-secret BACKLENS_PUBLIC_URL="http://127.0.0.1:$port" \
    "$E2E_BIN" serve >"$work/server.log" 2>&1 &
  pid=$!
  trap 'kill $pid $fake_pid $history_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do
    curl -fsS "http://127.0.0.1:$fake_port/_fake/state" >/dev/null 2>&1 && break
    kill -0 $fake_pid 2>/dev/null || { cat "$work/fake-github.log"; die "the fake GitHub exited"; }
    sleep 0.2
  done
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 $pid 2>/dev/null || { cat "$work/server.log"; die "the server exited before it was ready"; }
    sleep 0.3
  done
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/server.log"; die "the server did not become ready"; }
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$((port + 2000))/readyz" >/dev/null 2>&1 && break
    sleep 0.3
  done
  curl -fsS "http://127.0.0.1:$((port + 2000))/readyz" >/dev/null || { cat "$work/history-server.log"; die "the history server did not become ready"; }
  status=0
  (cd end2end && BACKLENS_E2E_URL="http://127.0.0.1:$port" BACKLENS_E2E_REPOS="$work/repos" \
    BACKLENS_E2E_FAKE_GITHUB="http://127.0.0.1:$fake_port" BACKLENS_E2E_WEBHOOK_SECRET=e2e-webhook-secret \
    BACKLENS_E2E_HISTORY_URL="http://127.0.0.1:$((port + 2000))" \
    npx playwright test) || status=$?
  kill $pid $fake_pid $history_pid 2>/dev/null || true
  wait $pid $fake_pid $history_pid 2>/dev/null || true
  trap - EXIT
  if [ $status -ne 0 ]; then say "server log:"; tail -n 60 "$work/server.log"; exit $status; fi
  rm -rf "$work"
}

test_all() {
  setup_test
  say "cargo fmt --check"
  cargo fmt --all -- --check
  build
  say "unit and integration tests (cargo test --features ssr)"
  RUSTFLAGS=$DEV_RUSTFLAGS cargo test --features ssr
  say "clippy, server build (ssr)"
  RUSTFLAGS=$DEV_RUSTFLAGS cargo clippy --features ssr --all-targets -- -D warnings
  say "clippy, browser build (hydrate, wasm32)"
  RUSTFLAGS=$DEV_RUSTFLAGS cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
  say "end-to-end tests (Playwright, headless Chromium)"
  e2e
  say "all checks passed"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  bench-pages) setup_build; exec "$ROOT/end2end/bench/pages.sh" ;;
  bench-wasm) setup_build; exec "$ROOT/end2end/bench/wasm.sh" ;;
  test) test_all ;;
  setup) setup_test ;;
  build) setup_build; build ;;
  e2e) setup_test; e2e ;;
  bench-review) shift; exec "$ROOT/end2end/bench/review.sh" "$@" ;;
  *) echo "usage: ./dev.sh run [--release] | test | setup | build | e2e | bench-pages | bench-wasm | bench-review [TREE]" >&2; exit 2 ;;
esac
