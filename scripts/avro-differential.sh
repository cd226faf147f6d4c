#!/usr/bin/env bash
# Differential test of treaty's Avro compatibility checker against the Apache
# Avro Python reference checker. Creates .venv (avro 1.12.x) if missing,
# builds the avro_check example, runs scripts/avro_differential.py.
# Extra arguments go to the Python script (e.g. --pairs 20000 --seed 7).
# Honours $CARGO_TARGET_DIR; exits non-zero on any undocumented disagreement.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

venv="$repo/.venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import avro' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'avro==1.12.2'
fi

cargo build --quiet -p treaty-compat --example avro_check
target="${CARGO_TARGET_DIR:-$repo/target}"
exec "$venv/bin/python" scripts/avro_differential.py --checker "$target/debug/examples/avro_check" "$@"
