"""`python -m bench.loadtest` (`make loadtest`): production gunicorn under 60 s of mixed traffic.

For each engine (SQLite in bench/data/, PostgreSQL in a fresh database `loadtest`) the demo
data is loaded into a freshly migrated database, gunicorn starts with gunicorn.conf.py as it
stands (its own worker and thread counts) and the production environment, and a pool of client
threads in this process drives searches (/listings/, /api/listings), building pages and
inquiries (the building page for the CSRF token and session cookie, then the form's POST) until
the deadline. Inquiries are limited to 5 a minute per client address, so each one leaves from
its own loopback address (127.0.0.2-127.0.0.254) within that budget; a 429 would be counted as
"rate limited", apart from the errors. Errors are 5xx answers, other unexpected statuses,
connection errors and timeouts. Afterwards the database must hold exactly one inquiry for each
POST that was answered 302: no write lost under load.

Environment: LOADTEST_SECONDS (60), LOADTEST_CONCURRENCY (16), LOADTEST_ENGINES
(sqlite,postgresql), BENCH_PG_URL (a database on the PostgreSQL server to connect to),
BENCH_DATA (where the SQLite file and logs go). Figures go to bench/loadtest.json.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import random
import re
import runpy
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask_migrate import upgrade
from sqlalchemy import func, select

from app.extensions import db
from app.models import Building, BuildingStatus, Inquiry, Park, Place, PlaceKind
from bench import ROOT, load, serve
from bench.measure import HEADERS, ms, percentile

SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
CONCURRENCY = int(os.environ.get("LOADTEST_CONCURRENCY", "16"))
TIMEOUT_S = 30.0  # a slower answer is an error
RESULTS = ROOT / "bench" / "loadtest.json"
# Traffic mix: (kind, weight). An inquiry is two requests: the page, then the POST.
MIX = (("search", 45), ("api", 15), ("building", 30), ("inquiry", 10))
# The inquiry form allows 5 a minute per address; stay under it, with a second to spare.
INQUIRY_ADDRESSES = [f"127.0.0.{i}" for i in range(2, 255)]
INQUIRIES_PER_ADDRESS = 4
INQUIRY_WINDOW_S = 61.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'name="csrf_token" value="([^"]+)"')  # fmt: skip
EXPECTED = {"search": 200, "api": 200, "building": 200, "page": 200, "inquiry": 302}


# -- the database -------------------------------------------------------------------------------


def target(engine: str) -> load.Target:
    """The load test's own database: bench/data/loadtest.sqlite3, or `loadtest` on PostgreSQL."""
    if engine == "sqlite":
        path = load.data_dir() / "loadtest.sqlite3"
        return load.Target("sqlite", f"sqlite:///{path}", path.name, file=path)
    if engine == "postgresql":
        admin = os.environ.get("BENCH_PG_URL") or load.DEFAULT_PG_URL
        parts = urlsplit(admin.replace("postgresql+psycopg://", "postgresql://", 1))
        url = urlunsplit(parts._replace(path="/loadtest"))
        return load.Target("postgresql", url, "loadtest", admin)
    raise SystemExit(f"unknown engine {engine!r} in LOADTEST_ENGINES (sqlite, postgresql)")


@dataclass
class Catalogue:
    """What the traffic asks for: published buildings and the names searches filter by."""

    buildings: list[int]
    towns: list[str]
    districts: list[str]
    parks: list[str]


def prepare(t: load.Target) -> Catalogue:
    """A fresh database, migrated, with the demo data; return what the traffic will ask for."""
    from app.demo import loader

    load.reset(t)
    app = load.make_app(t.url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        loader.load()
        catalogue = Catalogue(
            buildings=list(
                db.session.scalars(
                    select(Building.id).where(Building.status == BuildingStatus.PUBLISHED)
                )
            ),
            towns=_place_names(PlaceKind.TOWN),
            districts=_place_names(PlaceKind.DISTRICT),
            parks=list(db.session.scalars(select(Park.slug))),
        )
        db.session.remove()
        db.engine.dispose()
    return catalogue


def _place_names(kind: str) -> list[str]:
    return list(db.session.scalars(select(Place.name).where(Place.kind == kind)))


def count_inquiries(url: str) -> int:
    app = load.make_app(url)
    with app.app_context():
        found = db.session.scalar(select(func.count(Inquiry.id)))
        db.session.remove()
        db.engine.dispose()
    return found


# -- the server ---------------------------------------------------------------------------------


def production_settings() -> dict:
    """gunicorn.conf.py's own figures, read the way gunicorn reads the file."""
    env = serve.production_env("unused")
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {k: conf[k] for k in ("workers", "threads", "worker_class", "timeout", "keepalive")}


@contextmanager
def production_gunicorn(env: dict[str, str], log: Path) -> Iterator[serve.Server]:
    """gunicorn wsgi:app with gunicorn.conf.py's worker and thread counts (bench.serve pins 2x4)."""
    port = serve.free_port()
    binary = Path(sys.executable).parent / "gunicorn"
    command = [
        str(binary), "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
        "--no-control-socket", "wsgi:app",
    ]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = serve.Server(process, port, log)
    try:
        serve._wait_ready(server, "/api/health")
        _wait_all_workers(server, production_settings()["workers"])
        yield server
    finally:
        serve._stop(process)


def _wait_all_workers(server: serve.Server, workers: int) -> None:
    deadline = time.monotonic() + serve.READY_TIMEOUT_S
    while len(server.worker_pids()) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(server.worker_pids())} of {workers} workers started")
        time.sleep(0.2)


# -- the traffic --------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw, shared by all of them."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    rate_limited: int = 0
    inquiries_accepted: int = 0
    inquiries_skipped: int = 0  # no address had budget left: a search was sent instead

    def record(self, kind: str, status: int | None, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if status == EXPECTED[kind]:
                self.inquiries_accepted += kind == "inquiry"
            elif status == 429 and kind == "inquiry":
                self.rate_limited += 1
            else:
                self.errors[f"{kind} {status or detail}"] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind} → {status or ''} {detail}"[:300])


class InquiryBudget:
    """Hands out client addresses so that none sends more inquiries than the limit allows."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: dict[str, deque[float]] = {a: deque() for a in INQUIRY_ADDRESSES}
        self.order = deque(INQUIRY_ADDRESSES)

    def take(self) -> str | None:
        with self.lock:
            now = time.monotonic()
            for _ in range(len(self.order)):
                address = self.order[0]
                self.order.rotate(-1)
                times = self.sent[address]
                while times and now - times[0] > INQUIRY_WINDOW_S:
                    times.popleft()
                if len(times) < INQUIRIES_PER_ADDRESS:
                    times.append(now)
                    return address
            return None


class Client(threading.Thread):
    """One simulated visitor after another over a keep-alive connection, until the deadline."""

    def __init__(self, n: int, port: int, catalogue: Catalogue, run: Run) -> None:
        super().__init__(name=f"client-{n}", daemon=True)
        self.port, self.catalogue, self.run_ = port, catalogue, run
        self.random = random.Random(n)
        self.conn = self._connect()

    def _connect(self, source: str | None = None) -> http.client.HTTPConnection:
        address = (source, 0) if source else None
        return http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=TIMEOUT_S, source_address=address
        )

    def run(self) -> None:
        kinds, weights = zip(*MIX, strict=True)
        while time.monotonic() < self.run_.deadline:
            kind = self.random.choices(kinds, weights)[0]
            if kind == "inquiry":
                self.inquiry()
            else:
                self.get(kind, self.path(kind))
        self.conn.close()

    def path(self, kind: str) -> str:
        if kind == "building":
            return f"/listings/{self.random.choice(self.catalogue.buildings)}"
        prefix = "/api/listings" if kind == "api" else "/listings/"
        query = search_query(self.random, self.catalogue)
        return f"{prefix}?{urlencode(query)}" if query else prefix

    def get(self, kind: str, path: str, conn: http.client.HTTPConnection | None = None):
        """GET and record; return the response and body, or None after a failure."""
        return self.request(kind, "GET", path, conn=conn)

    def request(self, kind, method, path, body=None, headers=None, conn=None):
        conn = conn or self.conn
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers={**HEADERS, **(headers or {})})
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            conn.close()
            self.run_.tally.record(kind, None, time.perf_counter() - start, repr(error))
            return None
        seconds = time.perf_counter() - start
        detail = "" if response.status < 500 else raw[:200].decode("utf-8", "replace")
        self.run_.tally.record(kind, response.status, seconds, f"{method} {path} {detail}")
        if response.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return response, raw

    def inquiry(self) -> None:
        """The building page (token and cookie), then the form, from an address with budget."""
        source = self.run_.budget.take()
        if source is None:
            with self.run_.tally.lock:
                self.run_.tally.inquiries_skipped += 1
            self.get("search", self.path("search"))
            return
        building = self.random.choice(self.catalogue.buildings)
        conn = self._connect(source)
        try:
            self._send_inquiry(conn, building)
        finally:
            conn.close()

    def _send_inquiry(self, conn: http.client.HTTPConnection, building: int) -> None:
        got = self.get("page", f"/listings/{building}", conn)
        if got is None:
            return
        response, page = got
        token = CSRF.search(page.decode("utf-8", "replace"))
        cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
        if token is None or not cookie:
            self.run_.tally.record("inquiry", None, 0.0, "no CSRF token or session cookie")
            return
        form = {
            "csrf_token": token.group(1) or token.group(2),
            "name": "压测先生",
            "mobile": f"139{self.random.randrange(10**8):08d}",
            "message": "想预约看房，请联系我。",
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        self.request(
            "inquiry", "POST", f"/listings/{building}/inquiry", urlencode(form), headers, conn
        )


def search_query(rng: random.Random, catalogue: Catalogue) -> dict[str, str]:
    """A tenant's search: a few valid filters drawn at random."""
    query: dict[str, str] = {}
    choices = {
        "q": lambda: rng.choice(["写字楼 精装", "次坞", "地铁", "产业园", "甲级", "大厦", "纺城"]),
        "town": lambda: rng.choice(catalogue.towns),
        "district": lambda: rng.choice(catalogue.districts),
        "park": lambda: rng.choice(catalogue.parks),
        "deal": lambda: rng.choice(["rent", "sale"]),
        "rent_max": lambda: str(rng.choice([1, 1.5, 2, 3])),
        "area_min": lambda: str(rng.choice([50, 100, 200, 500])),
        "grade": lambda: rng.choice(["甲级", "乙级", "丙级"]),
        "decoration": lambda: rng.choice(["毛坯", "简装", "精装", "豪装"]),
        "sort": lambda: rng.choice(["rent_asc", "area_desc", "newest"]),
        "page": lambda: str(rng.choice([1, 1, 2])),
    }
    for name in rng.sample(sorted(choices), k=rng.choice([0, 1, 2, 3])):
        query[name] = choices[name]()
    if len(query) > 1:
        query.pop("page", None)  # a filtered search may have one page: page 2 would be a 400
    return query


@dataclass
class Run:
    deadline: float
    tally: Tally = field(default_factory=Tally)
    budget: InquiryBudget = field(default_factory=InquiryBudget)


def drive(port: int, catalogue: Catalogue) -> tuple[Tally, float]:
    """Run the clients until the deadline; return what they saw and the seconds it took."""
    started = time.monotonic()
    run = Run(deadline=started + SECONDS)
    clients = [Client(n, port, catalogue, run) for n in range(CONCURRENCY)]
    for c in clients:
        c.start()
    for c in clients:
        c.join(timeout=SECONDS + TIMEOUT_S + 30)
    if any(c.is_alive() for c in clients):
        raise RuntimeError("a load client did not stop")
    return run.tally, time.monotonic() - started


# -- one engine, the report ---------------------------------------------------------------------


def figures(tally: Tally, seconds: float) -> dict:
    every = [s for values in tally.latencies.values() for s in values]
    return {
        "seconds": round(seconds, 1),
        "concurrency": CONCURRENCY,
        "requests": len(every),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        "error_examples": tally.examples,
        "rate_limited": tally.rate_limited,
        "rps": round(len(every) / seconds, 1),
        "latency_ms": _latency(every),
        "by_kind": {
            kind: {"requests": len(values), **_latency(values)}
            for kind, values in sorted(tally.latencies.items())
        },
        "inquiries_accepted": tally.inquiries_accepted,
        "inquiries_skipped_for_budget": tally.inquiries_skipped,
    }


def _latency(values: list[float]) -> dict:
    if not values:
        return {}
    return {f"p{p}": ms(percentile(values, p / 100)) for p in (50, 95, 99)} | {
        "max": ms(max(values))
    }


def run_engine(engine: str) -> dict:
    t = target(engine)
    say(f"loadtest {engine}: fresh database, demo data")
    catalogue = prepare(t)
    inquiries_before = count_inquiries(t.url)
    log = load.data_dir() / f"loadtest-gunicorn-{engine}.log"
    log.unlink(missing_ok=True)
    env = serve.production_env(t.url)
    with production_gunicorn(env, log) as server:
        say(f"loadtest {engine}: {SECONDS:.0f} s, {CONCURRENCY} clients, port {server.port}")
        tally, seconds = drive(server.port, catalogue)
        rss = server.peak_rss_mb()
    result = figures(tally, seconds)
    result["worker_peak_rss_mb"] = rss
    result["inquiries_in_database"] = count_inquiries(t.url) - inquiries_before
    result["lost_writes"] = result["inquiries_accepted"] - result["inquiries_in_database"]
    result["server_tracebacks"] = log.read_text(errors="replace").count("Traceback")
    return result


def table(results: dict) -> str:
    lines = [
        f"gunicorn: {results['gunicorn']}",
        f"{'engine':<11}{'requests':>9}{'errors':>8}{'429':>6}{'rps':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'inquiries':>11}{'in db':>7}{'lost':>6}",
    ]
    for engine, r in results["engines"].items():
        lat = r["latency_ms"]
        lines.append(
            f"{engine:<11}{r['requests']:>9}{r['errors']:>8}{r['rate_limited']:>6}{r['rps']:>8}"
            f"{lat.get('p50', 0):>9}{lat.get('p95', 0):>9}{lat.get('p99', 0):>9}"
            f"{r['inquiries_accepted']:>11}{r['inquiries_in_database']:>7}{r['lost_writes']:>6}"
        )
        for example in r["error_examples"]:
            lines.append(f"  error: {example}")
    return "\n".join(lines)


def say(message: str) -> None:
    print(message, flush=True)


def main() -> int:
    names = os.environ.get("LOADTEST_ENGINES", "sqlite,postgresql")
    engines = [n.strip() for n in names.split(",") if n.strip()]
    results = {"gunicorn": production_settings(), "engines": {}}
    for engine in engines:
        results["engines"][engine] = run_engine(engine)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    say(table(results))
    say(f"figures written to {RESULTS}")
    failed = [
        e for e, r in results["engines"].items()
        if r["errors"] or r["lost_writes"] or r["server_tracebacks"]
    ]  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
