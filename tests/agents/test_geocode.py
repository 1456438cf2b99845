"""The geocoder: the offline gazetteer default and network geocoders that fail safe (no network)."""

from __future__ import annotations

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from geopy.location import Location

from app.geo.geocode import GazetteerGeocoder, NetworkGeocoder, geocoder
from app.geo.transform import bd09_to_wgs84


@pytest.mark.parametrize(
    ("address", "name", "precision"),
    [
        ("诸暨市次坞镇次坞大道 88 号", "次坞镇", "town"),
        ("诸暨市直埠镇工业大道 5 号", "姚江镇", "town"),  # old name, now an alias
        ("浙江省诸暨市江藻镇", "姚江镇", "town"),
        ("绍兴县柯桥街道", "柯桥街道", "town"),
        ("诸暨经济开发区某路", "诸暨经济开发区", "park"),
        ("次坞镇临杭产业园 3 号楼", "次坞镇临杭产业园", "park"),  # longest name wins
        ("杭州市滨江区诸暨岛", "诸暨岛", "park"),  # not 诸暨 the district
        ("诸暨市某某路 1 号", "诸暨市", "district"),
        ("绍兴市某路", "绍兴市", "city"),
    ],
)
def test_offline_geocoder_finds_the_most_specific_place(gazetteer, address, name, precision):
    found = GazetteerGeocoder().geocode(address)
    assert found is not None
    assert (found.label, found.precision, found.source) == (name, precision, "gazetteer")
    place = next(p for p in gazetteer.values() if p.name == name)
    assert (found.lat, found.lon) == (place.lat, place.lon)


@pytest.mark.parametrize("address", ["", "   ", "火星某地 1 号", "北京市朝阳区"])
def test_offline_geocoder_says_none_when_nothing_is_named(gazetteer, address):
    assert GazetteerGeocoder().geocode(address) is None


def test_default_geocoder_is_offline(app):
    assert isinstance(geocoder(), GazetteerGeocoder)
    assert isinstance(geocoder({"GEOCODER": "baidu"}), GazetteerGeocoder)  # no key: offline


def test_configured_network_geocoders_use_the_timeout(app):
    nominatim = geocoder({"GEOCODER": "nominatim", "GEOCODER_TIMEOUT": 1.5})
    assert isinstance(nominatim, NetworkGeocoder) and nominatim.source == "nominatim"
    assert nominatim.geopy_geocoder.timeout == 1.5
    baidu = geocoder({"GEOCODER": "baidu", "BAIDU_AK": "k", "GEOCODER_TIMEOUT": 2})
    assert baidu.source == "baidu" and baidu.geopy_geocoder.timeout == 2


class FakeGeopy:
    """Stands in for a geopy geocoder: raises, or answers with a fixed Location."""

    def __init__(self, answer=None, error: Exception | None = None):
        self.answer, self.error, self.calls = answer, error, []

    def geocode(self, query, **kwargs):
        self.calls.append(query)
        if self.error:
            raise self.error
        return self.answer


@pytest.mark.parametrize(
    "error", [GeocoderTimedOut("timed out"), GeocoderServiceError("500"), GeocoderUnavailable("x")]
)
def test_network_failure_falls_back_to_the_gazetteer(gazetteer, error):
    fake = FakeGeopy(error=error)
    found = NetworkGeocoder(fake, "nominatim").geocode("诸暨市次坞镇次坞大道 88 号")
    assert fake.calls == ["诸暨市次坞镇次坞大道 88 号"]
    assert found.source == "gazetteer" and found.label == "次坞镇"


def test_network_empty_answer_falls_back_too(gazetteer):
    found = NetworkGeocoder(FakeGeopy(answer=None), "baidu").geocode("诸暨市店口镇")
    assert found.source == "gazetteer" and found.label == "店口镇"


def test_baidu_answer_is_converted_from_bd09_to_wgs84(gazetteer):
    bd_lat, bd_lon = 29.9560, 120.1316
    answer = Location("门址", (bd_lat, bd_lon), {"level": "门址", "location": {}})
    found = NetworkGeocoder(FakeGeopy(answer=answer), "baidu").geocode("诸暨市次坞镇某路 1 号")
    expected = bd09_to_wgs84(bd_lat, bd_lon)
    assert (found.lat, found.lon) == pytest.approx(expected)
    assert abs(found.lat - bd_lat) > 0.003 and abs(found.lon - bd_lon) > 0.005  # really moved
    assert (found.source, found.precision) == ("baidu", "address")


def test_baidu_level_becomes_precision(gazetteer):
    answer = Location("乡镇", (29.95, 120.12), {"level": "乡镇"})
    assert NetworkGeocoder(FakeGeopy(answer=answer), "baidu").geocode("次坞").precision == "town"


def test_nominatim_answer_is_kept_as_wgs84(gazetteer):
    answer = Location("Ciwu", (29.95, 120.12), {"addresstype": "town"})
    found = NetworkGeocoder(FakeGeopy(answer=answer), "nominatim").geocode("次坞镇")
    assert (found.lat, found.lon, found.precision, found.source) == (
        29.95,
        120.12,
        "town",
        "nominatim",
    )
