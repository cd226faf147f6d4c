#!/usr/bin/env bash
# Real-client tests: Confluent's JavaScript Schema Registry client
# (@confluentinc/schemaregistry, pinned in tests/client-js/package-lock.json)
# against a freshly started `treaty serve` per test (tests/client-js).
#
# The caller builds treaty first (cargo build); this script does not run cargo.
#
#   TREATY_BIN    treaty binary (default ${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty)
#   NODE, NPM     node and npm to use (default: node and npm on PATH)
#
# Extra arguments are passed to `node --test` (e.g. --test-name-pattern=Avro).
set -euo pipefail

die() {
    echo "client-js-tests: $*" >&2
    exit 1
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="$repo_root/tests/client-js"
node="${NODE:-node}"
npm="${NPM:-npm}"
treaty_bin="${TREATY_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty}"

[[ -f "$suite/package.json" && -f "$suite/package-lock.json" ]] || die "missing $suite/package.json or package-lock.json"
[[ -f "$treaty_bin" ]] || die "treaty binary not found at $treaty_bin (build it first, or set TREATY_BIN)"
[[ -x "$treaty_bin" ]] || die "treaty binary at $treaty_bin is not executable"
treaty_bin="$(cd "$(dirname "$treaty_bin")" && pwd)/$(basename "$treaty_bin")"
command -v "$node" >/dev/null || die "$node not found"
command -v "$npm" >/dev/null || die "$npm not found"

# node_modules is keyed on package.json, package-lock.json and the node
# version; any change reinstalls it from the lock file (`npm ci` starts from an
# empty node_modules, so nothing stale is left behind).
wanted="$( { sha256sum "$suite/package.json" "$suite/package-lock.json" | cut -d' ' -f1; "$node" --version; } | sha256sum | cut -d' ' -f1)"
stamp="$suite/node_modules/.treaty-lock.sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    echo "client-js-tests: npm ci in $suite" >&2
    (cd "$suite" && "$npm" ci --ignore-scripts --no-audit --no-fund --loglevel=error) \
        || die "npm ci in $suite failed"
    echo "$wanted" >"$stamp"
fi

shopt -s nullglob
tests=("$suite"/*.test.mjs)
shopt -u nullglob
((${#tests[@]} > 0)) || die "no test files ($suite/*.test.mjs)"

cd "$repo_root"
export TREATY_BIN="$treaty_bin"
tap="$(mktemp "${TMPDIR:-/tmp}/treaty-client-js-tests.XXXXXX.tap")"
trap 'rm -f "$tap"' EXIT

status=0
"$node" --test \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "$@" "${tests[@]}" || status=$?
if ((status != 0)); then
    echo "client-js-tests: node --test failed (exit status $status)" >&2
    exit "$status"
fi

# node --test exits 0 when every test was skipped, was a todo, or was filtered
# out by a name pattern: insist that at least one test actually passed.
passed="$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$tap" | tail -n 1)"
failed="$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$tap" | tail -n 1)"
todo="$(sed -n 's/^# todo \([0-9][0-9]*\)$/\1/p' "$tap" | tail -n 1)"
[[ "$passed" =~ ^[0-9]+$ && "$failed" =~ ^[0-9]+$ ]] || die "cannot read the test summary in $tap"
((failed == 0)) || die "$failed tests failed"
((passed > 0)) || die "no test ran"
if [[ "$todo" =~ ^[0-9]+$ ]] && ((todo > 0)); then
    echo "client-js-tests: $passed tests passed, $todo todo (known treaty bugs, see the TODO lines above)" >&2
else
    echo "client-js-tests: $passed tests passed" >&2
fi
