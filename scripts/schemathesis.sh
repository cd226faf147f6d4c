#!/usr/bin/env bash
# Property-based API tests: schemathesis generates requests from openapi.yaml
# (its examples, boundary values, random and invalid inputs, and chains of
# calls linked by the spec) against a freshly started `treaty serve` on an
# empty data dir, and fails on any 5xx, any answer the spec does not
# describe, and any invalid input treaty accepts. Its settings, and the
# checks it leaves out with the reason, are in schemathesis.toml.
#
# The caller builds treaty first (cargo build); this script does not run cargo.
#
#   TREATY_BIN    treaty binary (default ${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty)
#   TREATY_VENV   virtualenv to create/reuse (default $HOME/.cache/treaty/venv)
#
# Extra arguments are passed to `schemathesis run` (e.g. --seed 1, -n 50).
set -euo pipefail

die() {
    echo "schemathesis: $*" >&2
    exit 1
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
treaty_bin="${TREATY_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty}"
[[ -x "$treaty_bin" ]] || die "treaty binary not found at $treaty_bin (build it first, or set TREATY_BIN)"

. "$repo_root/scripts/test-venv.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/treaty-schemathesis.XXXXXX")"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Port 0 is not offered by `serve`, so take a free port from the kernel.
port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$treaty_bin" serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -sf "$base/health/ready" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "treaty exited at start"; }
    sleep 0.1
done
curl -sf "$base/health/ready" >/dev/null || die "treaty did not become ready"

# Seed the subjects, versions and ids the spec's examples name, so that the
# example phase reaches the found paths and not only 404s.
seed() {
    local subject="$1" body="$2"
    curl -sf -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
        --data "$body" "$base/subjects/$subject/versions" >/dev/null || die "seeding $subject failed"
}
common='{"schema":"{\"type\":\"record\",\"name\":\"Common\",\"namespace\":\"com.example\",\"fields\":[]}"}'
seed common-value "$common"
seed ':.staging:common-value' "$common"
seed orders-value '{"schema":"{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}","metadata":{"properties":{"owner":"team-a"}}}'
seed orders-value '{"schema":"{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}"}'
seed ':.staging:orders-value' '{"schema":"{\"type\":\"string\"}"}'

# Run from the scratch dir: schemathesis keeps a cache in its working dir.
cd "$work"
run() {
    "$venv/bin/schemathesis" --config-file "$repo_root/schemathesis.toml" run \
        "$repo_root/openapi.yaml" --url "$base" "$@" 2>&1 | tee "$work/run.log"
    return "${PIPESTATUS[0]}"
}
status=0
run "$@" || status=$?
# A crash inside schemathesis itself (seen: CPython's "AST constructor
# recursion depth mismatch" while Hypothesis replays a case) ends the run
# with errors but no failed check; that is the tool's, so it runs once more.
# A failed check is never retried.
summary="$(grep -E '^=+ .* in [0-9.]+s =+$' "$work/run.log" | tail -1)"
if [ "$status" -ne 0 ] && [[ "$summary" == *error* ]] && [[ "$summary" != *fail* ]]; then
    echo "schemathesis: the run ended on an error of its own, not a failed check; running once more" >&2
    status=0
    run "$@" || status=$?
fi
exit "$status"
