#!/usr/bin/env bash
# `treaty breaking` over a generated git repository of 1,000 schemas, and
# `buf breaking` over its Protobuf part: wall time and peak memory (see
# BENCHMARKS.md, "treaty breaking in CI").
#
#   ./bench/breaking.sh [COUNT]      # COUNT schema files, 1000 by default
#
# Each command runs BENCH_RUNS times (3); the median wall and CPU times
# and the largest peak RSS are shown. Builds treaty as the test scripts do; installs
# buf with scripts/buf-env.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
count=${1:-1000}
runs=${BENCH_RUNS:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}
. scripts/buf-env.sh
cargo build --quiet --workspace --all-targets
treaty="$CARGO_TARGET_DIR/debug/treaty"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
python3 bench/breaking_repo.py "$repo" --count "$count"
git -C "$repo" worktree add -q "$work/baseline" HEAD

# Runs a command BENCH_RUNS times in the repository; prints a table row:
# what, exit code, median wall and CPU (user + system) seconds, largest
# peak RSS in MiB.
measure() {
  local what=$1
  shift
  local times=() cpus=() peak=0 code wall user system rss
  for _ in $(seq "$runs"); do
    code=0
    (cd "$repo" && /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" >/dev/null 2>&1) || code=$?
    # GNU time puts "Command exited with non-zero status N" first.
    read -r wall user system rss < <(tail -n 1 "$work/time")
    times+=("$wall")
    cpus+=("$(awk "BEGIN { print $user + $system }")")
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  done
  printf '| %s | %s | %s s | %s s | %s MiB |\n' "$what" "$code" "$(median "${times[@]}")" \
    "$(median "${cpus[@]}")" "$(( peak / 1024 ))"
}

median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

echo "| command ($count schema files, 1 in 10 changed, 3 in 100 breaking, 1 in 100 deleted) | exit | wall (median of $runs) | CPU (median) | peak RSS |"
echo "|---|---|---|---|---|"
measure "treaty breaking --against git:HEAD (all formats)" "$treaty" breaking --against git:HEAD --format json
measure "treaty breaking --against DIR (all formats)" "$treaty" breaking --against "$work/baseline" --format json
measure "treaty breaking --against git:HEAD (Protobuf only)" "$treaty" breaking --manifest treaty-proto.yaml --against git:HEAD --format json
measure "treaty breaking --against DIR (Protobuf only)" "$treaty" breaking --manifest treaty-proto.yaml --against "$work/baseline" --format json
measure "buf breaking --against .git#ref=HEAD (Protobuf)" "$buf" breaking proto --against ".git#ref=HEAD,subdir=proto" --error-format json
measure "buf breaking --against DIR (Protobuf)" "$buf" breaking proto --against "$work/baseline/proto" --error-format json
