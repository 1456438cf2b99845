"""The maps of the listing pages: search results, and a building with its surroundings."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup, escape

from app.geo import maps
from app.geo.maps import MapPoint, RenderedMap, build_map, tiles_name
from app.geo.transform import wgs84_to_gcj02
from app.listings.search import SearchResult
from app.models import Building, Place


def popup(building_id: int, name: str) -> Markup:
    url = url_for("listings.building", building_id=building_id)
    return Markup('<a href="{}">{}</a>').format(url, name)


@dataclass
class ResultsMap:
    """The results page's map: a cached folium fragment and the data its frame carries."""

    map: RenderedMap
    source: str
    origin: tuple[float, float, str] | None


def results_map(result: SearchResult, args: dict, tiles: str) -> ResultsMap:
    """Every result of the search (not only this page), clustered, fetched from /api/listings."""
    query = {k: v for k, v in args.items() if k not in ("page", "sort") and v not in ("", None)}
    if tiles == "amap":
        query["crs"] = "gcj02"
    origin = None
    if result.origin is not None:
        lat, lon = result.origin.lat, result.origin.lon
        if tiles == "amap":
            lat, lon = wgs84_to_gcj02(lat, lon)
        origin = (lat, lon, result.origin.label)
    return ResultsMap(maps.results_map(tiles), url_for("api.listings", **query), origin)


BUILDING_MAPS: dict[tuple, RenderedMap] = {}
BUILDING_MAPS_MAX = 512


def building_map(
    building: Building, nearby: list[tuple[Building, float]], stations: list[tuple[Place, float]]
) -> RenderedMap:
    """The building's map, rendered once per version of what it shows (folium is slow)."""
    key = (
        tiles_name(),
        building.id,
        building.updated_at,
        building.park_id,
        tuple((b.id, b.updated_at) for b, _ in nearby),
        tuple(s.id for s, _ in stations),
    )
    rendered = BUILDING_MAPS.get(key)
    if rendered is None:
        rendered = _draw_building_map(building, nearby, stations)
        if len(BUILDING_MAPS) >= BUILDING_MAPS_MAX:
            BUILDING_MAPS.pop(next(iter(BUILDING_MAPS)), None)
        BUILDING_MAPS[key] = rendered
    return rendered


def _draw_building_map(
    building: Building, nearby: list[tuple[Building, float]], stations: list[tuple[Place, float]]
) -> RenderedMap:
    """The building, its park (boundary or centre), nearby stations and buildings."""
    points = [MapPoint(building.lat, building.lon, escape(building.name), tooltip=building.name)]
    boundaries = []
    if building.park is not None:
        place = building.park.place
        park_url = url_for("parks.park", slug=building.park.slug)
        points.append(
            MapPoint(
                place.lat,
                place.lon,
                Markup('<a href="{}">{}</a>').format(park_url, place.name),
                "park",
                tooltip=place.name,
            )
        )
        if place.boundary:
            boundaries.append((place.name, place.boundary))
    for station, _km in stations:
        points.append(
            MapPoint(
                station.lat, station.lon, escape(station.name), "station", tooltip=station.name
            )
        )
    for other, _km in nearby:
        points.append(
            MapPoint(other.lat, other.lon, popup(other.id, other.name), tooltip=other.name)
        )
    return build_map(
        points, center=(building.lat, building.lon), zoom=13, boundaries=boundaries, cluster=False
    )
