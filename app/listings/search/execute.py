"""Running a plan: the count and its scan, a page's ids by the plan's strategy, cards, map rows.

Every query is driven by an index and a LIMIT: the count stops at COUNT_CAP + 1 (shown as
"1000+"), a page's walk when the page is full, the map at its limit.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.geo.distance import km_between
from app.listings import fulltext, nudges, spatial
from app.listings.search.planner import Count, Page, Plan
from app.listings.services import CARD_LOADS, BuildingCard, card, unit_conditions, unit_figures
from app.models import Building
from app.models.base import plain_rows

COUNT_CAP = 1000
RANKED_BATCH = 200  # ranked buildings tested first, then twice as many each time
# A common keyword that fewer than one ranked building in FEW_RANKED matches (PostgreSQL) ...
FEW_RANKED = 20
FEW_RANKED_MATCHES = 10000  # ... has its matches fetched, when there are no more than these


def first_matches(p: Plan) -> tuple[list[tuple], bool] | None:
    """Up to COUNT_CAP + 1 matches with their sort keys, found in one scan, and whether the
    count is capped (every match of a rare keyword without a distance: Count.EVERY_MATCH);
    None when the plan counts otherwise (Count.COUNT, Count.KEYWORD_IDS).

    When they are no more than COUNT_CAP, this one scan is the count and, sorted by `in_order`,
    every page: a selective search in a large district probes each of its buildings' units once,
    not once for the count and again for the page. A distance search is counted by the same scan
    of its whole circle."""
    count_by = p.count_by
    if count_by in (Count.COUNT, Count.KEYWORD_IDS):
        return None
    keys = p.sort_keys()
    limit = fulltext.COMMON + 1 if count_by is Count.EVERY_MATCH else COUNT_CAP + 1
    if count_by is Count.RANKING_SCAN:
        # Walking the ranking index finds the first COUNT_CAP + 1 matches in page order, so the
        # same scan also gives every page within them.
        query = select(Building.id, *keys).where(*p.ranking_walk()).limit(limit)
        query = query.order_by(*p.ranking())
    else:
        query = p.select(Building.id, *keys).limit(limit)
    # Read as the driver gives them (dates as text on SQLite, which sort the same): SQLAlchemy's
    # rows would cost more than the scan itself.
    rows = plain_rows(db.session, query)
    return rows, len(rows) > COUNT_CAP


def in_order(rows: list[tuple], sort: str, origin) -> list[int]:
    """The ids of `first_matches` rows in the order `page_ids` gives (missing dates last).

    Dates are datetimes (PostgreSQL) or SQLAlchemy's fixed-width text (SQLite), which sorts as
    they do; a missing one is only ever compared with another missing one."""
    if sort == "distance" and origin is not None:
        return [row[0] for row in sorted(rows, key=lambda r: (r[1], r[0]))]
    if sort == "newest":
        ordered = sorted(rows, key=lambda r: (r[1] is not None, r[1] or 0, r[0]), reverse=True)
    else:
        ordered = sorted(
            rows, key=lambda r: (bool(r[1]), r[2] is not None, r[2] or 0, r[0]), reverse=True
        )
    return [row[0] for row in ordered]


def page_ids(p: Plan, offset: int, limit: int) -> list[int]:
    """The ids of one page of buildings, in the order the tenant asked for, by the plan's page
    strategy (for pages the count's scan did not sort)."""
    page_by = p.page_by
    if page_by is Page.UNIT_WALK:
        return _ids_by_unit(p, offset, limit)
    if page_by is Page.WIDENING_CIRCLES:
        return _nearest_ids(p, offset, limit)
    if page_by is Page.RANKED_BATCHES:
        return _ranked_matches(p, offset, limit)
    return list(db.session.scalars(p.walk_query().offset(offset).limit(limit)))


def _ranked_matches(p: Plan, offset: int, limit: int) -> list[int]:
    """A common keyword's page on PostgreSQL: the ranking walked in growing batches, each batch's
    matches found in one lookup of their text.

    Given the page as one query, PostgreSQL misjudges how many buildings a phrase matches and
    walks the ranking with parallel workers reading one tsvector at a time; a batch of 200 ranked
    ids holds a page of a word that one building in ten mentions."""
    wanted = offset + limit
    q = p.params["q"]
    ranked = select(Building.id).where(*p.where_but_keyword()).order_by(*p.ranking())
    found: list[int] = []
    start, batch = 0, RANKED_BATCH
    known: set[int] | None = None  # every match, once the keyword proves few among the ranked
    while len(found) < wanted:
        ids = [i for (i,) in plain_rows(db.session, ranked.offset(start).limit(batch))]
        matching = known
        if matching is None:
            matching = fulltext.matching_among(db.session, q, ids)
            if len(matching) * FEW_RANKED < len(ids):
                # The walk would test hundreds of rows' text a page: the keyword's matches come
                # from its index alone, and the rest of the walk tests ids against them.
                every = fulltext.first_ids(db.session, q, FEW_RANKED_MATCHES)
                known = set(every) if len(every) <= FEW_RANKED_MATCHES else None
        found += [i for i in ids if i in matching]
        if len(ids) < batch:
            break
        start, batch = start + batch, batch * 2
    return found[offset:wanted]


def _nearest_ids(p: Plan, offset: int, limit: int) -> list[int]:
    """The page of a distance sort, asked in widening circles (`spatial.widening`): sorting
    every building of a 10 km circle to show the nearest twenty costs most of such a search."""
    lat, lon = p.origin.lat, p.origin.lon
    wanted = offset + limit
    ids: list[int] = []
    for radius in spatial.widening(p.radius_km):
        query = (
            p.select(Building.id, radius=radius)
            .order_by(spatial.distance_sq(lat, lon), Building.id)
            .limit(wanted)
        )
        ids = list(db.session.scalars(query))
        if len(ids) >= wanted:
            break
    return ids[offset:wanted]


def _ids_by_unit(p: Plan, offset: int, limit: int) -> list[int]:
    """Walk units in rent or area order and keep the first (best) unit of each building."""
    query = p.unit_walk_query()
    wanted = offset + limit
    seen: dict[int, None] = {}
    batch = max(wanted * 8, 200)
    fetched = 0
    while len(seen) < wanted:
        rows = db.session.scalars(query.offset(fetched).limit(batch)).all()
        for building_id in rows:
            seen.setdefault(building_id)
        fetched += len(rows)
        if len(rows) < batch:
            break
        batch *= 2
    return list(seen)[offset:wanted]


def keyword_count(p: Plan) -> tuple[int, bool] | None:
    """A common keyword's capped count on PostgreSQL (Count.KEYWORD_IDS) from the ids the
    keyword's first query fetched (fulltext.first_ids): when more than COUNT_CAP of them pass the
    other conditions, the count is capped and the phrase need not be matched again. None: count
    the usual way."""
    if p.count_by is not Count.KEYWORD_IDS:
        return None
    first = fulltext.first_ids(db.session, p.params["q"], fulltext.COMMON)
    limited = (
        select(Building.id)
        .where(*p.where_but_keyword(), nudges.one_array_parameter(Building.id, first))
        .limit(COUNT_CAP + 1)
    )
    if db.session.scalar(select(func.count()).select_from(limited.subquery())) > COUNT_CAP:
        return COUNT_CAP, True
    return None


def count(p: Plan, cap: int | None = None) -> tuple[int, bool]:
    """The number of matching buildings, counted up to `cap` (COUNT_CAP); and whether it was
    capped."""
    cap = COUNT_CAP if cap is None else cap
    limited = p.select(Building.id).limit(cap + 1)
    n = db.session.scalar(select(func.count()).select_from(limited.subquery()))
    return min(n, cap), n > cap


def map_rows(p: Plan, limit: int) -> list[tuple]:
    """(id, name, lat, lon) of the matching buildings, for a map or GeoJSON."""
    query = (
        p.select(Building.id, Building.name, Building.lat, Building.lon)
        .where(Building.lat.is_not(None))
        .limit(limit)
    )
    return plain_rows(db.session, query)


def cards(ids: list[int], p: Plan) -> list[BuildingCard]:
    """The cards of a page's buildings, in the page's order, with their matching units' figures."""
    buildings = {
        b.id: b
        for b in db.session.scalars(
            select(Building).where(Building.id.in_(ids)).options(*CARD_LOADS)
        )
    }
    conditions = list(p.unit_tests) if p.unit_filtered else unit_conditions({}, p.now)
    figures = unit_figures(ids, conditions)
    result = []
    for building_id in ids:
        building = buildings.get(building_id)
        if building is None:
            continue
        item = card(building, figures.get(building_id), p.now)
        if p.origin is not None and building.lat is not None:
            item.distance_km = km_between(
                (p.origin.lat, p.origin.lon), (building.lat, building.lon)
            )
        result.append(item)
    return result
