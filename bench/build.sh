# shellcheck shell=bash
# Sourced by the benchmark scripts (run.sh, backup.sh), with `log` and
# `root` defined: builds treaty and the treaty-bench crate (`bench/`) into
# $CARGO_TARGET_DIR, which it exports, and sets `build`.
#
# BENCH_BUILD=dev (the default) measures the dev-profile binaries of the
# shared target dir, the profile tests and local runs use (see Cargo.toml).
# BENCH_BUILD=optimized compiles treaty's own crates at opt-level 3 without
# debug assertions, as a release would, in a target dir of its own seeded
# from the shared one, so RocksDB is not compiled again (the dependencies
# are the dev profile's, opt-level 2, either way).
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}
build=${BENCH_BUILD:-dev}
overrides=()
if [ "$build" = optimized ]; then
    shared=$CARGO_TARGET_DIR
    export CARGO_TARGET_DIR=${BENCH_TARGET_DIR:-$shared-bench}
    if [ ! -d "$CARGO_TARGET_DIR" ] && [ -d "$shared" ]; then
        log "seeding $CARGO_TARGET_DIR from $shared"
        cp -a "$shared" "$CARGO_TARGET_DIR" 2>/dev/null || true
    fi
    for crate in treaty treaty-compat treaty-bench; do
        overrides+=(--config "profile.dev.package.$crate.opt-level=3"
            --config "profile.dev.package.$crate.debug-assertions=false"
            --config "profile.dev.package.$crate.overflow-checks=false")
    done
fi
log "building treaty and treaty-bench ($build, $CARGO_TARGET_DIR)"
# The tests' invocation (scripts/env.sh), so the binaries they built are
# reused as they are.
cargo build --quiet --workspace --all-targets "${overrides[@]}"
