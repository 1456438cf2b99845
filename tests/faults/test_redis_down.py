"""Redis gone: the pages answer at their usual speed, the page cache and the rate limits degrade
as docs/operations.md says, one line is logged when Redis goes and one when it is back, and
everything uses it again by itself once it answers on the same port.

The site under test is an app of its own on the test's database whose page cache, rate limits
and job queue all use the tests' own redis-server (tests/faults/conftest.py), each request in an
app context of its own, as under gunicorn.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from sqlalchemy import select

from app import create_app, jobs, redis_clients
from app.extensions import db, limiter
from app.models import Building, OutboundEmail
from tests.factories import UserFactory

# How long Redis is skipped after a failure in these tests (production: 5 s), so that a test
# sees it tried again within a second.
BREAKER_S = 0.5
FROZEN_BREAKER_S = 2.0
# No page may take this long while Redis is down (the issue saw 6.5 s; a frozen Redis held a
# page for good): generous, as the tests share a small machine; the figures are recorded.
SLOW_S = 2.0
RECOVERY_WAIT_S = 10.0
INQUIRY = {"name": "王女士", "mobile": "13912345678", "message": "想看 5 楼，周六方便吗？"}


@pytest.fixture
def site(app, demo, database_url, redis_server, tmp_path) -> Iterator[Flask]:
    """The app as production runs it with REDIS_URL: cache, limits and jobs in Redis."""
    served = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "REDIS_URL": redis_server.url,
            "JOB_QUEUE": "fault-jobs",
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_server.url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": redis_server.url,
            # Every page asks Redis: no copy of an entry is kept in the process in front of it.
            "PAGECACHE_LOCAL_ENTRIES": 0,
            "REDIS_BREAKER_SECONDS": BREAKER_S,
        }
    )
    yield served
    with served.app_context():
        db.session.remove()
        db.engine.dispose()
    # Flask-Limiter is one object for every app of the process and keeps, across apps, whether
    # it fell back to memory: the next test's app starts from its own storage.
    limiter._storage_dead = False


def _pages() -> list[str]:
    ids = db.session.scalars(
        select(Building.id).where(Building.status == "published").order_by(Building.id).limit(3)
    ).all()
    return [
        "/listings/",
        "/listings/?deal=rent",
        "/listings/?town=次坞镇",
        *(f"/listings/{i}" for i in ids),
    ]


def _get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return took


def _cache_keys(redis_server) -> int:
    store = redis_server.client()
    try:
        keys = store.scan_iter("xiezilou:*")
        return sum(1 for key in keys if b"LIMITER" not in key)
    finally:
        store.close()


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _recovered(client, redis_server, probe) -> float:
    """Seconds until a page's cache entry lands in Redis again, asking a new page each time."""
    started = time.perf_counter()
    n = 0
    while _cache_keys(redis_server) == 0:
        assert time.perf_counter() - started < RECOVERY_WAIT_S, "the cache never used Redis again"
        n += 1
        _get(client, f"{probe}&area_min={n}")
        time.sleep(0.02)
    return time.perf_counter() - started


def test_with_redis_stopped_pages_answer_at_their_speed_and_one_line_is_logged(
    site, redis_server, caplog, timings
):
    client = site.test_client()
    pages = _pages()
    for url in pages:  # rendered once, and cached in Redis
        _get(client, url)
    assert _cache_keys(redis_server) >= len(pages)
    usual = [_get(client, url) for url in pages * 3]  # served from Redis

    redis_server.stop()
    caplog.clear()
    caplog.set_level(logging.INFO)
    down = [_get(client, url) for url in pages * 3]
    assert max(down) < SLOW_S, [_ms(t) for t in down]
    said = _warnings(caplog)
    assert len(said) == 1, said
    assert "Redis" in said[0] and str(redis_server.port) in said[0]

    redis_server.start()  # the same port, empty
    caplog.clear()
    recovery = _recovered(client, redis_server, "/listings/?deal=rent&sort=newest")
    said = _warnings(caplog)
    assert len(said) == 1 and "again" in said[0], said

    timings.update(
        pages_with_redis=f"median {_ms(statistics.median(usual))}, max {_ms(max(usual))}",
        pages_redis_stopped=f"median {_ms(statistics.median(down))}, max {_ms(max(down))}",
        first_page_redis_stopped=_ms(down[0]),
        recovery_after_restart=_ms(recovery),
    )


def _timed_in_thread(client, url: str, limit: float) -> float:
    """A request that is given up on (failing the test) if it takes longer than `limit`: a
    Redis that accepts connections and never answers would otherwise hang the test."""
    took: list[float] = []
    worker = threading.Thread(target=lambda: took.append(_get(client, url)), daemon=True)
    worker.start()
    worker.join(limit)
    assert took, f"{url} took over {limit} s with Redis frozen"
    return took[0]


def test_a_frozen_redis_costs_one_short_timeout_then_is_skipped(site, redis_server, timings):
    client = site.test_client()
    pages = _pages()
    for url in pages:
        _get(client, url)

    # Redis skipped for longer than the other tests do, so that the count of requests that
    # try it again stays small on a busy machine.
    guard = redis_clients.breaker(f"127.0.0.1:{redis_server.port}", FROZEN_BREAKER_S)
    redis_server.freeze()  # connections are accepted by the kernel; nothing answers
    down = [_timed_in_thread(client, url, limit=5.0) for url in pages * 2]
    # One request waits out the socket timeout and opens the breaker; the others skip Redis,
    # but for one every FROZEN_BREAKER_S that tries it again.
    assert 1 <= guard.failures <= 1 + int(sum(down) / FROZEN_BREAKER_S), guard.failures
    assert max(down) < SLOW_S, [_ms(t) for t in down]
    waits = guard.failures

    redis_server.thaw()
    # Let go, Redis runs what it was sent meanwhile: start from nothing to see new entries.
    store = redis_server.client()
    store.flushall()
    store.close()
    recovery = _recovered(client, redis_server, "/listings/?deal=rent&sort=area_desc")
    assert not guard.open
    timings.update(
        pages_redis_frozen=f"median {_ms(statistics.median(down))}, max {_ms(max(down))}",
        requests_that_waited_redis_frozen=f"{waits} of {len(down)}",
        recovery_after_thaw=_ms(recovery),
    )


def test_a_frozen_redis_costs_one_wait_however_many_connections_a_process_holds(
    site, redis_server, timings
):
    """Under gunicorn's threads a client holds several connections at once: once one has
    waited out the timeout, the others are not used either until the breaker lets one try."""
    guard = redis_clients.breaker(f"127.0.0.1:{redis_server.port}", FROZEN_BREAKER_S)
    store = redis_clients.client(site.config)
    pool = store.connection_pool
    others = [pool.get_connection() for _ in range(3)]  # connected, in other threads' hands
    redis_server.freeze()
    with pytest.raises(redis.RedisError):
        store.get("first")  # waits out REDIS_TIMEOUT, and opens the breaker
    assert guard.failures == 1

    started = time.perf_counter()
    for connection in others:
        with pytest.raises(redis_clients.Skipped):
            connection.send_command("GET", "key")
            connection.read_response()
    took = time.perf_counter() - started
    assert guard.failures == 1, guard.failures
    redis_server.thaw()
    for connection in others:
        pool.release(connection)
    store.close()
    timings.update(three_more_connections_redis_frozen=_ms(took))


def _inquire(client, building_id: int) -> int:
    response = client.post(f"/listings/{building_id}/inquiry", data=INQUIRY)
    return response.status_code


def test_rate_limits_hold_in_each_process_while_redis_is_down_then_count_in_redis(
    site, redis_server, caplog, timings
):
    client = site.test_client()
    building_id = db.session.scalar(
        select(Building.id).where(Building.status == "published").order_by(Building.id)
    )
    assert _inquire(client, building_id) == 302  # counted in Redis
    redis_server.stop()
    caplog.clear()
    # The limit (5 a minute) is counted in this process meanwhile: it still stops the sixth.
    started = time.perf_counter()
    codes = [_inquire(client, building_id) for _ in range(6)]
    took = time.perf_counter() - started
    assert codes == [302] * 5 + [429], codes
    # The breaker's line; Flask-Limiter's own about its fallback says the same, and is not
    # repeated; each inquiry's email waits (an info line each).
    said = _warnings(caplog)
    assert len(said) == 1 and "Redis" in said[0], said

    redis_server.start()
    started = time.perf_counter()
    store = redis_server.client()
    while not any(store.scan_iter("*LIMITER*")):
        assert time.perf_counter() - started < RECOVERY_WAIT_S, "limits never counted in Redis"
        time.sleep(0.1)
        client.get("/")  # any request lets the limiter look at its storage again
        _inquire(client, building_id)
    store.close()
    timings.update(
        inquiries_redis_stopped=f"{_ms(took / len(codes))} each",
        limits_in_redis_again_after=_ms(time.perf_counter() - started),
    )


def test_jobs_while_redis_is_down_nothing_is_lost(site, redis_server, mailbox, timings):
    """An inquiry's email waits, queued, for the worker (which sends what waits when it starts);
    a job that carries its work in its arguments (a reset link) runs in the web process."""
    site.config["MAIL_URL"] = mailbox.url
    client = site.test_client()
    building_id = db.session.scalar(
        select(Building.id).where(Building.status == "published").order_by(Building.id)
    )
    user = UserFactory(email="lin@example.com")
    db.session.commit()

    redis_server.stop()
    started = time.perf_counter()
    assert _inquire(client, building_id) == 302
    reset = client.post("/accounts/reset", data={"email": user.email})
    took = time.perf_counter() - started
    assert reset.status_code == 302
    db.session.expire_all()
    rows = db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()
    assert [(r.kind, r.status) for r in rows] == [("inquiry_new", "queued"), ("reset", "queued")]

    redis_server.start()
    # The worker is another process in production, which knows nothing of the web process's
    # breaker; here it shares the test's, which tries Redis again after BREAKER_S.
    time.sleep(BREAKER_S)
    with site.app_context():  # the command runs in the current app's context
        result = site.test_cli_runner().invoke(args=["worker", "--burst"])
        queued = jobs.queue(site.config).count
    assert result.exit_code == 0, result.output
    assert "2 封等待中的邮件已排队" in result.output
    subjects = sorted(m["Subject"] for m in mailbox.wait_for(2))
    assert len(mailbox.messages) == 2, subjects
    db.session.expire_all()
    assert {r.status for r in db.session.scalars(select(OutboundEmail))} == {"sent"}
    assert queued == 0
    timings.update(inquiry_and_reset_redis_stopped=_ms(took))
