#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite:
# installs dependencies, builds, runs every test (unit, component, integration with a real
# mosquitto started by the tests on a free loopback port).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
start=$(date +%s)
scripts/build.sh
echo "test: build took $(( $(date +%s) - start ))s"
cd build
ctest --output-on-failure --timeout 600 -j2
