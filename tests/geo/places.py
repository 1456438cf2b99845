"""A toy map for placing tests: rectangular districts, towns and parks, built with the ORM.

甲市 and 乙县 are side by side in the region, 丙区 north of 甲市 is outside it and has no towns:

    lat 30.00 ┌──────────┐
              │   丙区    │  (outside the region)
    lat 29.80 ├──────────┼──────────┐
              │   甲市    │   乙县    │
    lat 29.60 └──────────┴──────────┘
           lon 120.10  120.30     120.50
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.extensions import db
from app.models import Park, Place, PlaceKind

_serial = itertools.count(1)


def box(lat: float, lon: float, half_lat: float, half_lon: float | None = None) -> dict:
    """A GeoJSON rectangle around a point ([lon, lat] pairs, closed, WGS-84)."""
    half_lon = half_lat if half_lon is None else half_lon
    south, north, west, east = lat - half_lat, lat + half_lat, lon - half_lon, lon + half_lon
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_place(
    name: str, kind: str, lat: float, lon: float, parent: Place | None = None, **values
) -> Place:
    place = Place(
        slug=f"toy-{next(_serial)}", name=name, kind=kind, lat=lat, lon=lon, parent=parent, **values
    )
    db.session.add(place)
    return place


def make_park(
    name: str, lat: float, lon: float, boundary: dict | None = None, radius_km: float | None = None
) -> Park:
    place = make_place(name, PlaceKind.PARK, lat, lon, boundary=boundary)
    park = Park(slug=place.slug, place=place, kind="产业园", radius_km=radius_km)
    db.session.add(park)
    return park


@dataclass
class ToyMap:
    jia: Place  # 甲市
    yi: Place  # 乙县
    bing: Place  # 丙区, outside the region
    jia_east: Place  # 甲东街道: a centre only
    jia_west: Place  # 甲西镇: a boundary over the west half of 甲市
    yi_south: Place  # 乙南镇, near 甲市's eastern edge
    bounded_park: Park  # 甲东产业园: a boundary about 1 km each way round 甲东's centre
    radius_park: Park  # 甲北孵化器: no boundary, a 2 km radius
    bare_park: Park  # 甲南小镇: neither boundary nor radius


def toy_map() -> ToyMap:
    """Build and commit the toy map."""
    city = make_place("测试市", PlaceKind.CITY, 29.8, 120.3)
    district = PlaceKind.DISTRICT
    jia = make_place("甲市", district, 29.70, 120.20, city, boundary=box(29.70, 120.20, 0.10))
    yi = make_place("乙县", district, 29.70, 120.40, city, boundary=box(29.70, 120.40, 0.10))
    bing = make_place(
        "丙区", district, 29.90, 120.20, city, boundary=box(29.90, 120.20, 0.10), in_region=False
    )
    town = PlaceKind.TOWN
    jia_east = make_place("甲东街道", town, 29.70, 120.25, jia)
    jia_west = make_place(
        "甲西镇", town, 29.70, 120.15, jia, boundary=box(29.70, 120.16, 0.10, 0.06)
    )
    yi_south = make_place("乙南镇", town, 29.65, 120.31, yi)
    toy = ToyMap(
        jia=jia,
        yi=yi,
        bing=bing,
        jia_east=jia_east,
        jia_west=jia_west,
        yi_south=yi_south,
        bounded_park=make_park("甲东产业园", 29.70, 120.25, box(29.70, 120.25, 0.01)),
        radius_park=make_park("甲北孵化器", 29.75, 120.20, radius_km=2.0),
        bare_park=make_park("甲南小镇", 29.65, 120.20),
    )
    db.session.commit()
    return toy
