#!/usr/bin/env bash
# Backup and restore at scale: `treaty export` and `treaty import` of
# 1,000,000 versions, their wall time and peak memory (see BENCHMARKS.md).
#
#   ./bench/backup.sh
#
# Preloads a temporary data dir as bench/run.sh does (100,000 subjects x 10
# versions), then runs under GNU time (`/usr/bin/time -v`; its Debian
# package `time` is installed if missing): an export of it, an import of
# that file into an empty data dir, an export of the imported dir (which
# must be the same file), and an export while `treaty serve` runs on the
# preloaded dir. Knobs (environment): BENCH_SUBJECTS (100000),
# BENCH_VERSIONS (10), BENCH_BUILD (dev or optimized, bench/build.sh),
# BENCH_OUT (also write the table to this file).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
subjects=${BENCH_SUBJECTS:-100000}
versions=${BENCH_VERSIONS:-10}
port=18084

log() { echo "bench: $*" >&2; }

if [ ! -x /usr/bin/time ]; then
    log "installing GNU time (Debian package)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y time >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y time >/dev/null; }
fi

. "$root/bench/build.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/treaty-backup-bench.XXXXXX")
server_pid=""
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# Private copies: a concurrent build cannot swap the binaries mid-run.
bin=$work/bin
mkdir -p "$bin"
cp "$CARGO_TARGET_DIR/debug/treaty" "$CARGO_TARGET_DIR/debug/preload" "$CARGO_TARGET_DIR/debug/await_ready" "$bin/"

data=$work/data
log "preloading $subjects subjects x $versions versions"
"$bin/preload" --data-dir "$data" --subjects "$subjects" --versions "$versions" >&2
sync

rows=()
# Runs `treaty ARGS...` under GNU time and keeps a row: NAME, then the
# wall time, the CPU time (user + system) and the peak resident memory.
measure() {
    local name=$1 report=$work/time.txt
    shift
    log "$name"
    /usr/bin/time -v -o "$report" "$bin/treaty" "$@" >&2
    local wall cpu rss
    # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:12.34"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$report")
    cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$report")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$report")
    rows+=("$name|$wall s|$cpu s|$rss MiB")
}

export_file=$work/export.jsonl
measure "export, $((subjects * versions)) versions, no server running" export --data-dir "$data" "$export_file"
measure "import of that file into an empty data dir" import --data-dir "$work/imported" "$export_file"
measure "export of the imported data dir" export --data-dir "$work/imported" "$work/again.jsonl"
same=$(cmp -s "$export_file" "$work/again.jsonl" && echo "yes" || echo "NO")

log "starting treaty serve on the preloaded data dir"
"$bin/treaty" serve --listen "127.0.0.1:$port" --data-dir "$data" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
"$bin/await_ready" --port "$port" --pid "$server_pid" || { cat "$work/serve.err" >&2; exit 1; }
measure "export while treaty serve runs on the data dir" export --data-dir "$data" "$work/served.jsonl"
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
same_served=$(cmp -s "$export_file" "$work/served.jsonl" && echo "yes" || echo "NO")

table=$work/table.md
{
    echo "| $(wc -l <"$export_file") records, $(($(wc -c <"$export_file") / 1048576)) MiB of JSON lines | wall | CPU | peak RSS |"
    echo "|---|---:|---:|---:|"
    for row in "${rows[@]}"; do
        IFS='|' read -r name wall cpu rss <<<"$row"
        echo "| $name | $wall | $cpu | $rss |"
    done
    echo
    echo "The imported data dir exports the same file: $same. The export beside the server is the same file: $same_served."
} >"$table"

echo
echo "treaty backup benchmark: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB; build: $build"
echo
cat "$table"
if [ -n "${BENCH_OUT:-}" ]; then cp "$table" "$BENCH_OUT"; fi
