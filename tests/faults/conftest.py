"""The fault tests' own components: a redis-server of their own that a test stops, starts again
on the same port or freezes, and the figures each test records (printed after the run)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from app import redis_clients

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
START_TIMEOUT_S = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server on a free port of 127.0.0.1, never the machine's shared one: `stop()` ends
    it (its port then refuses connections), `start()` brings it back on the same port, empty;
    `freeze()` stops the process with SIGSTOP (the kernel still accepts connections, nothing
    answers them), `thaw()` lets it go on."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.frozen = False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
            + ["--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.answers():
            if self.process.poll() is not None:
                pytest.fail(f"redis-server on port {self.port} exited: {self.process.returncode}")
            if time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {self.port} did not answer")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is None:
            return
        self.thaw()
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.frozen and self.process is not None:
            self.process.send_signal(signal.SIGCONT)
        self.frozen = False

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None and not self.frozen

    def answers(self) -> bool:
        client = self.client()
        try:
            return client.ping()
        except redis.RedisError:
            return False
        finally:
            client.close()

    def client(self) -> redis.Redis:
        """A client of the test's own (not the app's, whose connections the faults break)."""
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)


@pytest.fixture(scope="session")
def _redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.fail(f"the fault tests need {REDIS_SERVER}: apt-get install redis-server")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_server(_redis_server) -> Iterator[RedisServer]:
    """The session's own redis-server, running and empty at the start of the test, and running
    again after it whatever the test did to it; the process has forgotten earlier outages."""
    if not _redis_server.running():
        _redis_server.stop()
        _redis_server.start()
    client = _redis_server.client()
    client.flushall()
    client.close()
    # An earlier test's breaker may still be open (a frozen Redis runs the commands it was
    # sent once it is let go, so that test could see Redis used again before its breaker
    # closed): this test's requests meet the server as it is.
    redis_clients._breakers.pop(f"127.0.0.1:{_redis_server.port}", None)
    yield _redis_server
    if not _redis_server.running():
        _redis_server.stop()
        _redis_server.start()


@pytest.fixture(autouse=True)
def _loggers_on():
    """Alembic's logging setup, run when the session's template database is migrated, disables
    the loggers that exist by then; a server that meets a fault runs no migration."""
    for name in list(logging.root.manager.loggerDict):
        if name == "app" or name.startswith("app."):
            logging.getLogger(name).disabled = False


@pytest.fixture
def timings(request) -> dict[str, str]:
    """Figures a test measured, by name: printed at the end of the run (tests/conftest.py
    gathers them from every xdist worker through the reports' user_properties)."""
    figures: dict[str, str] = {}
    yield figures
    request.node.user_properties.append(("timings", dict(figures)))
