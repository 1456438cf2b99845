"""From a point to the places it lies in: its town, its district and its park."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import Point, shape
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.config import PARK_RADIUS_KM
from app.extensions import db
from app.geo.distance import km_between
from app.models import Park, Place, PlaceKind


@dataclass
class Located:
    town: Place | None
    district: Place | None
    park: Park | None


def nearest_town(lat: float, lon: float) -> Place | None:
    """The town or 街道 whose centre is nearest (towns have no boundaries in the gazetteer)."""
    towns = db.session.scalars(select(Place).where(Place.kind == PlaceKind.TOWN)).all()
    return min(towns, key=lambda t: km_between((lat, lon), (t.lat, t.lon)), default=None)


def park_at(lat: float, lon: float, radius_km: float = PARK_RADIUS_KM) -> Park | None:
    """The park whose boundary holds the point, else the nearest park centre within the radius."""
    parks = db.session.scalars(select(Park).options(joinedload(Park.place))).all()
    point = Point(lon, lat)
    inside = [p for p in parks if p.place.boundary and shape(p.place.boundary).contains(point)]
    if inside:
        # Small parks sit inside large zones; the smallest boundary is the most specific.
        return min(inside, key=lambda p: shape(p.place.boundary).area)
    near = [(km_between((lat, lon), (p.place.lat, p.place.lon)), p) for p in parks]
    near = [(d, p) for d, p in near if d <= radius_km]
    return min(near, key=lambda pair: pair[0])[1] if near else None


def locate(lat: float, lon: float) -> Located:
    """The town, district and park of a WGS-84 point."""
    town = nearest_town(lat, lon)
    district = town.ancestor(PlaceKind.DISTRICT) if town else None
    return Located(town=town, district=district, park=park_at(lat, lon))
