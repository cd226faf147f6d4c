#!/usr/bin/env bash
# The whole test suite: the Docker build-context check, Rust unit and HTTP
# tests, the real Confluent client tests, the web UI in a real browser, and
# the differential checks against the Apache Avro reference checker and
# `buf breaking`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

echo "== Docker build context (what the Dockerfile copies is what the build needs)"
bash scripts/docker-context-check.sh
echo "== build (one profile for tests and the server the client tests start)"
build_workspace
echo "== cargo test (with a Kafka broker for src/kafka's tests)"
. scripts/kafka-env.sh
cargo test --workspace
echo "== real-client tests (confluent-kafka)"
TREATY_BIN="$CARGO_TARGET_DIR/debug/treaty" bash scripts/client-tests.sh
echo "== real-client tests (Confluent JavaScript client)"
TREATY_BIN="$CARGO_TARGET_DIR/debug/treaty" bash scripts/client-js-tests.sh
echo "== web UI in a real browser (chromium, playwright-core)"
TREATY_BIN="$CARGO_TARGET_DIR/debug/treaty" bash scripts/ui-tests.sh
echo "== Avro differential test against the Apache Avro reference checker"
bash scripts/avro-differential.sh
echo "== Protobuf differential test of the strict mode against buf breaking"
bash scripts/protobuf-differential.sh
