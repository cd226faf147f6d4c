#!/usr/bin/env bash
# The real-client suites (scripts/client-tests.sh, Python, and
# scripts/client-js-tests.sh, JavaScript) against 3-node treaty clusters:
# one tansu broker for the run, and for every test three nodes on a schemas
# topic of their own (scripts/cluster_serve.py), the clients pointed at a
# follower, so every write is forwarded, and the Python client at all three
# (see scripts/cluster_serve.py for why not the JavaScript one). The two
# suites run side by side.
#
# The caller builds treaty first (cargo build); this script does not run cargo.
#
#   TREATY_BIN    treaty binary (default ${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty)
set -euo pipefail

die() {
    echo "client-cluster-tests: $*" >&2
    exit 1
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
treaty_bin="${TREATY_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty}"
[[ -x "$treaty_bin" ]] || die "treaty binary not found at $treaty_bin (build it first, or set TREATY_BIN)"
treaty_bin="$(cd "$(dirname "$treaty_bin")" && pwd)/$(basename "$treaty_bin")"

. "$repo_root/scripts/kafka-env.sh"
. "$repo_root/scripts/tansu.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/treaty-client-cluster.XXXXXX")"
pids=()
cleanup() {
    # Each suite is a process group of its own (setsid): its test runner and
    # the nodes that runner started stop with it.
    for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
    # Under `set -e` a failing last command here would become the exit
    # status: the broker may be gone already.
    if [[ -n "${tansu_pid:-}" ]]; then kill "$tansu_pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_tansu "$work/tansu"
export TREATY_KAFKA_BOOTSTRAP="$tansu_bootstrap"
export TREATY_CLUSTER_BIN="$treaty_bin"
cluster="$repo_root/scripts/cluster_serve.py"

# Each suite's output is kept and shown whole once it ends, not interleaved.
TREATY_BIN="$cluster" setsid bash "$repo_root/scripts/client-tests.sh" >"$work/python.log" 2>&1 &
python_pid=$!
TREATY_BIN="$cluster" setsid bash "$repo_root/scripts/client-js-tests.sh" >"$work/js.log" 2>&1 &
js_pid=$!
pids+=("$python_pid" "$js_pid")

status=0
wait "$python_pid" || status=$?
echo "-- Python (confluent-kafka) against 3-node clusters"
cat "$work/python.log"
js_status=0
wait "$js_pid" || js_status=$?
echo "-- JavaScript (@confluentinc/schemaregistry) against 3-node clusters"
cat "$work/js.log"
((status == 0 && js_status == 0)) || die "a suite failed (python: $status, javascript: $js_status)"
