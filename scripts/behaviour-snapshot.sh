#!/usr/bin/env bash
# scripts/behaviour-snapshot.sh OUT_DIR — runs the user-facing commands (replay, eval, classify,
# plot, record replay, errors) on the fixtures and, when present, on ../shared/datasets, and
# writes each command's stdout, stderr and exit status into OUT_DIR (one file per command), so
# two revisions can be compared byte for byte:
#
#   scripts/behaviour-diff.sh [BASE_REV]     (runs this script at BASE_REV and at the work tree)
#
# Wall-clock fields (elapsed seconds, x real time) are the only thing that may differ between
# runs; they are blanked here so the rest must match exactly.
set -uo pipefail
# EDGESPIKE_ROOT: the checkout to run (default: the one holding this script).
root=${EDGESPIKE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
out=${1:?usage: scripts/behaviour-snapshot.sh OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
shared=${EDGESPIKE_SHARED:-$(cd "$(dirname "$0")/.." && pwd)/../shared/datasets}
bin="node $root/bin/edgespike.js"
plots=$(mktemp -d)
trap 'rm -rf "$plots"' EXIT

# Blank wall-clock values: "elapsedS":1.23 / "xRealTime":456 and their text forms.
blank() {
  sed -E \
    -e 's/"(processingSeconds|peakRssMb|elapsedS|elapsedMs|xRealTime)":[0-9.eE+-]+/"\1":_/g' \
    -e 's/"(processingSeconds|peakRssMb)": [0-9.eE+-]+/"\1": _/g' \
    -e 's/(peak memory|processing time|processed in) +[0-9.]+ *(MB|s|ms)/\1 _/g' \
    -e 's/[0-9.]+( ?)x real time/_\1x real time/g' \
    -e 's/in [0-9.]+ ?(s|ms)\b/in _\1/g'
}

n=0
snap() {
  local name=$1
  shift
  n=$((n + 1))
  local file
  file=$(printf '%s/%02d-%s' "$out" "$n" "$name")
  (cd "$root" && eval "$*") >"$file.out" 2>"$file.err" </dev/null
  echo "exit $?" >"$file.status"
  blank <"$file.out" >"$file.out.tmp" && mv "$file.out.tmp" "$file.out"
  blank <"$file.err" | sed -E 's#/tmp/tmp\.[A-Za-z0-9]+#TMP#g' >"$file.err.tmp" && mv "$file.err.tmp" "$file.err"
  printf '%-28s %s\n' "$name" "$(cat "$file.status")"
}

ecg=fixtures/synthetic-ecg/ecgsyn_360hz
snap replay-ecg-jsonl "$bin replay $ecg --speed max --format jsonl"
snap replay-ecg-text "$bin replay $ecg --speed max --format text"
snap replay-ecg-csv "$bin replay $ecg.csv --speed max --format jsonl --chunk 97"
snap replay-ad8232-rec "$bin replay fixtures/devices/ad8232-ecg.bin --speed max --format jsonl"
snap replay-cyton-rec "$bin replay fixtures/devices/cyton-ecg.bin --speed max --format jsonl"
snap replay-pcm16-rec "$bin replay fixtures/devices/pcm16-tone.bin --task digits --speed max --format jsonl"
snap eval-ecg "$bin eval $ecg --json"
snap eval-ecg-text "$bin eval $ecg"
snap replay-digits-jsonl "$bin replay fixtures/audio-digits/stream-3-1-4.wav --task digits --speed max --format jsonl"
snap replay-digits-text "$bin replay fixtures/audio-digits/stream-3-1-4.wav --task digits --speed max --format text"
snap replay-digits-folder "$bin replay fixtures/audio-digits --task digits --speed max --format jsonl"
snap replay-digits-folder-text "$bin replay fixtures/audio-digits --task digits --speed max --format text --gain-db -20"
snap replay-digits-cond "$bin replay fixtures/audio-digits/stream-3-1-4.wav --task digits --speed max --format jsonl --gain-db -30"
snap classify-fixtures "$bin classify fixtures/audio-digits --json"
snap classify-fixtures-text "$bin classify fixtures/audio-digits"
snap classify-v1 "$bin classify fixtures/audio-digits --model fixtures/models/digits-v1.json --format jsonl"
snap plot-ecg "$bin plot $ecg --from 20 --to 30 --out $plots/ecg.svg && cat $plots/ecg.svg"
snap plot-ecg-html "$bin plot $ecg --from 20 --to 30 --out $plots/ecg.html && cat $plots/ecg.html"
snap plot-digits "$bin plot fixtures/audio-digits/stream-3-1-4.wav --from 0 --to 3 --out $plots/d.svg && cat $plots/d.svg"
snap error-missing "$bin replay no/such/record --speed max"
snap error-option "$bin replay $ecg --speed fast"
snap error-classify "$bin classify fixtures/synthetic-ecg"

if [ -d "$shared/mitdb" ]; then
  snap eval-mitdb "$bin eval $shared/mitdb --json"
  snap eval-mitdb-gain "$bin eval $shared/mitdb/101 $shared/mitdb/203 --gain 0.1,10 --json"
  snap eval-mitdb-noise "$bin eval $shared/mitdb/106 $shared/mitdb/119 --noise bw,ma --snr 6 --json"
  snap replay-mitdb-203 "$bin replay $shared/mitdb/203 --speed max --format jsonl"
else
  echo "note: $shared/mitdb not found: the MIT-BIH commands were not run"
fi
if [ -d "$shared/fsdd" ]; then
  snap classify-fsdd "$bin classify $shared/fsdd --split test --json"
  snap classify-fsdd-noise "$bin classify $shared/fsdd --split test --noise $shared/noise/white_noise.wav --snr 10 --json"
else
  echo "note: $shared/fsdd not found: the FSDD commands were not run"
fi
