#!/usr/bin/env bash
# Differential test of treaty's strict Protobuf mode (Buf WIRE + WIRE_JSON
# rules, SERVICE_NO_DELETE, RPC_NO_DELETE) against the `buf breaking` CLI,
# over every case in tests/fixtures/compat/protobuf/. Installs @bufbuild/buf with npm into
# $HOME/.cache/treaty/buf if missing, builds the protobuf_check example,
# runs scripts/protobuf_differential.py. Extra arguments go to the Python
# script (e.g. --verbose). Honours $CARGO_TARGET_DIR; exits non-zero on any
# disagreement not listed in KNOWN_DIFFERENCES.json.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

. scripts/buf-env.sh

cargo build --quiet -p treaty-compat --example protobuf_check
target="${CARGO_TARGET_DIR:-$repo/target}"
exec python3 scripts/protobuf_differential.py \
  --buf "$buf" \
  --checker "$target/debug/examples/protobuf_check" \
  --fixtures tests/fixtures/compat/protobuf "$@"
