#!/usr/bin/env bash
# Times the Avro compatibility benchmark with treaty (bench_avro example) and
# with Apache Avro's Python checker on the same workload, and prints the ratio.
# Uses the .venv of scripts/avro-differential.sh; honours $CARGO_TARGET_DIR.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
venv="$repo/.venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import avro' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'avro==1.12.2'
fi

cargo build --quiet --release -p treaty-compat --example bench_avro
target="${CARGO_TARGET_DIR:-$repo/target}"
workload="$(mktemp)"
trap 'rm -f "$workload"' EXIT

treaty_line="$("$target/release/examples/bench_avro" --emit "$workload" 2>/dev/null)"
python_line="$("$venv/bin/python" scripts/bench_avro_python.py "$workload")"
echo "$treaty_line"
echo "$python_line"
treaty_ms="$(sed -E 's/.*: ([0-9.]+) ms \(best.*/\1/' <<<"$treaty_line")"
python_ms="$(sed -E 's/.*: ([0-9.]+) ms$/\1/' <<<"$python_line")"
awk -v t="$treaty_ms" -v p="$python_ms" 'BEGIN { printf "ratio: treaty is %.0fx faster\n", p / t }'
