"""The maps of the listing pages: search results, and a building with its surroundings."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup, escape

from app.filters import number
from app.geo.maps import MapPoint, RenderedMap, build_map
from app.listings.services import SearchResult
from app.models import Building, Place


def popup(building_id: int, name: str, min_rent: float | None) -> Markup:
    url = url_for("listings.building", building_id=building_id)
    rent = f"<br>{number(min_rent)} 元/㎡/天起" if min_rent is not None else ""
    return Markup('<a href="{}">{}</a>{}').format(url, name, Markup(rent))


def results_map(result: SearchResult) -> RenderedMap:
    """All results of the search (not only this page), clustered when there are many."""
    points = [
        MapPoint(lat, lon, popup(bid, name, rent)) for bid, name, lat, lon, rent in result.map_rows
    ]
    if result.origin is not None:
        points.append(
            MapPoint(
                result.origin.lat,
                result.origin.lon,
                escape(result.origin.label),
                "place",
                tooltip=result.origin.label,
            )
        )
    return build_map(points, zoom=11)


def building_map(
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
            MapPoint(other.lat, other.lon, popup(other.id, other.name, None), tooltip=other.name)
        )
    return build_map(
        points, center=(building.lat, building.lon), zoom=13, boundaries=boundaries, cluster=False
    )
