#!/usr/bin/env bash
# New connections against HAProxy (BENCHMARKS.md, "new connections"): the router with one worker
# and HAProxy (one thread) on CPU 1, the peer rig's NGINX backend and wrk on CPU 0, in alternating
# SECS-second runs of two loads that open connections instead of reusing them:
#   close  50 clients sending `Connection: close` (a new connection per request)
#   c200   200 keep-alive connections, all opened at the start of the run (an accept burst)
#
#   bench/new-connections.sh [ROUNDS=2] [SECS=10]
#
# Needs `npm run build`, the peer rig (`npm run bench` sets it up in /tmp/switchyard-peers) and
# ports 9000, 8001, 8080 and 9902 free. Prints one line per load, target and round.
set -euo pipefail
ROUNDS=${1:-2}; SECS=${2:-10}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"
RIG="${BENCH_WORK:-/tmp/switchyard-peers}"
[ -f "$RIG/nginx-backend.conf" ] || { echo "peer rig not found in $RIG (run npm run bench once)" >&2; exit 1; }
[ -f "$ROOT/dist/src/cli/main.js" ] || { echo "no dist/ (npm run build first)" >&2; exit 1; }
require_free_ports 9000 8001 8080 9902

RUN=$(mktemp -d /tmp/switchyard-new-connections.XXXXXX)
mkdir -p "$RUN/tmp"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$RUN"; }
trap cleanup EXIT

sed -e "s#/tmp/switchyard-bench-access.log#$RUN/access.log#" "$ROOT/bench/bench-bootstrap.yaml" > "$RUN/router.yaml"
# wrk's `done` hook: the percentiles wrk's own summary leaves out.
cat > "$RUN/pct.lua" <<'EOF'
done = function(summary, latency, requests)
  local s = string.format("%8.0f req/s", summary.requests / (summary.duration / 1e6))
  for _, p in ipairs({50, 99, 99.9}) do s = s .. string.format("  p%s %6.2f ms", p, latency:percentile(p) / 1000) end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.stderr:write(s .. string.format("  max %6.2f ms  errors %d\n", latency.max / 1000, errors))
end
EOF

taskset -c 0 nginx -p "$RUN/" -e "$RUN/nginx.error.log" -c "$RIG/nginx-backend.conf" & pids+=($!)
(cd "$RIG" && exec taskset -c 1 haproxy -db -f haproxy.cfg) > "$RUN/haproxy.out" 2>&1 & pids+=($!)
taskset -c 1 node "$ROOT/bin/switchyard.js" router --config "$RUN/router.yaml" --concurrency 1 > "$RUN/router.out" 2>&1 & pids+=($!)
wait_for_http "targets (see $RUN/router.out, $RUN/haproxy.out)" http://127.0.0.1:8080/ http://127.0.0.1:8001/

load() {  # load NAME PORT SECS
  case "$1" in
    close) taskset -c 0 wrk -t1 -c50 -d"$3"s -H 'Connection: close' -s "$RUN/pct.lua" "http://127.0.0.1:$2/" 2>&1 >/dev/null ;;
    c200) taskset -c 0 wrk -t1 -c200 -d"$3"s -s "$RUN/pct.lua" "http://127.0.0.1:$2/" 2>&1 >/dev/null ;;
  esac
}

# Warm-up: JIT, upstream pools; then let the router's primary finish its post-start GC.
for port in 8001 8080; do load c200 "$port" 5 >/dev/null; load close "$port" 3 >/dev/null; done
sleep 10
for r in $(seq "$ROUNDS"); do
  for name in close c200; do
    echo "round $r  $name  haproxy     $(load "$name" 8001 "$SECS")"
    echo "round $r  $name  switchyard  $(load "$name" 8080 "$SECS")"
  done
done
