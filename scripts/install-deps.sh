#!/usr/bin/env bash
# Installs the Debian 12 packages cam2mqtt builds, runs and tests with. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libevent-dev libxml2-dev zlib1g-dev libpaho-mqttpp-dev libpaho-mqtt-dev libspdlog-dev libyaml-cpp-dev
  nlohmann-json3-dev libsystemd-dev libjemalloc-dev catch2
  mosquitto mosquitto-clients curl python3 python3-jsonschema
  # outbound camera streams (Hikvision ISAPI, CVEDIA-RT SSE)
  libcurl4-openssl-dev
  # fuzzing and sanitizer builds, TLS test certificates
  clang libclang-rt-14-dev openssl
  # packaging checks, metrics parser, status-page browser test
  debhelper dpkg-dev lintian systemd python3-prometheus-client chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
