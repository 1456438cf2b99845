"""Where an article's place links can lead: the place's page, its listings, or the nearest ones.

A link must never open an empty page. A town or district of the region leads to its place page
(/places/<slug>, app.market.compare.place_page_url: its figures, parks, buildings and news,
never empty); the city of the region to all of our listings; parks to their own page; any other
place (a landmark, a place outside the region) to the search near its point, ordered by
distance, within a radius that holds the nearest building; a place with nothing within
MAX_RADIUS_KM is not linked. The facts are asked
once per article page (one query for the city, and one nearest-building query per place without
a page of its own); the view keeps them under the listings stamp (app.news.views).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.extensions import db
from app.geo.distance import km_between
from app.listings import spatial
from app.listings.forms import MAX_RADIUS_KM
from app.listings.services import published
from app.models import Building, PlaceKind
from app.news.linker import PlaceRef

# The kinds of place that have a page of their own (/places/<slug>) when they are of the region.
PAGE_KINDS = (PlaceKind.TOWN, PlaceKind.DISTRICT)

# Radii of the search near a place, smallest first: the one a link opens holds its nearest
# building with room for a few more (NEAR_SLACK), and reads as a round figure.
RADII_KM = (5.0, 10.0, 20.0, 30.0, MAX_RADIUS_KM)
NEAR_SLACK = 1.5


@dataclass(frozen=True)
class Reach:
    """What a link to a place can open."""

    own: bool  # the listings filtered to the place (or the park page) show something
    in_region: bool
    nearest_km: float | None = None  # else: how far the nearest published building is
    radius_km: float | None = None  # and the radius of the search that shows it

    @property
    def linked(self) -> bool:
        return (self.own and self.in_region) or self.radius_km is not None


def has_page(place: PlaceRef) -> bool:
    """Whether a place's links lead to its own place page."""
    return place.in_region and place.kind in PAGE_KINDS and not place.park_slug


def radius_for(nearest_km: float) -> float | None:
    """The round radius that holds a building `nearest_km` away; None past MAX_RADIUS_KM."""
    if nearest_km > MAX_RADIUS_KM:
        return None
    wanted = nearest_km * NEAR_SLACK
    return next((r for r in RADII_KM if r >= wanted), MAX_RADIUS_KM)


def nearest_km(lat: float, lon: float) -> float | None:
    """How far the nearest published building is from a point, if within MAX_RADIUS_KM."""
    for radius in spatial.widening(MAX_RADIUS_KM):
        query = (
            published()
            .with_only_columns(Building.lat, Building.lon)
            .where(*spatial.within(lat, lon, radius))
            .order_by(spatial.distance_sq(lat, lon), Building.id)
            .limit(1)
        )
        row = db.session.execute(query).first()
        if row is not None:
            return km_between((lat, lon), (row.lat, row.lon))
    return None


def reach(places: Iterable[PlaceRef]) -> dict[int, Reach]:
    """Per place id, what its link can open (see the module's docstring)."""
    places = list(places)
    owned = {p.id for p in places if has_page(p)}
    cities = {p.id for p in places if p.kind == PlaceKind.CITY and p.in_region}
    if cities and db.session.execute(published().with_only_columns(Building.id).limit(1)).first():
        owned |= cities  # the region's city: all of our listings
    found: dict[int, Reach] = {}
    for place in places:
        if place.park_slug or place.id in owned:
            found[place.id] = Reach(own=True, in_region=place.in_region)
            continue
        km = nearest_km(place.lat, place.lon)
        found[place.id] = Reach(
            own=False,
            in_region=place.in_region,
            nearest_km=km,
            radius_km=radius_for(km) if km is not None else None,
        )
    return found
