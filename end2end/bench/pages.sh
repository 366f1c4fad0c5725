#!/usr/bin/env bash
# ./dev.sh bench-pages: load the portfolio, a project page and the weekly page
# of a server holding 500 projects × 104 weekly reviews (`backlens demo-data`)
# with wrk on 127.0.0.1, side by side with nginx serving the same pages saved
# as static files. Prints p50/p99 latency and requests/s of both, the ratio,
# and the server's peak RSS.
#
# Knobs: BENCH_PROJECTS (500), BENCH_WEEKS (104), BENCH_SECONDS (10),
# BENCH_CONNECTIONS (16), BENCH_PORT (3990; nginx uses +1), BACKLENS_BIN
# (default: the release build, built server-only when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PROJECTS=${BENCH_PROJECTS:-500}
WEEKS=${BENCH_WEEKS:-104}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
PORT=${BENCH_PORT:-3990}
NGINX_PORT=$((PORT + 1))
BIN=${BACKLENS_BIN:-$TARGET_DIR/release/backlens}

say() { printf '\033[1;34m==>\033[0m \033[1m%s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ ! -x "$BIN" ]; then
  say "building the release server (cargo build --release --features ssr; the pages need no wasm to render)"
  cargo build --release --features ssr
fi

work=$(mktemp -d /tmp/backlens-bench.XXXXXX)
chmod 755 "$work"
server_pid=""; nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say "demo-data: $PROJECTS projects × $WEEKS weeks"
"$BIN" demo-data --projects "$PROJECTS" --weeks "$WEEKS" --seed 1 --database "sqlite://$work/bench.db"

say "backlens on 127.0.0.1:$PORT"
BACKLENS_DATABASE_URL="sqlite://$work/bench.db" BACKLENS_ADDR="127.0.0.1:$PORT" BACKLENS_DATA_DIR="$work/data" \
  BACKLENS_DEMO=false LEPTOS_SITE_ROOT="$ROOT/target/site" RUST_LOG=warn \
  "$BIN" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; die "backlens exited"; }
  sleep 0.2
done

week=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/weekly/current" | sed -n 's/.*"week":"\([0-9]*-W[0-9]*\)".*/\1/p')
[ -n "$week" ] || die "cannot read the current week from the API"
pages=("/" "/projects/1" "/weekly/$week")
files=("portfolio.html" "project.html" "weekly.html")
mkdir -p "$work/static"
for i in 0 1 2; do
  curl -fsS "http://127.0.0.1:$PORT${pages[$i]}" -o "$work/static/${files[$i]}"
done
chmod -R a+rX "$work/static"

mkdir -p "$work/nginx"
chmod 777 "$work/nginx"
cat >"$work/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  default_type text/html;
  sendfile on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/static;
  }
}
NGINX
say "nginx on 127.0.0.1:$NGINX_PORT (unprivileged, foreground, temp config)"
if [ "$(id -u)" -eq 0 ]; then
  setpriv --reuid=nobody --regid=nogroup --clear-groups "$NGINX" -p "$work/nginx" -c "$work/nginx.conf" 2>"$work/nginx.log" &
else
  "$NGINX" -p "$work/nginx" -c "$work/nginx.conf" 2>"$work/nginx.log" &
fi
nginx_pid=$!
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$NGINX_PORT/${files[0]}" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$NGINX_PORT/${files[0]}" >/dev/null || { cat "$work/nginx.log"; die "nginx did not start"; }

# to_ms VALUE: wrk's "1.23ms" / "850.00us" / "1.02s" in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "%s", v }'
}

# run URL -> "p50 p99 rps"
run() {
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$1")
  local p50 p99 rps
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  echo "$(to_ms "$p50") $(to_ms "$p99") $rps"
}

say "wrk: ${SECONDS_PER_RUN}s per run, $CONNECTIONS connections, 2 threads"
printf '\n%-22s %9s %9s %9s | %9s %9s %9s | %s\n' "page (bytes)" "bl p50" "bl p99" "bl req/s" "ng p50" "ng p99" "ng req/s" "p99 ratio"
for i in 0 1 2; do
  read -r bp50 bp99 brps < <(run "http://127.0.0.1:$PORT${pages[$i]}")
  read -r np50 np99 nrps < <(run "http://127.0.0.1:$NGINX_PORT/${files[$i]}")
  ratio=$(awk -v a="$bp99" -v b="$np99" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }')
  size=$(stat -c %s "$work/static/${files[$i]}")
  printf '%-22s %7sms %7sms %9s | %7sms %7sms %9s | %s\n' "${files[$i]%.html} ($size)" "$bp50" "$bp99" "$brps" "$np50" "$np99" "$nrps" "$ratio"
done
rss=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
now_rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
printf '\nbacklens RSS: %s MB now, %s MB peak (target ≤ 150 MB)\n' "$now_rss" "$rss"
