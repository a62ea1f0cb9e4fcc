#!/usr/bin/env bash
# Store benchmark, side by side in one run, all on loopback:
#   1. voice-route throughput (wrk -t1 -c32, the signed callback of ../shared/bench/voice_post.lua) of
#      `switchboard serve` (release) on the embedded SQLite store and on the Supabase store
#      (--store postgrest) through the test gateway over a real PostgreSQL, both with 10 agents; and
#      the TCP connections the gateway accepted during the PostgREST run against the requests it
#      served (connection reuse must show);
#   2. claim latency, p50 and p99, with CLAIMERS concurrent claimers per call, on each store
#      (SwitchboardBenchmarks claims).
# The PostgREST figures measure Switchboard plus the test gateway (Python, Tests/Gateway), not
# production PostgREST: compare the stores' ratios and the connection counts, not absolute rates.
# Usage: scripts/bench-store.sh [DURATION_SECONDS] [CALLS] [CLAIMERS]   (default 10, 100, 20)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
need_package wrk wrk
need_package curl curl

duration=${1:-10}
calls=${2:-100}
claimers=${3:-20}
shared=${SWITCHBOARD_SHARED:-../shared}
lua="$shared/bench/voice_post.lua"
[ -f "$lua" ] || { echo "bench: $lua is missing (set SWITCHBOARD_SHARED)" >&2; exit 1; }

echo "bench: building release binaries" >&2
swift build -c release --product switchboard >/dev/null
swift build -c release --product SwitchboardBenchmarks >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    scripts/test-postgres.sh stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "bench: starting PostgreSQL and the test gateway" >&2
env_file=$(scripts/test-postgres.sh start)
# shellcheck disable=SC1090
. "$env_file"
admin=(-s -H "X-Gateway-Admin: $SWITCHBOARD_TEST_GATEWAY_ADMIN_TOKEN")
new_database() { curl "${admin[@]}" -X POST "$SWITCHBOARD_TEST_GATEWAY_URL/admin/databases" | python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])'; }
stat() { curl "${admin[@]}" "$SWITCHBOARD_TEST_GATEWAY_URL/admin/stats" | python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])"; }
voice_db=$(new_database)
claims_db=$(new_database)
export SUPABASE_SERVICE_ROLE_KEY=$SWITCHBOARD_TEST_SUPABASE_KEY

token=12345678901234567890123456789012
python3 scripts/bench-agents.py "$work/agents.json"
.build/release/switchboard agents import "$work/agents.json" --database "$work/bench.sqlite" >/dev/null
.build/release/switchboard agents import "$work/agents.json" --store postgrest --supabase-url "$voice_db" >/dev/null
LOG_LEVEL=warning .build/release/switchboard serve --database "$work/bench.sqlite" --port 18090 \
    --public-url https://switchboard.example.com --auth-token "$token" >"$work/sqlite.log" 2>&1 &
pids+=($!)
LOG_LEVEL=warning SUPABASE_URL=$voice_db .build/release/switchboard serve --store postgrest --port 18091 \
    --public-url https://switchboard.example.com --auth-token "$token" >"$work/postgrest.log" 2>&1 &
pids+=($!)
for port in 18090 18091; do
    for _ in $(seq 50); do
        status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
        [ "$status" = 200 ] && break
        sleep 0.2
    done
    [ "$status" = 200 ] || { echo "bench: server on $port is not ready ($status)" >&2; cat "$work"/*.log >&2; exit 1; }
done

run_wrk() { wrk -t1 -c32 -d"${duration}s" --latency -s "$lua" "http://127.0.0.1:$1/twilio/voice" >"$work/wrk-$1.txt"; }
rps() { awk '/Requests\/sec/ {print $2}' "$work/wrk-$1.txt"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$work/wrk-$1.txt"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$work/wrk-$1.txt" | tr '\n' ' '; }

echo "bench: warming up" >&2
for port in 18090 18091; do wrk -t1 -c8 -d2s -s "$lua" "http://127.0.0.1:$port/twilio/voice" >/dev/null; done

run_wrk 18090
connections_before=$(stat connections_accepted)
requests_before=$(stat requests)
run_wrk 18091
connections=$(( $(stat connections_accepted) - connections_before ))
requests=$(( $(stat requests) - requests_before ))

echo
echo "| store | voice req/s (wrk -c32) | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
printf '| embedded SQLite | %s | %s | %s | %s |\n' "$(rps 18090)" "$(pct 18090 50%)" "$(pct 18090 99%)" "$(errors 18090)"
printf '| Supabase (PostgREST via the test gateway) | %s | %s | %s | %s |\n' "$(rps 18091)" "$(pct 18091 50%)" "$(pct 18091 99%)" "$(errors 18091)"
echo
echo "PostgREST run: the gateway served $requests requests on $connections new TCP connections."
echo
echo "Claim latency ($calls calls, $claimers concurrent claimers each):"
.build/release/SwitchboardBenchmarks claims sqlite "$work/claims.sqlite" "$calls" "$claimers"
.build/release/SwitchboardBenchmarks claims postgrest "$claims_db" "$calls" "$claimers"
