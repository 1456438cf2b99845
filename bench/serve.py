"""Gunicorn under test: started with the production settings, polled until ready, always stopped."""

from __future__ import annotations

import ctypes
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import ROOT

WORKERS = 2
THREADS = 4
READY_TIMEOUT_S = 90
IDLE_TIMEOUT_S = 120
PR_SET_PDEATHSIG = 1


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the master process."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def cpu_ticks(self) -> int:
        """CPU time the workers have used so far, in clock ticks."""
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def wait_idle(self, timeout_s: float = IDLE_TIMEOUT_S) -> bool:
        """Wait until the workers stop computing (requests a load run left behind finish)."""
        deadline = time.monotonic() + timeout_s
        last = self.cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.cpu_ticks()
            if now - last <= 2:
                return True
            last = now
        return False

    def peak_rss_mb(self) -> float:
        """The largest peak resident set (VmHWM) of any worker, in MB."""
        peaks = [_status_kb(pid, "VmHWM") for pid in self.worker_pids()]
        return round(max(peaks) / 1024, 1) if peaks else float("nan")


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the bench process dies, even by SIGKILL (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_command(app_spec: str, port: int) -> list[str]:
    """gunicorn with the repository's gunicorn.conf.py, as production runs it."""
    binary = Path(sys.executable).parent / "gunicorn"
    return [
        str(binary), "--config", str(ROOT / "gunicorn.conf.py"), "--workers", str(WORKERS),
        "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}",
        # The control socket's default path is shared by every gunicorn of the user.
        "--no-control-socket", app_spec,
    ]  # fmt: skip


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def shared_cache_url() -> str | None:
    """The Redis that production would share its page cache through, if one answers here
    (REDIS_URL, else the local default); None: each worker keeps its own cache."""
    import redis

    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.RedisError, OSError, ValueError):
        return None
    return url


def production_env(database_url: str) -> dict[str, str]:
    """The environment of a production worker: secrets, the database, and the shared cache
    when Redis is there, under a key prefix of this run's own (engines share one Redis)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "GUNICORN_"))}
    env.update(APP_ENV="production", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=database_url)
    env.pop("WEB_CONCURRENCY", None)
    env.pop("REDIS_URL", None)
    redis_url = shared_cache_url()
    if redis_url is not None:
        env.update(REDIS_URL=redis_url, REDIS_KEY_PREFIX=f"bench-{secrets.token_hex(4)}:")
    else:  # production wants a shared limits store; without Redis each worker counts its own
        env.update(RATELIMIT_STORAGE_URI="memory://")
    return env


class Gunicorn:
    """A gunicorn that can be restarted: a request that timed out keeps its worker busy."""

    def __init__(self, app_spec: str, env: dict[str, str], log: Path, probe: str = "/") -> None:
        self.app_spec, self.env, self.log, self.probe = app_spec, env, log, probe
        self.server: Server | None = None

    def start(self) -> Server:
        port = free_port()
        with self.log.open("ab") as out:
            process = subprocess.Popen(
                gunicorn_command(self.app_spec, port), cwd=ROOT, env=self.env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
            )  # fmt: skip
        server = Server(process, port, self.log)
        try:
            _wait_ready(server, self.probe)
        except BaseException:
            _stop(process)
            raise
        self.server = server
        return server

    def stop(self) -> None:
        if self.server is not None:
            _stop(self.server.process)
            self.server = None

    def restart(self) -> Server:
        self.stop()
        return self.start()

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], log: Path, probe: str = "/") -> Iterator[Server]:
    """Serve `app_spec` until the block ends; the whole process group is stopped even on error."""
    with Gunicorn(app_spec, env, log, probe) as running:
        assert running.server is not None
        yield running.server


def _wait_ready(server: Server, probe: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.process.returncode}); see {server.log}")
        if _answers(server.port, probe) and len(server.worker_pids()) >= WORKERS:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn not ready after {READY_TIMEOUT_S} s; see {server.log}")


def _answers(port: int, path: str) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=25)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
