#!/bin/bash
# Grades an assignment on a Slurm cluster: a job array of SHARDS tasks (default 4), each
# grading a shard of the roster into its own gradebook, then a merge job that depends on the
# whole array (afterok) and writes $WORK/gradebook.sqlite.
#
#   TURNSTILE=/opt/turnstile/bin/turnstile ASSIGNMENT=producer-consumer ROSTER=/shared/roster.csv \
#   WORK=/shared/grading/pc DEADLINE=2026-12-01T23:59:00Z SHARDS=8 bash grading/slurm/submit.sh [--wait]
#
# WORK must be on a filesystem every node mounts (NFS, Lustre, …): the shard gradebooks, the
# per-shard caches (mirrors, build workspaces) and the merged gradebook live there. With an
# object store instead, copy $WORK/shard-*.sqlite (and shard-*.sqlite.pinned/) back to one
# place before the merge job. --wait blocks until the merge job ends and exits with its status.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${TURNSTILE:?set TURNSTILE to the turnstile executable}" "${ASSIGNMENT:?set ASSIGNMENT}" "${ROSTER:?set ROSTER}" "${WORK:?set WORK}"
shards="${SHARDS:-4}"
mkdir -p "$WORK"
export TURNSTILE ASSIGNMENT ROSTER WORK DEADLINE="${DEADLINE:-}" COURSE="${COURSE:-}" ALLOW_LATE="${ALLOW_LATE:-0}"
array=$(sbatch --parsable --chdir="$WORK" --export=ALL --array=0-$((shards - 1)) "$here/grade-array.sbatch")
echo "grading array: job $array ($shards shards)"
wait=()
[ "${1:-}" = --wait ] && wait=(--wait)
merge=$(sbatch --parsable "${wait[@]}" --chdir="$WORK" --export=ALL --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/merge.sbatch")
echo "merge: job $merge → $WORK/gradebook.sqlite"
