#!/usr/bin/env bash
# treaty's cluster benchmark (see BENCHMARKS.md, "Cluster mode"):
#
#   ./bench/cluster.sh
#
# One tansu broker (scripts/kafka-env.sh) and three treaty nodes on it, on
# this machine. Measures registrations/s sent to the writer and to a
# follower (which forwards them), the failover time of BENCH_FAILOVERS
# SIGKILLs of the writer (until a registration sent to a surviving node
# succeeds), and how long a fresh node with an empty data dir takes to
# catch up with a topic holding BENCH_RECORDS records. Knobs (environment):
# BENCH_DURATION (s per wrk run, 15), BENCH_CONNECTIONS (16),
# BENCH_FAILOVERS (5), BENCH_RECORDS (100000), BENCH_KAFKA_CONFIG (more
# KEY=VALUE librdkafka settings for the three nodes, space-separated),
# BENCH_OUT (also write the table to this file).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
duration=${BENCH_DURATION:-15}
connections=${BENCH_CONNECTIONS:-16}
failovers=${BENCH_FAILOVERS:-5}
records=${BENCH_RECORDS:-100000}
ports=(18091 18092 18093)
catchup_port=18094
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}
lua=$root/bench/scenarios.lua

log() { echo "bench: $*" >&2; }

if ! command -v wrk >/dev/null; then
    log "installing wrk (Debian package)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y wrk >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
fi
command -v curl >/dev/null || { log "curl is needed"; exit 1; }

log "building treaty ($CARGO_TARGET_DIR)"
# The tests' invocation (scripts/env.sh), so the binaries they built are
# reused as they are.
cargo build --quiet --workspace --all-targets
. scripts/kafka-env.sh
. scripts/tansu.sh
# confluent-kafka's producer, for the catch-up topic.
. scripts/test-venv.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/treaty-cluster-bench.XXXXXX")
declare -A node_pid
catchup_pid=
cleanup() {
    for pid in "${node_pid[@]}" $catchup_pid ${tansu_pid:-}; do kill -9 "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A private copy: a concurrent build cannot swap the binary mid-run.
cp "$CARGO_TARGET_DIR/debug/treaty" "$work/treaty"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
cluster_field() { # PORT FIELD: a field of GET /v1/cluster, or nothing
    curl -sf --max-time 2 "http://127.0.0.1:$1/v1/cluster" \
        | python3 -c "import json, sys; v = json.load(sys.stdin)['$2']; print('' if v is None else v)" 2>/dev/null || true
}

start_tansu "$work/tansu"
log "tansu on $tansu_bootstrap"

kafka_config=()
for setting in ${BENCH_KAFKA_CONFIG:-}; do kafka_config+=(--kafka-config "$setting"); done

# Starts (or restarts) the node on port $1 with its own data dir.
start_node() {
    local port=$1
    "$work/treaty" serve --listen "127.0.0.1:$port" --data-dir "$work/node-$port" \
        --kafka-bootstrap "$tansu_bootstrap" --advertised-url "http://127.0.0.1:$port" \
        --kafka-config session.timeout.ms=2000 "${kafka_config[@]}" \
        >>"$work/node-$port.out" 2>>"$work/node-$port.err" &
    node_pid[$port]=$!
}

# The port of the writer all running nodes agree on, once they do.
agreed_writer() {
    local deadline=$(($(now_ms) + 60000)) port writer role
    while (($(now_ms) < deadline)); do
        writer=""
        for port in "${!node_pid[@]}"; do
            local named
            named=$(cluster_field "$port" writer)
            [ -n "$named" ] || { writer=""; break; }
            [ -z "$writer" ] || [ "$writer" = "$named" ] || { writer=""; break; }
            writer=$named
        done
        if [ -n "$writer" ]; then
            port=${writer##*:}
            role=$(cluster_field "$port" role)
            [ "$role" = writer ] && { echo "$port"; return; }
        fi
        sleep 0.05
    done
    log "the nodes agreed on no writer"
    tail -n 20 "$work"/node-*.err >&2
    exit 1
}

for port in "${ports[@]}"; do start_node "$port"; done
writer=$(agreed_writer)
follower=
for port in "${ports[@]}"; do [ "$port" = "$writer" ] || { follower=$port; break; }; done
log "writer :$writer, follower :$follower"

drive() { # PORT NONCE: registrations of new schemas for $duration s
    wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$lua" \
        "http://127.0.0.1:$1" -- register_new "$2" | sed -n 's/^BENCH //p'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

log "registrations through the writer (${duration}s, $connections connections)"
to_writer=$(drive "$writer" w)
log "  $to_writer"
log "registrations through a follower"
to_follower=$(drive "$follower" f)
log "  $to_follower"

# A registration of a schema never seen before; succeeds or not.
register_once() { # PORT N
    local text="{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Failover$2\\\",\\\"fields\\\":[]}"
    curl -sf --max-time 2 -o /dev/null -X POST \
        -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
        --data "{\"schema\":\"$text\"}" "http://127.0.0.1:$1/subjects/failover-$2/versions"
}

failover_ms=()
for round in $(seq 1 "$failovers"); do
    writer=$(agreed_writer)
    survivor=
    for port in "${ports[@]}"; do [ "$port" = "$writer" ] || { survivor=$port; break; }; done
    killed=$(now_ms)
    kill -9 "${node_pid[$writer]}"
    wait "${node_pid[$writer]}" 2>/dev/null || true
    unset "node_pid[$writer]"
    attempt=0
    until register_once "$survivor" "${round}_$attempt"; do
        attempt=$((attempt + 1))
        (($(now_ms) - killed < 60000)) || { log "no write succeeded within 60 s"; exit 1; }
        sleep 0.02
    done
    failover_ms+=($(($(now_ms) - killed)))
    log "failover $round: writer :$writer killed, a write through :$survivor succeeded after ${failover_ms[-1]} ms"
    # Back to three nodes before the next round.
    start_node "$writer"
    until [ -n "$(cluster_field "$writer" role)" ]; do sleep 0.05; done
done

log "catch-up: $records records written to a topic of their own"
filled=$(now_ms)
last=$("$venv/bin/python" bench/fill_topic.py "$tansu_bootstrap" catchup "$records")
log "  written in $(($(now_ms) - filled)) ms, last offset $last"
started=$(now_ms)
"$work/treaty" serve --listen "127.0.0.1:$catchup_port" --data-dir "$work/catchup" \
    --kafka-bootstrap "$tansu_bootstrap" --kafka-topic catchup --follower-only \
    >"$work/catchup.out" 2>"$work/catchup.err" &
catchup_pid=$!
until applied=$(cluster_field "$catchup_port" appliedOffset) && [ -n "$applied" ] && ((applied >= last)); do
    kill -0 "$catchup_pid" 2>/dev/null || { log "the catch-up node exited"; cat "$work/catchup.err" >&2; exit 1; }
    sleep 0.05
done
catchup_ms=$(($(now_ms) - started))
log "  caught up (appliedOffset $applied) in $catchup_ms ms"

table=$(
    echo "| measurement | result |"
    echo "|---|---|"
    echo "| registrations/s through the writer | $(field "$to_writer" rps) (p50 $(($(field "$to_writer" p50_us) / 1000)) ms, p99 $(($(field "$to_writer" p99_us) / 1000)) ms, errors $(field "$to_writer" errors), non-2xx $(field "$to_writer" non2xx)) |"
    echo "| registrations/s through a follower | $(field "$to_follower" rps) (p50 $(($(field "$to_follower" p50_us) / 1000)) ms, p99 $(($(field "$to_follower" p99_us) / 1000)) ms, errors $(field "$to_follower" errors), non-2xx $(field "$to_follower" non2xx)) |"
    echo "| failover, SIGKILL of the writer to first successful write (ms, $failovers rounds) | ${failover_ms[*]} |"
    echo "| catch-up of a fresh node on $records records (ms) | $catchup_ms |"
)
echo "$table"
[ -z "${BENCH_OUT:-}" ] || echo "$table" >"$BENCH_OUT"
