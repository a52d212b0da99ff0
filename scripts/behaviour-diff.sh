#!/usr/bin/env bash
# scripts/behaviour-diff.sh [BASE_REV] — shows that a change keeps the user-facing behaviour:
# runs scripts/behaviour-snapshot.sh at BASE_REV (default: HEAD, in a temporary git worktree
# sharing this checkout's node_modules) and in the work tree as it is, then compares the two
# snapshots byte for byte. Exit 0 and "identical" when every command gave the same stdout,
# stderr and exit status; otherwise the differing files and a diff of the first lines.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-HEAD}
cd "$root"
rev=$(git rev-parse --verify "$base^{commit}") || { echo "behaviour-diff: unknown revision $base"; exit 2; }
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1; rm -rf "$work"' EXIT
git worktree add --detach "$work/base" "$rev" >/dev/null 2>&1 || { echo "behaviour-diff: git worktree add failed"; exit 2; }
ln -s "$root/node_modules" "$work/base/node_modules"
export EDGESPIKE_SHARED=${EDGESPIKE_SHARED:-$root/../shared/datasets}
echo "== base ${rev:0:12}"
# The work tree's snapshot script runs both, so the command list is the same on both sides.
EDGESPIKE_ROOT="$work/base" bash scripts/behaviour-snapshot.sh "$work/out-base" | sed 's/^/  /'
echo "== work tree"
bash scripts/behaviour-snapshot.sh "$work/out-work" | sed 's/^/  /'
if diff -rq "$work/out-base" "$work/out-work" >/dev/null; then
  echo "identical: $(ls "$work/out-work" | grep -c '\.status$') commands, same stdout, stderr and exit status"
  exit 0
fi
echo "DIFFERENT:"
diff -rq "$work/out-base" "$work/out-work" | sed "s#$work/##g"
for f in $(diff -rq "$work/out-base" "$work/out-work" | awk '/^Files/ {print $2}'); do
  echo "--- ${f#"$work"/}"
  diff "$f" "${f/out-base/out-work}" | head -n 8
done
exit 1
