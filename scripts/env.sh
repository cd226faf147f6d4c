# Shared by the project's scripts: the Debian packages a build needs, and
# one cargo target dir outside the clone, so RocksDB's C++ build is reused by
# every later run on the same machine and tests and server share one profile.
# Source it; it installs what is missing and exports CARGO_TARGET_DIR.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}"
mkdir -p "$CARGO_TARGET_DIR"

# RocksDB's bindings are generated with libclang; librdkafka (src/kafka) is
# built with make and links the system OpenSSL, found with pkg-config.
missing=()
for package in libclang-dev clang make pkg-config libssl-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The one cargo build of the scripts. Cargo unifies features over the
# targets it builds, so a narrower build (`cargo build --bin treaty`) asks
# for other feature sets, gets other artefacts and recompiles a score of
# crates; with this one, whichever script runs second finds all built.
build_workspace() {
  cargo build --workspace --all-targets
}
