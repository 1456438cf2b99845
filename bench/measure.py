"""The measurements: latency over HTTP, the map data, load from wrk, linking and importing."""

from __future__ import annotations

import gzip
import http.client
import json
import math
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

from app.extensions import db
from app.listings.services import EXPIRED_AFTER
from app.models import Article, ArticlePlace, Building, Place, Unit, UnitStatus
from app.models.base import utcnow
from bench import synth
from bench.queries import Plan

# Requests carry what a browser sends, so compressed responses are measured as served.
HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "xiezilou-bench"}
RESULT_COUNT = re.compile(r"共找到\s*<strong>(\d+)</strong>")
WRK_THREADS = 2
WRK_CONNECTIONS = 16
TIMEOUT_S = 60  # a slower answer fails its figure instead of stalling the run


class BenchError(RuntimeError):
    """A measurement that cannot be trusted: an error answer, a missing tool."""


@dataclass
class Response:
    status: int
    body: bytes  # decompressed
    wire_bytes: int
    seconds: float


class Client:
    """Sequential GETs over one keep-alive connection, timed from request to last byte."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)

    def get(self, path: str, expect: int = 200) -> Response:
        try:
            response = self._get(path)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()  # the server closed an idle keep-alive connection; ask again
            response = self._get(path)
        except OSError as error:  # a timeout, a refused connection
            self.conn.close()  # a half-done exchange leaves the connection unusable
            raise BenchError(f"GET {path}: {error}") from error
        if response.status != expect:
            snippet = response.body[:300].decode("utf-8", "replace")
            raise BenchError(f"GET {path} answered {response.status}: {snippet}")
        return response

    def _get(self, path: str) -> Response:
        start = time.perf_counter()
        self.conn.request("GET", path, headers=HEADERS)
        answer = self.conn.getresponse()
        raw = answer.read()
        seconds = time.perf_counter() - start
        body = gzip.decompress(raw) if answer.getheader("Content-Encoding") == "gzip" else raw
        return Response(answer.status, body, len(raw), seconds)

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# -- latency and map data -------------------------------------------------------------------


def latency(client: Client, paths: list[str]) -> dict:
    """Median and p95 of sequential searches, with the median result count."""
    times, counts = [], []
    for p in paths:
        response = client.get(p)
        times.append(response.seconds)
        found = RESULT_COUNT.search(response.body.decode("utf-8", "replace"))
        if found:
            counts.append(int(found.group(1)))
    return {
        "p50_ms": ms(statistics.median(times)),
        "p95_ms": ms(percentile(times, 0.95)),
        "max_ms": ms(max(times)),
        "n": len(times),
        # Repeated questions are answered from the page cache, as they would be in production.
        "distinct": len(set(paths)),
        "results_median": statistics.median(counts) if counts else None,
        "zero_results": sum(1 for c in counts if c == 0),
    }


def warm_up(client: Client, plan: Plan) -> dict:
    """One search of each kind, untimed: the worker's first requests load code and caches."""
    for paths in plan.latency.values():
        client.get(paths[0])
    return {}


def map_data(client: Client, plan: Plan, runs: int = 5) -> dict:
    """Time (median of `runs`) and size of the GeoJSON of a search with many results."""
    path = "/api/listings?" + plan.map_query
    client.get(path)
    answers = [client.get(path) for _ in range(runs)]
    data = json.loads(answers[-1].body)
    return {
        "ms": ms(statistics.median(a.seconds for a in answers)),
        "kb": round(answers[-1].wire_bytes / 1024, 1),
        "raw_kb": round(len(answers[-1].body) / 1024, 1),
        "features": len(data["features"]),
        "total": plan.map_results,
        "api_total": data.get("total"),
        "building_ids": [f["properties"]["id"] for f in data["features"]],
    }


def count_of(params: dict) -> int:
    """Published buildings in the district and of the grade given, and, with a rent range, with
    an available unit for rent in it: what such a search really matches, without any cap."""
    query = select(func.count(Building.id)).where(Building.status == "published")
    if "rent_min" in params:
        # One pass over the units, then a probe per building (an EXISTS per building can make
        # SQLite walk the rent index for each).
        units = select(Unit.building_id).where(
            Unit.status == UnitStatus.AVAILABLE,
            Unit.deal == "rent",
            Unit.rent_per_m2_day.between(params["rent_min"], params["rent_max"]),
            Unit.confirmed_at >= utcnow() - EXPIRED_AFTER,  # older ones are not public
        )
        query = query.where(Building.id.in_(units))
    if params.get("district"):
        district = select(Place.id).where(Place.name == params["district"])
        query = query.where(Building.district_id.in_(district))
    if params.get("grade"):
        query = query.where(Building.grade == params["grade"])
    return db.session.scalar(query)


# -- load -----------------------------------------------------------------------------------


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise BenchError(
            "wrk is not installed: the throughput figures need it (apt-get install wrk)"
        )
    return found


def wrk(port: int, paths: list[str], seconds: int) -> dict:
    """Requests per second of wrk cycling through `paths`, and the errors it saw."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "paths.lua"
        quoted = ", ".join(json.dumps(p) for p in paths)
        script.write_text(
            f"local paths = {{{quoted}}}\nlocal i = 0\n"
            "request = function()\n  i = i % #paths + 1\n"
            "  return wrk.format('GET', paths[i])\nend\n"
        )
        command = [
            wrk_binary(), f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s",
            "--timeout", "30s", "-H", f"Accept-Encoding: {HEADERS['Accept-Encoding']}",
            "-s", str(script), f"http://127.0.0.1:{port}",
        ]  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rps is None:
        raise BenchError(f"wrk printed no Requests/sec:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(g) for g in socket.groups()) if socket else 0
    )
    return {"rps": round(float(rps.group(1)), 1), "errors": errors}


# -- linking and importing, in-process ------------------------------------------------------


def link_article(gazetteer: synth.Gazetteer, runs: int) -> dict:
    """Linking a 5,000-character article to places (link_article), median of `runs`."""
    from app.news import linker
    from app.news.sanitize import clean_html

    title, summary, body, _ = synth.article_text(random.Random(5000), gazetteer, 5000)
    body = clean_html(body)

    def once() -> tuple[float, int]:
        article = Article(title=title, summary=summary, body=body)
        start = time.perf_counter()
        found = linker.link_article(article)
        elapsed = time.perf_counter() - start
        db.session.rollback()
        return elapsed, len(found)

    once()  # builds the automaton
    times = [once()[0] for _ in range(runs)]
    text = linker.article_text(Article(title=title, summary=summary, body=body))
    start = time.perf_counter()
    places = linker.find_places(text)
    find_s = time.perf_counter() - start
    return {
        "ms": ms(statistics.median(times)),
        "chars": len(text),
        "places": len(places),
        "find_places_ms": ms(find_s),
    }


def import_articles(app, gazetteer: synth.Gazetteer, count: int) -> dict:
    """Articles per second of `flask news import DIR` over `count` generated portal pages."""
    rng = random.Random(1000)
    base = datetime(2024, 1, 1, 8, 0)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            page = synth.portal_page(rng, gazetteer, i + 1, base + timedelta(minutes=17 * i))
            (Path(tmp) / f"page-{i:05d}.txt").write_text(page, encoding="utf-8")
        before = _imported()
        start = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["news", "import", tmp])
        seconds = time.perf_counter() - start
    created = _imported() - before
    _remove_imported()
    if result.exit_code != 0 or created != count:
        raise BenchError(
            f"news import made {created} of {count} articles:\n{result.output[-2000:]}"
        )
    return {"per_s": round(count / seconds, 1), "seconds": round(seconds, 2), "count": count}


def _imported() -> int:
    query = select(func.count(Article.id)).where(Article.import_key.not_like("bench:%"))
    return db.session.scalar(query)


def _remove_imported() -> None:
    """Leave the bench database as generated (imports are keyed by page, not bench:…)."""
    imported = select(Article.id).where(Article.import_key.not_like("bench:%"))
    db.session.execute(delete(ArticlePlace).where(ArticlePlace.article_id.in_(imported)))
    db.session.execute(delete(Article).where(Article.import_key.not_like("bench:%")))
    db.session.commit()
