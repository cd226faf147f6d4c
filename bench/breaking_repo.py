#!/usr/bin/env python3
"""A git repository of schemas for bench/breaking.sh.

`python3 bench/breaking_repo.py DIR --count N` writes N schema files
(40% Avro, 30% JSON Schema, 30% Protobuf; every tenth Protobuf file with a
gRPC service, the rest importing one shared file), a treaty.yaml for all of
them, treaty-proto.yaml and a buf.yaml for the Protobuf part alone, commits
them, then changes the working tree: one file in ten gains an optional
field (compatible), three in a hundred (one of each format) gain a field
without a default or change a field's type (breaking), two in two hundred
are deleted.
"""

import argparse
import json
import subprocess
from pathlib import Path

FIELDS = 20

MANIFEST = """compatibility: BACKWARD
protobuf_wire_rules: true
import_paths: [proto]
schemas:
  - glob: "avro/*.avsc"
  - glob: "json/*.json"
  - glob: "proto/bench/*.proto"
"""

PROTO_MANIFEST = """compatibility: BACKWARD
protobuf_wire_rules: true
import_paths: [proto]
schemas:
  - glob: "proto/bench/*.proto"
"""

BUF_YAML = (
    "version: v2\nbreaking:\n  use:\n"
    "    - WIRE\n    - WIRE_JSON\n    - SERVICE_NO_DELETE\n    - RPC_NO_DELETE\n"
)

COMMON = """syntax = "proto3";
package bench.common;

message Money {
  string currency = 1;
  int64 units = 2;
  int32 nanos = 3;
}
"""


def avro(i: int, extra: bool, breaking: bool) -> str:
    fields = [{"name": f"f{n}", "type": ["null", "string"], "default": None} for n in range(FIELDS)]
    fields.append({"name": "id", "type": "long"})
    fields.append({
        "name": "status",
        "type": {"type": "enum", "name": f"Status{i}", "symbols": ["NEW", "DONE"]},
        "default": "NEW",
    })
    fields.append({
        "name": "line",
        "type": {"type": "record", "name": f"Line{i}", "fields": [
            {"name": "sku", "type": "string"}, {"name": "qty", "type": "int", "default": 1}]},
    })
    if extra:
        fields.append({"name": "note", "type": ["null", "string"], "default": None})
    if breaking:
        fields.append({"name": "required", "type": "string"})
    record = {"type": "record", "name": f"Event{i}", "namespace": "bench.avro", "fields": fields}
    return json.dumps(record, indent=2) + "\n"


def json_schema(i: int, extra: bool, breaking: bool) -> str:
    properties = {f"p{n}": {"type": "string"} for n in range(FIELDS)}
    properties["amount"] = {"type": "number", "minimum": 0}
    properties["tags"] = {"type": "array", "items": {"type": "string"}}
    if extra:
        properties["note"] = {"type": "string"}
    if breaking:
        properties["amount"] = {"type": "string"}
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": f"Doc{i}",
        "type": "object",
        "properties": properties,
        "required": ["p0"],
    }
    return json.dumps(schema, indent=2) + "\n"


def proto(i: int, extra: bool, breaking: bool) -> str:
    lines = ['syntax = "proto3";', f"package bench.s{i:05};", "",
             'import "bench/common.proto";', "", f"message Order{i} {{"]
    for n in range(1, FIELDS + 1):
        kind = "int32" if breaking and n == 1 else "string"
        lines.append(f"  {kind} f{n} = {n};")
    lines.append(f"  bench.common.Money total = {FIELDS + 1};")
    lines.append(f"  Line lines = {FIELDS + 2};")
    if extra:
        lines.append(f"  string note = {FIELDS + 3};")
    lines += ["  message Line {", "    string sku = 1;", "    int32 qty = 2;", "  }", "}", ""]
    if i % 10 == 0:
        lines += [f"service OrderService{i} {{",
                  f"  rpc Get(Order{i}) returns (Order{i});",
                  f"  rpc Put(Order{i}) returns (Order{i});", "}", ""]
    return "\n".join(lines)


def write_all(root: Path, count: int, changed: bool) -> None:
    for i in range(count):
        extra = changed and i % 10 == 1
        # One breaking change per format in every hundred files.
        breaking = changed and i % 100 in (7, 12, 25)
        deleted = changed and i % 200 in (3, 108)
        kind = i % 10
        if kind < 4:
            path, text = root / "avro" / f"e{i:05}.avsc", avro(i, extra, breaking)
        elif kind < 7:
            path, text = root / "json" / f"d{i:05}.json", json_schema(i, extra, breaking)
        else:
            path, text = root / "proto" / "bench" / f"s{i:05}.proto", proto(i, extra, breaking)
        if deleted:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
                   cwd=root, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    root = args.dir
    (root / "proto" / "bench").mkdir(parents=True)
    (root / "treaty.yaml").write_text(MANIFEST)
    (root / "treaty-proto.yaml").write_text(PROTO_MANIFEST)
    (root / "proto" / "buf.yaml").write_text(BUF_YAML)
    (root / "proto" / "bench" / "common.proto").write_text(COMMON)
    write_all(root, args.count, changed=False)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "baseline")
    write_all(root, args.count, changed=True)


if __name__ == "__main__":
    main()
