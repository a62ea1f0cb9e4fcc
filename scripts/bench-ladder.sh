#!/usr/bin/env bash
# Where the voice route's time goes, stage by stage: server CPU time per signed `POST /twilio/voice`
# (user + system, read from /proc/PID/stat around a wrk -t1 -c32 run) for the route cut short at each
# stage, next to the full route and the bare Hummingbird route, the servers taking turns in each round.
# It needs no hardware counters (scripts/count-voice.sh does; many virtual machines lack them).
#
# The cut-short servers come from a release build of HEAD with scripts/ladder/variants.patch applied
# (see below). The patch reads environment switches; the production code carries none of them:
#   EXP_FIXED=entry    answers fixed bytes as the route's handler starts;
#   EXP_FIXED=collect  ... once the body is read;
#   EXP_FIXED=parse    ... once the form is parsed;
#   EXP_FIXED=gate     ... once the signature is checked (the whole of the request's checks);
#   EXP_INLINE=1       runs the store work in the request's task (no budget, no deadline);
#   EXP_SKIP_RECORD=1  skips the ringing record (with EXP_INLINE).
#
# Usage: scripts/bench-ladder.sh [SECONDS] [ROUNDS]   (defaults 6 and 3). Prints each measurement and
# the medians. It builds the release products itself, as scripts/bench-voice.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
need_package wrk wrk
duration=${1:-6}
rounds=${2:-3}
shared=${SWITCHBOARD_SHARED:-../shared}
lua="$(cd "$shared/bench" && pwd)/voice_post.lua"
[ -f "$lua" ] || { echo "ladder: $lua is missing (set SWITCHBOARD_SHARED)" >&2; exit 1; }

swift build -c release --product SwitchboardBenchmarks >/dev/null
base=$(pwd)/.build/release

# The variants: the patch applied to the checkout for one incremental release build (about a minute),
# the binary copied out, and the patch taken off again, also when the script stops early. It refuses
# to run over uncommitted changes to Sources/, so taking the patch off restores exactly what was there.
if ! git diff --quiet HEAD -- Sources; then
    echo "ladder: Sources/ has uncommitted changes; commit or stash them first" >&2
    exit 1
fi
patch=$(pwd)/scripts/ladder/variants.patch
variants=$(mktemp -d)
git apply "$patch"
trap 'git apply -R "$patch"' EXIT
swift build -c release --product switchboard >/dev/null
cp .build/release/switchboard "$variants/switchboard"
git apply -R "$patch"
trap - EXIT
cut=$variants/switchboard
# HEAD's own build again, for the servers that run it.
swift build -c release --product switchboard >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work" "$variants"
}
trap cleanup EXIT
token=12345678901234567890123456789012
python3 scripts/bench-agents.py "$work/agents.json"

labels=()
ports=()
declare -A pid_of
# start LABEL ENV... -- ARGS...: one server on the next port.
start() {
    local label=$1 port=$((18300 + ${#ports[@]}))
    shift
    local env=()
    while [ "$1" != -- ]; do env+=("$1"); shift; done
    shift
    "$base/switchboard" agents import "$work/agents.json" --database "$work/$port.sqlite" >/dev/null
    env LOG_LEVEL=warning "${env[@]}" "$@" --port "$port" --public-url https://switchboard.example.com \
        --auth-token "$token" >"$work/$port.log" 2>&1 &
    pids+=($!)
    pid_of[$port]=$!
    labels+=("$label")
    ports+=("$port")
}
start entry EXP_FIXED=entry -- "$cut" serve --database "$work/18300.sqlite"
start collect EXP_FIXED=collect -- "$cut" serve --database "$work/18301.sqlite"
start parse EXP_FIXED=parse -- "$cut" serve --database "$work/18302.sqlite"
start gate EXP_FIXED=gate -- "$cut" serve --database "$work/18303.sqlite"
start memory -- "$base/switchboard" serve --store memory --agents "$work/agents.json"
start sqlite -- "$base/switchboard" serve --database "$work/18305.sqlite"
start sqlite-inline EXP_INLINE=1 -- "$cut" serve --database "$work/18306.sqlite"
start sqlite-inline-norecord EXP_INLINE=1 EXP_SKIP_RECORD=1 -- "$cut" serve --database "$work/18307.sqlite"
bare_port=$((18300 + ${#ports[@]}))
"$base/SwitchboardBenchmarks" bare-server "$bare_port" >"$work/bare.log" 2>&1 &
pids+=($!)
pid_of[$bare_port]=$!
labels+=(bare)
ports+=("$bare_port")

for port in "${ports[@]}"; do
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.2
    done
done
for port in "${ports[@]}"; do wrk -t1 -c8 -d1s -s "$lua" "http://127.0.0.1:$port/twilio/voice" >/dev/null; done

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq "$rounds"); do
    for index in "${!ports[@]}"; do
        port=${ports[$index]}
        before=$(cpu_ticks "${pid_of[$port]}")
        out=$(wrk -t1 -c32 -d"${duration}s" -s "$lua" "http://127.0.0.1:$port/twilio/voice")
        after=$(cpu_ticks "${pid_of[$port]}")
        requests=$(echo "$out" | awk '/requests in/ {print $1}')
        errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
        [ -z "$errors" ] || { echo "ladder: ${labels[$index]} answered $errors non-2xx responses" >&2; exit 1; }
        echo "$round ${labels[$index]} $((after - before)) $requests" >>"$work/measurements.txt"
        echo "round $round: ${labels[$index]}: $requests requests, $((after - before)) CPU ticks"
    done
done
python3 - "$work/measurements.txt" "$hz" "$duration" <<'PY'
import collections, statistics, sys
path, hz, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
cpu, rate = collections.defaultdict(list), collections.defaultdict(list)
order = []
for line in open(path):
    _, label, ticks, requests = line.split()
    if label not in order: order.append(label)
    cpu[label].append(int(ticks) / hz / int(requests) * 1e6)
    rate[label].append(int(requests) / seconds)
bare = statistics.median(cpu["bare"])
print()
print("| stage | server CPU per request (µs), median | each round | req/s, median | bare's CPU / this CPU |")
print("|---|---|---|---|---|")
for label in order:
    median = statistics.median(cpu[label])
    rounds = ", ".join(f"{value:.1f}" for value in cpu[label])
    print(f"| {label} | {median:.1f} | {rounds} | {statistics.median(rate[label]):,.0f} | {bare / median:.0%} |")
PY
