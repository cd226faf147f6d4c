#!/usr/bin/env bash
# Browser tests of the web UI (tests/ui): each test file starts its own
# `treaty serve` (fresh data directory and port) and drives Debian's
# chromium through playwright-core with node's test runner. Screenshots of
# each page land in tests/ui/screenshots (git-ignored; CI keeps them).
#
# The caller builds treaty first; this script does not run cargo.
#   TREATY_BIN   treaty binary (default ${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty)
# Extra arguments go to `node --test` (e.g. --test-name-pattern=compare).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo_root/scripts/ui-test-env.sh"
export TREATY_BIN="${TREATY_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty}"
[[ -x "$TREATY_BIN" ]] || { echo "ui-tests: no treaty binary at $TREATY_BIN (build it first)" >&2; exit 1; }

cd "$repo_root/tests/ui"
rm -rf screenshots
# One file at a time: each seeds its own server, and CI has two cores.
node --test --test-concurrency=1 "$@" ./*.test.mjs
