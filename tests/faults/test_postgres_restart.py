"""PostgreSQL restarted under the app: every server connection of the database is ended, and the
app answers again at once, without a restart of its own (the app's engine pings a connection
before lending it; the change stamps' reader, which does not, reads again once).

The fault is what a restart does to the app's pooled connections, injected without restarting
the shared server: `pg_terminate_backend` on every other connection to the test's database.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.pool import NullPool

from app import create_app
from app.extensions import db
from app.models import Building, Inquiry

pytestmark = pytest.mark.postgres

INQUIRY = {"name": "王女士", "mobile": "13912345678", "message": "重启之后还能留言吗？"}
SLOW_S = 2.0  # generous: the tests share a small machine; the figures are recorded


@pytest.fixture
def site(app, demo, database_url, databases, tmp_path) -> Iterator[Flask]:
    """A second app on the test's PostgreSQL database, each request in an app context (and so a
    database session) of its own, as under gunicorn."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: the suite's second pass (TEST_DATABASE_URL) runs it")
    served = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "PAGECACHE_LOCAL_ENTRIES": 0,
        }
    )
    yield served
    with served.app_context():
        db.session.remove()
        db.engine.dispose()
    # The harness's own connection to the database was ended too: let its pool forget it.
    databases.engine.engine.dispose()


def _terminate_all(database_url: str) -> int:
    """End every other connection to the database, as a restart of the server would."""
    url = make_url(database_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, poolclass=NullPool)
    try:
        with admin.connect() as conn:
            ended = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
            # pg_terminate_backend only signals: wait until the backends are gone.
            for _ in range(100):
                left = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalar_one()
                if left == 0:
                    break
                time.sleep(0.02)
            return ended
    finally:
        admin.dispose()


def _visit(client, building_id: int, n: int) -> list[float]:
    """A search (a new question each time: queries, not the cache), a building page, and an
    inquiry (a write); each answers as usual."""
    took = []
    for method, url, data, status in (
        ("get", f"/listings/?area_min={n}", None, 200),
        ("get", f"/listings/{building_id}", None, 200),
        ("post", f"/listings/{building_id}/inquiry", INQUIRY, 302),
        ("get", "/", None, 200),
    ):
        started = time.perf_counter()
        response = getattr(client, method)(url, data=data)
        took.append(time.perf_counter() - started)
        assert response.status_code == status, (url, response.status_code)
    return took


def test_after_every_connection_is_ended_the_app_answers_again_without_a_restart(
    site, database_url, timings
):
    building_id = db.session.scalar(
        select(Building.id).where(Building.status == "published").order_by(Building.id)
    )
    db.session.remove()  # the test's own session holds no connection across the fault
    client = site.test_client()
    usual = _visit(client, building_id, 1) + _visit(client, building_id, 2)

    ended = _terminate_all(database_url)
    assert ended >= 2  # the app's pooled connection and the stamps reader's, at least
    after = _visit(client, building_id, 3)
    assert max(after) < SLOW_S, after

    ended_again = _terminate_all(database_url)
    assert ended_again >= 1
    again = _visit(client, building_id, 4)
    inquiries = db.session.scalar(select(func.count()).select_from(Inquiry))
    assert inquiries == 4  # every inquiry stored, none lost or doubled

    timings.update(
        connections_ended=f"{ended}, then {ended_again}",
        requests_before=f"median {statistics.median(usual) * 1000:.0f} ms",
        first_requests_after=" / ".join(f"{t * 1000:.0f} ms" for t in after),
        second_round_after=" / ".join(f"{t * 1000:.0f} ms" for t in again),
    )
