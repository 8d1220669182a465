#!/usr/bin/env bash
# Fuzz smoke run (CI): builds tests/fuzz/viewtron_fuzzer with clang and
# -fsanitize=fuzzer,address,undefined in build-fuzz/, then fuzzes for FUZZ_SECONDS (default
# 120) seeded with fixtures/xml, using tests/fuzz/viewtron.dict and the limits of
# tests/fuzz/viewtron_fuzzer.options. Exits non-zero on any crash, leak, sanitizer report,
# timeout or broken invariant; the reproducer is left in $FUZZ_OUT (default
# build-fuzz/fuzz-out/). Turn it into fixtures/xml/invalid/<fault>.xml plus its golden
# (UPDATE_GOLDEN=1 build/tests/unit/golden/test_golden), review, commit.
#
# Env: FUZZ_SECONDS, BUILD_DIR (build-fuzz), FUZZ_OUT, JOBS (build parallelism, default nproc),
# SAN_CXXFLAGS (default -O1 -gline-tables-only -DNDEBUG, as scripts/ci-sanitizers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-120}
build=${BUILD_DIR:-build-fuzz}
out=${FUZZ_OUT:-$build/fuzz-out}
jobs=${JOBS:-$(nproc)}

start=$(date +%s)
# Same configure arguments as `SANITIZER_BUILD=fuzz scripts/ci-sanitizers.sh`, so after that
# job this build is a no-op (.ci/run builds build-fuzz/ once for both).
CC=clang CXX=clang++ cmake -S . -B "$build" -DCAM2MQTT_ENABLE_FUZZING=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="${SAN_CXXFLAGS:--O1 -gline-tables-only -DNDEBUG}" >/dev/null
cmake --build "$build" -j"$jobs" --target viewtron_fuzzer
built=$(date +%s)

# [libfuzzer] key = value lines of the .options file become -key=value flags (dict relative to
# tests/fuzz/).
flags=()
while IFS='=' read -r key value; do
  key=$(echo "$key" | tr -d ' ')
  value=$(echo "$value" | tr -d ' ')
  [[ -z "$key" || "$key" == \#* || "$key" == \[* ]] && continue
  [[ "$key" == dict ]] && value="tests/fuzz/$value"
  flags+=("-$key=$value")
done < tests/fuzz/viewtron_fuzzer.options

rm -rf "$out"
mkdir -p "$out/corpus"
log="$out/fuzz.log"
echo "fuzz-smoke: ${seconds}s of viewtron_fuzzer ${flags[*]}, seeds fixtures/xml, log $log"
set +e
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$build/tests/fuzz/viewtron_fuzzer" "${flags[@]}" -max_total_time="$seconds" \
  -print_final_stats=1 -artifact_prefix="$out/" "$out/corpus" fixtures/xml >"$log" 2>&1
rc=$?
set -e
end=$(date +%s)
grep -E '^(stat::|#[0-9]+ +DONE)' "$log" || true
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
echo "fuzz-smoke: rc=$rc executions=${execs:-?} exec/s=${speed:-?} corpus=$(ls "$out/corpus" | wc -l)" \
     "build=$((built - start))s fuzz=$((end - built))s total=$((end - start))s"
if [[ $rc -ne 0 ]]; then
  echo "fuzz-smoke: FAILED; last lines of $log:" >&2
  tail -60 "$log" >&2
  ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* 2>/dev/null >&2 || true
  exit 1
fi
