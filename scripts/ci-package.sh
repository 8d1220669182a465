#!/usr/bin/env bash
# CI: the package round trip on this machine. Builds the .deb (scripts/build-deb.sh: lintian
# errors and systemd-analyze verify fail it), installs it with dpkg -i, checks files, conffile,
# user, state directory and the unit's security score, runs --check-config on the installed
# config as the service user, then removes and purges it and checks that nothing is left.
# Needs root (or sudo). Leaves the machine as it found it.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

fail() { echo "ci-package: FAIL: $*" >&2; exit 1; }
step() { echo "ci-package: $*"; }

if dpkg-query -W -f='${Status}' cam2mqtt 2>/dev/null | grep -q "installed"; then
    fail "cam2mqtt is already installed here; purge it first (dpkg -P cam2mqtt)"
fi
getent passwd cam2mqtt >/dev/null && fail "a cam2mqtt user exists already"

scripts/build-deb.sh
deb=$(ls -t out/cam2mqtt_*.deb | head -1)

cleanup() { $SUDO dpkg -P cam2mqtt >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "install $deb"
$SUDO dpkg -i "$deb"

step "files"
test -x /usr/bin/cam2mqtt || fail "/usr/bin/cam2mqtt missing"
test -f /lib/systemd/system/cam2mqtt.service || fail "unit missing"
test -f /etc/cam2mqtt/cam2mqtt.yaml || fail "config missing"
test -f /usr/share/doc/cam2mqtt/README.md || fail "README missing"
dpkg-query -W -f='${Conffiles}\n' cam2mqtt | grep -q '/etc/cam2mqtt/cam2mqtt.yaml' \
    || fail "/etc/cam2mqtt/cam2mqtt.yaml is not a conffile"
/usr/bin/cam2mqtt --version

step "user and state directory"
getent passwd cam2mqtt >/dev/null || fail "user cam2mqtt missing"
[ "$(getent passwd cam2mqtt | cut -d: -f6)" = /var/lib/cam2mqtt ] || fail "home is not /var/lib/cam2mqtt"
[ "$(id -u cam2mqtt)" -lt 1000 ] || fail "cam2mqtt is not a system user"
getent group cam2mqtt >/dev/null || fail "group cam2mqtt missing"
[ "$(stat -c %U /var/lib/cam2mqtt)" = cam2mqtt ] || fail "/var/lib/cam2mqtt not owned by cam2mqtt"
[ "$(stat -c %U /var/lib/cam2mqtt/buffer)" = cam2mqtt ] || fail "buffer dir not owned by cam2mqtt"
grep -q 'dir: /var/lib/cam2mqtt/buffer' /etc/cam2mqtt/cam2mqtt.yaml || fail "shipped buffer dir changed"

step "check-config"
/usr/bin/cam2mqtt --check-config -c /etc/cam2mqtt/cam2mqtt.yaml
$SUDO runuser -u cam2mqtt -- /usr/bin/cam2mqtt --check-config -c /etc/cam2mqtt/cam2mqtt.yaml \
    || fail "the service user cannot read the config"
$SUDO runuser -u cam2mqtt -- test -w /var/lib/cam2mqtt/buffer || fail "buffer dir not writable by cam2mqtt"

step "unit"
systemd-analyze verify /lib/systemd/system/cam2mqtt.service
score=$(systemd-analyze security --offline=yes /lib/systemd/system/cam2mqtt.service 2>&1 \
    | sed -n 's/.*Overall exposure level for cam2mqtt.service: \([0-9.]*\).*/\1/p')
step "systemd-analyze security: $score"
awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.0) }' || fail "security exposure $score > 2.0"

step "remove"
$SUDO dpkg -r cam2mqtt
test ! -e /usr/bin/cam2mqtt || fail "binary left after remove"
test ! -e /lib/systemd/system/cam2mqtt.service || fail "unit left after remove"
test -f /etc/cam2mqtt/cam2mqtt.yaml || fail "remove must keep the conffile"
getent passwd cam2mqtt >/dev/null || fail "remove must keep the user"

step "purge"
$SUDO dpkg -P cam2mqtt
test ! -e /etc/cam2mqtt || fail "/etc/cam2mqtt left after purge"
test ! -e /var/lib/cam2mqtt || fail "/var/lib/cam2mqtt left after purge"
getent passwd cam2mqtt >/dev/null && fail "user left after purge"
getent group cam2mqtt >/dev/null && fail "group left after purge"
trap - EXIT
step "ok"
