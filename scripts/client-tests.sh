#!/usr/bin/env bash
# Real-client tests: confluent-kafka's Python schema registry client against a
# freshly started `treaty serve` (tests/client).
#
# The caller builds treaty first (cargo build); this script does not run cargo.
#
#   TREATY_BIN    treaty binary (default ${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty)
#   TREATY_VENV   virtualenv to create/reuse (default $HOME/.cache/treaty/venv)
#   PYTHON        interpreter that creates the venv (default python3)
#
# Extra arguments are passed to pytest (e.g. -k lookup, -x).
set -euo pipefail

die() {
    echo "client-tests: $*" >&2
    exit 1
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
treaty_bin="${TREATY_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty}"

[[ -f "$treaty_bin" ]] || die "treaty binary not found at $treaty_bin (build it first, or set TREATY_BIN)"
[[ -x "$treaty_bin" ]] || die "treaty binary at $treaty_bin is not executable"
treaty_bin="$(cd "$(dirname "$treaty_bin")" && pwd)/$(basename "$treaty_bin")"

. "$repo_root/scripts/test-venv.sh"

cd "$repo_root"
export TREATY_BIN="$treaty_bin"
junit="$(mktemp "${TMPDIR:-/tmp}/treaty-client-tests.XXXXXX.xml")"
trap 'rm -f "$junit"' EXIT

status=0
"$venv/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$junit" tests/client "$@" || status=$?
if ((status != 0)); then
    echo "client-tests: pytest failed (exit status $status)" >&2
    exit "$status"
fi

# pytest exits 5 when it collects nothing, but 0 when everything was skipped
# or deselected: insist that at least one test actually ran.
ran="$("$venv/bin/python" - "$junit" <<'EOF'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
print(sum(int(s.get("tests", 0)) - int(s.get("skipped", 0)) for s in suites))
EOF
)" || die "cannot read the pytest report $junit"
if ! [[ "$ran" =~ ^[0-9]+$ ]] || ((ran == 0)); then
    die "no test ran"
fi
echo "client-tests: $ran tests passed" >&2
