#!/usr/bin/env bash
# Every test: format lint, the whole Swift test suite (golden files, command line, stores), and the
# short fuzz runs. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

echo "test: swift format lint"
swift format lint --strict -r Sources Tests Package.swift

echo "test: building (the first build fetches and compiles dependencies: a few minutes)"
swift build --build-tests

echo "test: swift test"
swift test --skip-build
