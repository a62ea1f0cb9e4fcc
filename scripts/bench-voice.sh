#!/usr/bin/env bash
# Voice-route load test, side by side in one run, all on loopback:
#   1. Switchboard (release) on the embedded SQLite store with 10 available agents,
#   1b. the same on the in-memory store (--store memory): what HTTP, signatures and routing cost alone,
#   2. a bare Hummingbird route that only reads the body and answers the same number of bytes,
#   3. the Flask + twilio-python peer from ../shared/bench (gunicorn -w 2).
# Each gets the signed 20-parameter callback of ../shared/bench/voice_post.lua:
#   - wrk -t1 -c32 for DURATION seconds measures the peak rate;
#   - hey at half that peak rate, for DURATION or 10 s whichever is longer (BENCH_LATENCY_SECONDS), measures
#     latency, p99 included.
# The load generator and the servers share the machine's cores; compare the ratios.
# Usage: scripts/bench-voice.sh [DURATION_SECONDS]   (default 10). Prints a Markdown table.
# The wrk body repeats one CallSid, so after the first request the store's ringing-call insert finds
# the call recorded and writes nothing. A second table therefore gives the peak rate when every request
# is a new call (scripts/unique-calls.lua: 200,000 pre-signed bodies, each with its own CallSid).
# BENCH_ROUNDS=N (default 3) measures the peak rates N times, the servers taking turns in each round,
# and gives each round's ratios and their medians: a host's load moves from minute to minute, so a ratio
# of two rates measured seconds apart holds better than one of rates measured a minute apart. Each peak
# run also reads the server's CPU time (/proc/PID/stat, all threads) and gives CPU per request; the bare
# route's against a server's is the share of the bare route's rate that server could reach if the server
# alone used the cores, a steadier figure than the rates, which the load generator's share moves.
# With BENCH_BASELINE=DIR (a directory holding an earlier build's `switchboard`), that build also
# serves both stores in the same run, so a change is compared side by side with what it replaces.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
need_package wrk wrk
need_package hey hey

duration=${1:-10}
shared=${SWITCHBOARD_SHARED:-../shared}
lua="$shared/bench/voice_post.lua"
[ -f "$lua" ] || { echo "bench: $lua is missing (set SWITCHBOARD_SHARED)" >&2; exit 1; }
venv=${BENCH_VENV:-/tmp/switchboard-bench-venv}
if [ ! -x "$venv/bin/gunicorn" ]; then
    echo "bench: creating $venv with twilio 9.13.0, flask and gunicorn"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q twilio==9.13.0 flask gunicorn
fi

echo "bench: building release binaries"
swift build -c release --product switchboard >/dev/null
swift build -c release --product SwitchboardBenchmarks >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

token=12345678901234567890123456789012
python3 scripts/bench-agents.py "$work/agents.json"
.build/release/switchboard agents import "$work/agents.json" --database "$work/bench.sqlite" >/dev/null
LOG_LEVEL=warning .build/release/switchboard serve --database "$work/bench.sqlite" --port 18080 \
    --public-url https://switchboard.example.com --auth-token "$token" >"$work/switchboard.log" 2>&1 &
pids+=($!)
declare -A server_pid=([18080]=$!)
LOG_LEVEL=warning .build/release/switchboard serve --store memory --agents "$work/agents.json" --port 18083 \
    --public-url https://switchboard.example.com --auth-token "$token" >"$work/switchboard-memory.log" 2>&1 &
pids+=($!)
server_pid[18083]=$!
.build/release/SwitchboardBenchmarks bare-server 18081 >"$work/bare.log" 2>&1 &
pids+=($!)
server_pid[18081]=$!
ports=(18080 18083)
baseline=${BENCH_BASELINE:-}
if [ -n "$baseline" ]; then
    # Its own file, imported by itself: an older build refuses a newer schema.
    "$baseline/switchboard" agents import "$work/agents.json" --database "$work/baseline.sqlite" >/dev/null
    LOG_LEVEL=warning "$baseline/switchboard" serve --database "$work/baseline.sqlite" --port 18084 \
        --public-url https://switchboard.example.com --auth-token "$token" >"$work/baseline.log" 2>&1 &
    pids+=($!)
    server_pid[18084]=$!
    LOG_LEVEL=warning "$baseline/switchboard" serve --store memory --agents "$work/agents.json" --port 18085 \
        --public-url https://switchboard.example.com --auth-token "$token" >"$work/baseline-memory.log" 2>&1 &
    pids+=($!)
    server_pid[18085]=$!
    ports+=(18084 18085)
fi
ports+=(18081 18082)
(cd "$shared/bench" && exec "$venv/bin/gunicorn" -w 2 -b 127.0.0.1:18082 peer_flask:app) >"$work/flask.log" 2>&1 &
pids+=($!)

body=$(sed -n 's/^wrk.body = "\(.*\)"$/\1/p' "$lua")
signature=$(sed -n 's/^wrk.headers\["X-Twilio-Signature"\] = "\(.*\)"$/\1/p' "$lua")
printf '%s' "$body" >"$work/body"

for port in "${ports[@]}"; do
    for _ in $(seq 50); do
        status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Content-Type: application/x-www-form-urlencoded" \
            -H "X-Twilio-Signature: $signature" --data-binary @"$work/body" "http://127.0.0.1:$port/twilio/voice" || true)
        [ "$status" = 200 ] && break
        sleep 0.2
    done
    [ "$status" = 200 ] || { echo "bench: server on $port answers $status" >&2; cat "$work"/*.log >&2; exit 1; }
done

# The server's CPU time so far (user + system, all threads), in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
# The peak rate, and the server's CPU time per request in µs during that run ("-" for the Flask peer,
# whose work is spread over gunicorn's processes).
peak() {
    local pid=${server_pid[$1]:-} before output
    [ -n "$pid" ] && before=$(cpu_ticks "$pid")
    output=$(wrk -t1 -c32 -d"${duration}s" -s "$lua" "http://127.0.0.1:$1/twilio/voice")
    local rate requests
    rate=$(awk '/Requests\/sec/ {print $2}' <<<"$output")
    requests=$(awk '/requests in/ {print $1}' <<<"$output")
    if [ -n "$pid" ] && [ -n "$requests" ] && [ "$requests" -gt 0 ]; then
        echo "$rate $(python3 -c "print(round(($(cpu_ticks "$pid") - $before) / $ticks_per_second * 1e6 / $requests, 1))")"
    else
        echo "$rate -"
    fi
}
# Latency at `rate` for at least 10 s (BENCH_LATENCY_SECONDS): a p99 from a few seconds rests on a few dozen
# requests, and one hiccup of the host moves it by milliseconds.
latency_seconds=${BENCH_LATENCY_SECONDS:-$(( duration > 10 ? duration : 10 ))}
latency() {
    local rate=$1 port=$2 workers=8
    local per=$(( rate / workers )); [ "$per" -lt 1 ] && per=1
    hey -z "${latency_seconds}s" -c "$workers" -q "$per" -m POST -T application/x-www-form-urlencoded \
        -H "X-Twilio-Signature: $signature" -D "$work/body" "http://127.0.0.1:$port/twilio/voice" >"$work/hey-$port.txt"
    local p50 p99 rps
    p50=$(awk '/ 50% in/ {print $3}' "$work/hey-$port.txt")
    p99=$(awk '/ 99% in/ {print $3}' "$work/hey-$port.txt")
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/hey-$port.txt")
    echo "$rps $p50 $p99"
}

echo "bench: warming up"
for port in "${ports[@]}"; do wrk -t1 -c8 -d2s -s "$lua" "http://127.0.0.1:$port/twilio/voice" >/dev/null; done

declare -A name=([18080]="Switchboard (SQLite, 10 agents)" [18083]="Switchboard (in-memory store, 10 agents)" [18081]="bare Hummingbird route" [18082]="Flask + twilio-python (gunicorn -w 2)"
    [18084]="baseline build (SQLite)" [18085]="baseline build (in-memory store)")
declare -A rps
rounds=${BENCH_ROUNDS:-3}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_ROUNDS must be a whole number of 1 or more" >&2; exit 1; }
echo
echo "bench: $rounds rounds of peak rates, the servers taking turns"
for round in $(seq "$rounds"); do
    line=""
    for port in "${ports[@]}"; do
        read -r rate cpu <<<"$(peak "$port")"
        # A wrk run that printed no rate would shift every later column onto the wrong server.
        [ -n "$rate" ] || { echo "bench: wrk gave no rate for the server on $port" >&2; exit 1; }
        line+=" $rate:$cpu"
    done
    echo "$line" >>"$work/rounds.txt"
done
# Each round's ratios, and the medians of the rates and of the ratios.
python3 - "$work/rounds.txt" "${ports[@]}" >"$work/summary.txt" <<'PY'
import statistics, sys
path, ports = sys.argv[1], sys.argv[2:]
lines = [line.split() for line in open(path) if line.strip()]
rounds = [dict(zip(ports, (float(cell.split(":")[0]) for cell in line))) for line in lines]
cpus = [dict(zip(ports, (cell.split(":")[1] for cell in line))) for line in lines]
names = {"18080": "SQLite", "18083": "in-memory", "18084": "baseline SQLite", "18085": "baseline in-memory"}
print("Rate against the bare route and the Flask peer, then the bare route's server CPU per request against")
print("this server's (the load generator's share of the cores does not enter it):")
print()
print("| round | " + " | ".join(f"{names[p]}: / bare, / Flask, CPU" for p in ports if p in names) + " |")
print("|---|" + "---|" * sum(p in names for p in ports))
ratios = {p: [] for p in ports if p in names}
for index, (rates, cpu) in enumerate(zip(rounds, cpus), 1):
    cells = []
    for p in ratios:
        ratios[p].append((rates[p] / rates["18081"], rates[p] / rates["18082"], float(cpu["18081"]) / float(cpu[p])))
        cells.append(f"{ratios[p][-1][0]:.0%}, {ratios[p][-1][1]:.1f}x, {ratios[p][-1][2]:.0%}")
    print(f"| {index} | " + " | ".join(cells) + " |")
print("| median | " + " | ".join(", ".join([f"{statistics.median(x[0] for x in r):.0%}", f"{statistics.median(x[1] for x in r):.1f}x", f"{statistics.median(x[2] for x in r):.0%}"]) for r in ratios.values()) + " |")
print()
print("Server CPU per request (µs), median: " + ", ".join(f"{names.get(p, 'bare' if p == '18081' else p)} {statistics.median(float(c[p]) for c in cpus):.1f}" for p in ports if p != "18082"))
print("MEDIANS " + " ".join(f"{p}={statistics.median(r[p] for r in rounds):.2f}" for p in ports))
PY
for pair in $(awk '/^MEDIANS/ {for (i = 2; i <= NF; i++) print $i}' "$work/summary.txt"); do rps[${pair%%=*}]=${pair#*=}; done
echo
echo "| server | peak req/s (wrk -c32, median of $rounds) | rate held (half peak) | p50 | p99 |"
echo "|---|---|---|---|---|"
for port in "${ports[@]}"; do
    half=$(python3 -c "print(int(float('${rps[$port]}') / 2))")
    read -r held p50 p99 <<<"$(latency "$half" "$port")"
    printf '| %s | %s | %s | %s ms | %s ms |\n' "${name[$port]}" "${rps[$port]}" "$held" \
        "$(python3 -c "print(round(float('$p50') * 1000, 2))")" "$(python3 -c "print(round(float('$p99') * 1000, 2))")"
done
echo
grep -v '^MEDIANS' "$work/summary.txt"
echo
echo "bench: signing 200,000 callbacks, each with its own CallSid"
python3 scripts/unique-calls.py "$lua" "$token" https://switchboard.example.com/twilio/voice 200000 "$work/unique-calls.txt"
echo
echo "| every request a new call | peak req/s (wrk -c32) |"
echo "|---|---|"
for port in "${ports[@]}"; do
    [ "$port" = 18082 ] && continue  # The Flask peer stores nothing.
    unique=$(UNIQUE_CALLS="$work/unique-calls.txt" wrk -t1 -c32 -d"${duration}s" -s scripts/unique-calls.lua \
        "http://127.0.0.1:$port/twilio/voice" | awk '/Requests\/sec/ {print $2}')
    printf '| %s | %s |\n' "${name[$port]}" "$unique"
done
