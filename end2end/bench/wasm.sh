#!/usr/bin/env bash
# ./dev.sh bench-wasm: the release build (`cargo leptos build --release
# --precompress --split`, --split as every build of dev.sh:
# server, wasm with the `wasm-release` profile and wasm-opt -Oz, CSS; both
# with erased component types, `always-erase-components` in Cargo.toml) and
# the size of what a browser downloads — raw, gzip -9 and brotli -q 11, and
# the `.br`/`.gz` files `--precompress` writes beside it, which are what the
# server sends (brotli to browsers that accept it, else gzip).
#
# wasm-opt comes from npm's `binaryen` (pinned below) in
# ~/.cache/backlens/tools/binaryen: cargo-leptos runs it for every release
# build and would otherwise try to download it from GitHub. Debian's binaryen
# (108) is too old for the wasm a current rustc emits. brotli is Debian's.
# Knobs: BENCH_SKIP_BUILD=1 measures what is already in target/site.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BINARYEN_VERSION=132.0.0
TOOLS=${BACKLENS_QUALITY_TOOLS_DIR:-$HOME/.cache/backlens/tools}

say() { printf '\033[1;34m==>\033[0m \033[1m%s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v brotli >/dev/null; then
  say "installing Debian's brotli"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends brotli
fi
opt_dir=$TOOLS/binaryen
if ! "$opt_dir/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing wasm-opt (npm binaryen $BINARYEN_VERSION) into $opt_dir"
  mkdir -p "$opt_dir"
  echo "{\"private\": true, \"dependencies\": {\"binaryen\": \"$BINARYEN_VERSION\"}}" >"$opt_dir/package.json"
  (cd "$opt_dir" && npm install --no-audit --no-fund --loglevel=error)
fi
export PATH="$opt_dir/node_modules/.bin:$PATH"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "cargo leptos build --release --precompress --split (slow on 2 cores the first time)"
  # cargo-leptos sets its own RUSTFLAGS; never pass ours.
  env -u RUSTFLAGS LEPTOS_OUTPUT_NAME=backlens cargo leptos build --release --precompress --split >&2
fi

pkg=$ROOT/target/site/pkg
# cargo-leptos writes its .gz with libflate, 18 % larger than gzip -9 for
# the wasm (621 KB against 527 KB): gzip-only clients (browsers on plain
# http to another host do not offer brotli) get gzip -9 instead.
for f in "$pkg"/*.gz; do
  [ -f "$f" ] || continue
  gzip -9 -n -c "${f%.gz}" >"$f.tmp" && mv "$f.tmp" "$f"
done
[ -f "$pkg/backlens.wasm" ] || { echo "no $pkg/backlens.wasm: run without BENCH_SKIP_BUILD" >&2; exit 1; }
printf '\n%-16s %12s %12s %12s\n' "file" "raw" "gzip -9" "brotli -q 11"
for f in backlens.wasm backlens.js backlens.css; do
  [ -f "$pkg/$f" ] || continue
  raw=$(stat -c %s "$pkg/$f")
  gz=$(gzip -9c "$pkg/$f" | wc -c)
  br=$(brotli -q 11 -c "$pkg/$f" | wc -c)
  awk -v f="$f" -v a="$raw" -v b="$gz" -v c="$br" 'BEGIN { printf "%-16s %9.1f KB %9.1f KB %9.1f KB\n", f, a / 1024, b / 1024, c / 1024 }'
done
printf '\n%-16s %12s %12s   (what the server sends: the build'"'"'s .br and .gz)\n' "file" ".br" ".gz"
for f in backlens.wasm backlens.js backlens.css; do
  [ -f "$pkg/$f" ] || continue
  [ -f "$pkg/$f.br" ] && [ -f "$pkg/$f.gz" ] || { echo "$f: no .br/.gz beside it (not built with --precompress)"; continue; }
  awk -v f="$f" -v b="$(stat -c %s "$pkg/$f.br")" -v g="$(stat -c %s "$pkg/$f.gz")" 'BEGIN { printf "%-16s %9.1f KB %9.1f KB\n", f, b / 1024, g / 1024 }'
done
echo "(target: the wasm ≤ 400 KB compressed)"
