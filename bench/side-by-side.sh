#!/usr/bin/env bash
# Side-by-side A/B of two built checkouts of the router (BENCHMARKS.md, "Side-by-side runs"):
# both routers on CPU 1 at the same time, each driven by its own wrk (50 connections) on CPU 0,
# in front of the peer rig's NGINX backend. The kernel shares CPU 1 between them, so the ratio
# of their req/s is their relative cost per request, and both see the same noise (an A/A pair
# reads within ±2.5% on a machine whose single runs move ±20%).
#
#   bench/side-by-side.sh A_DIR B_DIR [ROUNDS=3] [SECS=6]
#
# A_DIR and B_DIR are checkouts with `dist/` built (e.g. a `git worktree` of the base commit and
# this one). Needs the peer rig (`npm run bench` sets it up in /tmp/switchyard-peers) and ports
# 9000, 9001, 8080, 8081, 9902 and 9903 free. Prints one line per round and B/A.
set -euo pipefail
A_DIR=$(realpath "$1"); B_DIR=$(realpath "$2"); ROUNDS=${3:-3}; SECS=${4:-6}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"
RIG="${BENCH_WORK:-/tmp/switchyard-peers}"
[ -f "$RIG/nginx-backend.conf" ] || { echo "peer rig not found in $RIG (run npm run bench once)" >&2; exit 1; }
for d in "$A_DIR" "$B_DIR"; do [ -f "$d/dist/src/cli/main.js" ] || { echo "$d has no dist/ (npm run build there)" >&2; exit 1; }; done
require_free_ports 9000 9001 8080 8081 9902 9903

RUN=$(mktemp -d /tmp/switchyard-side-by-side.XXXXXX)
mkdir -p "$RUN/tmp"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$RUN"; }
trap cleanup EXIT

# The same bootstrap for both, B on other ports and its own access log.
sed -e "s#/tmp/switchyard-bench-access.log#$RUN/a-access.log#" "$ROOT/bench/bench-bootstrap.yaml" > "$RUN/a.yaml"
sed -e 's/port_value: 8080/port_value: 8081/' -e 's/port_value: 9902/port_value: 9903/' \
  -e "s#/tmp/switchyard-bench-access.log#$RUN/b-access.log#" "$ROOT/bench/bench-bootstrap.yaml" > "$RUN/b.yaml"

taskset -c 0 nginx -p "$RUN/" -e "$RUN/nginx.error.log" -c "$RIG/nginx-backend.conf" & pids+=($!)
taskset -c 1 node "$A_DIR/bin/switchyard.js" router --config "$RUN/a.yaml" --concurrency 1 > "$RUN/a.out" 2>&1 & pids+=($!)
taskset -c 1 node "$B_DIR/bin/switchyard.js" router --config "$RUN/b.yaml" --concurrency 1 > "$RUN/b.out" 2>&1 & pids+=($!)
wait_for_http "routers (see $RUN/a.out, $RUN/b.out)" http://127.0.0.1:8080/ http://127.0.0.1:8081/

both() {  # both SECS: one wrk per router, at the same time
  taskset -c 0 wrk -t1 -c50 -d"$1"s http://127.0.0.1:8080/ > "$RUN/a.txt" & local wa=$!
  taskset -c 0 wrk -t1 -c50 -d"$1"s http://127.0.0.1:8081/ > "$RUN/b.txt" & local wb=$!
  wait "$wa" "$wb"
}
rps() { awk '/Requests\/sec/{print $2}' "$1"; }

both 3  # warm-up: JIT and upstream pools
for r in $(seq "$ROUNDS"); do
  both "$SECS"
  a=$(rps "$RUN/a.txt"); b=$(rps "$RUN/b.txt")
  echo "round $r: A $a req/s, B $b req/s, B/A $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')"
done
