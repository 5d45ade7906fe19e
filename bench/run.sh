#!/usr/bin/env bash
# npm run bench: the router with one worker against the peers of ../shared/bench/peers, in one run
# on the same cores (wrk + backend on CPU 0, each proxy on CPU 1), then the summary table goes into
# BENCHMARKS.md between the BENCH markers. Knobs: TARGETS, CONNS, REPS, DURATION (see peers/run.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/bench/peers}"
WORK="${BENCH_WORK:-/tmp/switchyard-peers}"
[ -d "$PEERS_SRC" ] || { echo "peer rig not found at $PEERS_SRC" >&2; exit 1; }
mkdir -p "$WORK"
cp -r "$PEERS_SRC"/. "$WORK"/
cd "$WORK"
./setup.sh
export TARGETS="${TARGETS:-haproxy undici-dispatch}"
export CONNS="${CONNS:-50}"
export REPS="${REPS:-3}"
export DURATION="${DURATION:-10}"
export EXTRA_NAME=switchyard EXTRA_PORT=8080
export EXTRA_CMD="node $ROOT/bin/switchyard.js router --config $ROOT/bench/bench-bootstrap.yaml --concurrency 1"
export RESULTS_DIR="$WORK/results/$(date +%Y%m%d-%H%M%S)"
# The router's access log (bench-bootstrap.yaml) starts empty: it gets ~200 MB per run and would
# otherwise grow across runs until the disk fills.
: > /tmp/switchyard-bench-access.log
./run.sh
node "$ROOT/bench/record-results.mjs" "$RESULTS_DIR/summary.md" "$ROOT/BENCHMARKS.md"
