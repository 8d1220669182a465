#!/bin/sh
# Durability cost, measured: QoS 1 throughput with the broker up and recovery time after a broker
# outage, for raw Paho without/with its file persistence and for PahoPublisher without/with our
# disk spool, all in the same run against the same local mosquitto.
#
#   bench/persistence/run.sh [BUILD_DIR] [N] [SIZE] [RUNS]     (defaults: build-delivery 20000 1024 2)
#
# Builds persistence_bench.cpp against BUILD_DIR's libcam2mqtt_mqtt.a (build it first:
# cmake --build BUILD_DIR --target cam2mqtt_mqtt), starts mosquitto on a free loopback port,
# prints one line per measurement, then the ratios against the memory-only runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build-delivery}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
n=${2:-20000}
size=${3:-1024}
runs=${4:-2}
work=$(mktemp -d /tmp/cam2mqtt-persistence-bench.XXXXXX)
bin="$work/persistence_bench"

g++ -std=c++20 -O2 -DNDEBUG -I"$root/src" "$here/persistence_bench.cpp" \
  "$build/src/mqtt/libcam2mqtt_mqtt.a" "$build/src/model/libcam2mqtt_model.a" "$build/src/util/libcam2mqtt_util.a" \
  $(pkg-config --cflags --libs spdlog) -lpaho-mqttpp3 -lpaho-mqtt3as -pthread -o "$bin"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/start_broker.sh" <<EOS
#!/bin/sh
mosquitto -p $port > "$work/mosquitto.log" 2>&1 &
echo \$! > "$work/broker.pid"
i=0
while ! python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",$port),0.2)' 2>/dev/null; do
  i=\$((i+1)); [ \$i -lt 100 ] || exit 1; sleep 0.05
done
EOS
chmod +x "$work/start_broker.sh"
stop_broker() {
  if [ -f "$work/broker.pid" ]; then
    kill "$(cat "$work/broker.pid")" 2>/dev/null || true
    while kill -0 "$(cat "$work/broker.pid")" 2>/dev/null; do sleep 0.05; done
    rm -f "$work/broker.pid"
  fi
}
trap 'stop_broker; rm -rf "$work"' EXIT

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), N=$n SIZE=$size RUNS=$runs"
echo "# mode test N size value unit"
results="$work/results"
: > "$results"
r=1
while [ "$r" -le "$runs" ]; do
  for mode in paho-mem paho-file ours-mem ours-spool; do
    rm -rf "$work/paho" "$work/spool"
    "$work/start_broker.sh"
    "$bin" "$mode" "$port" "$n" "$size" throughput "$work" | tee -a "$results"
    stop_broker
    rm -rf "$work/paho" "$work/spool"
    "$bin" "$mode" "$port" "$n" "$size" recovery "$work" "$work/start_broker.sh" | tee -a "$results"
    stop_broker
  done
  r=$((r+1))
done

echo "# medians; ratio = with persistence / without (same client)"
awk '
  $1 ~ /^(paho|ours)-/ && ($2 == "throughput" || $2 == "recovery") { key=$1" "$2; v[key]=v[key]" "$5 }
  function median(s,   a, k, i, j, t) { k=split(s, a, " "); for (i=1;i<=k;i++) for (j=i+1;j<=k;j++) if (a[j]<a[i]) {t=a[i];a[i]=a[j];a[j]=t}
                                          return (k%2) ? a[(k+1)/2] : (a[k/2]+a[k/2+1])/2 }
  END {
    for (k in v) m[k]=median(v[k])
    printf "paho-file/paho-mem   throughput %.2f  recovery %.2f\n", m["paho-file throughput"]/m["paho-mem throughput"], m["paho-file recovery"]/m["paho-mem recovery"]
    printf "ours-spool/ours-mem  throughput %.2f  recovery %.2f\n", m["ours-spool throughput"]/m["ours-mem throughput"], m["ours-spool recovery"]/m["ours-mem recovery"]
    printf "ours-spool/paho-file throughput %.2f\n", m["ours-spool throughput"]/m["paho-file throughput"]
    for (k in m) printf "median %-22s %s\n", k, m[k] | "sort"
  }' "$results"
