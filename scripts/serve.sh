#!/usr/bin/env bash
# Runs treaty on the embedded default: RocksDB in ./data, port 8081.
# Extra arguments go to `treaty serve` (e.g. --listen 0.0.0.0:8081).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cargo build --bin treaty
exec "$CARGO_TARGET_DIR/debug/treaty" serve "$@"
