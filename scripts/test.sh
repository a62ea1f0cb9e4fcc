#!/usr/bin/env bash
# Every test: format lint, the whole Swift test suite (golden files, command line, HTTP in process and
# over loopback, stores: SQLite, memory and PostgREST over a real PostgreSQL), the test gateway's own
# tests, the migrations applied twice, a claim race between two processes, and a short fuzz run.
# Installs what it needs first, and starts (and always stops) a throwaway PostgreSQL with the
# PostgREST-compatible test gateway in front (scripts/test-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

echo "test: swift format lint"
swift format lint --strict -r Sources Tests Package.swift

echo "test: building (the first build fetches and compiles dependencies: a few minutes)"
swift build --build-tests

echo "test: starting PostgreSQL and the PostgREST test gateway"
env_file=$(scripts/test-postgres.sh start)
trap 'scripts/test-postgres.sh stop >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1090
. "$env_file"

echo "test: the test gateway's own tests"
"$SWITCHBOARD_TEST_PYTHON" -m unittest discover -s Tests/Gateway

echo "test: the Supabase migrations applied twice"
scripts/test-migrations.sh

echo "test: swift test (one test at a time: several tests wait on processes and sockets, and on two cores"
echo "      running them side by side starved the timers of others; about 3 minutes)"
swift test --skip-build --no-parallel

echo "test: SQLite claims racing across two processes"
scripts/claim-race.sh

echo "test: fuzzing the form parser and signature validator for 20 s (libFuzzer + AddressSanitizer)"
scripts/fuzz.sh 20
