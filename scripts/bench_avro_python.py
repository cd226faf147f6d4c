#!/usr/bin/env python3
"""Times the bench_avro workload with Apache Avro's Python checker.

Reads the workload written by `bench_avro --emit <path>` (v1 … vN, then the
new schema, one JSON per line) and runs the same FULL_TRANSITIVE checks:
for every old version, old reads new and new reads old.
Usage: bench_avro_python.py <workload.jsonl>
"""

import sys
import time
import warnings

import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType


def main():
    with open(sys.argv[1]) as fh:
        texts = [line for line in fh if line.strip()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schemas = [avro.schema.parse(t) for t in texts]
    *old, new = schemas
    started = time.perf_counter()
    for previous in reversed(old):
        for reader, writer in ((previous, new), (new, previous)):
            result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
            if result.compatibility is not SchemaCompatibilityType.compatible:
                sys.exit("workload must be compatible")
    elapsed = time.perf_counter() - started
    print(f"python avro: FULL_TRANSITIVE vs {len(old)} versions ({2 * len(old)} reader/writer checks): "
          f"{elapsed * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
