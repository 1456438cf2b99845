"""Folium maps built from WGS-84 points, drawn with the app's own Leaflet and tiles of choice.

A page embeds a map as two parts: the map's <div> and its inline script. Leaflet, jQuery and
the marker-cluster plugin are loaded by the page itself (templates/partials/map_assets.html)
from the app's /vendor/ route, never from a CDN.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import folium
from flask import current_app
from folium.elements import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template
from markupsafe import Markup, escape

from app.geo.transform import wgs84_to_gcj02

TILES = {
    # Tile URLs are given in full: naming a provider makes folium search its whole catalogue
    # (xyzservices) on every map, which costs more than drawing the map.
    "osm": {
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
        "gcj02": False,
    },
    "amap": {
        "tiles": "https://webrd0{s}.is.autonavi.com/appmaptile"
        "?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "attr": "&copy; 高德地图",
        "gcj02": True,
        "subdomains": "1234",
    },
}
KIND_STYLE = {
    "park": {"color": "#2f9e44", "radius": 9},
    "station": {"color": "#e8590c", "radius": 7},
    "place": {"color": "#6741d9", "radius": 7},
}
CLUSTER_THRESHOLD = 30
CLUSTER_CALLBACK = """
function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]));
    marker.bindPopup(row[2]);
    return marker;
}
"""


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
                    { radius: 7, color: "#6741d9", fill: true, fillOpacity: 0.7 })
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
        self.url = url
        self.fit = fit


@dataclass
class MapPoint:
    """Something to draw: a building (a pin) or a park, station or place (a circle).

    `popup` is HTML (a Markup, or plain text that will be escaped); `tooltip` is plain text.
    """

    lat: float
    lon: float
    popup: Markup | str
    kind: str = "building"
    tooltip: str | None = None


@dataclass
class RenderedMap:
    html: Markup
    script: Markup
    points: int = 0
    extra: dict = field(default_factory=dict)


def _js_safe(html: Markup | str | None) -> str | None:
    """Make escaped HTML safe inside the JS template literals folium writes it into."""
    if html is None:
        return None
    if not isinstance(html, Markup):
        html = escape(html)
    return str(html).replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


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
    geojson_url: str | None = None,
) -> RenderedMap:
    """Draw the points (clustered when many) and any park boundaries; fit the view to them."""
    tiles = TILES[tiles_name()]
    gcj = tiles["gcj02"]
    boundaries = list(boundaries)
    projected = [(_project(p.lat, p.lon, gcj), p) for p in points]
    if center is None:
        center = projected[0][0] if projected else (29.7121, 120.2371)
    else:
        center = _project(*center, gcj)
    m = _new_map(center, zoom, tiles)

    for name, boundary in boundaries:
        folium.GeoJson(
            _polygon_geojson(boundary, gcj),
            name=name,
            tooltip=_js_safe(name),
            style_function=lambda _f: {"color": "#2f9e44", "weight": 2, "fillOpacity": 0.08},
        ).add_to(m)

    pins = [(xy, p) for xy, p in projected if p.kind == "building"]
    circles = [(xy, p) for xy, p in projected if p.kind != "building"]
    if cluster or (cluster is None and len(pins) > CLUSTER_THRESHOLD):
        data = [[xy[0], xy[1], _js_safe(p.popup)] for xy, p in pins]
        layer = FastMarkerCluster(data, callback=CLUSTER_CALLBACK)
        layer.default_js, layer.default_css = [], []
        layer.add_to(m)
    else:
        for xy, p in pins:
            folium.Marker(
                list(xy), popup=folium.Popup(_js_safe(p.popup)), tooltip=_js_safe(p.tooltip)
            ).add_to(m)
    for xy, p in circles:
        style = KIND_STYLE.get(p.kind, KIND_STYLE["place"])
        folium.CircleMarker(
            list(xy),
            radius=style["radius"],
            color=style["color"],
            fill=True,
            fill_opacity=0.7,
            popup=folium.Popup(_js_safe(p.popup)),
            tooltip=_js_safe(p.tooltip),
        ).add_to(m)

    if geojson_url is not None:
        ClusteredGeoJson(geojson_url, fit=not projected).add_to(m)

    corners = [xy for xy, _ in projected]
    for _name, boundary in boundaries:
        corners += [_project(lat, lon, gcj) for lon, lat in boundary["coordinates"][0]]
    if len(corners) > 1:
        lats = [lat for lat, _ in corners]
        lons = [lon for _, lon in corners]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))

    root = m.get_root()
    root.render()
    return RenderedMap(
        html=Markup(root.html.render()),
        script=Markup(root.script.render()),
        points=len(projected),
        extra={"tiles": tiles_name(), "center": json.dumps(center)},
    )


@lru_cache(maxsize=4)
def results_map(tiles: str) -> RenderedMap:
    """A map whose points come from its frame's data-source URL: built once per tile layer.

    The page puts the search's /api/listings URL (and any data-origin-* point) on the frame,
    so the folium output is the same for every search and is rendered once per process.
    """
    m = _new_map((29.7121, 120.2371), 10, TILES[tiles])
    ClusteredGeoJson(None).add_to(m)
    root = m.get_root()
    root.render()
    return RenderedMap(html=Markup(root.html.render()), script=Markup(root.script.render()))
