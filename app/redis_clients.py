"""Redis clients that fail fast: short timeouts, one retry, and a breaker per server.

Every client the web side makes (the page cache, the rate limits, the job queue) connects
through `BreakerConnection`. When a connection to a server cannot be made, or the server does
not answer within REDIS_TIMEOUT, that server's breaker opens: for REDIS_BREAKER_SECONDS every
connection to it fails at once without trying, then one caller tries again while the others
keep skipping it. So a Redis that is down or hung costs the pages one short timeout, not one
per request, and each client degrades its own way (docs/operations.md, "Faults"): the page
cache renders, the limiter counts in the process, a job waits or runs in the process.

One warning is logged when a server goes and one when it answers again; the clients log
nothing of their own for an outage the breaker has reported (`is_outage`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import Flask
from redis import Redis
from redis.backoff import NoBackoff
from redis.connection import Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from app.config import Config

log = logging.getLogger(__name__)


class Skipped(RedisConnectionError):
    """Raised, without trying, for a server whose breaker is open."""


class Breaker:
    """Whether a server is to be tried: closed (yes), or open since a failure (no, but one
    caller every `seconds`). `failures` counts the tries that failed, each a caller's wait."""

    def __init__(self, server: str, seconds: float) -> None:
        self.server = server
        self.seconds = seconds
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.failures = 0
        self._last_error: Exception | None = None
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return self.down_since is not None

    def skipping(self) -> bool:
        return self.down_since is not None and time.monotonic() < self.retry_at

    def allow(self) -> None:
        """Return if a connection to the server may be tried now; raise Skipped if not."""
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            now = time.monotonic()
            if now < self.retry_at:
                raise Skipped(f"Redis at {self.server} is skipped after a failure")
            self.retry_at = now + self.seconds  # this caller tries; the others still skip

    def failed(self, error: Exception) -> None:
        with self._lock:
            if error is self._last_error:
                return  # a handshake's timeout, told by the read and again by the connect
            self._last_error = error
            self.failures += 1
            now = time.monotonic()
            self.retry_at = now + self.seconds
            if self.down_since is not None:
                return
            self.down_since = now
        log.warning(
            "Redis at %s is unreachable (%s): pages are served without its cache, rate limits"
            " are counted in each process, jobs wait or run in the web process; trying again"
            " every %g s",
            self.server,
            error,
            self.seconds,
        )

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            lasted = time.monotonic() - self.down_since
            self.down_since = None
        log.warning("Redis at %s answers again, after %.1f s", self.server, lasted)


# One breaker per server for the process: every client of a server shares what it learnt.
_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker(server: str, seconds: float | None = None) -> Breaker:
    """The breaker of `server` ("host:port"); `seconds` sets how long it skips the server."""
    with _breakers_lock:
        found = _breakers.get(server)
        if found is None:
            found = _breakers[server] = Breaker(server, seconds or Config.REDIS_BREAKER_SECONDS)
        elif seconds is not None:
            found.seconds = seconds
        return found


def is_outage(error: BaseException) -> bool:
    """Whether `error` is a server's failure to connect or answer, which its breaker reports."""
    return isinstance(error, RedisConnectionError | RedisTimeoutError)


def any_open() -> bool:
    return any(found.open for found in list(_breakers.values()))


class _Guarded:
    """Connections that ask their server's breaker before connecting and tell it how it went.

    A connection that breaks while in use (the server restarted) is not a failure by itself:
    the client's one retry connects again, and that connection says whether the server is there.
    A read that times out is: the server accepted and does not answer.
    """

    host: str
    port: int
    _sock: object
    _connecting = False  # in the handshake of the one try the breaker let through

    def _breaker(self) -> Breaker:
        return breaker(_server_of(self))

    def connect_check_health(self, check_health: bool = True, retry_socket_connect: bool = True):
        if self._sock:
            return
        guard = self._breaker()
        guard.allow()
        self._connecting = True
        try:
            super().connect_check_health(check_health, retry_socket_connect)
        except (RedisConnectionError, RedisTimeoutError) as error:
            if not isinstance(error, Skipped):
                guard.failed(error)
            raise
        finally:
            self._connecting = False
        guard.succeeded()

    def send_packed_command(self, command, check_health: bool = True):
        # A connection made before the failure is not used while the server is skipped: on a
        # hung server each would wait out its timeout. (The client's retry then connects,
        # which the breaker refuses, or lets through as the one try after its interval.)
        if self._sock and not self._connecting and self._breaker().skipping():
            raise Skipped(f"Redis at {_server_of(self)} is skipped after a failure")
        return super().send_packed_command(command, check_health)

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except RedisTimeoutError as error:
            self._breaker().failed(error)
            raise


class BreakerConnection(_Guarded, Connection):
    pass


class BreakerSSLConnection(_Guarded, SSLConnection):
    pass


class BreakerUnixConnection(_Guarded, UnixDomainSocketConnection):
    pass


_CONNECTIONS = {
    "redis": BreakerConnection,
    "rediss": BreakerSSLConnection,
    "unix": BreakerUnixConnection,
}


def _server_of(connection) -> str:
    path = getattr(connection, "path", None)
    return path or f"{connection.host}:{connection.port}"


def _server(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


def options(config: Mapping, url: str) -> dict:
    """Keyword arguments for `redis.from_url(url, ...)` (and so for Flask-Caching's
    CACHE_OPTIONS and Flask-Limiter's RATELIMIT_STORAGE_OPTIONS): the timeouts, one retry at
    once (a pooled connection the server has closed is made again), and the breaker."""
    found = {
        "socket_connect_timeout": config.get("REDIS_CONNECT_TIMEOUT", Config.REDIS_CONNECT_TIMEOUT),
        "socket_timeout": config.get("REDIS_TIMEOUT", Config.REDIS_TIMEOUT),
        "retry": Retry(NoBackoff(), 1),
    }
    connection = _CONNECTIONS.get(urlsplit(url).scheme)
    if connection is not None:
        found["connection_class"] = connection
        breaker(_server(url), config.get("REDIS_BREAKER_SECONDS", Config.REDIS_BREAKER_SECONDS))
    return found


def client(config: Mapping, url: str | None = None) -> Redis:
    """A client of `url` (REDIS_URL by default) with the options above."""
    url = url or config["REDIS_URL"]
    return Redis.from_url(url, **options(config, url))


def _is_redis(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in _CONNECTIONS


class _ReportedByBreaker(logging.Filter):
    """Flask-Limiter says so when its storage fails and it falls back to memory: while a
    breaker is open that is the outage the breaker has already logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        said = record.getMessage()
        return not (said.startswith("Rate limit storage unreachable") and any_open())


_LIMITER_FILTER = _ReportedByBreaker()


def init_app(app: Flask) -> None:
    """Give the page cache's and the limiter's Redis clients the options above (before those
    extensions are initialised)."""
    config = app.config
    if config.get("CACHE_TYPE") == "RedisCache" and _is_redis(config.get("CACHE_REDIS_URL")):
        own = config.get("CACHE_OPTIONS") or {}
        config["CACHE_OPTIONS"] = {**options(config, config["CACHE_REDIS_URL"]), **own}
    storage = config.get("RATELIMIT_STORAGE_URI")
    if _is_redis(storage):
        own = config.get("RATELIMIT_STORAGE_OPTIONS") or {}
        config["RATELIMIT_STORAGE_OPTIONS"] = {**options(config, storage), **own}
    logging.getLogger("flask-limiter").addFilter(_LIMITER_FILTER)  # once: filters are a set
