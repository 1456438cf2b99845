"""The alert figures, in process on the bench database: finding who a changed unit matches
(saved searches and 求租 requirements), and composing and storing a day's daily digests."""

from __future__ import annotations

import gc
import random
import statistics
import time
from unittest import mock

from sqlalchemy import bindparam, delete, func, select, update

from app import jobs
from app.alerts import matching
from app.alerts.commands import send_due_digests
from app.extensions import db
from app.models import OutboundEmail, SavedSearch, SearchHit, Unit
from app.models.alerts import AlertFrequency
from app.models.base import utcnow
from bench import SEED, Scale
from bench.measure import ms, percentile


def _requirements_lookup():
    """The other half of "who a unit matches": app.requirements.matching, when it is there."""
    try:
        from app.requirements.matching import requirements_for_unit
    except ImportError:  # pragma: no cover - the requirements area not built yet
        return None
    return requirements_for_unit


def match_unit(scale: Scale) -> dict:
    """Per changed unit (a public one, drawn at random): its state read, its saved searches
    found (index, keyword, circle) and its open requirements found; p50, p95, max."""
    requirements_for_unit = _requirements_lookup()
    rng = random.Random(SEED + 3)
    last = db.session.scalar(select(func.max(Unit.id))) or 0
    now = utcnow()
    times: list[float] = []
    searches: list[int] = []
    requirements: list[int] = []
    warm = 20  # the first ones compile the statements and read the index into memory
    # As timeit does: the garbage of the steps before (a bigger heap than a worker's) is not
    # collected in the middle of a unit's lookup.
    gc.collect()
    gc.disable()
    try:
        for _ in range(scale.alert_units * 20):
            if len(times) >= scale.alert_units or not last:
                break
            unit_id = rng.randint(1, last)
            start = time.perf_counter()
            found = matching.state_of(db.session, unit_id)
            if found is None or not found.state.public(now):
                continue
            ids = matching.searches_for(db.session, found)
            wanted = requirements_for_unit(db.session, unit_id) if requirements_for_unit else []
            elapsed = time.perf_counter() - start
            if warm:
                warm -= 1
                continue
            times.append(elapsed)
            searches.append(len(ids))
            requirements.append(len(wanted))
    finally:
        gc.enable()
    db.session.rollback()
    if not times:
        return {}
    return {
        "p50_ms": ms(statistics.median(times)),
        "p95_ms": ms(percentile(times, 0.95)),
        "max_ms": ms(max(times)),
        "n": len(times),
        "searches_median": statistics.median(searches),
        "requirements_median": statistics.median(requirements),
        "requirements": requirements_for_unit is not None,
    }


def daily_digests() -> dict:
    """`flask alerts send`'s daily part over the generated day's pending hits: due searches
    found, hits claimed, emails composed and stored, a commit per batch. Delivery is the
    worker's: the jobs it would enqueue are counted, not run. Afterwards the database is put
    back as generated (the emails removed, the hits pending, the searches' last emails)."""
    before = dict(
        db.session.execute(
            select(SavedSearch.id, SavedSearch.last_sent_at).where(
                SavedSearch.frequency == AlertFrequency.DAILY
            )
        ).all()
    )
    hits = db.session.scalar(select(func.count()).where(SearchHit.sent_at.is_(None)))
    db.session.rollback()
    enqueued: list = []
    now = utcnow()

    def enqueue(func, *args, **options) -> bool:  # counted, not run: delivery is the worker's
        enqueued.append(args)
        return True

    with mock.patch.object(jobs, "enqueue", enqueue):
        start = time.perf_counter()
        sent = send_due_digests(now, (AlertFrequency.DAILY,))["daily"]
        seconds = time.perf_counter() - start
    claimed = db.session.scalar(select(func.count()).where(SearchHit.sent_at == now))
    _put_back(now, before)
    return {
        "seconds": round(seconds, 2),
        "emails": sent,
        "hits": claimed,
        "pending_hits": hits,
        "emails_per_s": round(sent / seconds, 1) if seconds else None,
        "delivery_jobs": len(enqueued),
    }


def _put_back(now, before: dict) -> None:
    made = (OutboundEmail.key.like("alert:%"), OutboundEmail.created_at >= now)
    db.session.execute(delete(OutboundEmail).where(*made))
    db.session.execute(update(SearchHit).where(SearchHit.sent_at == now).values(sent_at=None))
    changed = db.session.scalars(select(SavedSearch.id).where(SavedSearch.last_sent_at == now))
    rows = [{"sid": i, "old": before.get(i)} for i in changed]
    if rows:
        db.session.connection().execute(
            update(SavedSearch.__table__)
            .where(SavedSearch.__table__.c.id == bindparam("sid"))
            .values(last_sent_at=bindparam("old")),
            rows,
        )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # As the generator left it: the next run (BENCH_REUSE) finds no dead rows to step over.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE outbound_email, search_hit, saved_search")
