"""Parks: all on one map and in a list; a park page with its buildings, units and news."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Park


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_parks_index_shows_every_park_on_a_map_and_in_a_list(client, demo):
    page = text_of(client.get("/parks/"))
    assert 'class="map-frame"' in page
    count = db.session.scalar(select(func.count()).select_from(Park))
    assert page.count('href="/parks/') >= count
    for name in ("次坞镇临杭产业园", "诸暨岛", "杭州港", "诸暨经济开发区"):
        assert name in page


def test_park_page_shows_description_map_buildings_units_and_news(client, seed_article):
    page = text_of(client.get("/parks/ciwu-linhang-park"))
    park = db.session.scalar(select(Park).where(Park.slug == "ciwu-linhang-park"))
    assert f">{park.place.name}" in page
    assert park.description[:10] in page and park.industries in page
    assert 'class="map-frame"' in page and "示意范围" in page
    assert "园区内" in page and "元/㎡/天" in page and "㎡</td>" in page
    assert seed_article.title in page


def test_an_offsite_park_lists_buildings_near_its_centre(client, demo):
    page = text_of(client.get("/parks/zhuji-island"))
    assert "诸暨岛" in page and "距园区中心" in page
    assert "绿色圆点为园区中心" in page


def test_unknown_park_is_404(client, demo):
    response = client.get("/parks/no-such-park")
    assert response.status_code == 404 and "页面不存在" in text_of(response)
