#!/usr/bin/env bash
# ./dev.sh bench-review [TREE]: backlens's full review of a large real tree,
# side by side in one run with rg reading every file of the same tree (the
# I/O floor) and semgrep with rules equivalent to SEC-SQLI and SEC-SECRET
# (end2end/bench/semgrep-rules.yml); then the re-review after a one-file
# change with the review cache, as a share of the full review.
#
# TREE defaults to a copy of ~/.cargo/registry/src (the crate sources of the
# build: about 24 000 Rust files). Knobs: BENCH_SEMGREP_TIMEOUT (seconds,
# default 1800; semgrep is stopped and reported as "more than" after it),
# BACKLENS_BIN (default: the release build, built when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${BACKLENS_BIN:-$TARGET_DIR/release/backlens}
SEMGREP_TIMEOUT=${BENCH_SEMGREP_TIMEOUT:-1800}
SRC=${1:-$HOME/.cargo/registry/src}

say() { printf '\033[1;34m==>\033[0m \033[1m%s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in ripgrep python3-venv bc time; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

venv=$HOME/.cache/backlens/tools/semgrep-venv
if [ ! -x "$venv/bin/semgrep" ]; then
  say "installing semgrep from PyPI into $venv (one time)"
  mkdir -p "$(dirname "$venv")"
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q semgrep; } ||
    say "semgrep could not be installed here; it is left out of the comparison"
fi
semgrep=""
[ -x "$venv/bin/semgrep" ] && semgrep=$venv/bin/semgrep

if [ ! -x "$BIN" ]; then
  say "building the release binary (cargo build --release --features ssr)"
  RUSTFLAGS="--cfg erase_components" cargo build --release --features ssr --bin backlens
fi
[ -d "$SRC" ] || die "no tree at $SRC (build once so cargo fills its registry, or pass a TREE)"

work=$(mktemp -d "${TMPDIR:-/tmp}/backlens-bench-review.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'die "stopped at line $LINENO"' ERR
say "copying $SRC to $work/tree"
cp -r "$SRC" "$work/tree"
files=$(find "$work/tree" -type f \( -name '*.rs' -o -name '*.go' -o -name '*.py' -o -name '*.js' -o -name '*.ts' -o -name '*.tsx' -o -name '*.mjs' -o -name '*.cjs' \) | wc -l)
all=$(find "$work/tree" -type f | wc -l)
say "$files source files (Rust, Go, Python, JS/TS), $all files in all"
[ "$files" -ge 10000 ] || say "warning: fewer than 10 000 source files; the figures mean less"
# The copy's files must be older than the first review's start for the cache
# to trust their times (as files in a working tree are); then warm the page
# cache so every tool reads from memory.
sleep 3
rg -uuu -c 'SELECT' "$work/tree" >/dev/null 2>&1 || true

# secs CMD...: wall seconds of CMD (its output to $work/out, errors to $work/err).
secs() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$work/out" 2>"$work/err" || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
peak_kb() { awk '/Maximum resident/ {print $6}' "$work/err"; }

say "backlens: full review (empty cache)"
full=$(secs /usr/bin/time -v "$BIN" review "$work/tree" --format json --cache "$work/review.cache")
full_rss=$(peak_kb)
scanned=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["files_scanned"], len(r["findings"]))' "$work/out" 2>/dev/null) ||
  { tail -5 "$work/err" >&2; die "the review failed"; }
say "backlens reviewed $(echo "$scanned" | cut -d' ' -f1) files in ${full}s, $(echo "$scanned" | cut -d' ' -f2) findings; peak RSS $((full_rss / 1024)) MB"

# (sed, not head: head would stop sort early, and pipefail would end the run)
one=$(find "$work/tree" -type f \( -name '*.rs' -o -name '*.go' -o -name '*.py' -o -name '*.js' -o -name '*.ts' \) | sort | sed -n 1p)
case "$one" in
  *.py) printf '\n# changed for the benchmark\n' >>"$one" ;;
  *) printf '\n// changed for the benchmark\n' >>"$one" ;;
esac
say "backlens: re-review after changing ${one#"$work/tree/"}"
again=$(secs "$BIN" review "$work/tree" --format json --cache "$work/review.cache")

say "rg: reading every file"
rg_t=$(secs rg -uuu --no-messages -c -e 'SELECT' -e 'password' "$work/tree")

sg_t="" sg_note=""
if [ -n "$semgrep" ]; then
  say "semgrep: SEC-SQLI and SEC-SECRET equivalents (at most ${SEMGREP_TIMEOUT}s)"
  sg_t=$(secs timeout "$SEMGREP_TIMEOUT" "$semgrep" scan --config "$ROOT/end2end/bench/semgrep-rules.yml" \
    --metrics=off --disable-version-check --quiet --json -o "$work/semgrep.json" "$work/tree")
  if ! grep -q '"results"' "$work/semgrep.json" 2>/dev/null; then
    if [ "$(echo "$sg_t >= $SEMGREP_TIMEOUT - 1" | bc)" = 1 ]; then
      sg_note="stopped after ${SEMGREP_TIMEOUT}s"
    else
      say "semgrep failed:"; tail -5 "$work/err" >&2; sg_t=""
    fi
  fi
fi

ratio() { echo "scale=1; $1 / $2" | bc; }
printf '\n%-46s %9s  %s\n' "run (same tree, page cache warm)" "seconds" "ratio"
printf '%-46s %9.2f  %s\n' "backlens full review" "$full" "peak RSS $((full_rss / 1024)) MB"
printf '%-46s %9.2f  %s\n' "backlens re-review, one file changed (cache)" "$again" \
  "$(echo "scale=1; 100 * $again / $full" | bc)% of the full review (target <= 5%)"
printf '%-46s %9.2f  %s\n' "rg reading every file (I/O floor)" "$rg_t" "backlens = $(ratio "$full" "$rg_t")x rg (target <= 3x)"
if [ -n "$sg_note" ]; then
  printf '%-46s %9s  %s\n' "semgrep (SEC-SQLI + SEC-SECRET rules)" "> $SEMGREP_TIMEOUT" \
    "$sg_note: backlens more than $(ratio "$SEMGREP_TIMEOUT" "$full")x faster (target >= 10x)"
elif [ -n "$sg_t" ]; then
  sg_files=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["paths"]["scanned"]))' "$work/semgrep.json" 2>/dev/null || echo "?")
  printf '%-46s %9.2f  %s\n' "semgrep (SEC-SQLI + SEC-SECRET rules)" "$sg_t" \
    "backlens $(ratio "$sg_t" "$full")x faster (target >= 10x); semgrep scanned $sg_files files"
else
  printf '%-46s %9s  %s\n' "semgrep" "-" "not available here"
fi
