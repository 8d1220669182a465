#!/usr/bin/env bash
# Instructions per event of the whole daemon (every thread, user space), counted by callgrind:
# a figure that does not depend on how busy the machine is, for A/B comparisons of two builds
# while other work runs (bench/README.md). Starts a mosquitto and a QoS 1 subscriber on free
# loopback ports, runs BIN under `valgrind --tool=callgrind`, posts WARMUP bodies over one
# keep-alive connection, zeroes the counters, posts N more, waits for them to be published,
# and prints the instructions per event. Needs valgrind (apt-get install valgrind).
#
# Usage: bench/callgrind_daemon.sh BIN BODY_FILE [N=2000] [WARMUP=200]
#        (env: KEEP=dir keeps the callgrind output there for callgrind_annotate)
set -euo pipefail
BIN=${1:?usage: bench/callgrind_daemon.sh BIN BODY_FILE [N] [WARMUP]}
BODY=${2:?usage: bench/callgrind_daemon.sh BIN BODY_FILE [N] [WARMUP]}
N=${3:-2000}
WARMUP=${4:-200}
command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 2; }
TMP=$(mktemp -d /tmp/cam2mqtt-callgrind.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] || rm -rf "$TMP"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MQ=$(free_port); HP=$(free_port)
mosquitto -p "$MQ" >"$TMP/mosquitto.log" 2>&1 & PIDS+=("$!")
sleep 0.3
mosquitto_sub -p "$MQ" -t 'cam2mqtt/#' -q 1 >/dev/null & PIDS+=("$!")
cat >"$TMP/daemon.yaml" <<Y
http:
  listen: "127.0.0.1:$HP"
mqtt:
  url: "tcp://127.0.0.1:$MQ"
  qos: 1
  buffer:
    dir: "$TMP/buffer"
log:
  level: warn
Y
valgrind --tool=callgrind --callgrind-out-file="$TMP/callgrind.out" "$BIN" -c "$TMP/daemon.yaml" \
  >"$TMP/daemon.log" 2>&1 & DP=$!; PIDS+=("$DP")

# post COUNT: COUNT POSTs of BODY over one keep-alive connection; fails on anything but 200.
post() {
  python3 - "$HP" "$BODY" "$1" <<'EOF'
import http.client, sys, time
port, body, count = int(sys.argv[1]), open(sys.argv[2], "rb").read(), int(sys.argv[3])
deadline = time.time() + 60
while True:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.connect()
        break
    except OSError:
        if time.time() > deadline:
            raise
        time.sleep(0.5)
for _ in range(count):
    conn.request("POST", "/API", body, {"Content-Type": "application/xml"})
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"HTTP {r.status}")
EOF
}
# events_total from /metrics
published() {
  python3 -c "import urllib.request,sys; t=urllib.request.urlopen('http://127.0.0.1:$HP/metrics', timeout=30).read().decode(); \
print(int(sum(float(l.rsplit(' ',1)[1]) for l in t.splitlines() if l.startswith('cam2mqtt_events_total'))))"
}

post "$WARMUP"
sleep 2
callgrind_control -z "$DP" >/dev/null
post "$N"
sleep 3 # the publisher's worker and Paho's threads finish the last events
callgrind_control -d "$DP" >/dev/null
total=$(callgrind_annotate "$(ls "$TMP"/callgrind.out.* | tail -n 1)" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
echo "$(basename "$BODY"): $N events, $total instructions, $((total / N)) per event (events_total $(published))"
[ -z "${KEEP:-}" ] || echo "callgrind output kept in $TMP"
