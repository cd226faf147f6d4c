#!/usr/bin/env bash
# What the browser tests of the web UI (tests/ui) need: Debian's chromium
# (playwright cannot download a browser here) and playwright-core, pinned in
# tests/ui/package-lock.json. Installs only what is missing.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="$repo_root/tests/ui"

if [[ ! -x /usr/bin/chromium ]]; then
    echo "ui-test-env: apt-get install chromium" >&2
    sudo=""
    if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# node_modules is keyed on the lock file and the node version.
wanted="$( { sha256sum "$suite/package.json" "$suite/package-lock.json" | cut -d' ' -f1; node --version; } | sha256sum | cut -d' ' -f1)"
stamp="$suite/node_modules/.treaty-lock.sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    echo "ui-test-env: npm ci in $suite" >&2
    (cd "$suite" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$wanted" >"$stamp"
fi
