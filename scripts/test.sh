#!/usr/bin/env bash
# Builds Gatehouse, runs the Swift unit tests, then the end-to-end suite in which the official
# Python MCP client drives the built `gatehouse serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import mcp, pytest" 2>/dev/null; then
  echo "the end-to-end tests need the Python mcp client and pytest:" >&2
  echo "  python3 -m pip install -r tests/e2e/requirements.txt   (or run bash .ci/run, which installs them)" >&2
  exit 2
fi

swift build --build-tests
swift test --skip-build
GATEHOUSE_BIN="$PWD/.build/debug/gatehouse" python3 -m pytest -q tests/e2e
