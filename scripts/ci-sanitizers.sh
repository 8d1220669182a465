#!/usr/bin/env bash
# CI sanitizer job: a clang build with ASan+UBSan, then the unit, component, integration and
# fuzz-replay tests under it. Any sanitizer report aborts the process that hit it
# (-fno-sanitize-recover, halt_on_error), which fails its test; LeakSanitizer checks every test
# process and daemon exit.
#
# Two kinds of build:
#  - SANITIZER_BUILD=asan (default): CAM2MQTT_SANITIZE="address;undefined" in build-asan/.
#  - SANITIZER_BUILD=fuzz: CAM2MQTT_ENABLE_FUZZING=ON in build-fuzz/, which instruments every
#    target with fuzzer-no-link,address,undefined. The same build then serves
#    scripts/fuzz-smoke.sh (same BUILD_DIR and configure arguments, so nothing is rebuilt):
#    .ci/run uses this to pay for one clang build instead of two.
# Both are -O1 with line tables only (CMAKE_CXX_FLAGS_RELWITHDEBINFO, override with SAN_CXXFLAGS):
# the usual ASan level, enough for symbolized reports, and much cheaper to compile than -O2 -g.
#
# Env: SANITIZER_BUILD, BUILD_DIR (build-asan / build-fuzz), JOBS (default nproc),
#      SAN_CXXFLAGS, CTEST_ARGS (extra ctest arguments), SKIP_TESTS=1 (build only).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${SANITIZER_BUILD:-asan}
jobs=${JOBS:-$(nproc)}
flags=${SAN_CXXFLAGS:--O1 -gline-tables-only -DNDEBUG}
case "$kind" in
  asan) build=${BUILD_DIR:-build-asan}; option=(-DCAM2MQTT_SANITIZE="address;undefined") ;;
  fuzz) build=${BUILD_DIR:-build-fuzz}; option=(-DCAM2MQTT_ENABLE_FUZZING=ON) ;;
  *) echo "ci-sanitizers: SANITIZER_BUILD must be asan or fuzz, got $kind" >&2; exit 2 ;;
esac

start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" "${option[@]}" >/dev/null
cmake --build "$build" -j"$jobs"
built=$(date +%s)
echo "ci-sanitizers: $kind build in $build: $((built - start))s"
[[ "${SKIP_TESTS:-0}" == 1 ]] && exit 0

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
