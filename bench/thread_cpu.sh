#!/usr/bin/env bash
# Where the CPU goes, per thread: runs a mosquitto, a QoS 1 subscriber and the daemon on free
# loopback ports, drives wrk at the daemon for DURATION seconds with BODY (default: the small
# benchmark body), and prints the CPU seconds each daemon thread (loop, publisher worker, Paho's
# send and receive threads), mosquitto and the subscriber used meanwhile, plus CPU per request.
# A per-event cost that stays comparable on a busy machine, unlike req/s.
#
# Usage: bench/thread_cpu.sh BIN [BODY_FILE]   (env: DURATION=8, CONNECTIONS=16, LEVEL=warn)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:?usage: bench/thread_cpu.sh BIN [BODY_FILE]}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-16}
LEVEL=${LEVEL:-warn}
TMP=$(mktemp -d /tmp/cam2mqtt-threads.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
if [ -n "${2:-}" ]; then BODY=$2; else python3 "$HERE/make_bodies.py" "$TMP/bodies" >/dev/null; BODY=$TMP/bodies/small.xml; fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MQ=$(free_port); HP=$(free_port)
mosquitto -p "$MQ" >"$TMP/mosquitto.log" 2>&1 & MQP=$!; PIDS+=("$MQP")
sleep 0.3
cat >"$TMP/daemon.yaml" <<Y
http:
  listen: "127.0.0.1:$HP"
mqtt:
  url: "tcp://127.0.0.1:$MQ"
  qos: 1
  buffer:
    dir: "$TMP/buffer"
log:
  level: $LEVEL
Y
mosquitto_sub -p "$MQ" -t 'cam2mqtt/#' -q 1 >/dev/null & SUBP=$!; PIDS+=("$SUBP")
"$BIN" -c "$TMP/daemon.yaml" >"$TMP/daemon.log" 2>&1 & DP=$!; PIDS+=("$DP")
sleep 1.5
ticks() { awk '{print $14 + $15}' "$1"; }
snapshot() { for t in /proc/"$DP"/task/*; do echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(ticks "$t/stat")"; done | sort; }
snapshot >"$TMP/before"
S0=$(ticks /proc/$SUBP/stat); M0=$(ticks /proc/$MQP/stat)
BODY=$BODY wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s "$HERE/post.lua" "http://127.0.0.1:$HP/API" >"$TMP/wrk.txt"
snapshot >"$TMP/after"
S1=$(ticks /proc/$SUBP/stat); M1=$(ticks /proc/$MQP/stat)
hz=$(getconf CLK_TCK)
requests=$(sed -n 's/^BENCH requests=\([0-9]*\).*/\1/p' "$TMP/wrk.txt")
echo "requests: $requests in ${DURATION}s ($(grep 'Requests/sec' "$TMP/wrk.txt" | awk '{print $2}') req/s); load $(cut -d' ' -f1-3 /proc/loadavg)"
join "$TMP/before" "$TMP/after" | awk -v hz="$hz" -v n="$requests" \
  '{ s = ($5 - $3) / hz; total += s; printf "  thread %-7s %-16s %6.2f s  %6.1f us/request\n", $1, $2, s, 1e6 * s / n }
   END { printf "  daemon total              %6.2f s  %6.1f us/request\n", total, 1e6 * total / n }'
awk -v a="$M0" -v b="$M1" -v c="$S0" -v d="$S1" -v hz="$hz" -v n="$requests" 'BEGIN {
  printf "  mosquitto                 %6.2f s  %6.1f us/request\n", (b - a) / hz, 1e6 * (b - a) / hz / n
  printf "  subscriber                %6.2f s  %6.1f us/request\n", (d - c) / hz, 1e6 * (d - c) / hz / n }'
