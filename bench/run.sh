#!/usr/bin/env bash
# End-to-end ingest benchmark: cam2mqtt beside the reference evhttp server
# (../shared/bench/limit_server.c), on the same bodies, in the same run.
#
# For each body (small event without images, event with ~150 KB overview + ~15 KB crop):
#   1. limit_server: wrk POSTs the body for DURATION  -> reference req/s
#   2. cam2mqtt (fresh process per log level, LOG_LEVELS="warn info"): the same wrk run,
#      while a QoS 1 subscriber on cam2mqtt/+/intrusion counts the events that arrive;
#      after wrk ends we wait until that count stops rising (bounded) -> daemon req/s,
#      acknowledged POSTs, messages received, lost = acknowledged - received.
# Then memory: a fresh daemon's VmRSS when idle, and while HOLD_CONNECTIONS keep-alive
# connections (one POST each) are open.
#
# Only loopback traffic; every wait is bounded. Prints a summary table with PASS/FAIL per
# target. Exit status: 0 when the measurement ran (whatever the numbers), 1 when the daemon
# broke (died, refused its config, did not stop) or the subscriber missed acknowledged
# events, 2 when the benchmark could not be set up (missing tool, build failure).
#
# Knobs (environment): DURATION (10s), CONNECTIONS (16), THREADS (1), LOG_LEVELS
# ("warn info"), BODIES ("small image"), HOLD_CONNECTIONS (1000; 0 skips the memory run), HOLD_SECONDS (10), SETTLE_TIMEOUT (30),
# CAM2MQTT_BIN (skip the build and use this binary), BUILD_JOBS (nproc), SHARED_BENCH
# (<repo>/../shared/bench), KEEP_TMP=1 (keep the temp dir with logs and configs), PROFILE=1
# (record every wrk run with `perf record -a -e cpu-clock` and print where the machine's CPU
# went, by process, with the rate the daemon could at most reach: bench/cpu_shares.py).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
LOG_LEVELS=${LOG_LEVELS:-warn info}
BODIES=${BODIES:-small image}
HOLD_CONNECTIONS=${HOLD_CONNECTIONS:-1000}
HOLD_SECONDS=${HOLD_SECONDS:-10}
SETTLE_TIMEOUT=${SETTLE_TIMEOUT:-30}
BUILD_JOBS=${BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}
KEEP_TMP=${KEEP_TMP:-0}
PROFILE=${PROFILE:-0}

# Targets from the issue.
TARGET_SMALL_PCT=40
TARGET_IMAGE_PCT=60
TARGET_RSS_IDLE_MIB=30
TARGET_RSS_CONN_MIB=60

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
setup_fail() { log "SETUP FAILED: $*"; exit 2; }

BROKEN=0         # set when the daemon misbehaves -> exit 1
PROBLEMS=()      # human-readable lines for the summary
problem() { BROKEN=1; PROBLEMS+=("$*"); log "PROBLEM: $*"; }

# ---------------------------------------------------------------- tools
ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  log "wrk not found; installing it with apt-get"
  command -v apt-get >/dev/null 2>&1 ||
    setup_fail "wrk is missing and apt-get is not available: install wrk (Debian package 'wrk') by hand"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2; then
    $sudo apt-get update >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2 ||
      setup_fail "apt-get install -y wrk failed"
  fi
  command -v wrk >/dev/null 2>&1 || setup_fail "wrk still not found after apt-get install"
}

ensure_wrk
for tool in gcc python3 mosquitto_sub mosquitto_pub timeout; do
  command -v "$tool" >/dev/null 2>&1 || setup_fail "$tool not found (apt-get install gcc python3 mosquitto-clients coreutils)"
done
if [ "$PROFILE" = 1 ]; then
  command -v perf >/dev/null 2>&1 || setup_fail "PROFILE=1 needs perf (apt-get install linux-perf)"
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$MOSQUITTO" ] || setup_fail "mosquitto not found (apt-get install mosquitto)"
[ -f "$SHARED_BENCH/limit_server.c" ] || setup_fail "no limit_server.c in $SHARED_BENCH (set SHARED_BENCH)"

duration_s=${DURATION%s}
case "$duration_s" in ''|*[!0-9]*) setup_fail "DURATION must be whole seconds, like 10 or 10s (got '$DURATION')";; esac

# ---------------------------------------------------------------- temp dir, cleanup
TMP=$(mktemp -d /tmp/cam2mqtt-bench.XXXXXX) || setup_fail "mktemp failed"
BG_PIDS=()
cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 20); do
    local alive=0
    for pid in "${BG_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${BG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  if [ "$KEEP_TMP" = 1 ] || [ "$BROKEN" -ne 0 ]; then
    log "logs and configs kept in $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Room for HOLD_CONNECTIONS sockets in the daemon (inherits this limit) and in the client.
need_fds=$((HOLD_CONNECTIONS + 256))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need_fds" ]; then
  hard=$(ulimit -Hn)
  if [ "$hard" = unlimited ] || [ "$hard" -ge "$need_fds" ]; then
    ulimit -n "$need_fds"
  else
    ulimit -n "$hard"
    log "warning: open-file hard limit is $hard, below the $need_fds needed for $HOLD_CONNECTIONS connections"
  fi
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_port PORT PID SECONDS: wait until PORT accepts, failing early when PID exits.
wait_port() {
  local deadline=$((SECONDS + $3))
  while [ "$SECONDS" -lt "$deadline" ]; do
    port_open "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ---------------------------------------------------------------- build
log "temp dir $TMP; load average $(loadavg); $(nproc) cores"
LOAD_START=$(loadavg)
gcc -O2 -o "$TMP/limit_server" "$SHARED_BENCH/limit_server.c" -levent ||
  setup_fail "gcc could not build limit_server (apt-get install libevent-dev)"

if [ -n "${CAM2MQTT_BIN:-}" ]; then
  BIN=$CAM2MQTT_BIN
else
  log "building cam2mqtt (Release) in $ROOT/build-bench"
  cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release -DCAM2MQTT_BUILD_TESTS=OFF >"$TMP/cmake.log" 2>&1 &&
    cmake --build "$ROOT/build-bench" --target cam2mqtt -j"$BUILD_JOBS" >>"$TMP/cmake.log" 2>&1 || {
      tail -n 30 "$TMP/cmake.log" >&2
      setup_fail "building cam2mqtt failed (log above; set CAM2MQTT_BIN to use a prebuilt binary)"
    }
  BIN=$ROOT/build-bench/cam2mqtt
fi
[ -x "$BIN" ] || setup_fail "daemon binary $BIN not found or not executable"
log "daemon: $BIN ($("$BIN" --version 2>/dev/null | head -n 1))"

python3 "$HERE/make_bodies.py" "$TMP/bodies" >&2 || setup_fail "make_bodies.py failed"

# ---------------------------------------------------------------- broker
MQ_PORT=$(free_port)
cat >"$TMP/mosquitto.conf" <<EOF
# Test broker for the benchmark: loopback only, nothing persisted.
listener $MQ_PORT 127.0.0.1
allow_anonymous true
persistence false
# mosquitto 2.0: 0 = no limit on QoS 1/2 messages in flight to one client, so the
# subscriber gets messages as fast as it acks them.
max_inflight_messages 0
# Messages queued per client beyond those in flight (default 1000: a slow subscriber would
# silently lose the rest). Large enough for every event a run can produce.
max_queued_messages 10000000
max_queued_bytes 0
# stderr, redirected to mosquitto.out (mosquitto drops root to its own user and could
# not write into the private temp dir)
log_dest stderr
log_type error
log_type warning
EOF
"$MOSQUITTO" -c "$TMP/mosquitto.conf" >"$TMP/mosquitto.out" 2>&1 &
MQ_PID=$!
BG_PIDS+=("$MQ_PID")
wait_port "$MQ_PORT" "$MQ_PID" 10 || { cat "$TMP/mosquitto.out" >&2; setup_fail "mosquitto did not start"; }
log "mosquitto on 127.0.0.1:$MQ_PORT"

# ---------------------------------------------------------------- subscriber
SUB_PID=""
COUNTER_PID=""
SUB_STATUS=""
# start_subscriber NAME: QoS 1 subscriber on cam2mqtt/+/intrusion feeding count_messages.py.
start_subscriber() {
  SUB_STATUS="$TMP/sub-$1.status"
  local fifo="$TMP/sub-$1.fifo"
  rm -f "$fifo" # a level listed twice in LOG_LEVELS runs twice
  mkfifo "$fifo"
  python3 "$HERE/count_messages.py" --status "$SUB_STATUS" <"$fifo" &
  COUNTER_PID=$!
  BG_PIDS+=("$COUNTER_PID")
  mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -i "bench-sub-$1-$$" \
    -t 'cam2mqtt/+/intrusion' -t bench/probe -F '%t %p' >"$fifo" 2>"$TMP/sub-$1.err" &
  SUB_PID=$!
  BG_PIDS+=("$SUB_PID")
  # Ready when a probe published after subscribing has come back.
  local deadline=$((SECONDS + 15))
  while [ "$SECONDS" -lt "$deadline" ]; do
    mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t bench/probe -m probe 2>/dev/null
    sleep 0.2
    [ "$(sub_field probes)" -gt 0 ] 2>/dev/null && return 0
  done
  setup_fail "subscriber did not come up (see $TMP/sub-$1.err)"
}
sub_field() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" "$SUB_STATUS" 2>/dev/null | head -n 1; }
stop_subscriber() {
  kill -TERM "$SUB_PID" 2>/dev/null
  local deadline=$((SECONDS + 10))
  while kill -0 "$COUNTER_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  kill -TERM "$COUNTER_PID" 2>/dev/null
  wait "$SUB_PID" "$COUNTER_PID" 2>/dev/null
}

# ---------------------------------------------------------------- daemon
DAEMON_PID=""
DAEMON_PORT=""
DAEMON_LOG=""
# start_daemon NAME LEVEL: fresh config, buffer dir and process; waits for HTTP and MQTT.
start_daemon() {
  local name=$1 level=$2
  DAEMON_PORT=$(free_port)
  DAEMON_LOG="$TMP/daemon-$name.log"
  mkdir -p "$TMP/buffer-$name"
  cat >"$TMP/daemon-$name.yaml" <<EOF
# Generated by bench/run.sh
http:
  listen: "127.0.0.1:$DAEMON_PORT"
mqtt:
  url: "tcp://127.0.0.1:$MQ_PORT"
  client_id: "cam2mqtt-bench-$name-$$"
  topic_prefix: cam2mqtt
  qos: 1
  buffer:
    dir: "$TMP/buffer-$name"
images:
  mode: split
log:
  level: $level
EOF
  if ! "$BIN" --check-config -c "$TMP/daemon-$name.yaml" >"$TMP/check-$name.out" 2>&1; then
    problem "daemon rejected the generated config $TMP/daemon-$name.yaml: $(head -n 5 "$TMP/check-$name.out" | tr '\n' ' ')"
    exit 1
  fi
  # A retained "online" from an earlier instance must not count as this one being ready.
  mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -r -n -t cam2mqtt/bridge/state 2>/dev/null
  # Log to the file (not the journal) and at the configured level only.
  env -u JOURNAL_STREAM -u INVOCATION_ID -u SPDLOG_LEVEL -u NOTIFY_SOCKET \
    "$BIN" -c "$TMP/daemon-$name.yaml" >"$DAEMON_LOG" 2>&1 &
  DAEMON_PID=$!
  BG_PIDS+=("$DAEMON_PID")
  if ! wait_port "$DAEMON_PORT" "$DAEMON_PID" 20; then
    problem "daemon ($name) did not listen on 127.0.0.1:$DAEMON_PORT within 20 s; log tail: $(tail -n 10 "$DAEMON_LOG" | tr '\n' '|')"
    exit 1
  fi
  local deadline=$((SECONDS + 20)) state=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    state=$(mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -t cam2mqtt/bridge/state -C 1 -W 1 2>/dev/null)
    [ "$state" = online ] && return 0
    kill -0 "$DAEMON_PID" 2>/dev/null || break
  done
  problem "daemon ($name) did not publish cam2mqtt/bridge/state=online within 20 s (got '$state'); log tail: $(tail -n 10 "$DAEMON_LOG" | tr '\n' '|')"
  exit 1
}

# stop_daemon NAME: SIGTERM, bounded wait; a crash or a hang is a problem.
stop_daemon() {
  local name=$1 rc
  if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
    wait "$DAEMON_PID"; rc=$?
    problem "daemon ($name) died during the run (exit status $rc); log tail: $(tail -n 15 "$DAEMON_LOG" | tr '\n' '|')"
    return
  fi
  kill -TERM "$DAEMON_PID"
  local deadline=$((SECONDS + 15))
  while kill -0 "$DAEMON_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  if kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -KILL "$DAEMON_PID"
    problem "daemon ($name) did not stop within 15 s of SIGTERM (killed)"
  fi
  wait "$DAEMON_PID"; rc=$?
  [ "$rc" -eq 0 ] || problem "daemon ($name) exited with status $rc after SIGTERM; log tail: $(tail -n 10 "$DAEMON_LOG" | tr '\n' '|')"
}

# Sum of a Prometheus metric family from GET /metrics ("n/a" when unavailable).
metric_sum() {
  python3 - "$DAEMON_PORT" "$1" <<'EOF' 2>/dev/null || echo n/a
import sys, urllib.request
port, family = sys.argv[1], sys.argv[2]
text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=3).read().decode()
vals = [float(l.rsplit(" ", 1)[1]) for l in text.splitlines()
        if l.startswith(family) and not l.startswith("#")
        and (l[len(family)] in " {")]
print(int(sum(vals)) if vals else "n/a")
EOF
}

# ---------------------------------------------------------------- wrk
# run_wrk NAME PORT BODYFILE: sets W_REQ, W_OK, W_NON2XX, W_SOCKERR, W_RPS.
run_wrk() {
  local name=$1 port=$2 body=$3 out="$TMP/wrk-$1.txt" profile=()
  [ "$PROFILE" = 1 ] && profile=(perf record -q -a -e cpu-clock -F 999 -o "$TMP/perf-$1.data" --)
  "${profile[@]}" env BODY="$body" timeout $((duration_s + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${duration_s}s" \
    --timeout 5s -s "$HERE/post.lua" "http://127.0.0.1:$port/API" >"$out" 2>&1
  local line
  line=$(grep '^BENCH ' "$out" | tail -n 1)
  if [ -z "$line" ]; then
    cat "$out" >&2
    problem "wrk ($name) produced no result"
    W_REQ=0 W_OK=0 W_NON2XX=0 W_SOCKERR=0 W_RPS=0
    return
  fi
  field() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" <<<"$line"; }
  W_REQ=$(field requests)
  W_NON2XX=$(field status_errors)
  W_SOCKERR=$(( $(field connect) + $(field read) + $(field write) + $(field timeout) ))
  W_OK=$((W_REQ - W_NON2XX))
  W_RPS=$(awk -v n="$W_OK" -v us="$(field duration_us)" 'BEGIN { printf "%.0f", (us > 0) ? (n / (us / 1e6)) : 0 }')
  W_P99=$(field p99_us)
  if [ "$PROFILE" = 1 ]; then
    python3 "$HERE/cpu_shares.py" "$TMP/perf-$1.data" --rate "$W_RPS" ${ref_rps:+--reference "$ref_rps"} >&2 ||
      log "  (no CPU profile for $1)"
  fi
}

# wait_settle ACKED: wait until the subscriber count stops rising (bounded).
wait_settle() {
  local acked=$1 last=-1 stable_since=$SECONDS now count
  local deadline=$((SECONDS + SETTLE_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    count=$(sub_field unique); count=${count:-0}
    now=$SECONDS
    if [ "$count" != "$last" ]; then
      last=$count; stable_since=$now
    elif [ "$count" -ge "$acked" ] && [ $((now - stable_since)) -ge 2 ]; then
      return 0
    elif [ $((now - stable_since)) -ge 8 ]; then
      return 0   # nothing new for 8 s: whatever is missing is not coming
    fi
    sleep 0.5
  done
}

RESULTS="$TMP/results.tsv"
: >"$RESULTS"

# ---------------------------------------------------------------- throughput runs
for body in $BODIES; do
  body_file="$TMP/bodies/$body.xml"
  body_bytes=$(stat -c %s "$body_file")

  ref_port=$(free_port)
  "$TMP/limit_server" "$ref_port" >"$TMP/limit-$body.log" 2>&1 &
  ref_pid=$!
  BG_PIDS+=("$ref_pid")
  wait_port "$ref_port" "$ref_pid" 10 || setup_fail "limit_server did not start"
  log "$body ($body_bytes B): limit_server, wrk -t$THREADS -c$CONNECTIONS -d${duration_s}s"
  ref_rps=""
  run_wrk "ref-$body" "$ref_port" "$body_file"
  ref_rps=$W_RPS
  log "  reference: $W_OK acknowledged, $ref_rps req/s, non-2xx $W_NON2XX, socket errors $W_SOCKERR"
  kill -TERM "$ref_pid"; wait "$ref_pid" 2>/dev/null

  for level in $LOG_LEVELS; do
    name="$body-$level"
    start_subscriber "$name"
    start_daemon "$name" "$level"
    log "$body ($body_bytes B): cam2mqtt log.level=$level, same wrk run"
    run_wrk "$name" "$DAEMON_PORT" "$body_file"
    acked=$W_OK
    wait_settle "$acked"
    received=$(sub_field unique); received=${received:-0}
    lines=$(sub_field lines); lines=${lines:-0}
    events_metric=$(metric_sum cam2mqtt_events_total)
    hwm=$(hwm_kb "$DAEMON_PID")
    rss_after=$(rss_kb "$DAEMON_PID")
    log_lines=$(wc -l <"$DAEMON_LOG")
    stop_daemon "$name"
    stop_subscriber
    # The final count, after the subscriber drained.
    received=$(sub_field unique); received=${received:-0}
    lines=$(sub_field lines); lines=${lines:-0}
    lost=$((acked > received ? acked - received : 0))
    extra=$((received > acked ? received - acked : 0))
    ratio=$(awk -v d="$W_RPS" -v r="$ref_rps" 'BEGIN { printf "%.1f", (r > 0) ? (100 * d / r) : 0 }')
    log "  daemon: $acked acknowledged ($W_RPS req/s, $ratio % of reference), non-2xx $W_NON2XX," \
        "socket errors $W_SOCKERR, received $received (lines $lines), lost $lost, extra $extra," \
        "daemon events_total $events_metric, peak RSS $(mib "$hwm") MiB, $log_lines log lines"
    if [ "$lost" -gt 0 ]; then
      problem "$name: $lost of $acked acknowledged events never reached the subscriber (daemon events_total=$events_metric); daemon log tail: $(tail -n 5 "$DAEMON_LOG" | tr '\n' '|')"
    fi
    [ "$W_NON2XX" -eq 0 ] || problem "$name: $W_NON2XX non-2xx replies (wrk output in $TMP/wrk-$name.txt)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
      "$body" "$level" "$body_bytes" "$ref_rps" "$W_RPS" "$ratio" "$acked" "$W_NON2XX" \
      "$W_SOCKERR" "$received" "$lost" "$extra" "$events_metric" "$hwm" "$rss_after" "$W_P99" >>"$RESULTS"
  done
done

# ---------------------------------------------------------------- memory
RSS_IDLE=0 RSS_CONN=0 RSS_AFTER_CLOSE=0 HOLD_STATUS="skipped (HOLD_CONNECTIONS=0)"
if [ "$HOLD_CONNECTIONS" -gt 0 ]; then
  log "memory: fresh daemon (log.level=info), idle, then $HOLD_CONNECTIONS keep-alive connections"
  start_subscriber memory
  start_daemon memory info
  sleep 3
  RSS_IDLE=$(rss_kb "$DAEMON_PID")
  ready="$TMP/hold.ready"
  release="$TMP/hold.release"
  python3 "$HERE/hold_connections.py" 127.0.0.1 "$DAEMON_PORT" "$TMP/bodies/small.xml" \
    -n "$HOLD_CONNECTIONS" --hold "$HOLD_SECONDS" --timeout 60 \
    --ready-file "$ready" --release-file "$release" >"$TMP/hold.out" 2>&1 &
  hold_pid=$!
  BG_PIDS+=("$hold_pid")
  deadline=$((SECONDS + 70))
  while [ ! -f "$ready" ] && kill -0 "$hold_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  HOLD_STATUS=$(cat "$ready" 2>/dev/null || echo "no READY line: $(tail -n 3 "$TMP/hold.out" | tr '\n' ' ')")
  sleep 1
  RSS_CONN=0
  for _ in 1 2 3 4 5; do   # the highest of a few samples while the connections are open
    r=$(rss_kb "$DAEMON_PID"); [ "${r:-0}" -gt "$RSS_CONN" ] && RSS_CONN=$r
    sleep 0.5
  done
  OPEN_FDS=$(ls "/proc/$DAEMON_PID/fd" 2>/dev/null | wc -l)
  touch "$release"
  wait "$hold_pid"; hold_rc=$?
  sleep 2
  RSS_AFTER_CLOSE=$(rss_kb "$DAEMON_PID")
  stop_daemon memory
  stop_subscriber
  HOLD_RECEIVED=$(sub_field unique)
  log "  idle $(mib "$RSS_IDLE") MiB; with connections $(mib "$RSS_CONN") MiB ($HOLD_STATUS; daemon fds $OPEN_FDS);" \
      "after closing $(mib "$RSS_AFTER_CLOSE") MiB; events received from the held connections: $HOLD_RECEIVED"
  [ "$hold_rc" -eq 0 ] || problem "memory: not every held connection got a 2xx reply ($HOLD_STATUS)"
fi

# ---------------------------------------------------------------- summary
LOAD_END=$(loadavg)
pf() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = (dir == "ge") ? (v >= t) : (v < t); print ok ? "PASS" : "FAIL" }'; }

echo
echo "cam2mqtt benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $LOAD_START at start, $LOAD_END at end"
echo "wrk -t$THREADS -c$CONNECTIONS -d${duration_s}s -s bench/post.lua (same for both servers); daemon $BIN"
if awk -v a="${LOAD_START%% *}" -v b="${LOAD_END%% *}" 'BEGIN { exit !(a > 1.0 || b > 3.0) }'; then
  echo "NOTE: the machine was busy (1-min load average above 1 at start or above 3 at end; the"
  echo "      benchmark itself adds about 2): rates and ratios are noisy, re-run when it is idle."
fi
echo
printf '%-6s %-5s %9s %10s %10s %7s %9s %7s %9s %9s %6s %6s %9s %-6s %-6s\n' \
  body log body_B ref_req/s cam_req/s ratio% acked non2xx received lost extra sockerr peakRSS rate lossless
while IFS=$'\t' read -r body level bytes ref rps ratio acked non2xx sockerr received lost extra events hwm rss_after p99; do
  target=$TARGET_SMALL_PCT; [ "$body" = image ] && target=$TARGET_IMAGE_PCT
  rate=$(pf "$ratio" "$target" ge)
  lossless=PASS; [ "$lost" -gt 0 ] && lossless=FAIL
  printf '%-6s %-5s %9s %10s %10s %7s %9s %7s %9s %9s %6s %6s %8sM %-6s %-6s\n' \
    "$body" "$level" "$bytes" "$ref" "$rps" "$ratio" "$acked" "$non2xx" "$received" "$lost" "$extra" \
    "$sockerr" "$(mib "$hwm")" "$rate" "$lossless"
done <"$RESULTS"
echo
echo "targets: rate >= $TARGET_SMALL_PCT % of reference (small), >= $TARGET_IMAGE_PCT % (image); lost = 0"
printf 'RSS idle (fresh daemon, 3 s after start):         %6s MiB  target < %s MiB  %s\n' \
  "$(mib "$RSS_IDLE")" "$TARGET_RSS_IDLE_MIB" "$(pf "$(mib "$RSS_IDLE")" "$TARGET_RSS_IDLE_MIB" lt)"
printf 'RSS with %4s keep-alive connections open:         %6s MiB  target < %s MiB  %s   (%s)\n' \
  "$HOLD_CONNECTIONS" "$(mib "$RSS_CONN")" "$TARGET_RSS_CONN_MIB" \
  "$(pf "$(mib "$RSS_CONN")" "$TARGET_RSS_CONN_MIB" lt)" "$HOLD_STATUS"
printf 'RSS after closing them:                            %6s MiB\n' "$(mib "$RSS_AFTER_CLOSE")"
if [ "${#PROBLEMS[@]}" -gt 0 ]; then
  echo
  echo "PROBLEMS:"
  printf '  - %s\n' "${PROBLEMS[@]}"
fi
exit "$BROKEN"
