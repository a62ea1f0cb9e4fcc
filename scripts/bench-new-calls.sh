#!/usr/bin/env bash
# Every request a new call, this build against an earlier one, side by side in rounds: the case where
# the SQLite store writes a ringing record for every request. Each round starts both builds afresh on
# their own new database (10 available agents), then drives each in turn with wrk -t1 -c32 for SECONDS
# over pre-signed callbacks that each carry their own CallSid (scripts/unique-calls.lua); the order of
# the two alternates from round to round. Prints each round's rates, their ratio, and the medians.
# Usage: scripts/bench-new-calls.sh BASELINE_DIR [SECONDS] [ROUNDS]   (defaults 8 and 5)
#   BASELINE_DIR holds an earlier build's release `switchboard` (build it in a clone of that commit).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
need_package wrk wrk
need_package curl curl

baseline=${1:?usage: scripts/bench-new-calls.sh BASELINE_DIR [SECONDS] [ROUNDS]}
duration=${2:-8}
rounds=${3:-5}
shared=${SWITCHBOARD_SHARED:-../shared}
lua="$shared/bench/voice_post.lua"
[ -f "$lua" ] || { echo "bench: $lua is missing (set SWITCHBOARD_SHARED)" >&2; exit 1; }
[ -x "$baseline/switchboard" ] || { echo "bench: no switchboard in $baseline" >&2; exit 1; }

echo "bench: building release binaries" >&2
swift build -c release --product switchboard >/dev/null

work=$(mktemp -d)
pids=()
stop_servers() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    pids=()
}
cleanup() {
    stop_servers
    rm -rf "$work"
}
trap cleanup EXIT

token=12345678901234567890123456789012
python3 scripts/bench-agents.py "$work/agents.json"
# Each run starts at the first body, on a database of its own, so no run repeats a CallSid.
python3 scripts/unique-calls.py "$lua" "$token" https://switchboard.example.com/twilio/voice 200000 "$work/unique-calls.txt"

# Starts `binary` on a new database at `port` and waits until it answers.
start() {
    local binary=$1 port=$2 database=$3
    "$binary" agents import "$work/agents.json" --database "$database" >/dev/null
    LOG_LEVEL=warning "$binary" serve --database "$database" --port "$port" \
        --public-url https://switchboard.example.com --auth-token "$token" >"$database.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0
        sleep 0.1
    done
    echo "bench: the server on port $port did not start" >&2
    exit 1
}

rate() {
    UNIQUE_CALLS="$work/unique-calls.txt" wrk -t1 -c32 -d"${duration}s" -s scripts/unique-calls.lua \
        "http://127.0.0.1:$1/twilio/voice" | awk '/Requests\/sec/ {print $2}'
}

echo "| round | this build (req/s) | baseline (req/s) | this / baseline |"
echo "|---|---|---|---|"
ratios=()
for round in $(seq "$rounds"); do
    start .build/release/switchboard 18090 "$work/new-$round.sqlite"
    start "$baseline/switchboard" 18091 "$work/old-$round.sqlite"
    if [ $((round % 2)) -eq 1 ]; then
        new=$(rate 18090)
        old=$(rate 18091)
    else
        old=$(rate 18091)
        new=$(rate 18090)
    fi
    stop_servers
    ratio=$(python3 -c "print(round($new / $old, 3))")
    ratios+=("$ratio")
    echo "| $round | $new | $old | $ratio |"
done
echo "| median | | | $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}') |"
