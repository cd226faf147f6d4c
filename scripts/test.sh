#!/usr/bin/env bash
# The whole test suite: the Docker build-context check, Rust unit and HTTP
# tests, the real Confluent client tests (against one node and against
# 3-node clusters), the web UI in a real browser, schemathesis against
# openapi.yaml, and the differential checks against the Apache Avro
# reference checker and `buf breaking`.
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
# Mostly waiting for the clusters' elections, so it runs beside the
# differential tests (after the suites above installed what it needs).
echo "== real-client tests against 3-node clusters (in the background)"
cluster_log="$(mktemp "${TMPDIR:-/tmp}/treaty-client-cluster.XXXXXX.log")"
TREATY_BIN="$CARGO_TARGET_DIR/debug/treaty" bash scripts/client-cluster-tests.sh >"$cluster_log" 2>&1 &
cluster_pid=$!
cluster_started=$SECONDS
trap 'kill "$cluster_pid" 2>/dev/null || true; rm -f "$cluster_log"' EXIT
echo "== web UI in a real browser (chromium, playwright-core)"
TREATY_BIN="$CARGO_TARGET_DIR/debug/treaty" bash scripts/ui-tests.sh
echo "== schemathesis: openapi.yaml against a running treaty"
TREATY_BIN="$CARGO_TARGET_DIR/debug/treaty" bash scripts/schemathesis.sh
echo "== Avro differential test against the Apache Avro reference checker"
bash scripts/avro-differential.sh
echo "== Protobuf differential test of the strict mode against buf breaking"
bash scripts/protobuf-differential.sh
echo "== real-client tests against 3-node clusters (waiting for them)"
waited=$SECONDS
cluster_status=0
wait "$cluster_pid" || cluster_status=$?
cat "$cluster_log"
echo "(cluster suites: $((SECONDS - cluster_started)) s in all, $((SECONDS - waited)) s waited for after the differential tests)"
exit "$cluster_status"
