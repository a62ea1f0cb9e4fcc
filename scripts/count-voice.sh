#!/usr/bin/env bash
# Server cost per signed `POST /twilio/voice`, counted by the CPU's counters through `perf stat`:
# instructions in user space and in the kernel, CPU time and context switches, over every thread of
# the server. Instruction counts barely move on a busy machine; CPU time does.
# Starts `switchboard serve` under perf twice, loads it with wrk (as scripts/bench-voice.sh does, so
# the server is saturated) for SHORT then LONG seconds, stops it with SIGTERM, and divides the
# differences by the difference in requests answered, so start-up and shutdown cancel out.
# (Valgrind 3.19 crashes on these Swift 6.3 binaries; perf does not.)
# Usage: scripts/count-voice.sh [BIN_DIR] [sqlite|memory|bare] [SHORT] [LONG] [OUT_DIR]
#   bare: the bare Hummingbird route of SwitchboardBenchmarks, for reference.
# COUNT_LUA=scripts/unique-calls.lua (with UNIQUE_CALLS, see bench-voice.sh) makes every request a new call.
# COUNT_REPEAT=N repeats the measurement N times and prints the median as well.
#   BIN_DIR defaults to .build/release (build it first: swift build -c release --product switchboard).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release}
store=${2:-sqlite}
few=${3:-2}
many=${4:-8}
out=${5:-$(mktemp -d)}
shared=${SWITCHBOARD_SHARED:-../shared}
lua=${COUNT_LUA:-$shared/bench/voice_post.lua}
token=12345678901234567890123456789012
port=${COUNT_PORT:-18290}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/bench-agents.py "$work/agents.json"

run() {
    local count=$1 file=$2
    rm -rf "$work/bench.sqlite"*
    local server=("$bin/switchboard" serve --database "$work/bench.sqlite")
    if [ "$store" = bare ]; then
        server=("$bin/SwitchboardBenchmarks" bare-server "$port")
    elif [ "$store" = memory ]; then
        server=("$bin/switchboard" serve --store memory --agents "$work/agents.json")
    else
        "$bin/switchboard" agents import "$work/agents.json" --database "$work/bench.sqlite" >/dev/null
    fi
    [ "$store" = bare ] || server+=(--port "$port" --public-url https://switchboard.example.com --auth-token "$token")
    LOG_LEVEL=${LOG_LEVEL:-warning} perf stat -x, -o "$file" -e instructions:u,instructions:k,cycles:u,cycles:k,task-clock,context-switches \
        "${server[@]}" >"$work/serve.log" 2>&1 &
    local pid=$!
    for _ in $(seq 300); do
        kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
        curl -s -o /dev/null -X POST "http://127.0.0.1:$port/twilio/voice" && break
        sleep 0.2
    done
    wrk -t1 -c32 -d"${count}s" -s "$lua" "http://127.0.0.1:$port/twilio/voice" >"$work/wrk.txt"
    grep -q "Non-2xx" "$work/wrk.txt" && { cat "$work/wrk.txt" "$work/serve.log" >&2; exit 1; }
    awk '/requests in/ {print $1}' "$work/wrk.txt" >"$file.requests"
    # Stop the server, not perf, which then writes its counts.
    kill -TERM "$(pgrep -P "$pid")"
    wait "$pid" || true
}
# COUNT_REPEAT=N measures N times and adds the median: runs of one build differ by up to 5% on a busy
# machine, so a single pair of runs cannot tell small changes apart.
repeat=${COUNT_REPEAT:-1}
for round in $(seq "$repeat"); do
    run "$few" "$out/few-$round.perf"
    run "$many" "$out/many-$round.perf"
done
python3 - "$out" "$repeat" <<'PY'
import statistics, sys
out, repeat = sys.argv[1], int(sys.argv[2])
def read(path):
    values = {}
    for line in open(path):
        fields = line.strip().split(",")
        if len(fields) > 2 and fields[0] and fields[0][0].isdigit():
            values[fields[2]] = float(fields[0])
    return values
def show(label, per):
    print(f"{label}: {per['instructions:u']:,.0f} user instructions, {per['instructions:k']:,.0f} kernel instructions, "
          f"{per['task-clock'] * 1000:,.1f} us CPU, {per['context-switches']:.2f} context switches"
          + (f", {per['cycles:u']:,.0f} user cycles, {per['cycles:k']:,.0f} kernel cycles" if 'cycles:u' in per else ""))
rounds = []
for round in range(1, repeat + 1):
    few, many = f"{out}/few-{round}.perf", f"{out}/many-{round}.perf"
    a, b = read(few), read(many)
    requests = (int(open(few + ".requests").read()), int(open(many + ".requests").read()))
    per = {k: (b[k] - a[k]) / (requests[1] - requests[0]) for k in b if k in a}
    rounds.append(per)
    print(f"requests: {requests[0]} then {requests[1]}")
    show("per request", per)
if repeat > 1:
    show(f"median of {repeat}", {k: statistics.median(r[k] for r in rounds) for k in rounds[0]})
    spread = [r["instructions:u"] for r in rounds]
    print(f"user instructions ranged from {min(spread):,.0f} to {max(spread):,.0f}")
PY
