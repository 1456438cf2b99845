"""The search as pages see it: plan once, count, find the page's ids, build its cards."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from app.config import PER_PAGE
from app.listings.search import execute
from app.listings.search.planner import Count, plan
from app.listings.search.suggestions import Suggestion, suggestions
from app.listings.services import BuildingCard, Origin, resolve_places
from app.models.base import utcnow

PAGE_MAP_LIMIT = 2000  # markers drawn on the results page
API_MAP_LIMIT = 10000  # features in /api/listings


@dataclass
class SearchResult:
    cards: list[BuildingCard]
    total: int
    page: int
    pages: int
    per_page: int
    capped: bool = False
    origin: Origin | None = None
    radius_km: float | None = None
    errors: dict[str, str] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    map_rows: list[tuple] = field(default_factory=list)


def search(
    params: dict,
    now: datetime | None = None,
    per_page: int = PER_PAGE,
    map_limit: int = PAGE_MAP_LIMIT,
) -> SearchResult:
    """Find the published buildings matching `params` (already validated plain values)."""
    now = now or utcnow()
    places, errors = resolve_places(params)
    p = plan(params, places, now)
    found = execute.first_matches(p)
    rows = None
    if found is None:
        total, capped = execute.keyword_count(p) or execute.count(p)
    else:
        rows, capped = found
        total = execute.COUNT_CAP if capped else len(rows)
    pages = max(1, math.ceil(total / per_page))
    page = params.get("page") or 1
    if page > pages:
        errors["page"] = f"第 {page} 页超出范围，共 {pages} 页。"
        page = pages
    offset = (page - 1) * per_page
    if not total:
        ids = []
    elif rows is not None and (not capped or p.count_by is Count.EVERY_MATCH):
        ids = execute.in_order(rows, p.sort, p.origin)[offset : offset + per_page]
    elif (
        rows is not None
        and p.count_by is Count.RANKING_SCAN
        and offset + per_page <= execute.COUNT_CAP
    ):
        ids = [row[0] for row in rows[offset : offset + per_page]]  # already in page order
    else:
        ids = execute.page_ids(p, offset, per_page)
    result = SearchResult(
        cards=execute.cards(ids, p),
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        capped=capped,
        origin=p.origin,
        radius_km=p.radius_km if p.origin else None,
        errors=errors,
        map_rows=execute.map_rows(p, map_limit) if map_limit else [],
    )
    if total == 0:
        result.suggestions = suggestions(params, places, now)
    return result
