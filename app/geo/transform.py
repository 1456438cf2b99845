"""Conversions between WGS-84 (stored), GCJ-02 (高德, 腾讯) and BD-09 (百度).

Points are stored in WGS-84. Convert to GCJ-02 only when drawing on a Chinese tile layer, and
convert a Chinese geocoder's answer back to WGS-84 as soon as it arrives.
"""

from __future__ import annotations

import prcoords


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    point = prcoords.wgs_gcj((lat, lon), True)
    return point.lat, point.lon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    point = prcoords.gcj_wgs_bored((lat, lon), True)
    return point.lat, point.lon


def bd09_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    point = prcoords.bd_wgs_bored((lat, lon), True)
    return point.lat, point.lon
