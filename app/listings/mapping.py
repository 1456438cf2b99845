"""The maps of the listing pages: search results, and a building with its surroundings."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from app.filters import building_url
from app.geo import maps
from app.geo.maps import MapPoint, RenderedMap, build_map
from app.geo.transform import wgs84_to_gcj02
from app.listings.search import SearchResult
from app.models import Building, Place


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


def building_map(
    building: Building, nearby: list[tuple[Building, float]], stations: list[tuple[Place, float]]
) -> RenderedMap:
    """The building, its park (boundary or centre), nearby stations and buildings."""
    points = [MapPoint(building.lat, building.lon, building.name)]
    boundaries = []
    if building.park is not None:
        place = building.park.place
        park_url = url_for("parks.park", slug=building.park.slug)
        points.append(MapPoint(place.lat, place.lon, place.name, "park", park_url))
        if place.boundary:
            boundaries.append((place.name, place.boundary))
    for station, _km in stations:
        points.append(MapPoint(station.lat, station.lon, station.name, "station"))
    for other, _km in nearby:
        url = building_url(other.id)
        points.append(MapPoint(other.lat, other.lon, other.name, "building", url))
    return build_map(
        points, center=(building.lat, building.lon), zoom=13, boundaries=boundaries, cluster=False
    )
