#!/usr/bin/env bash
# The main job on the embedded default: builds Switchboard, loads a few demo agents into an embedded
# SQLite store, and serves Twilio's voice webhooks on http://127.0.0.1:${PORT:-8080} until Ctrl-C.
# It prints the command that simulates a signed inbound call against it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

echo "run: building switchboard (the first build fetches and compiles dependencies: a few minutes)"
swift build --product switchboard
switchboard=.build/debug/switchboard
database=${SWITCHBOARD_DATABASE:-.switchboard-demo.sqlite}
port=${PORT:-8080}
token=${TWILIO_AUTH_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}

echo "run: loading demo agents into $database"
"$switchboard" agents import demo/agents.json --database "$database"
"$switchboard" agents list --database "$database"

cat <<MSG
run: serving on http://127.0.0.1:$port (Ctrl-C stops it). In another terminal, simulate a call:

    $switchboard simulate voice --server http://127.0.0.1:$port --auth-token $token
    $switchboard simulate dial-status --server http://127.0.0.1:$port --auth-token $token --dial-call-status no-answer

MSG
exec "$switchboard" serve --database "$database" --port "$port" --auth-token "$token"
