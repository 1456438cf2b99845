"""Addresses to WGS-84 points: an offline gazetteer geocoder, with network geocoders as options.

One interface: `geocoder().geocode(address)` returns a `GeocodeResult` (lat, lon, precision,
source) or None. The embedded default reads the gazetteer and needs no network. Network geocoders
(geopy's Nominatim, or BaiduV3 whose BD-09 answers are converted to WGS-84) are switched on by
config GEOCODER=nominatim|baidu; when they time out, fail or find nothing, the offline geocoder
answers instead, so a form never breaks because a service is down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from flask import current_app
from geopy.exc import GeopyError
from sqlalchemy import select

from app.config import Config
from app.extensions import db
from app.geo.transform import bd09_to_wgs84
from app.models import Place, PlaceKind

log = logging.getLogger(__name__)

# Most specific first: the offline geocoder answers with the first kind the address names.
SPECIFICITY = (PlaceKind.PARK, PlaceKind.TOWN, PlaceKind.DISTRICT, PlaceKind.CITY)

# Baidu's "level" of an answer, mapped to our precision words.
BAIDU_LEVELS = {
    "门址": "address",
    "门牌号": "address",
    "兴趣点": "address",
    "商务大厦": "address",
    "道路": "street",
    "道路交叉点": "street",
    "村庄": "street",
    "产业园区": "park",
    "开发区": "park",
    "乡镇": "town",
    "区县": "district",
    "城市": "city",
}


@dataclass(frozen=True)
class GeocodeResult:
    """A WGS-84 point, how precise it is and which geocoder found it."""

    lat: float
    lon: float
    precision: str  # "address" | "street" | "park" | "town" | "district" | "city"
    source: str  # "gazetteer" | "nominatim" | "baidu"
    label: str = ""  # what was recognised, e.g. the place name


class Geocoder(Protocol):
    def geocode(self, address: str) -> GeocodeResult | None: ...


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    place: Place


class GazetteerGeocoder:
    """Find the most specific gazetteer place (park > town > district > city) named in an address.

    Names and aliases both count ("诸暨市直埠镇…" finds 姚江镇 through its old name 直埠镇). Where
    names overlap, the longest wins, so "诸暨岛" is not also read as "诸暨".
    """

    source = "gazetteer"

    def _places(self) -> list[Place]:
        kinds = [str(k) for k in SPECIFICITY]
        return list(db.session.scalars(select(Place).where(Place.kind.in_(kinds))))

    def _matches(self, text: str) -> list[_Match]:
        found: list[_Match] = []
        for place in self._places():
            for name in {n for n in place.names if n}:
                start = text.find(name)
                while start != -1:
                    found.append(_Match(start, start + len(name), place))
                    start = text.find(name, start + 1)
        # Longest match wins where two overlap.
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept: list[_Match] = []
        for m in found:
            if all(m.end <= k.start or m.start >= k.end for k in kept):
                kept.append(m)
        return kept

    def geocode(self, address: str) -> GeocodeResult | None:
        text = (address or "").strip()
        if not text:
            return None
        matches = self._matches(text)
        for kind in SPECIFICITY:
            of_kind = [m for m in matches if m.place.kind == kind]
            if of_kind:
                best = max(of_kind, key=lambda m: (m.end - m.start, -m.start))
                place = best.place
                return GeocodeResult(place.lat, place.lon, str(kind), self.source, place.name)
        return None


class NetworkGeocoder:
    """A geopy geocoder with a safety net: any failure or empty answer goes to `fallback`."""

    def __init__(self, geopy_geocoder: Any, source: str, fallback: Geocoder | None = None):
        self.geopy_geocoder = geopy_geocoder
        self.source = source
        self.fallback = fallback or GazetteerGeocoder()

    def _convert(self, location: Any) -> GeocodeResult:
        lat, lon = location.latitude, location.longitude
        raw = getattr(location, "raw", None) or {}
        if self.source == "baidu":
            lat, lon = bd09_to_wgs84(lat, lon)
            precision = BAIDU_LEVELS.get(str(raw.get("level", "")), "address")
        else:
            precision = _nominatim_precision(raw)
        return GeocodeResult(lat, lon, precision, self.source, str(location.address or ""))

    def geocode(self, address: str) -> GeocodeResult | None:
        text = (address or "").strip()
        if not text:
            return None
        try:
            location = self.geopy_geocoder.geocode(text)
        except GeopyError as exc:  # timeouts, quota, service and network errors
            log.warning("geocoder %s failed for %r: %s", self.source, text, exc)
            location = None
        if location is None:
            return self.fallback.geocode(text)
        return self._convert(location)


def _nominatim_precision(raw: dict) -> str:
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    if kind in ("city", "county", "state"):
        return "city" if kind == "city" else "district"
    if kind in ("town", "village", "suburb", "township", "quarter"):
        return "town"
    if kind in ("road", "street", "residential", "neighbourhood"):
        return "street"
    if kind in ("industrial", "commercial"):
        return "park"
    return "address"


def geocoder(config: dict | None = None) -> Geocoder:
    """The geocoder the configuration asks for (GEOCODER=offline|nominatim|baidu)."""
    config = config if config is not None else current_app.config
    name = (config.get("GEOCODER") or "").lower()  # any other name: the offline gazetteer
    timeout = float(config.get("GEOCODER_TIMEOUT") or Config.GEOCODER_TIMEOUT)
    if name == "nominatim":
        from geopy.geocoders import Nominatim

        agent = config.get("NOMINATIM_USER_AGENT") or Config.NOMINATIM_USER_AGENT
        return NetworkGeocoder(Nominatim(user_agent=agent, timeout=timeout), "nominatim")
    if name == "baidu" and config.get("BAIDU_AK"):
        from geopy.geocoders import BaiduV3

        return NetworkGeocoder(BaiduV3(api_key=config["BAIDU_AK"], timeout=timeout), "baidu")
    return GazetteerGeocoder()


def geocode(address: str) -> GeocodeResult | None:
    """Geocode with the configured geocoder."""
    return geocoder().geocode(address)
