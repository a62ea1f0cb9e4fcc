#!/usr/bin/env bash
# Every test: format lint, the whole Swift test suite (golden files, command line, HTTP in process and
# over loopback, stores), a claim race between two processes, and a short fuzz run. Installs what it
# needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

echo "test: swift format lint"
swift format lint --strict -r Sources Tests Package.swift

echo "test: building (the first build fetches and compiles dependencies: a few minutes)"
swift build --build-tests

echo "test: swift test"
swift test --skip-build

echo "test: SQLite claims racing across two processes"
scripts/claim-race.sh

echo "test: fuzzing the form parser and signature validator for 20 s (libFuzzer + AddressSanitizer)"
scripts/fuzz.sh 20
