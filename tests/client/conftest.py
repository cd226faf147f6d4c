"""Fixtures for the real-client suite: a fresh `treaty serve` per test.

The binary comes from $TREATY_BIN (default
${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty); the caller
builds it. Each server listens on 127.0.0.1:0 with its own data directory and
announces its address on stdout as `treaty listening on 127.0.0.1:PORT`.
"""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

STARTUP_TIMEOUT_S = 20.0
SHUTDOWN_TIMEOUT_S = 10.0
LISTENING = re.compile(r"treaty listening on (\S+:\d+)")
# Printed by scripts/cluster_serve.py: every node of a cluster, the announced one first.
CLUSTER_URLS = re.compile(r"treaty cluster urls: (\S+)")


def treaty_bin_path() -> Path:
    explicit = os.environ.get("TREATY_BIN")
    if explicit:
        return Path(explicit)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "treaty", "target"
    )
    return Path(target) / "debug" / "treaty"


class TreatyServer:
    """One `treaty serve` process. stdout and stderr go to files (never a
    pipe that nobody drains: tracing logs would eventually block the server)."""

    def __init__(self, binary: Path, data_dir: Path, log_dir: Path, extra_args=()):
        self.binary = binary
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        log_dir.mkdir(parents=True, exist_ok=True)
        self.stdout_path = log_dir / "treaty.stdout"
        self.stderr_path = log_dir / "treaty.stderr"
        self.process = None
        self.url = None
        # What a client that takes several URLs is given.
        self.client_url = None

    def logs(self) -> str:
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            try:
                parts.append(f"--- {path.name} ---\n{path.read_text(errors='replace')}")
            except FileNotFoundError:
                pass
        return "\n".join(parts)

    def start(self) -> str:
        assert self.process is None, "already started"
        env = dict(os.environ)
        env.pop("TREATY_LISTEN", None)
        env.pop("TREATY_DATA_DIR", None)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [
                    str(self.binary),
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--data-dir",
                    str(self.data_dir),
                    *self.extra_args,
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            text = self.stdout_path.read_text(errors="replace")
            match = LISTENING.search(text)
            if match and text.endswith("\n"):
                self.url = "http://" + match.group(1)
                cluster = CLUSTER_URLS.search(text)
                self.client_url = cluster.group(1) if cluster else self.url
                return self.url
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"treaty exited with status {self.process.returncode} before listening\n"
                    + self.logs()
                )
            time.sleep(0.01)
        self.kill()
        raise RuntimeError(
            f"treaty did not print 'treaty listening on ...' within {STARTUP_TIMEOUT_S}s\n"
            + self.logs()
        )

    def stop(self) -> int:
        """SIGTERM, wait, then SIGKILL. Returns the exit status."""
        process = self.process
        if process is None:
            return 0
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=SHUTDOWN_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.process = None
        self.url = None
        return process.returncode

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture(scope="session")
def treaty_bin() -> Path:
    path = treaty_bin_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"treaty binary not found or not executable at {path}; "
            "build it first or set TREATY_BIN",
            pytrace=False,
        )
    return path


@pytest.fixture
def treaty_factory(treaty_bin, tmp_path):
    """Starts servers on demand; every one still running is stopped at teardown."""
    servers = []

    def start(data_dir: Path = None, extra_args=()) -> TreatyServer:
        data_dir = data_dir or (tmp_path / "data")
        log_dir = tmp_path / f"logs-{len(servers)}"
        server = TreatyServer(treaty_bin, data_dir, log_dir, extra_args)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def treaty(treaty_factory) -> TreatyServer:
    """A fresh, empty treaty server for one test."""
    return treaty_factory()


@pytest.fixture
def treaty_url(treaty) -> str:
    return treaty.url


@pytest.fixture
def new_client(treaty):
    """Factory of SchemaRegistryClient instances on the test's server.

    The client caches aggressively (id<->schema, subject/version, latest);
    tests that must see the server's answer use a fresh instance."""
    clients = []

    def make(url: str = None) -> SchemaRegistryClient:
        client = SchemaRegistryClient({"url": url or treaty.client_url})
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(new_client) -> SchemaRegistryClient:
    return new_client()
