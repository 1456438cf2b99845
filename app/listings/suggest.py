"""Suggestions as a tenant types: districts, towns, parks and buildings that a few characters,
their full pinyin or their initials begin (zhuji and zj find 诸暨市, ciwu finds 次坞镇).

Places and parks are few (a few hundred): their names and aliases, with their pinyin, are held
per process and rebuilt when the gazetteer changes (app.geo.cache). Buildings are many: they are
found by the characters of their names in the database.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass

# pypinyin's dictionary of phrases is half a million entries: loaded, it adds 200,000 objects to
# every full collection of a web worker (25 ms each) and 75 MB to its memory. Place names are
# spelt character by character here, with every reading of a character that has several.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")

from pypinyin import Style, pinyin  # noqa: E402  (after the settings it reads on import)
from sqlalchemy import select  # noqa: E402

from app.extensions import db
from app.geo.cache import GazetteerCache
from app.models import Building, BuildingStatus, Park, Place, PlaceKind

LIMIT = 8  # suggestions shown under the box
BUILDING_LIMIT = 4  # of which buildings at most, after the places that match
MAX_QUERY = 20  # characters read of what was typed
# Suggested kinds in the order a tie is broken: the bigger place first.
KIND_ORDER = {PlaceKind.CITY: 0, PlaceKind.DISTRICT: 1, PlaceKind.TOWN: 2, PlaceKind.PARK: 3}
KIND_NAMES = {
    PlaceKind.CITY: "城市",
    PlaceKind.DISTRICT: "区县",
    PlaceKind.TOWN: "镇街",
    PlaceKind.PARK: "园区",
    "building": "楼盘",
}
_LATIN = re.compile(r"^[a-z]+$")
_SEPARATORS = re.compile(r"[\s'’·\-]+")


@dataclass(frozen=True)
class Suggestion:
    kind: str  # city, district, town, park or building
    name: str
    within: str  # the district (or city) it lies in, "" for a district or the city
    slug: str | None  # a place's or park's slug
    building_id: int | None = None

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


@dataclass(frozen=True)
class _Entry:
    suggestion: Suggestion
    names: tuple[str, ...]  # the name and its aliases
    spellings: tuple[str, ...]  # each name's full pinyin and its initials, lower case


SPELLINGS_MAX = 16  # readings of a name kept, for names of several characters with several


def _spellings(name: str) -> tuple[str, ...]:
    """The name's full pinyin and its initials, in every reading of its characters (长河 is
    changhe and zhanghe, chh and zhh), at most SPELLINGS_MAX of each."""
    found: list[str] = []
    for style in (Style.NORMAL, Style.FIRST_LETTER):
        readings = pinyin(name, style=style, heteronym=True, errors="ignore")
        choices = [list(dict.fromkeys(r.lower() for r in char)) for char in readings if char]
        spelt = ("".join(p) for p in itertools.product(*choices))
        found += itertools.islice(spelt, SPELLINGS_MAX)
    return tuple(dict.fromkeys(found))


def _build() -> list[_Entry]:
    places = db.session.scalars(
        select(Place).where(
            Place.in_region.is_(True),
            Place.kind.in_((PlaceKind.CITY, PlaceKind.DISTRICT, PlaceKind.TOWN)),
        )
    ).all()
    parks = db.session.scalars(select(Park).join(Park.place)).all()
    entries = []
    for place in places:
        within = place.parent.name if place.kind == PlaceKind.TOWN and place.parent else ""
        entries.append(_entry(Suggestion(place.kind, place.name, within, place.slug), place))
    for park in parks:
        district = park.place.ancestor(PlaceKind.DISTRICT)
        if district is not None and not district.in_region:
            continue
        within = district.name if district is not None else ""
        entries.append(
            _entry(Suggestion(PlaceKind.PARK, park.place.name, within, park.slug), park.place)
        )
    return entries


def _entry(suggestion: Suggestion, place: Place) -> _Entry:
    names = tuple(dict.fromkeys(place.names))
    return _Entry(suggestion, names, tuple(s for name in names for s in _spellings(name)))


_entries = GazetteerCache(_build)


def normalize(text: str) -> str:
    """What was typed, as it is matched: trimmed, lower case, without spaces or apostrophes."""
    return _SEPARATORS.sub("", (text or "").strip().lower())[:MAX_QUERY]


def suggest(text: str) -> list[Suggestion]:
    """The places, parks and buildings for what was typed, best first: a whole name before a
    beginning before a middle, a bigger place before a smaller, a shorter name first."""
    query = normalize(text)
    if not query:
        return []
    latin = bool(_LATIN.match(query))
    ranked = []
    for entry in _entries.get():
        keys = entry.spellings if latin else entry.names
        ranks = [r for r in (_rank(key, query, latin) for key in keys) if r is not None]
        if ranks:
            rank = min(ranks)
            s = entry.suggestion
            ranked.append(((rank, KIND_ORDER[s.kind], len(s.name), s.name), s))
    found = [s for _key, s in sorted(ranked, key=lambda item: item[0])][:LIMIT]
    room = min(BUILDING_LIMIT, LIMIT - len(found))
    if room > 0 and not latin:
        found += _buildings(query, room)
    return found


def _rank(key: str, query: str, latin: bool) -> int | None:
    if key == query:
        return 0
    if key.startswith(query):
        return 1
    if not latin and query in key:
        return 2
    return None


def _buildings(query: str, limit: int) -> list[Suggestion]:
    """Published buildings whose names begin with the characters typed, then contain them."""
    pattern = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.session.execute(
        select(Building.id, Building.name, Place.name)
        .outerjoin(Place, Place.id == Building.district_id)
        .where(
            Building.status == BuildingStatus.PUBLISHED,
            Building.name.like(f"%{pattern}%", escape="\\"),
        )
        .order_by(Building.name.like(f"{pattern}%", escape="\\").desc(), Building.id)
        .limit(limit)
    ).all()
    return [
        Suggestion("building", name, district or "", None, building_id)
        for building_id, name, district in rows
    ]
