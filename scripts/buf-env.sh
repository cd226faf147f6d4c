# Sourced: installs @bufbuild/buf with npm into $HOME/.cache/treaty/buf if
# missing (or of another version) and sets $buf to its binary. Used by the
# Protobuf differential test and the `treaty breaking` benchmark.
buf_version="1.75.0"
buf_prefix="$HOME/.cache/treaty/buf"
buf="$buf_prefix/node_modules/.bin/buf"
if [ ! -x "$buf" ] || [ "$("$buf" --version 2>/dev/null)" != "$buf_version" ]; then
  mkdir -p "$buf_prefix"
  npm install --silent --no-save --prefix "$buf_prefix" "@bufbuild/buf@$buf_version" >&2
fi
