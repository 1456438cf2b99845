"""Alert emails: the hits a saved search has not reported yet, claimed and put in one email,
at once for an instant search (by the matching job) or in a digest when one is due.

A hit is claimed by setting its `sent_at` where it is still NULL, in the transaction that stores
the email (app.mail.send_email): a second job, a rerun of `flask alerts send` or one that a dead
worker left half done finds nothing left to claim, and a rolled-back run claimed nothing. The
email's key names the hits it reports, so it is stored once whoever composes it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from app.alerts.conditions import link_args
from app.filters import number, site_url
from app.mail import send_email
from app.models import Building, Park, Place, SavedSearch, SearchHit, Unit, User
from app.models.alerts import FREQUENCY_LABELS, AlertFrequency, HitKind

ITEMS_MAX = 20  # units listed in one email; the rest are a link away
# How long after its last email a digest is due again: a little under its period, so that a
# cron job at the same hour each day (or week) never finds yesterday's run a few minutes short.
DUE_AFTER = {
    AlertFrequency.DAILY: timedelta(hours=23),
    AlertFrequency.WEEKLY: timedelta(days=7) - timedelta(hours=1),
}
BATCH = 500  # searches composed per query of their hits (and per commit of `alerts send`)


@dataclass(frozen=True)
class Item:
    """One unit as an alert email shows it."""

    kind: str  # HitKind
    building: str
    place: str
    unit: str  # 出租 · 5F · 320 ㎡
    price: str  # 1.2 元/㎡/天（约 11,680 元/月）, or 1.5 → 1.2 元/㎡/天 for a drop
    url: str


@dataclass(frozen=True)
class _Hit:
    """A hit with what its email shows of the unit and building, read as plain values (the
    places' names only: a Place row carries its boundary, which is no part of an email)."""

    id: int
    kind: str
    price: float | None
    old_price: float | None
    deal: str
    floor: int | None
    area_m2: float
    decoration: str | None
    building_id: int
    building: str
    grade: str | None
    district: str | None
    town: str | None
    park: str | None


def _price(hit: _Hit) -> str:
    if hit.deal == "rent":
        if hit.price is None:
            return "租金面议"
        monthly = hit.price * hit.area_m2 * 365 / 12
        now = f"{number(hit.price)} 元/㎡/天（约 {number(monthly, 0)} 元/月）"
        if hit.old_price is not None:
            return f"{number(hit.old_price)} → {now}"
        return now
    if hit.price is None:
        return "售价面议"
    total = hit.price * hit.area_m2 / 10000
    now = f"{number(hit.price, 0)} 元/㎡（总价约 {number(total, 1)} 万元）"
    if hit.old_price is not None:
        return f"{number(hit.old_price, 0)} → {now}"
    return now


def _item(hit: _Hit, building_url: str) -> Item:
    parts = ["出租" if hit.deal == "rent" else "出售"]
    if hit.floor is not None:
        parts.append(f"{hit.floor}F")
    parts.append(f"{number(hit.area_m2, 0)} ㎡")
    parts += [value for value in (hit.decoration, hit.grade) if value]
    return Item(
        kind=hit.kind,
        building=hit.building,
        place=" · ".join(p for p in (hit.district, hit.town, hit.park) if p),
        unit=" · ".join(parts),
        price=_price(hit),
        url=building_url + str(hit.building_id),
    )


# -- claiming ---------------------------------------------------------------------------------


def claim(session: Session, search_ids: list[int], now: datetime) -> dict[int, list[int]]:
    """Take the hits these searches have not reported (sent_at set to `now`); returns the ids
    of the hits taken, by search. A hit another transaction took first is not taken again."""
    claimed: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(search_ids), BATCH):
        chunk = search_ids[start : start + BATCH]
        rows = session.execute(
            update(SearchHit)
            .where(SearchHit.saved_search_id.in_(chunk), SearchHit.sent_at.is_(None))
            .values(sent_at=now)
            .returning(SearchHit.id, SearchHit.saved_search_id)
            .execution_options(synchronize_session=False)
        )
        for hit_id, search_id in rows:
            claimed[search_id].append(hit_id)
    return dict(claimed)


def _release(session: Session, hit_ids: list[int]) -> None:
    session.execute(
        update(SearchHit)
        .where(SearchHit.id.in_(hit_ids))
        .values(sent_at=None)
        .execution_options(synchronize_session=False)
    )


# -- composing --------------------------------------------------------------------------------


def send(session: Session, claimed: dict[int, list[int]], now: datetime, digest: bool) -> int:
    """Store one email per search for its claimed hits; returns how many were stored. Hits whose
    email was stored before (the same key) go back to pending. The caller commits."""
    sent = 0
    # One address for every building link: site_url binds the URL map on each call.
    building_url = site_url("listings.building", building_id=0)[:-1]
    search_ids = sorted(claimed)
    for start in range(0, len(search_ids), BATCH):
        chunk = search_ids[start : start + BATCH]
        searches = {
            s.id: s
            for s in session.scalars(
                select(SavedSearch)
                .where(SavedSearch.id.in_(chunk))
                .options(joinedload(SavedSearch.user))
            )
        }
        hit_ids = [i for search_id in chunk for i in claimed[search_id]]
        emailed: list[int] = []
        hits = _hits(session, hit_ids)
        for search_id in chunk:
            search = searches.get(search_id)
            own = [hits[i] for i in sorted(claimed[search_id]) if i in hits]
            if search is None or not own:
                continue
            if _send_one(search, own, digest, building_url):
                emailed.append(search_id)
            else:
                _release(session, claimed[search_id])
        # One statement a batch, not a flush per email.
        if emailed:
            session.execute(
                update(SavedSearch)
                .where(SavedSearch.id.in_(emailed))
                .values(last_sent_at=now)
                .execution_options(synchronize_session="fetch")
            )
        sent += len(emailed)
    return sent


def _hits(session: Session, ids: list[int]) -> dict[int, _Hit]:
    town, district, park_place = aliased(Place), aliased(Place), aliased(Place)
    query = (
        select(
            SearchHit.id,
            SearchHit.kind,
            SearchHit.price,
            SearchHit.old_price,
            Unit.deal,
            Unit.floor,
            Unit.area_m2,
            Unit.decoration,
            Building.id,
            Building.name,
            Building.grade,
            district.name,
            town.name,
            park_place.name,
        )
        .join(Unit, Unit.id == SearchHit.unit_id)
        .join(Building, Building.id == SearchHit.building_id)
        .outerjoin(district, district.id == Building.district_id)
        .outerjoin(town, town.id == Building.town_id)
        .outerjoin(Park, Park.id == Building.park_id)
        .outerjoin(park_place, park_place.id == Park.place_id)
    )
    found: dict[int, _Hit] = {}
    for start in range(0, len(ids), 2000):
        rows = session.execute(query.where(SearchHit.id.in_(ids[start : start + 2000])))
        found.update((row[0], _Hit(*row)) for row in rows)
    return found


def _send_one(search: SavedSearch, hits: list[_Hit], digest: bool, building_url: str) -> bool:
    # Newest first; what a tenant acts on (new units) before the drops.
    ordered = sorted(hits, key=lambda h: (h.kind != HitKind.NEW, -h.id))
    new = sum(1 for h in hits if h.kind == HitKind.NEW)
    drops = len(hits) - new
    counts = "、".join(
        part
        for part in (f"{new} 套新房源" if new else "", f"{drops} 套降价" if drops else "")
        if part
    )
    label = f"{FREQUENCY_LABELS.get(search.frequency, '')}汇总 · " if digest else ""
    ids = [h.id for h in hits]
    return send_email(
        search.user.email,
        "alert",
        key=f"alert:{search.id}:{min(ids)}-{max(ids)}-{len(ids)}",
        subject=f"{label}订阅“{search.name}”：{counts}",
        unsubscribe_url=site_url("searches.unsubscribe", token=search.token),
        search=search,
        user=search.user,
        items=[_item(h, building_url) for h in ordered[:ITEMS_MAX]],
        more=max(0, len(hits) - ITEMS_MAX),
        new_count=new,
        drop_count=drops,
        digest=digest,
        search_url=site_url("listings.search", **link_args(search.params)),
        manage_url=site_url("searches.index"),
    )


# -- who gets one -----------------------------------------------------------------------------


def _reachable():
    """Owners an alert may be sent to: active, and the address verified (an unverified one may
    be someone else's, who never asked for these)."""
    return exists().where(
        User.id == SavedSearch.user_id, User.active.is_(True), User.email_verified_at.is_not(None)
    )


def send_instant(session: Session, search_ids: set[int], now: datetime) -> int:
    """The emails of the instant searches among these (not paused, their owner reachable) for
    the hits they have not reported. The caller commits."""
    if not search_ids:
        return 0
    eligible: list[int] = []
    ids = sorted(search_ids)
    for start in range(0, len(ids), BATCH):
        eligible += session.scalars(
            select(SavedSearch.id).where(
                SavedSearch.id.in_(ids[start : start + BATCH]),
                SavedSearch.frequency == AlertFrequency.INSTANT,
                SavedSearch.paused.is_(False),
                _reachable(),
            )
        ).all()
    return send(session, claim(session, eligible, now), now, digest=False)


def due(session: Session, frequency: str, now: datetime) -> list[int]:
    """The searches of a digest frequency whose digest is due and which have hits to report
    (found from the unsent hits, ix_search_hit_unsent)."""
    pending = select(SearchHit.saved_search_id).where(SearchHit.sent_at.is_(None))
    query = (
        select(SavedSearch.id)
        .where(
            SavedSearch.id.in_(pending),
            SavedSearch.frequency == frequency,
            SavedSearch.paused.is_(False),
            or_(
                SavedSearch.last_sent_at.is_(None),
                SavedSearch.last_sent_at <= now - DUE_AFTER[frequency],
            ),
            _reachable(),
        )
        .order_by(SavedSearch.id)
    )
    return list(session.scalars(query))


def send_digests(session: Session, search_ids: list[int], now: datetime) -> int:
    """The digests of these (due) searches. The caller commits."""
    return send(session, claim(session, search_ids, now), now, digest=True)
