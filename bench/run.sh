#!/usr/bin/env bash
# treaty's benchmark: one command, one table (see BENCHMARKS.md).
#
#   ./bench/run.sh
#
# Preloads a temporary data dir with 100,000 subjects x 10 versions
# (1,000,000 schema versions), measures treaty's startup on it, then drives
# every scenario with wrk against treaty and against the baseline (an axum
# server answering the same bytes with no registry logic), alternately, on
# this machine, and some against a second treaty started with other flags
# (compare_flags: what a feature costs). Knobs (environment):
# BENCH_DURATION (s per run, 15), BENCH_LONG (s of the memory-check run,
# 60), BENCH_SUBJECTS (100000), BENCH_VERSIONS (10), BENCH_IDS (10000),
# BENCH_THREADS (wrk threads, 2), BENCH_CONNECTIONS (64), BENCH_BUILD (dev
# or optimized, bench/build.sh), BENCH_OUT (also write the table to this
# file).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
duration=${BENCH_DURATION:-15}
long=${BENCH_LONG:-60}
subjects=${BENCH_SUBJECTS:-100000}
versions=${BENCH_VERSIONS:-10}
ids=${BENCH_IDS:-10000}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
treaty_port=18081
baseline_port=18082
variant_port=18083
lua=$root/bench/scenarios.lua

log() { echo "bench: $*" >&2; }

if ! command -v wrk >/dev/null; then
    log "installing wrk (Debian package)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y wrk >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
fi
command -v curl >/dev/null || { log "curl is needed"; exit 1; }

. "$root/bench/build.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/treaty-bench.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# Private copies: a concurrent build cannot swap the binaries mid-run.
bin=$work/bin
mkdir -p "$bin"
cp "$CARGO_TARGET_DIR/debug/treaty" "$CARGO_TARGET_DIR/debug/baseline" "$CARGO_TARGET_DIR/debug/preload" \
    "$CARGO_TARGET_DIR/debug/await_ready" "$bin/"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
now_ns() { date +%s%N; }

# Starts treaty on $1; sets treaty_pid, startup_ms (process start until
# GET / answers) and writes_ms (until it logs "ready for writes": the copy
# of the index that writes are planned on is made after serving starts).
start_treaty() {
    local dir=$1 started
    started=$(now_ns)
    "$bin/treaty" serve --listen "127.0.0.1:$treaty_port" --data-dir "$dir" \
        >"$work/treaty.out" 2>"$work/treaty.err" &
    treaty_pid=$!
    pids+=("$treaty_pid")
    # One polling process, not a curl per poll: those would take CPU from
    # the startup being timed.
    "$bin/await_ready" --port "$treaty_port" --pid "$treaty_pid" || { cat "$work/treaty.err" >&2; exit 1; }
    startup_ms=$((($(now_ns) - started) / 1000000))
    # CPU time (user + system) spent until then: the machine may be shared.
    startup_cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$treaty_pid/stat")
    until grep -q "ready for writes" "$work/treaty.err"; do sleep 0.02; done
    writes_ms=$((($(now_ns) - started) / 1000000))
}

stop_treaty() {
    kill "$treaty_pid"
    wait "$treaty_pid" 2>/dev/null || true
}

# wrk against port $1 for $2 seconds with $3 connections, then the mode and
# its arguments; prints the BENCH line's fields.
drive() {
    local port=$1 secs=$2 conns=$3
    shift 3
    local t=$threads
    [ "$conns" -lt "$t" ] && t=$conns
    wrk -t"$t" -c"$conns" -d"${secs}s" --timeout 10s -s "$lua" \
        "http://127.0.0.1:$port" -- "$@" | sed -n 's/^BENCH //p'
}

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

data="$work/data"
log "preloading $subjects subjects x $versions versions"
"$bin/preload" --data-dir "$data" --subjects "$subjects" --versions "$versions" >&2
# The same records for the second server of the flag comparisons.
variant_data="$work/variant-data"
cp -a "$data" "$variant_data"
# The preload's files written back to disk now, not by the kernel's flusher
# threads while the first start is being timed.
sync

log "an empty registry's memory, for the per-version figure"
start_treaty "$work/empty"
empty_rss=$(rss_kib "$treaty_pid")
stop_treaty

log "startup on $((subjects * versions)) versions"
start_treaty "$data"
first_ms=$startup_ms first_cpu_ms=$startup_cpu_ms first_writes_ms=$writes_ms
log "first start: ready in ${first_ms} ms (${first_cpu_ms} ms CPU), for writes in ${first_writes_ms} ms"
# A restart of the same data dir right after: the first start after loading
# pays more for fresh memory on this VM (see BENCHMARKS.md), so both count.
stop_treaty
start_treaty "$data"
rss_start=$(rss_kib "$treaty_pid")
hwm_start=$(hwm_kib "$treaty_pid")
log "restart: ready in ${startup_ms} ms (${startup_cpu_ms} ms CPU), for writes in ${writes_ms} ms, VmRSS $((rss_start / 1024)) MiB (peak $((hwm_start / 1024)) MiB)"

# The bytes treaty answers for one representative request of each path:
# the baseline serves exactly these.
resp="$work/responses"
mkdir -p "$resp"
ct='Content-Type: application/vnd.schemaregistry.v1+json'
t="http://127.0.0.1:$treaty_port"
s1=$(printf 'bench-%06d-value' 1)
schema_body=$(curl -sf "$t/subjects/$s1/versions/2/schema" | sed 's/"/\\"/g; s/^/{"schema":"/; s/$/"}/')
curl -sf -o "$resp/root.json" "$t/"
curl -sf -o "$resp/schema_by_id.json" "$t/schemas/ids/$((versions + 2))"
curl -sf -o "$resp/lookup.json" -X POST -H "$ct" -d "$schema_body" "$t/subjects/$s1"
curl -sf -o "$resp/register.json" -X POST -H "$ct" -d "$schema_body" "$t/subjects/$s1/versions"
curl -sf -o "$resp/subjects.json" "$t/subjects"
curl -sf -o "$resp/versions.json" "$t/subjects/$s1/versions"
for f in "$resp"/*.json; do log "$(basename "$f"): $(wc -c <"$f") bytes"; done

"$bin/baseline" --listen "127.0.0.1:$baseline_port" --responses "$resp" >"$work/baseline.out" 2>&1 &
baseline_pid=$!
pids+=("$baseline_pid")
until curl -sf -o /dev/null "http://127.0.0.1:$baseline_port/"; do sleep 0.01; done

log "warming up (3 s each)"
drive "$treaty_port" 3 "$connections" by_id "$ids" >/dev/null
drive "$baseline_port" 3 "$connections" by_id "$ids" >/dev/null

rows=()
# One scenario: baseline, then treaty, same wrk arguments.
# compare NAME CONNS TARGET_KIND TARGET_VALUE MODE ARGS...
compare() {
    local name=$1 conns=$2 kind=$3 want=$4
    shift 4
    log "$name: baseline"
    local b tr
    b=$(drive "$baseline_port" "$duration" "$conns" "$@")
    log "$name: treaty"
    tr=$(drive "$treaty_port" "$duration" "$conns" "$@")
    rows+=("$name|$conns|$kind|$want|$tr|$b")
}

# The CPU time (user + system, clock ticks) process $1 has used.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# drive's fields for a run against the server PID on PORT, with ticks=N,
# the CPU time the server used meanwhile (clock ticks).
# drive_counting PID PORT ARGS...
drive_counting() {
    local pid=$1 port=$2 before line
    shift 2
    before=$(cpu_ticks "$pid")
    line=$(drive "$port" "$duration" "$connections" "$@")
    echo "$line ticks=$(($(cpu_ticks "$pid") - before))"
}

# treaty as started above against a second treaty started with other
# flags, on a copy of the preloaded data: the same wrk arguments, in turn
# (treaty, the other, treaty, the other), each figure the mean of its two
# runs. WANT is the least ratio of treaty's req/s to the other's. Each
# server's CPU time per request is reported beside: on a shared machine
# it moves less than req/s do.
# compare_flags NAME WANT FLAGS MODE ARGS... (FLAGS: one word each, space separated)
flag_rows=()
compare_flags() {
    local name=$1 want=$2 flags=$3
    shift 3
    local pid runs=() round
    # shellcheck disable=SC2086 # FLAGS is split into its words
    "$bin/treaty" serve --listen "127.0.0.1:$variant_port" --data-dir "$variant_data" $flags \
        >"$work/variant.out" 2>"$work/variant.err" &
    pid=$!
    pids+=("$pid")
    "$bin/await_ready" --port "$variant_port" --pid "$pid" || { cat "$work/variant.err" >&2; exit 1; }
    drive "$variant_port" 3 "$connections" "$@" >/dev/null
    for round in 1 2; do
        log "$name: treaty ($round/2)"
        runs+=("$(drive_counting "$treaty_pid" "$treaty_port" "$@")")
        log "$name: treaty $flags ($round/2)"
        runs+=("$(drive_counting "$pid" "$variant_port" "$@")")
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    flag_rows+=("$name|$flags|$want|${runs[0]}|${runs[1]}|${runs[2]}|${runs[3]}")
}

# Bytes in the WAL files: a write would grow them.
data_bytes() { cat "$data"/*.log 2>/dev/null | wc -c; }
disk_writes() { awk '/^write_bytes:/ {print $2}' "/proc/$treaty_pid/io"; }

compare "1. GET /schemas/ids/{id} ($ids ids, random)" "$connections" ratio 0.85 by_id "$ids"
compare_flags "6. GET /schemas/ids/{id}, requests counted in /metrics (the default) against not" 0.95 \
    --no-request-metrics by_id "$ids"
metrics_ms=$(curl -sf -o /dev/null -w '%{time_total}' "$t/metrics" | awk '{ printf "%.0f", $1 * 1000 }')
compare "2a. POST /subjects/{s} lookup" "$connections" ratio 0.60 lookup "$subjects" "$versions"
before_bytes=$(data_bytes)
before_writes=$(disk_writes)
compare "2b. POST /subjects/{s}/versions, already registered" "$connections" ratio 0.60 reregister "$subjects" "$versions"
reregister_disk=$(($(data_bytes) - before_bytes))
reregister_writes=$(($(disk_writes) - before_writes))
compare "4a. GET /subjects ($subjects subjects)" 8 report - subjects
compare "4b. GET /subjects/{s}/versions" "$connections" report - versions "$subjects"

log "memory check: ${long} s of mixed reads"
rss_before_long=$(rss_kib "$treaty_pid")
long_line=$(drive "$treaty_port" "$long" "$connections" mixed "$ids" "$subjects" "$versions")
rss_after_long=$(rss_kib "$treaty_pid")
long_requests=$(field "$long_line" requests)

nonce=$(date +%s)
curl -sf -o /dev/null -X PUT -H "$ct" -d '{"compatibility":"NONE"}' "$t/config/bench-one-subject"
compare "3. register new schemas, own subjects, durable" "$connections" rps 5000 register_new "$nonce"
compare "3b. register new schemas, one subject (NONE)" "$connections" rps 5000 register_new "${nonce}b" bench-one-subject
rss_end=$(rss_kib "$treaty_pid")

# Usage recording (issue 18): get-by-id on a restart with recording off,
# then on one with it on (`--usage-recording`, off by default); the table's baseline column holds
# the "off" run, so the ratio is on / off.
# The startup figures of these restarts are logged, not put in the table
# (their store holds the usage of every row before).
usage_by_id() {
    local kept=("$startup_ms" "$startup_cpu_ms" "$writes_ms")
    stop_treaty
    if [ "$1" = on ]; then export TREATY_USAGE_RECORDING=true; fi
    start_treaty "$data"
    unset TREATY_USAGE_RECORDING
    log "usage recording $1: restarted, ready in ${startup_ms} ms (${startup_cpu_ms} ms CPU)"
    startup_ms=${kept[0]} startup_cpu_ms=${kept[1]} writes_ms=${kept[2]}
    drive "$treaty_port" 3 "$connections" by_id "$ids" >/dev/null
    log "usage recording $1: get-by-id"
    usage_line=$(drive "$treaty_port" "$duration" "$connections" by_id "$ids")
}
usage_by_id off
usage_off=$usage_line
usage_by_id on
rows+=("1c. GET /schemas/ids/{id}, usage recording on (baseline column: off)|$connections|ratio|0.95|$usage_line|$usage_off")

# The table.
# Microseconds of a server's CPU time per request over the runs given.
cpu_per_request() {
    local ticks=0 requests=0 run
    for run in "$@"; do
        ticks=$((ticks + $(field "$run" ticks)))
        requests=$((requests + $(field "$run" requests)))
    done
    awk -v t="$ticks" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f us", t * 1e6 / hz / n }'
}
fmt_us() { awk -v us="$1" 'BEGIN { if (us >= 1000) printf "%.1f ms", us / 1000; else printf "%d us", us }'; }
table="$work/table.md"
{
    echo "| scenario | conns | treaty req/s | baseline req/s | ratio | treaty p99 | baseline p99 | errors | target | result |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
    for row in "${rows[@]}"; do
        IFS='|' read -r name conns kind want tr b <<<"$row"
        trps=$(field "$tr" rps)
        brps=$(field "$b" rps)
        errors=$(($(field "$tr" errors) + $(field "$tr" non2xx)))
        ratio=$(awk -v a="$trps" -v b="$brps" 'BEGIN { printf "%.2f", a / b }')
        case $kind in
            ratio)
                target=">= $(awk -v w="$want" 'BEGIN { printf "%d%%", w * 100 }') of baseline"
                ok=$(awk -v r="$ratio" -v w="$want" 'BEGIN { print (r >= w) ? "pass" : "FAIL" }') ;;
            rps)
                target=">= $want req/s"
                ok=$(awk -v r="$trps" -v w="$want" 'BEGIN { print (r >= w) ? "pass" : "FAIL" }') ;;
            *)
                target="reported"
                ok="-" ;;
        esac
        [ "$errors" -eq 0 ] || ok="FAIL ($errors errors)"
        if [[ $name == 2b.* ]]; then
            target="$target, no disk write"
            [ "$reregister_disk" -le 0 ] || ok="FAIL (WAL +$reregister_disk B)"
        fi
        printf '| %s | %s | %.0f | %.0f | %s | %s | %s | %s | %s | %s |\n' \
            "$name" "$conns" "$trps" "$brps" "$ratio" \
            "$(fmt_us "$(field "$tr" p99_us)")" "$(fmt_us "$(field "$b" p99_us)")" \
            "$errors" "$target" "$ok"
    done
    total=$((subjects * versions))
    startup_ok=$([ "$first_ms" -le 3000 ] && echo pass || echo FAIL)
    restart_ok=$([ "$startup_ms" -le 3000 ] && echo pass || echo FAIL)
    per_version=$(awk -v r="$rss_start" -v e="$empty_rss" -v n="$total" 'BEGIN { printf "%.0f", (r - e) * 1024 / n }')
    growth=$((rss_after_long - rss_before_long))
    per_request=$(awk -v g="$growth" -v n="$long_requests" 'BEGIN { printf "%.3f", g * 1024 / n }')
    growth_ok=$([ "$growth" -le 16384 ] && echo pass || echo FAIL)
    echo
    echo "| startup and memory | value | target | result |"
    echo "|---|---:|---|---|"
    echo "| 5. startup, $total versions ($subjects subjects x $versions): process start to GET / answering, first start after loading | ${first_ms} ms (CPU ${first_cpu_ms} ms) | <= 3000 ms | $startup_ok |"
    echo "| 5. the same, restarted right after | ${startup_ms} ms (CPU ${startup_cpu_ms} ms) | <= 3000 ms | $restart_ok |"
    echo "| process start to ready for writes (the staged copy of the index made): first start / restart | ${first_writes_ms} ms / ${writes_ms} ms | reported | - |"
    echo "| VmRSS after startup, staged copy included (peak during load) | $((rss_start / 1024)) MiB ($((hwm_start / 1024)) MiB) | reported | - |"
    echo "| VmRSS of an empty registry | $((empty_rss / 1024)) MiB | reported | - |"
    echo "| memory per stored version ((RSS - empty RSS) / versions) | ${per_version} B | reported | - |"
    echo "| VmRSS growth over ${long} s of mixed reads ($long_requests requests, $(printf '%.0f' "$(field "$long_line" rps)") req/s) | $((growth)) KiB (${per_request} B/request) | <= 16 MiB | $growth_ok |"
    echo "| VmRSS at the end (after the registrations) | $((rss_end / 1024)) MiB | reported | - |"
    echo "| 2b. disk writes while re-registering: WAL growth / process write_bytes | ${reregister_disk} B / ${reregister_writes} B | 0 | - |"
    echo "| one GET /metrics on $total versions (the counts per context taken then) | ${metrics_ms} ms | reported | - |"
    echo
    echo "| treaty against treaty with other flags | flags | treaty req/s | with the flags req/s | ratio | treaty CPU/request | with the flags CPU/request | errors | target | result |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---|---|"
    for row in "${flag_rows[@]}"; do
        IFS='|' read -r name flags want a1 b1 a2 b2 <<<"$row"
        trps=$(awk -v x="$(field "$a1" rps)" -v y="$(field "$a2" rps)" 'BEGIN { printf "%.0f", (x + y) / 2 }')
        frps=$(awk -v x="$(field "$b1" rps)" -v y="$(field "$b2" rps)" 'BEGIN { printf "%.0f", (x + y) / 2 }')
        errors=0
        for run in "$a1" "$b1" "$a2" "$b2"; do
            errors=$((errors + $(field "$run" errors) + $(field "$run" non2xx)))
        done
        ratio=$(awk -v a="$trps" -v b="$frps" 'BEGIN { printf "%.3f", a / b }')
        tcpu=$(cpu_per_request "$a1" "$a2")
        fcpu=$(cpu_per_request "$b1" "$b2")
        ok=$(awk -v r="$ratio" -v w="$want" 'BEGIN { print (r >= w) ? "pass" : "FAIL" }')
        [ "$errors" -eq 0 ] || ok="FAIL ($errors errors)"
        echo "| $name | \`$flags\` | $trps | $frps | $ratio | $tcpu | $fcpu | $errors | >= $(awk -v w="$want" 'BEGIN { printf "%d%%", w * 100 }') of the other | $ok |"
    done
} >"$table"

echo
echo "treaty benchmark: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB; wrk -t$threads, ${duration} s per run; build: $build"
echo
cat "$table"
if [ -n "${BENCH_OUT:-}" ]; then cp "$table" "$BENCH_OUT"; fi
