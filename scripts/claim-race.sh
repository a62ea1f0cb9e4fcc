#!/usr/bin/env bash
# Claims across processes: two test processes race to claim the same 50 calls in one SQLite file
# (15 agents each per call). Passes only if every call has exactly one winner across both processes and
# every loser names that winner. Run by test.sh after the test build; see
# Tests/SwitchboardStoreTests/SQLiteCrossProcessClaims.swift.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(( $(date +%s) + 3 ))
pids=()
for side in a b; do
    SWITCHBOARD_RACE_DB="$work/race.sqlite" SWITCHBOARD_RACE_SIDE=$side SWITCHBOARD_RACE_START=$start \
        swift test --skip-build --filter claimsRacingAnotherProcess >"$work/$side.log" 2>&1 &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || { echo "claim-race: a side failed" >&2; cat "$work"/*.log >&2; exit 1; }
done
cat "$work"/a.log "$work"/b.log | awk '
    $1 == "WON"  { won[$2]++; winner[$2] = $3 }
    $1 == "LOST" { lost[$2 " " $5]++ ; calls[$2] = 1 }
    END {
        bad = 0
        for (c in won) calls[c] = 1
        n = 0
        for (c in calls) {
            n++
            if (won[c] != 1) { print "claim-race: " c " has " won[c] + 0 " winners"; bad = 1 }
        }
        for (k in lost) { split(k, p, " "); if (winner[p[1]] != p[2]) { print "claim-race: a loser of " p[1] " names " p[2] ", not " winner[p[1]]; bad = 1 } }
        if (n != 50) { print "claim-race: expected 50 calls, saw " n; bad = 1 }
        if (bad) exit 1
        print "claim-race: 50 calls, 1500 claims over 2 processes, exactly one winner each"
    }'
