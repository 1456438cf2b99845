"""Queries and rules for buildings and units as tenants see them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import Building, BuildingStatus, Unit, UnitStatus


@dataclass
class BuildingCard:
    """A building with the figures a list shows: cheapest rent, area range, units available."""

    building: Building
    min_rent: float | None
    min_area: float | None
    max_area: float | None
    units_available: int


def published() -> Select:
    return select(Building).where(Building.status == BuildingStatus.PUBLISHED)


def cards(buildings: list[Building]) -> list[BuildingCard]:
    """Attach the unit figures of each building with one grouped query."""
    ids = [b.id for b in buildings]
    if not ids:
        return []
    rows = db.session.execute(
        select(
            Unit.building_id,
            func.min(Unit.rent_per_m2_day),
            func.min(Unit.area_m2),
            func.max(Unit.area_m2),
            func.count(Unit.id),
        )
        .where(Unit.building_id.in_(ids), Unit.status == UnitStatus.AVAILABLE)
        .group_by(Unit.building_id)
    ).all()
    figures = {row[0]: row[1:] for row in rows}
    return [BuildingCard(b, *figures.get(b.id, (None, None, None, 0))) for b in buildings]


def recommended_buildings(limit: int = 8) -> list[BuildingCard]:
    """推荐楼盘: the buildings editors featured, then the freshest."""
    query = published().order_by(Building.featured.desc(), Building.updated_at.desc()).limit(limit)
    return cards(list(db.session.scalars(query)))


def get_public_building(building_id: int) -> Building | None:
    return db.session.scalar(published().where(Building.id == building_id))
