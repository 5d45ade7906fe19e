# Shared by the bench scripts that start their own targets (side-by-side.sh, new-connections.sh).

# require_free_ports PORT...: exits when one of them is already listening.
require_free_ports() {
  local port
  for port in "$@"; do
    if ss -ltn "( sport = :$port )" | grep -q LISTEN; then echo "port $port is in use" >&2; exit 1; fi
  done
}

# wait_for_http WHAT URL...: waits (up to ~20 s) until every URL answers; exits naming WHAT when not.
wait_for_http() {
  local what=$1 url ok
  shift
  for _ in $(seq 100); do
    ok=1
    for url in "$@"; do curl -s -o /dev/null -m 1 "$url" || { ok=0; break; }; done
    [ "$ok" = 1 ] && return 0
    sleep 0.2
  done
  echo "$what did not start" >&2
  exit 1
}
