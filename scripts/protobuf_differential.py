#!/usr/bin/env python3
"""Differential test of treaty's strict Protobuf mode against `buf breaking`.

For every pair case under tests/fixtures/compat/protobuf/, runs
`buf breaking <new> --against <old>` (backward) and the same swapped
(forward) with categories WIRE and WIRE_JSON plus the gRPC rules
SERVICE_NO_DELETE and RPC_NO_DELETE, and compares Buf's rule ids
with those treaty's strict mode reports (from the protobuf_check example).
A disagreement is explained when KNOWN_DIFFERENCES.json lists it with the
same case, direction, Buf rules and treaty rules. Exits 1 on any other.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BUF_YAML = (
    "version: v2\nbreaking:\n  use:\n"
    "    - WIRE\n    - WIRE_JSON\n    - SERVICE_NO_DELETE\n    - RPC_NO_DELETE\n"
)
SCHEMA_FILE = "schema.proto"


def side_dir(case: Path, side: str, root: Path) -> Path:
    """A Buf module with the case's `<side>.proto` as schema.proto plus its imports."""
    out = root / side
    out.mkdir()
    (out / "buf.yaml").write_text(BUF_YAML)
    shutil.copy(case / f"{side}.proto", out / SCHEMA_FILE)
    for folder in ("imports", f"{side}_imports"):
        if (case / folder).is_dir():
            shutil.copytree(case / folder, out, dirs_exist_ok=True)
    return out


def buf_rules(buf: str, current: Path, previous: Path) -> list:
    result = subprocess.run(
        [buf, "breaking", str(current), "--against", str(previous), "--error-format", "json"],
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 100):
        raise RuntimeError(f"buf failed ({result.returncode}): {result.stderr.strip()}")
    rules = {json.loads(line)["type"] for line in result.stdout.splitlines() if line.strip()}
    return sorted(rules)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buf", required=True)
    parser.add_argument("--checker", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--verbose", action="store_true", help="print every case's rules")
    args = parser.parse_args()

    fixtures = Path(args.fixtures)
    known = json.loads((fixtures / "KNOWN_DIFFERENCES.json").read_text())
    known_keys = {
        (k["case"], k["direction"], tuple(k["buf"]), tuple(k["treaty"])): k["reason"] for k in known
    }
    output = subprocess.run([args.checker], capture_output=True, text=True, check=True).stdout
    treaty = {a["case"]: a for a in map(json.loads, output.splitlines())}

    cases = 0
    explained = 0
    unexplained = []
    for case, answer in sorted(treaty.items()):
        if "error" in answer:
            unexplained.append(f"{case}: treaty could not load the case: {answer['error']}")
            continue
        cases += 1
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            old = side_dir(fixtures / case, "old", root)
            new = side_dir(fixtures / case, "new", root)
            buf = {
                "backward": buf_rules(args.buf, new, old),
                "forward": buf_rules(args.buf, old, new),
            }
        for direction in ("backward", "forward"):
            theirs, ours = buf[direction], answer[f"wire_{direction}"]
            if args.verbose:
                print(f"{case} {direction}: buf {theirs} treaty {ours}")
            if theirs == ours:
                continue
            if (case, direction, tuple(theirs), tuple(ours)) in known_keys:
                explained += 1
                continue
            unexplained.append(f"{case} {direction}: buf {theirs}, treaty {ours}")

    for line in unexplained:
        print(line)
    print(
        f"protobuf differential: {cases} cases, {explained} explained and "
        f"{len(unexplained)} unexplained disagreements"
    )
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
