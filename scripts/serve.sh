#!/usr/bin/env bash
# Runs treaty on the embedded default: RocksDB in ./data, port 8081.
# Extra arguments go to `treaty serve` (e.g. --listen 0.0.0.0:8081). It
# builds what scripts/test.sh builds (scripts/env.sh), so either one run
# after the other starts at once.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
build_workspace
exec "$CARGO_TARGET_DIR/debug/treaty" serve "$@"
