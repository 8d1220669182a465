#!/usr/bin/env bash
# Configures and builds into build/ (binary: build/cam2mqtt). Extra args go to cmake configure.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAM2MQTT_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
cmake --build build -j"$(nproc)"
