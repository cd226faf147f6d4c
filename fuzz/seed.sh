#!/usr/bin/env bash
# Builds the seed corpora under fuzz/corpus/<target>/ (not committed) from
# the repository's fixtures: each compatibility case's old and new schema
# joined by a NUL byte (the targets' input format), and each parse fixture
# on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus

seed_pairs() { # target extension fixtures-dir...
  local target=$1 ext=$2; shift 2
  mkdir -p "$corpus/$target"
  local dir name
  for dir in $(find "$@" -name "new.$ext" -printf '%h\n' | sort -u); do
    name=$(echo "$dir" | tr '/' '_')
    for old in "$dir"/old."$ext" "$dir"/v1."$ext"; do
      [ -f "$old" ] || continue
      { cat "$old"; printf '\0'; cat "$dir/new.$ext"; } > "$corpus/$target/pair_$name"
    done
  done
  local file
  for file in $(find "$@" -name "*.$ext" -not -name 'new.*' -not -name 'old.*' | sort); do
    cp "$file" "$corpus/$target/single_$(echo "$file" | tr '/' '_')"
  done
}

seed_pairs avro_parse_compat avsc tests/fixtures/compat/avro compat/tests/fixtures/avro_parse
seed_pairs protobuf_parse_compat proto tests/fixtures/compat/protobuf compat/tests/fixtures/protobuf_parse
seed_pairs json_schema_parse_compat json tests/fixtures/compat/json
# JSON Schema fixture dirs also hold expected.json: drop those.
rm -f "$corpus"/json_schema_parse_compat/single_*expected.json

# Hand-written seeds: HTTP request sequences, and binary descriptors
# (0x01, u16 length, FileDescriptorProto bytes of buf-built fixtures).
for seeds in fuzz/seeds/*/; do
  mkdir -p "$corpus/$(basename "$seeds")"
  cp "$seeds"* "$corpus/$(basename "$seeds")/"
done
for target in "$corpus"/*; do echo "$(ls "$target" | wc -l) seeds in $target"; done
