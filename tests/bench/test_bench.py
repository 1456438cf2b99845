"""The benchmark harness runs end to end at a tiny scale, so it cannot rot; timings are not checked.

It generates the synthetic market, serves it with gunicorn, sends the searches, renders place
pages, runs wrk, links and imports articles, times the rollups, and writes every figure. The
bulk-loaded rows must be the ones the app's own indexing code would write, and the rollups the
figures the app computes from the units and their history.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import select, text

from app import create_app
from app.extensions import db
from app.listings import fulltext
from app.market import direct, figures
from app.models import Building, PlaceKind
from bench import ROOT
from bench.report import REQUIRED
from tests.conftest import need

TIMEOUT_S = 600  # a guard against a hang; the run takes well under a minute


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[dict, Path, subprocess.CompletedProcess]:
    need(shutil.which("wrk") is not None, "wrk is not installed (apt-get install wrk)")
    need((Path(sys.executable).parent / "gunicorn").exists(), "gunicorn is not installed")
    tmp = tmp_path_factory.mktemp("bench")
    env = {
        **os.environ,
        "BENCH_SCALE": "tiny",
        "BENCH_RESULTS": str(tmp / "results.json"),
        "BENCH_DATA": str(tmp / "data"),
        "BENCH_ENGINES": "sqlite",
    }
    env.pop("BENCH_REUSE", None)
    if os.environ.get("TEST_DATABASE_URL"):
        env["BENCH_ENGINES"] = "sqlite,postgresql"
        env["BENCH_PG_URL"] = os.environ["TEST_DATABASE_URL"]
    done = _run_bench(env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads((tmp / "results.json").read_text()), tmp / "data", done


def _run_bench(env: dict[str, str]) -> subprocess.CompletedProcess:
    """`python -m bench.run`; on a hang it gets SIGTERM, so that it stops its gunicorns."""
    command = [sys.executable, "-m", "bench.run"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.terminate()
            out, err = process.communicate(timeout=60)
            pytest.fail(f"bench.run took over {TIMEOUT_S} s:\n{out[-3000:]}{err[-3000:]}")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def test_every_required_figure_is_a_number(tiny_run):
    results, _, _ = tiny_run
    for key in REQUIRED:
        if key == "postgres_to_sqlite_search_ratio" and "postgresql" not in results["engines"]:
            assert results[key] is None
            continue
        assert isinstance(results[key], int | float), (key, results.get(key))
    assert results["failures"] == []
    assert (results["buildings"], results["units"], results["articles"]) == (200, 2000, 50)


def test_the_machine_and_the_run_are_described(tiny_run):
    results, _, done = tiny_run
    for key in ("machine_nproc", "machine_cpu", "python_version", "date", "scale"):
        assert results[key], key
    assert results["scale"] == "tiny"
    assert "search keyword p95 ms" in done.stdout  # the printed table


def _engine_urls(data: Path) -> list[str]:
    urls = [f"sqlite:///{data / 'bench_tiny.sqlite3'}"]
    if os.environ.get("TEST_DATABASE_URL"):
        parts = urlsplit(os.environ["TEST_DATABASE_URL"])
        urls.append(urlunsplit(parts._replace(path="/bench_tiny")))
    return urls


def test_bulk_rows_are_what_the_app_would_write(tiny_run):
    """The index text and ranking of every building match a rebuild by app.listings.fulltext."""
    _, data, _ = tiny_run
    for url in _engine_urls(data):
        app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            try:
                _check_rows()
            finally:
                db.session.rollback()
                db.session.remove()
                db.engine.dispose()


def _check_rows() -> None:
    if db.engine.dialect.name == "postgresql":
        index = text("SELECT building_id, body, grams FROM building_fts ORDER BY 1")
    else:
        index = text("SELECT rowid, body FROM building_fts ORDER BY 1")
    columns = select(Building.id, Building.units_confirmed_at).order_by(Building.id)
    bulk = (db.session.execute(index).all(), db.session.execute(columns).all())
    fulltext.reindex_all(db.session)
    rebuilt = (db.session.execute(index).all(), db.session.execute(columns).all())
    assert len(bulk[0]) == 200
    assert bulk == rebuilt
    for building in db.session.scalars(select(Building)):
        assert building.district == building.town.ancestor(PlaceKind.DISTRICT)
        if building.park is not None:
            assert building.park.place.parent_id == building.town_id


def test_the_market_history_and_rollups_are_what_the_app_would_keep(tiny_run):
    """Every unit has its history, and the rollups built from it read as the figures computed
    directly from the units and the history (app.market.direct)."""
    results, data, _ = tiny_run
    assert results["unit_events"] >= results["units"]
    for key in ("place_page_first_n", "rollup_lag_changes"):
        assert results[key] > 0, key
    for url in _engine_urls(data):
        app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            try:
                _check_market()
            finally:
                db.session.rollback()
                db.session.remove()
                db.engine.dispose()


def _check_market() -> None:
    towns = db.session.scalars(
        select(Building.town_id).where(Building.status == "published").distinct()
    ).all()
    assert len(towns) >= 5
    for town_id in sorted(towns)[:10]:
        rolled, computed = figures.for_place(town_id), direct.figures(town_id)
        assert (rolled.rental_units, rolled.sale_units) == (
            computed.rental_units,
            computed.sale_units,
        )
        assert rolled.rent_median == computed.rent_median
    busiest = max(towns, key=lambda t: figures.for_place(t).rental_units)
    year_ago = figures.trend(busiest)[-13]
    assert year_ago.rental_units > 0  # the history reaches back a year
