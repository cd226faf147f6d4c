#!/usr/bin/env bash
# Fails, in seconds and without a Docker engine, when `docker build` would
# miss something: the files the Dockerfile's build stage COPYs from a fresh
# clone (after .dockerignore) are laid out in a temporary directory, cargo
# loads the workspace there (`cargo metadata --locked`: a workspace member
# or manifest not copied, or a stale Cargo.lock, fails), and every source
# directory the build compiles, with every file an `include_str!` or
# `include_bytes!` names, must be there (scripts/docker_context_check.py).
# It compiles nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

image="$(mktemp -d "${TMPDIR:-/tmp}/treaty-docker-context.XXXXXX")"
trap 'rm -rf "$image"' EXIT

workdir="$(python3 scripts/docker_context_check.py stage "$image/root")"
metadata="$image/metadata.json"
if ! (cd "$image/root$workdir" && cargo metadata --locked --format-version 1 >"$metadata"); then
    echo "docker-context-check: cargo cannot load the workspace from what the Dockerfile copies (above)" >&2
    exit 1
fi
python3 scripts/docker_context_check.py verify "$image/root" "$workdir" "$metadata"
