#!/usr/bin/env python3
"""A 3-node treaty cluster that starts and stops like one `treaty serve`.

The real-client suites start a fresh server per test as
`$TREATY_BIN serve --listen 127.0.0.1:0 --data-dir DIR [flags...]` and read
`treaty listening on HOST:PORT` from its stdout. With this script as
TREATY_BIN (scripts/client-cluster-tests.sh sets it up), each of those starts
three treaty nodes instead, on one Kafka broker and a schemas topic of their
own, and announces a FOLLOWER: every write the tests make is forwarded to
the writer. A second line, `treaty cluster urls: URL,URL,URL` (the follower
first), lets clients that take several URLs use all three: the Python
client does (it moves to the next URL only when one cannot be reached
or answers 408, 429 or 5xx).
The JavaScript client is given the follower alone: it moves to the next
URL on any error answer, 404 included, so a "not found" from the node that
acknowledged a delete would be replaced by the answer of a node that has
not read the delete yet (any registry that serves reads from followers,
Confluent's included, answers so).

    TREATY_CLUSTER_BIN       the real treaty binary
    TREATY_KAFKA_BOOTSTRAP   the broker (HOST:PORT)

DIR holds the nodes' data dirs (node-1, node-2, node-3) and their logs; the
topic is named after DIR, so a restart on the same DIR is the same cluster
again. SIGTERM stops the three nodes with SIGTERM and exits with the worst
of their statuses; if this process dies, the kernel kills the nodes
(PR_SET_PDEATHSIG), so no test leaves a node behind.
"""

import ctypes
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

NODES = 3
STARTUP_TIMEOUT_S = 30.0
SHUTDOWN_TIMEOUT_S = 10.0
LISTENING = re.compile(r"treaty listening on (\S+:\d+)")
PR_SET_PDEATHSIG = 1


def fail(message: str):
    print(f"cluster_serve: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def parse(argv):
    """(listen, data_dir, the other flags) of a `serve` command line."""
    if not argv or argv[0] != "serve":
        fail(f"expected `serve ...`, got {argv}")
    listen, data_dir, rest = "127.0.0.1:0", None, []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--listen":
            listen = next(args)
        elif arg == "--data-dir":
            data_dir = next(args)
        else:
            rest.append(arg)
    if data_dir is None:
        fail("--data-dir is required")
    return listen, os.path.abspath(data_dir), rest


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Node:
    def __init__(self, binary, bootstrap, topic, listen, data_dir, flags):
        self.stdout_path = data_dir + ".stdout"
        self.stderr_path = data_dir + ".stderr"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [binary, "serve", "--listen", listen, "--data-dir", data_dir,
                 "--kafka-bootstrap", bootstrap, "--kafka-topic", topic,
                 # tansu accepts a group session shorter than Kafka's 6 s
                 # least: a node that stopped is replaced sooner.
                 "--kafka-config", "session.timeout.ms=2000",
                 # The group's rebalance waits this long for members of the
                 # last generation: a cluster restarted on the same DIR
                 # elects its writer sooner.
                 "--kafka-config", "max.poll.interval.ms=6000", *flags],
                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                preexec_fn=die_with_parent,
            )
        self.url = None

    def logs(self) -> str:
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            try:
                with open(path, errors="replace") as f:
                    parts.append(f"--- {path} ---\n{f.read()}")
            except FileNotFoundError:
                pass
        return "\n".join(parts)

    def listening(self) -> bool:
        with open(self.stdout_path, errors="replace") as f:
            match = LISTENING.search(f.read())
        if match:
            self.url = "http://" + match.group(1)
        elif self.process.poll() is not None:
            raise RuntimeError(f"a node exited with status {self.process.returncode}\n{self.logs()}")
        return match is not None

    def cluster(self):
        with urllib.request.urlopen(self.url + "/v1/cluster", timeout=5) as response:
            return json.load(response)


def agreed_writer(nodes):
    """The URL every node names as the writer, once the writer says so itself."""
    try:
        statuses = [node.cluster() for node in nodes]
    except OSError:
        return None
    writer = statuses[0]["writer"]
    if writer and all(s["writer"] == writer for s in statuses) and any(
        s["role"] == "writer" and s["node"] == writer for s in statuses
    ):
        return writer
    return None


def wait_for(condition, nodes, what):
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    fail(f"{what} within {STARTUP_TIMEOUT_S}s\n" + "\n".join(n.logs() for n in nodes))


def main():
    binary = os.environ.get("TREATY_CLUSTER_BIN") or fail("TREATY_CLUSTER_BIN is not set")
    bootstrap = os.environ.get("TREATY_KAFKA_BOOTSTRAP") or fail("TREATY_KAFKA_BOOTSTRAP is not set")
    listen, data_dir, flags = parse(sys.argv[1:])
    host = listen.rsplit(":", 1)[0]
    os.makedirs(data_dir, exist_ok=True)
    topic = "_schemas-" + hashlib.sha256(data_dir.encode()).hexdigest()[:16]

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    nodes = [
        Node(binary, bootstrap, topic, f"{host}:0", os.path.join(data_dir, f"node-{n}"), flags)
        for n in range(1, NODES + 1)
    ]
    try:
        wait_for(lambda: all(node.listening() for node in nodes), nodes, "the nodes did not listen")
        writer = wait_for(lambda: agreed_writer(nodes), nodes, "the nodes agreed on no writer")
    except RuntimeError as error:
        for node in nodes:
            node.process.kill()
        fail(str(error))
    urls = sorted((node.url for node in nodes), key=lambda url: url == writer)
    # One write: a reader sees both lines or neither.
    sys.stdout.write(
        f"treaty listening on {urls[0].removeprefix('http://')}\n"
        f"treaty cluster urls: {','.join(urls)}\n"
    )
    sys.stdout.flush()

    while not stopping and all(node.process.poll() is None for node in nodes):
        time.sleep(0.05)
    statuses = []
    for node in nodes:
        if node.process.poll() is None:
            node.process.terminate()
    for node in nodes:
        try:
            statuses.append(node.process.wait(timeout=SHUTDOWN_TIMEOUT_S))
        except subprocess.TimeoutExpired:
            node.process.kill()
            statuses.append(node.process.wait())
    worst = max(statuses, key=abs)
    sys.exit(worst if worst >= 0 else 128 - worst)


if __name__ == "__main__":
    main()
