"""Folium maps built from WGS-84 points, drawn with the app's own Leaflet and tiles of choice.

A page embeds a map as two parts: the map's <div> and its inline script. Leaflet, jQuery and
the marker-cluster plugin are loaded by the page itself (templates/partials/map_assets.html)
from the app's /vendor/ route, never from a CDN.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import folium
from flask import current_app
from folium.elements import MacroElement
from folium.template import Template
from markupsafe import Markup

from app.geo.transform import wgs84_to_gcj02

TILES = {
    # Tile URLs are given in full: naming a provider makes folium search its whole catalogue
    # (xyzservices) on every map, which costs more than drawing the map.
    "osm": {
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
        "gcj02": False,
        "origin": "https://tile.openstreetmap.org",  # what the CSP lets images come from
    },
    "amap": {
        "tiles": "https://webrd0{s}.is.autonavi.com/appmaptile"
        "?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "attr": "&copy; 高德地图",
        "gcj02": True,
        "subdomains": "1234",
        "origin": "https://*.is.autonavi.com",
    },
}
# Leaflet circle options of each kind of point; the origin of a distance search is a "place".
KIND_STYLE = {
    kind: {"color": color, "radius": radius, "fill": True, "fillOpacity": 0.7}
    for kind, color, radius in (
        ("park", "#2f9e44", 9),
        ("station", "#e8590c", 7),
        ("place", "#6741d9", 7),
    )
}
CLUSTER_THRESHOLD = 30
BOUNDARY_STYLE = {"color": "#2f9e44", "weight": 2, "fillOpacity": 0.08}


class ClusteredGeoJson(MacroElement):
    """Points fetched as GeoJSON from one of the app's URLs and drawn in marker clusters.

    The page carries the URL, not the points: a search with 10,000 results stays a small page,
    and the browser fetches the (compressed) GeoJSON once. Each feature's `name` and `url`
    properties become a popup link, built with DOM calls so that no text is parsed as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup({ showCoverageOnHover: false });
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        (function (map, frame) {
            // A page may name the point it measures from; draw it as a circle.
            if (frame && frame.dataset.originLat) {
                L.circleMarker([+frame.dataset.originLat, +frame.dataset.originLon],
                    {{ this.origin_style|tojson }})
                    .bindTooltip(document.createTextNode(frame.dataset.originLabel)).addTo(map);
            }
        })({{ this._parent.get_name() }}, {{ this._parent.get_name() }}.getContainer().parentNode);
        var source = {{ this.url|tojson }} ||
            {{ this._parent.get_name() }}.getContainer().parentNode.dataset.source;
        fetch(source, { headers: { "Accept": "application/json" } })
            .then(function (response) { return response.json(); })
            .then(function (data) {
                var layer = L.geoJSON(data, {
                    onEachFeature: function (feature, marker) {
                        var link = document.createElement("a");
                        link.href = feature.properties.url;
                        link.textContent = feature.properties.name;
                        marker.bindPopup(link);
                    }
                });
                {{ this.get_name() }}.addLayers(layer.getLayers());
                if ({{ this.fit|tojson }} && layer.getLayers().length) {
                    {{ this._parent.get_name() }}.fitBounds(
                        layer.getBounds(), { padding: [20, 20], maxZoom: 15 });
                }
                var shown = layer.getLayers().length;
                {{ this._parent.get_name() }}.getContainer().dataset.loaded = shown;
            });
        {% endmacro %}
        """
    )

    def __init__(self, url: str | None, fit: bool = True):
        """Fetch from `url`, or (None) from the data-source attribute of the map's frame."""
        super().__init__()
        self._name = "ClusteredGeoJson"
        self.origin_style = KIND_STYLE["place"]
        self.url = url
        self.fit = fit


class FramePoints(MacroElement):
    """Pins, circles and park boundaries read from the data-map attribute of the map's frame.

    The folium part (the map, its tiles, this script) is the same for every page and is rendered
    once per tile layer; a page only writes its points as JSON (`RenderedMap.data`). Popups and
    tooltips are built with DOM calls, so no name is ever parsed as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var data = JSON.parse(map.getContainer().parentNode.dataset.map || "{}");
            var styles = {{ this.styles|tojson }};
            var pins = data.cluster ? L.markerClusterGroup({ showCoverageOnHover: false })
                                    : L.featureGroup();
            pins.addTo(map);
            function text(value) { return document.createTextNode(value); }
            function popup(point) {
                var box = document.createElement("div"), name = text(point[3]);
                if (point[4]) {
                    name = document.createElement("a");
                    name.href = point[4];
                    name.textContent = point[3];
                }
                box.appendChild(name);
                if (point[5]) {
                    box.appendChild(document.createElement("br"));
                    box.appendChild(text(point[5]));
                }
                return box;
            }
            (data.boundaries || []).forEach(function (boundary) {
                L.geoJSON(boundary[1], { style: function () { return styles.boundary; } })
                    .bindTooltip(text(boundary[0])).addTo(map);
            });
            (data.points || []).forEach(function (point) {
                var style = styles[point[2]] || styles.place, marker;
                if (point[2] === "building") {
                    marker = L.marker([point[0], point[1]]);
                    pins.addLayer(marker);
                } else {
                    marker = L.circleMarker([point[0], point[1]], style);
                    marker.addTo(map);
                }
                marker.bindPopup(popup(point)).bindTooltip(text(point[3]));
            });
            if (data.bounds) {
                map.fitBounds(data.bounds, { padding: [20, 20] });
            } else if (data.center) {
                map.setView(data.center, data.zoom);
            }
            map.getContainer().dataset.drawn = (data.points || []).length;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "FramePoints"
        self.styles = {**KIND_STYLE, "boundary": BOUNDARY_STYLE}


@dataclass
class MapPoint:
    """Something to draw: a building (a pin) or a park, station or place (a circle).

    Its popup is the name (a link when `url` is given) and an optional `note` line below it;
    its tooltip is the name. All plain text.
    """

    lat: float
    lon: float
    name: str
    kind: str = "building"
    url: str | None = None
    note: str | None = None


@dataclass
class RenderedMap:
    """A map for a page: the folium frame and script, and the points the frame carries (None
    for a map that fetches its own, like the search results)."""

    html: Markup
    script: Markup
    points: int = 0
    data: dict | None = None


def tiles_name() -> str:
    name = current_app.config.get("MAP_TILES", "osm")
    return name if name in TILES else "osm"


def _project(lat: float, lon: float, gcj02: bool) -> tuple[float, float]:
    return wgs84_to_gcj02(lat, lon) if gcj02 else (lat, lon)


def _new_map(center: tuple[float, float], zoom: int, tiles: dict) -> folium.Map:
    options = {"tiles": tiles["tiles"], "attr": tiles["attr"]}
    if "subdomains" in tiles:
        options["subdomains"] = tiles["subdomains"]
    m = folium.Map(location=list(center), zoom_start=zoom, control_scale=True, **options)
    # The page loads Leaflet and jQuery itself; folium must not add CDN links.
    m.default_js, m.default_css = [], []
    return m


def _polygon_geojson(boundary: dict, gcj02: bool) -> dict:
    rings = []
    for ring in boundary["coordinates"]:
        rings.append([list(reversed(_project(lat, lon, gcj02))) for lon, lat in ring])
    return {"type": "Polygon", "coordinates": rings}


def build_map(
    points: Sequence[MapPoint],
    *,
    center: tuple[float, float] | None = None,
    zoom: int = 12,
    boundaries: Iterable[tuple[str, dict]] = (),
    cluster: bool | None = None,
) -> RenderedMap:
    """The points (pins clustered when many) and any park boundaries, the view fitted to them;
    projected to GCJ-02 for 高德 tiles. Only the data is per page: the folium part is shared."""
    tiles = tiles_name()
    gcj = TILES[tiles]["gcj02"]
    boundaries = list(boundaries)
    rows = []
    for p in points:
        lat, lon = _project(p.lat, p.lon, gcj)
        rows.append([round(lat, 6), round(lon, 6), p.kind, p.name, p.url, p.note])
    if center is None:
        center = (rows[0][0], rows[0][1]) if rows else (29.7121, 120.2371)
    else:
        center = _project(*center, gcj)
    shapes = [[name, _polygon_geojson(boundary, gcj)] for name, boundary in boundaries]
    corners = [(row[0], row[1]) for row in rows]
    for _name, shape in shapes:
        corners += [(lat, lon) for lon, lat in shape["coordinates"][0]]
    pins = sum(1 for p in points if p.kind == "building")
    data = {
        "center": list(center),
        "zoom": zoom,
        "points": rows,
        "boundaries": shapes,
        "cluster": bool(cluster or (cluster is None and pins > CLUSTER_THRESHOLD)),
    }
    if len(corners) > 1:
        lats = [lat for lat, _ in corners]
        lons = [lon for _, lon in corners]
        data["bounds"] = [[min(lats), min(lons)], [max(lats), max(lons)]]
    frame = _points_map(tiles)
    return RenderedMap(frame.html, frame.script, points=len(rows), data=data)


@lru_cache(maxsize=4)
def _points_map(tiles: str) -> RenderedMap:
    """The folium part of every map drawn from its frame's points: built once per tile layer."""
    return _frame_map(tiles, FramePoints())


def _frame_map(tiles: str, layer: MacroElement) -> RenderedMap:
    """A map whose only content is `layer`, which reads what to draw from the map's frame."""
    m = _new_map((29.7121, 120.2371), 10, TILES[tiles])
    layer.add_to(m)
    root = m.get_root()
    root.render()
    return RenderedMap(html=Markup(root.html.render()), script=Markup(root.script.render()))


@lru_cache(maxsize=4)
def results_map(tiles: str) -> RenderedMap:
    """A map whose points come from its frame's data-source URL: built once per tile layer.

    The page puts the search's /api/listings URL (and any data-origin-* point) on the frame,
    so the folium output is the same for every search and is rendered once per process.
    """
    return _frame_map(tiles, ClusteredGeoJson(None))
