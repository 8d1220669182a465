#!/usr/bin/env bash
# Builds the cam2mqtt .deb from the CMake install() rules (packaging/debian, dh --buildsystem=cmake).
#
# dpkg-buildpackage wants debian/ at the source root, and the repository keeps it in
# packaging/debian, so this copies the source tree (without build directories and .git) to a
# temporary directory, puts packaging/debian there as debian/, and builds a binary package.
# Results in out/ (override with CAM2MQTT_DEB_OUT): the .deb, the build log and lintian.txt.
# Fails when lintian reports an error or `systemd-analyze verify` rejects the packaged unit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${CAM2MQTT_DEB_OUT:-$root/out}
mkdir -p "$out"

# The package version (debian/changelog) must be the project version (CMakeLists.txt).
deb_version=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
cmake_version=$(sed -n 's/^project(cam2mqtt VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
if [ "$deb_version" != "$cmake_version" ]; then
    echo "build-deb: packaging/debian/changelog says $deb_version, CMakeLists.txt says $cmake_version" >&2
    exit 1
fi

work=$(mktemp -d /tmp/cam2mqtt-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
src="$work/cam2mqtt-$deb_version"
mkdir -p "$src"
tar -C "$root" --exclude='./build*' --exclude=./.git --exclude=./out --exclude=./debian \
    --exclude='./.cache' -cf - . | tar -C "$src" -xf -
cp -r packaging/debian "$src/debian"

echo "build-deb: building cam2mqtt $deb_version in $src"
(cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" \
    dpkg-buildpackage -us -uc -b) >"$out/build-deb.log" 2>&1 || {
    tail -50 "$out/build-deb.log" >&2
    echo "build-deb: dpkg-buildpackage failed, full log: $out/build-deb.log" >&2
    exit 1
}
arch=$(dpkg --print-architecture)
deb="cam2mqtt_${deb_version}_${arch}.deb"
cp "$work/$deb" "$out/"
echo "build-deb: $out/$deb"

# lintian: errors fail the build; warnings and info are listed for the record.
lintian --display-info "$out/$deb" >"$out/lintian.txt" 2>&1 || true
cat "$out/lintian.txt"
if grep -q '^E:' "$out/lintian.txt"; then
    echo "build-deb: lintian reports errors" >&2
    exit 1
fi
echo "build-deb: lintian: $(grep -c '^E:' "$out/lintian.txt" || true) errors, $(grep -c '^W:' "$out/lintian.txt" || true) warnings"

# The unit as packaged must pass systemd-analyze verify (ExecStart pointed at the packaged binary).
dpkg-deb -x "$out/$deb" "$work/root"
sed "s#^ExecStart=/usr/bin/cam2mqtt#ExecStart=$work/root/usr/bin/cam2mqtt#" \
    "$work/root/lib/systemd/system/cam2mqtt.service" >"$work/cam2mqtt.service"
systemd-analyze verify "$work/cam2mqtt.service"
echo "build-deb: systemd-analyze verify: ok"
