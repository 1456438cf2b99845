"""Place links in articles lead somewhere: every href followed, proper names, other cities."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.filters import place_url
from app.models import Article, Building, Place
from app.news import destinations, linker

LINK = re.compile(r'<a class="place-link" href="([^"]+)"[^>]*>([^<]+)</a>')
HREF = re.compile(r'href="(/(?:listings|parks|places)/[^"#]*)"')
FOUND = re.compile(r'id="result-count">共找到 <strong>(\d+)</strong>')
NEAREST = re.compile(r"距(\S+?)最近的楼盘约 <strong>([\d.]+)</strong> 公里")
CARD_DISTANCE = re.compile(r'class="small text-primary distance">距离 ([\d.]+) km')


def body_links(page: str) -> list[tuple[str, str]]:
    """(href, text) of the place links in an article's body."""
    body = page[page.index('class="article-body"') : page.index('class="article-meta')]
    return [(unescape(href), text) for href, text in LINK.findall(body)]


def place_hrefs(page: str) -> set[str]:
    """Every link of an article page to a park, a place page or listings: body, 推荐楼盘's places,
    文中地点行情, 文中地点."""
    start = page.index('class="article-body"')
    hrefs = {unescape(href) for href in HREF.findall(page[start:])}
    return {h for h in hrefs if not re.fullmatch(r"/listings/\d+", h)}  # not the building cards


def assert_content(client, href: str) -> str:
    """Open `href` and check it shows something of its place; return the page."""
    response = client.get(href)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, href
    if href.startswith("/parks/"):
        return page  # a park page: its description, map and the buildings in and near it
    if href.startswith("/places/"):
        place = db.session.scalar(select(Place).where(Place.slug == href.split("/")[2]))
        assert place is not None and place.name in page, href
        return page  # a place page: its figures, parks, buildings and news
    found = FOUND.search(page)
    assert found and int(found.group(1)) > 0, f"{href} finds nothing"
    near = parse_qs(urlsplit(href).query).get("near")
    if near:
        said = NEAREST.search(page)
        assert said, f"{href} does not say how far the nearest building is"
        assert said.group(1) == near[0]
        assert said.group(2) == CARD_DISTANCE.search(page).group(1)  # the first card's
    return page


def article_page(client, article: Article) -> str:
    response = client.get(f"/news/{article.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def town_with_buildings(name: str) -> Place:
    """A town of the demo and the published buildings in it, checked to be there."""
    town = db.session.scalar(select(Place).where(Place.name == name))
    assert town is not None and town.in_region
    in_town = select(Building.id).where(Building.town_id == town.id, Building.status == "published")
    assert db.session.scalar(in_town.limit(1)) is not None
    return town


def demo_article(slug: str) -> Article:
    return db.session.scalar(select(Article).where(Article.import_key == f"demo:{slug}"))


def test_every_place_link_of_the_seed_article_leads_to_content(client, seed_article):
    page = article_page(client, seed_article)
    links = body_links(page)
    assert {text for _href, text in links} >= {"次坞镇", "店口", "诸暨岛", "五泄", "杭州", "萧山"}
    hrefs = place_hrefs(page)
    assert {href for href, _text in links} <= hrefs
    for href in sorted(hrefs):
        assert_content(client, href)


def test_the_region_edge_of_the_demo(demo):
    outside = db.session.scalars(
        select(Place).where(Place.name.in_(["杭州市", "萧山区", "滨江区"]))
    )
    refs = linker.refs(place.id for place in outside)
    assert len(refs) == 3 and not any(ref.in_region for ref in refs.values())


def test_every_place_link_of_each_demo_article_leads_to_content(client, demo):
    articles = db.session.scalars(select(Article).where(Article.status == "published")).all()
    assert len(articles) >= 20
    followed = set()
    for article in articles:
        for href in sorted(place_hrefs(article_page(client, article)) - followed):
            assert_content(client, href)
            followed.add(href)
    assert len(followed) >= 20


def test_a_reader_follows_a_shengzhou_town_to_its_place_page(client, demo):
    town = town_with_buildings("三江街道")
    article = demo_article("shengzhou-sanjiang-tie-design-offices")
    links = {text: href for href, text in body_links(article_page(client, article))}
    assert links["三江街道"] == f"/places/{town.slug}"
    page = assert_content(client, links["三江街道"])
    assert "三江街道" in page and "building-card" in page
    assert "嵊州" in links  # the county, first named as 嵊州


def test_a_xinchang_article_links_its_towns_to_their_place_pages(client, demo):
    qixing = town_with_buildings("七星街道")
    article = demo_article("xinchang-qixing-bearing-rd-offices")
    links = {text: href for href, text in body_links(article_page(client, article))}
    assert links["七星街道"] == f"/places/{qixing.slug}"
    assert "七星科创楼" in assert_content(client, links["七星街道"])
    # A town without buildings has its page too: its figures say there are too few units.
    chengtan = db.session.scalar(select(Place).where(Place.name == "澄潭街道"))
    assert links["澄潭街道"] == f"/places/{chengtan.slug}"
    assert_content(client, links["澄潭街道"])


def test_a_town_without_buildings_links_to_its_place_page(client, seed_article):
    wuxie = db.session.scalar(select(Place).where(Place.name == "五泄镇"))
    assert db.session.scalar(select(Building.id).where(Building.town_id == wuxie.id)) is None
    links = {text: href for href, text in body_links(article_page(client, seed_article))}
    assert links["五泄"] == f"/places/{wuxie.slug}"
    assert_content(client, links["五泄"])


def test_the_airport_of_xiaoshan_never_links_xiaoshan_to_an_empty_page(client, seed_article):
    page = article_page(client, seed_article)
    assert re.search(r">萧山</a>国际机场", page)
    (href,) = [href for href, text in body_links(page) if text == "萧山"]
    assert parse_qs(urlsplit(href).query)["near"] == ["萧山区"]
    assert "距萧山区最近的楼盘约" in assert_content(client, href)


def test_shaoxing_inside_a_longer_proper_name_is_not_linked_alone(client, seed_article):
    page = article_page(client, seed_article)
    assert "绍兴330" in page
    assert not re.search(r"绍兴</a>\s*330", page)
    body = page[page.index('class="article-body"') :]
    assert not re.search(r">绍兴</a>(写字楼网|银行|日报)", body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An organisation, a road, a bay, a paper or a programme named after a place: nothing.
        ("绍兴银行诸暨支行开业", ["诸暨市"]),
        ("入选绍兴330海外英才计划", []),
        ("杭州湾新区的企业", []),
        ("诸暨路口的咖啡馆", []),
        ("据绍兴日报报道", []),
        ("诸暨商会在杭州成立", ["杭州市"]),
        # Something that stands in its place: the place.
        ("萧山国际机场诸暨航站楼投运", ["萧山区", "诸暨市"]),
        ("诸暨市人民医院", ["诸暨市"]),
        ("去萧山机场", ["萧山区"]),
        # A longer name the gazetteer knows wins before any suffix is asked.
        ("诸暨站前广场", ["诸暨站"]),
        ("杭州港二期", ["杭州港"]),
    ],
)
def test_proper_names_that_begin_with_a_place(demo, text, expected):
    assert [m.place.name for m in linker.find_mentions(text)] == expected


def test_an_article_about_another_city_links_nothing_and_recommends_nothing(client, demo):
    article = demo_article("wuhan-office-vacancy-national")
    assert "绍兴" in article.body and "杭州" in article.body  # named in passing
    assert article.places == []
    page = article_page(client, article)
    assert "place-link" not in page
    assert "推荐楼盘" not in page and "building-card" not in page
    assert "文中地点" not in page and "folium-map" not in page


def test_an_article_naming_only_places_outside_the_region_links_nothing(demo):
    body = "<p>杭州萧山国际机场的新航站楼投入使用。</p>"
    assert linker.places_of("萧山机场新航站楼投用", "", body) == []
    body = "<p>诸暨一家企业在武汉设点。</p>"
    ours = linker.places_of("诸暨企业在武汉设立研发中心", "", body)
    assert [item.place.name for item in ours] == ["诸暨市"]


def outside(name: str, lat: float, lon: float) -> Place:
    place = Place(slug=f"out-{lat}", name=name, kind="district", lat=lat, lon=lon, in_region=False)
    db.session.add(place)
    db.session.commit()
    return place


def test_an_outside_place_links_to_what_is_nearest_to_it_or_not_at_all(app, client, demo):
    far = outside("远方区", 30.59, 114.30)  # hundreds of kilometres from any building
    near = outside("邻县区", 29.95, 120.0)  # a neighbour, next to 次坞
    refs = linker.refs([far.id, near.id])
    assert not refs[far.id].in_region and not refs[near.id].in_region
    reach = destinations.reach(refs.values())
    with app.test_request_context():
        assert place_url(refs[far.id], reach[far.id]) is None
        href = place_url(refs[near.id], reach[near.id])
    assert parse_qs(urlsplit(href).query)["near"] == ["邻县区"]
    assert "距邻县区最近的楼盘约" in assert_content(client, href)
    # In an article about 诸暨 the far one is named, not linked, and recommends nothing.
    article = Article(
        title="诸暨企业走出去", category="招商动态", published_at=datetime(2025, 12, 1, 9),
        body="<p>诸暨的企业在远方区和邻县区设立了办事处。</p>", places=[],
    )  # fmt: skip
    db.session.add(article)
    db.session.flush()
    linker.link_article(article)
    db.session.commit()
    page = article_page(client, article)
    assert "远方区" in page and not re.search(r">远方区</a>", page)
    assert ">邻县区</a>" in page and ">诸暨</a>" in page
    assert "远方区 " not in page[page.index("推荐楼盘") :]  # no 推荐楼盘 near an outside place


def test_place_facts_are_asked_once_per_version_of_the_listings(client, seed_article, monkeypatch):
    calls = []
    real = destinations.reach
    monkeypatch.setattr(destinations, "reach", lambda places: calls.append(1) or real(places))
    article_page(client, seed_article)
    article_page(client, seed_article)
    assert len(calls) == 1
    building = db.session.scalar(select(Building).where(Building.status == "published").limit(1))
    building.name = "改名后的大厦"
    db.session.commit()  # the listings stamp moves
    article_page(client, seed_article)
    assert len(calls) == 2
