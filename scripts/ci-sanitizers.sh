#!/usr/bin/env bash
# CI sanitizer job: a clang build with ASan+UBSan (CAM2MQTT_SANITIZE="address;undefined") in
# its own build dir (default build-asan/), then the unit, component, integration and fuzz-replay
# tests under it. Any sanitizer report aborts the process that hit it (-fno-sanitize-recover,
# halt_on_error), which fails its test; LeakSanitizer checks every test process and daemon exit.
#
# Env: BUILD_DIR (build-asan), JOBS (default nproc), CTEST_ARGS (extra ctest arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-asan}
jobs=${JOBS:-$(nproc)}

start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCAM2MQTT_SANITIZE="address;undefined" >/dev/null
cmake --build "$build" -j"$jobs"
built=$(date +%s)

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build"
set +e
# shellcheck disable=SC2086
ctest --output-on-failure --timeout 900 -j"$jobs" -L 'unit|component|integration|fuzz' ${CTEST_ARGS:-}
rc=$?
set -e
end=$(date +%s)
echo "ci-sanitizers: rc=$rc build=$((built - start))s tests=$((end - built))s total=$((end - start))s"
exit $rc
