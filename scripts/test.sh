#!/usr/bin/env bash
# Builds Gatehouse, runs the Swift unit tests, then the end-to-end suite in which the official
# Python MCP client drives the built `gatehouse serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build
GATEHOUSE_BIN="$PWD/.build/debug/gatehouse" python3 -m pytest -q tests/e2e
