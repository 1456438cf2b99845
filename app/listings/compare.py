"""对比: up to MAX_COMPARED buildings side by side, kept in the session and shared as a URL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.geo.distance import km_between
from app.listings.details import KEY_STATION, public_units
from app.listings.services import Origin, published, resolve_origin
from app.models import Building

MAX_COMPARED = 4


@dataclass
class Column:
    """One building's column in the comparison table."""

    building: Building
    rent_range: tuple[float, float] | None
    area_range: tuple[float, float] | None
    units_available: int
    distance_km: float | None


def parse_ids(value: str) -> list[int]:
    """Building ids from "3,5,8": digits only, no repeats, at most four."""
    ids: list[int] = []
    for part in value.replace("，", ",").split(","):
        part = part.strip()
        if part.isdecimal() and len(part) < 10 and int(part) not in ids:
            ids.append(int(part))
    return ids[:MAX_COMPARED]


def add(ids: list[int], building_id: int) -> tuple[list[int], bool]:
    """Return the new list and whether the building fit in it."""
    if building_id in ids:
        return ids, True
    if len(ids) >= MAX_COMPARED:
        return ids, False
    return [*ids, building_id], True


def remove(ids: list[int], building_id: int) -> list[int]:
    return [i for i in ids if i != building_id]


def origin_for(near: str | None) -> Origin | None:
    return resolve_origin(near or KEY_STATION)


def columns(ids: list[int], origin: Origin | None) -> list[Column]:
    found = {b.id: b for b in db.session.scalars(published().where(Building.id.in_(ids)))}
    result = []
    for building_id in ids:
        building = found.get(building_id)
        if building is None:
            continue
        units = [row.unit for row in public_units(building) if row.unit.status == "available"]
        rents = [u.rent_per_m2_day for u in units if u.rent_per_m2_day is not None]
        areas = [u.area_m2 for u in units]
        distance = None
        if origin is not None and building.lat is not None:
            distance = km_between((origin.lat, origin.lon), (building.lat, building.lon))
        result.append(
            Column(
                building=building,
                rent_range=(min(rents), max(rents)) if rents else None,
                area_range=(min(areas), max(areas)) if areas else None,
                units_available=len(units),
                distance_km=distance,
            )
        )
    return result


def existing(ids: list[int]) -> list[int]:
    """Keep the ids of published buildings only, in order."""
    present = set(
        db.session.scalars(
            select(Building.id).where(Building.id.in_(ids), Building.status == "published")
        )
    )
    return [i for i in ids if i in present]
