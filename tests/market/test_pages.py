"""The market's pages as a visitor sees them: a page per town, district and the city with its
figures, charts, places, parks, buildings, news and map; the park pages' figures; /market/
sorted by any column; 404 for what has no page."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app.extensions import db
from app.market import figures
from app.market.figures import MIN_UNITS
from app.models import Article, ArticlePlace, Park, Place, PlaceKind

TOO_FEW = f"房源不足 {MIN_UNITS} 套，暂不显示均价"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def place(slug: str) -> Place:
    return db.session.scalar(select(Place).where(Place.slug == slug))


def rent(value: float) -> str:
    return f"{value:.2f} 元/㎡/天"


def chart_images(client, page: str) -> list[str]:
    """The page's charts: each an image of the place's chart address, fetched, an SVG document
    with no script, kept by browsers for its version."""
    urls = re.findall(r'<img src="(/places/[^"]+\.svg\?v=[0-9a-f]+)"', page)
    found = []
    for url in urls:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.cache_control.max_age >= 86400
        svg = response.get_data(as_text=True)
        assert svg.startswith("<svg") and "<script" not in svg
        found.append(svg)
    return found


def test_a_town_page_shows_its_figures_charts_buildings_news_parks_and_map(client, demo):
    ciwu = place("ciwu")
    now = figures.for_place(ciwu.id)
    assert now.enough, "the demo has units enough in 次坞镇"
    response = client.get("/places/ciwu")
    page = text_of(response)
    assert response.status_code == 200
    assert "<h1" in page and "次坞镇写字楼市场行情" in page
    assert rent(now.rent_median) in page
    assert f"{now.rent_p25:.2f}–{rent(now.rent_p75)}" in page
    assert f"{now.rental_units} 套" in page and TOO_FEW not in page
    # The two charts, drawn without script, each with its table.
    assert "次坞镇租金走势（近 24 个月）" in page and "<caption" in page
    assert 'th scope="col"' in page and 'th scope="row"' in page
    trend, grades = chart_images(client, page)
    assert "租金（元/㎡/天）" in trend and "月份" in trend
    assert "次坞镇各等级租金" in grades
    # Its park, its buildings with the whole search, its news, its map.
    assert 'href="/parks/ciwu-linhang-park"' in page
    assert f'href="/listings/?town={quote("次坞镇")}"' in page
    assert page.count('class="card h-100 building-card"') >= 1
    mentions = db.session.scalars(
        select(Article.title)
        .join(ArticlePlace, ArticlePlace.article_id == Article.id)
        .where(ArticlePlace.place_id == ciwu.id, Article.status == "published")
    ).all()
    assert mentions and all(title in page for title in mentions[:3])
    assert 'class="map-frame"' in page


def test_the_breadcrumb_leads_from_the_city_through_the_district(client, demo):
    page = text_of(client.get("/places/ciwu"))
    crumbs = page.split('class="breadcrumb', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'href="/places/([\w-]+)">([^<]+)</a>', crumbs) == [
        ("shaoxing", "绍兴市"),
        ("zhuji", "诸暨市"),
    ]
    assert 'aria-current="page">次坞镇</li>' in crumbs


def test_a_district_page_lists_its_towns_with_their_medians(client, demo):
    zhuji = place("zhuji")
    towns = db.session.scalars(
        select(Place).where(Place.parent_id == zhuji.id, Place.kind == PlaceKind.TOWN)
    ).all()
    page = text_of(client.get("/places/zhuji"))
    assert "下辖镇街行情" in page
    table = page.split('class="table table-sm small market-table subplaces"', 1)[1]
    for town in towns:
        assert f'href="/places/{town.slug}">{town.name}</a>' in table
    ciwu = figures.for_place(place("ciwu").id)
    row = table.split(">次坞镇</a>", 1)[1].split("</tr>", 1)[0]
    assert f"<td>{ciwu.rent_median:.2f}</td>" in row
    assert f'href="/listings/?district={quote("诸暨市")}"' in page


def test_the_city_page_lists_its_districts_and_searches_everything(client, demo):
    page = text_of(client.get("/places/shaoxing"))
    assert "绍兴市写字楼市场行情" in page and "各区县行情" in page
    for slug in ("yuecheng", "keqiao", "shangyu", "zhuji", "shengzhou", "xinchang"):
        assert f'href="/places/{slug}"' in page
    assert 'href="/listings/"' in page


def test_a_place_with_too_few_units_says_so_instead_of_a_median(client, demo):
    towns = db.session.scalars(
        select(Place).where(Place.kind == PlaceKind.TOWN, Place.in_region.is_(True))
    ).all()
    found = figures.for_places([t.id for t in towns])
    few = next(t for t in towns if 0 < found[t.id].rental_units < MIN_UNITS)
    page = text_of(client.get(f"/places/{few.slug}"))
    assert TOO_FEW in page
    assert "元/㎡/天</dd>" not in page.split('class="market-figures"', 1)[1].split("</section>")[0]
    assert f"{found[few.id].rental_units} 套" in page


@pytest.mark.parametrize("slug", ["no-such-place", "qingfangcheng", "zhuji-station"])
def test_what_has_no_place_page_is_404(client, demo, slug):
    response = client.get(f"/places/{slug}")
    assert response.status_code == 404 and "页面不存在" in text_of(response)


def test_a_park_and_a_place_outside_the_region_have_no_place_page(client, demo):
    park = db.session.scalar(select(Park).where(Park.slug == "ciwu-linhang-park"))
    outside = db.session.scalar(
        select(Place).where(Place.in_region.is_(False), Place.kind == PlaceKind.DISTRICT)
    )
    for slug in (park.place.slug, outside.slug, "hangzhou"):
        assert client.get(f"/places/{slug}").status_code == 404, slug


def test_a_park_page_shows_the_parks_figures_and_charts(client, demo):
    park = db.session.scalar(select(Park).where(Park.slug == "ciwu-linhang-park"))
    now = figures.for_place(park.place_id)
    page = text_of(client.get("/parks/ciwu-linhang-park"))
    assert "园区行情" in page and f"{now.rental_units} 套" in page
    if now.enough:
        assert rent(now.rent_median) in page
    else:
        assert TOO_FEW in page
    assert len(chart_images(client, page)) == 2
    assert f"{park.place.name}各等级租金" in page


# -- /market/ --------------------------------------------------------------------------------


def region(kind: str) -> list[Place]:
    query = select(Place).where(Place.kind == kind, Place.in_region.is_(True))
    return list(db.session.scalars(query))


def rows_of(page: str) -> list[tuple[str, str, list[str]]]:
    """The table's rows: (district or town, name, cells)."""
    body = page.split('id="market-table"', 1)[1].split("</tbody>", 1)[0]
    found = []
    for kind, row in re.findall(r'<tr class="(district|town)-row">(.*?)</tr>', body, re.S):
        name = re.search(r">([^<]+)</a></th>", row).group(1)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
        found.append((kind, name, cells))
    return found


def test_the_market_lists_every_district_with_its_towns_beneath_it(client, demo):
    response = client.get("/market/")
    page = text_of(response)
    assert response.status_code == 200 and "绍兴写字楼市场行情" in page
    rows = rows_of(page)
    districts = region(PlaceKind.DISTRICT)
    towns = region(PlaceKind.TOWN)
    assert len(rows) == len(districts) + len(towns)
    parent_of = {t.name: t.parent.name for t in towns}
    current = None
    for kind, name, _cells in rows:
        if kind == "district":
            current = name
        else:
            assert parent_of[name] == current, name
    city = figures.for_place(place("shaoxing").id)
    assert rent(city.rent_median) in page
    assert len(chart_images(client, page)) == 2
    assert 'href="/market/export.csv"' in page and 'href="/api/market"' in page


def test_every_column_heading_is_a_link_that_sorts_by_it(client, demo):
    page = text_of(client.get("/market/"))
    head = page.split('id="market-table"', 1)[1].split("</thead>", 1)[0]
    links = re.findall(r'href="/market/\?sort=(\w+)&amp;order=(\w+)#market-table"', head)
    assert [key for key, _ in links] == [
        "name",
        "rental_units",
        "rental_area",
        "rent_median",
        "rent_p25",
        "rent_p75",
        "sale_median",
        "new_30d",
        "let_30d",
        "days_on_market",
    ]
    assert links[0] == ("name", "desc"), "the current column's link turns the order around"
    assert all(order == "asc" for _key, order in links[1:])
    assert 'aria-sort="ascending"' in head


def test_sorted_by_median_rent_descending_the_missing_medians_come_last(client, demo):
    page = text_of(client.get("/market/?sort=rent_median&order=desc"))
    rows = rows_of(page)
    districts = [cells[2] for kind, _n, cells in rows if kind == "district"]
    known = [float(v) for v in districts if v != "—"]
    assert known == sorted(known, reverse=True) and len(known) >= 2
    assert districts[len(known) :] == ["—"] * (len(districts) - len(known))
    first_district = [i for i, (kind, *_r) in enumerate(rows) if kind == "district"]
    towns = rows[first_district[0] + 1 : first_district[1]]
    medians = [cells[2] for _k, _n, cells in towns]
    known = [float(v) for v in medians if v != "—"]
    assert known == sorted(known, reverse=True)
    assert medians == [*(f"{v:.2f}" for v in known), *["—"] * (len(medians) - len(known))]
    head = page.split('id="market-table"', 1)[1].split("</thead>", 1)[0]
    assert 'aria-sort="descending"' in head
    assert 'href="/market/?sort=rent_median&amp;order=asc#market-table"' in head


def test_sorted_by_units_ascending(client, demo):
    rows = rows_of(text_of(client.get("/market/?sort=rental_units&order=asc")))
    units = [int(cells[0]) for kind, _n, cells in rows if kind == "district"]
    assert units == sorted(units)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sort=price", "无法按“price”排序"),
        ("sort=rent_median&order=up", "排序方向只能是 asc（升序）或 desc（降序）"),
        ("sort=%3Cb%3E", "无法按“&lt;b&gt;”排序"),
    ],
)
def test_a_bad_sort_is_a_400_with_a_message_and_the_default_table(client, demo, query, message):
    response = client.get(f"/market/?{query}")
    page = text_of(response)
    assert response.status_code == 400
    assert message in page and 'role="alert"' in page
    assert len(rows_of(page)) > 100, "the table is still there, in its default order"


def test_every_page_leads_to_the_market_from_its_menu(client, demo):
    home = text_of(client.get("/"))
    assert '<a class="nav-link" href="/market/">市场行情</a>' in home


def test_a_chart_image_of_a_past_version_is_the_current_drawing_kept_briefly(client, demo):
    fresh = client.get("/places/ciwu/trend.svg?v=000000000000")
    assert fresh.status_code == 200 and fresh.mimetype == "image/svg+xml"
    assert fresh.cache_control.max_age <= 300
    assert "次坞镇租金走势" in fresh.get_data(as_text=True)
    park = client.get("/places/ciwu-linhang-park/grades.svg")  # a park's place: its park page's
    assert park.status_code == 200
    for url in ("/places/nowhere/trend.svg", "/places/xiaoshan/trend.svg", "/places/ciwu/pie.svg"):
        assert client.get(url).status_code == 404, url
