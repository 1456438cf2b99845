"""Spatial pieces of building queries: a box that uses the spatial index, and a distance order."""

from __future__ import annotations

import math

from sqlalchemy import Select, column, table, text

from app.extensions import db
from app.geo.distance import bounding_box
from app.listings import nudges
from app.models import Building

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320


def distance_sq(lat: float, lon: float):
    """Squared distance in km² on a local flat projection: exact enough to order and cut."""
    kx = KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat))
    dx = (Building.lon - lon) * kx
    dy = (Building.lat - lat) * KM_PER_DEGREE_LAT
    return dx * dx + dy * dy


def widening(radius_km: float) -> tuple[float, ...]:
    """Circles to try, smallest first, for the nearest few within `radius_km`: when a smaller
    circle already holds enough, they are the nearest of the whole one too, in the same order,
    and a dense town is not sorted building by building to show a handful."""
    return (radius_km / 8, radius_km / 4, radius_km / 2, radius_km)


def within(lat: float, lon: float, radius_km: float) -> list:
    """Conditions for buildings within `radius_km`: the index box, then the circle."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
    if db.session.get_bind().dialect.name == "sqlite":
        ids = text(
            "SELECT id FROM building_rtree WHERE min_lat >= :a AND max_lat <= :b"
            " AND min_lon >= :c AND max_lon <= :d"
        ).bindparams(a=min_lat, b=max_lat, c=min_lon, d=max_lon)
        box = Building.id.in_(ids)
    else:
        box = Building.lat.between(min_lat, max_lat) & Building.lon.between(min_lon, max_lon)
    return [box, distance_sq(lat, lon) <= radius_km * radius_km]


def inside_box(lat: float, lon: float, radius_km: float):
    """The circle's box (`within`'s) tested on each building's own row, for a scan that something
    else leads: written `nudges.unindexed`, so the planner does not start from it."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
    return nudges.unindexed(Building.lat).between(min_lat, max_lat) & nudges.unindexed(
        Building.lon
    ).between(min_lon, max_lon)


# SQLite's R*Tree of building points (migration 0004), for joins that read it first.
RTREE = table(
    "building_rtree",
    column("id"), column("min_lat"), column("max_lat"), column("min_lon"), column("max_lon"),
)  # fmt: skip


def index_first(query: Select, lat: float, lon: float, radius_km: float) -> Select:
    """`query` over the buildings in the circle's box, read from SQLite's R*Tree first (its
    circle test is the caller's): the buildings stream from the index in a join
    (`nudges.read_first`), so a LIMIT stops the scan, where the box as an IN list (`within`) is
    gathered whole first."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
    joined = nudges.read_first(RTREE, Building.__table__, RTREE.c.id == Building.id)
    return query.select_from(joined).where(
        RTREE.c.min_lat >= min_lat,
        RTREE.c.max_lat <= max_lat,
        RTREE.c.min_lon >= min_lon,
        RTREE.c.max_lon <= max_lon,
    )
