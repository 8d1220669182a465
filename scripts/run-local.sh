#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running daemon: installs dependencies,
# builds, starts a mosquitto on 127.0.0.1:1883 when nothing listens there, and runs cam2mqtt
# in the foreground with the shipped config (cameras post to port 5050). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh

config=${CAM2MQTT_CONFIG:-config/cam2mqtt.yaml}
state_dir=${CAM2MQTT_STATE_DIR:-/var/lib/cam2mqtt}
mkdir -p "$state_dir/buffer" 2>/dev/null || true

broker_pid=""
cleanup() { [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true; }
trap cleanup EXIT

if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  echo "run-local: no broker on 127.0.0.1:1883, starting mosquitto"
  mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
  "$mosquitto_bin" -p 1883 >/tmp/cam2mqtt-mosquitto.log 2>&1 &
  broker_pid=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 0.1; done
fi

echo "run-local: watch events with: mosquitto_sub -v -t 'cam2mqtt/#'"
build/cam2mqtt -c "$config" &
daemon_pid=$!
trap 'kill -TERM $daemon_pid 2>/dev/null; wait $daemon_pid; cleanup' INT TERM
wait $daemon_pid
