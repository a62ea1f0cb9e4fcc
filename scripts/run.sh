#!/usr/bin/env bash
# The main job on the embedded default: builds Switchboard and renders the ring-all document for ten
# agents, exactly as Twilio would receive it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

echo "run: building switchboard (the first build fetches and compiles dependencies: a few minutes)"
swift build --product switchboard
echo "run: rendering Fixtures/twiml/ring-all-10.json"
.build/debug/switchboard render Fixtures/twiml/ring-all-10.json
echo
