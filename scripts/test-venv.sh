# Sourced by the scripts that need the Python test virtualenv
# (client-tests.sh, kafka-env.sh): makes sure it holds
# tests/client/requirements.txt, and sets $venv to its path.
#
#   TREATY_VENV   virtualenv to create/reuse (default $HOME/.cache/treaty/venv)
#   PYTHON        interpreter that creates the venv (default python3)

venv="${TREATY_VENV:-$HOME/.cache/treaty/venv}"
_test_venv_python="${PYTHON:-python3}"
_test_venv_requirements="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/client/requirements.txt"

[[ -f "$_test_venv_requirements" ]] || { echo "test-venv: missing $_test_venv_requirements" >&2; return 1; }
command -v "$_test_venv_python" >/dev/null || { echo "test-venv: $_test_venv_python not found" >&2; return 1; }

# The venv is keyed on requirements.txt and the interpreter version; any change
# rebuilds it from scratch (no stale packages left behind).
_test_venv_wanted="$( { sha256sum "$_test_venv_requirements" | cut -d' ' -f1; "$_test_venv_python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" || ! -f "$venv/.treaty-requirements.sha256" \
    || "$(cat "$venv/.treaty-requirements.sha256")" != "$_test_venv_wanted" ]]; then
    echo "test-venv: creating venv $venv from $_test_venv_requirements" >&2
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    "$_test_venv_python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$_test_venv_requirements" \
        || { echo "test-venv: pip install -r $_test_venv_requirements failed" >&2; return 1; }
    echo "$_test_venv_wanted" >"$venv/.treaty-requirements.sha256"
fi
