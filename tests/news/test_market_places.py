"""文中地点行情: an article shows each place of the region it names with its median rent and its
change over 12 months, and links its towns and districts to their place pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db
from app.market import figures, rebuild
from app.models import Article, Building, Place, Unit, UnitEvent
from app.models.base import utcnow
from app.news import linker
from app.news.market import PlaceMarket
from tests.news.test_place_links import article_page, body_links, demo_article

ROW = re.compile(
    r'<tr>\s*<th scope="row" class="fw-normal"><a href="([^"]+)">([^<]+)</a></th>\s*'
    r'<td class="text-end">(?:<span class="text-muted">)?([^<]+)(?:</span>)?</td>\s*'
    r'<td class="[^"]*"><span aria-hidden="true">([^<]+)</span>'
)


def market_rows(page: str) -> dict[str, tuple[str, str, str]]:
    """文中地点行情 as a reader sees it: name -> (link, median rent, change)."""
    assert "文中地点行情" in page
    section = page[page.index('id="market-heading"') :]
    section = section[: section.index("</section>")]
    return {
        name: (unescape(href), rent, change) for href, name, rent, change in ROW.findall(section)
    }


def place(name: str) -> Place:
    return db.session.scalar(select(Place).where(Place.name == name))


@pytest.fixture
def linhang(demo) -> Article:
    return demo_article("linhang-park-second-batch")


def test_the_linhang_article_shows_the_market_of_its_places(client, linhang):
    rows = market_rows(article_page(client, linhang))
    # Its park, town and county; not 杭州 or 萧山, outside the region, which have no figures.
    assert set(rows) == {"次坞镇临杭产业园", "次坞镇", "诸暨市"}
    assert rows["次坞镇"][0] == "/places/ciwu"
    assert rows["诸暨市"][0] == f"/places/{place('诸暨市').slug}"
    assert rows["次坞镇临杭产业园"][0] == "/parks/ciwu-linhang-park"
    for name, (_href, rent, change) in rows.items():
        now = figures.for_place(place(name).id)
        assert now.enough, name  # the demo has units enough in each
        assert rent == f"{now.rent_median:.2f}"
        expected = PlaceMarket(0, name, "", now.rent_median, figures.change_12m(
            figures.trend(place(name).id)
        )).change_text  # fmt: skip
        assert change == expected


def test_the_body_links_towns_and_districts_to_their_place_pages(client, linhang):
    links = {text: href for href, text in body_links(article_page(client, linhang))}
    assert links["次坞"] == "/places/ciwu"
    assert links["诸暨"] == f"/places/{place('诸暨市').slug}"
    assert links["次坞镇临杭产业园"] == "/parks/ciwu-linhang-park"
    assert "near=" in links["萧山"]  # outside the region: still the listings nearest to it


def lower_rents_a_year_ago(town: Place, factor: float) -> None:
    """History: at the end of the month a year before this one, every available rental unit of
    the town asked its rent divided by `factor`; the rollups rebuilt from the history, as
    `flask market rebuild` does."""
    starts = figures.month_starts(utcnow().date())
    at = datetime.combine(starts[-12], datetime.min.time()) - timedelta(seconds=1)
    units = db.session.scalars(
        select(Unit)
        .join(Building, Unit.building_id == Building.id)
        .where(Building.town_id == town.id, Unit.status == "available", Unit.deal == "rent")
    ).all()
    for unit in units:
        db.session.add(
            UnitEvent(
                unit_id=unit.id, building_id=unit.building_id, at=at, kind="rent",
                status="available", deal="rent", area_m2=unit.area_m2,
                rent_per_m2_day=round(unit.rent_per_m2_day / factor, 2), price_per_m2=None,
            )
        )  # fmt: skip
    db.session.flush()
    rebuild.rebuild(db.session)
    db.session.commit()


def test_a_rise_over_twelve_months_shows_with_its_arrow(client, linhang):
    lower_rents_a_year_ago(place("次坞镇"), 2.0)
    change = figures.change_12m(figures.trend(place("次坞镇").id))
    assert change is not None and change > 0.1
    rows = market_rows(article_page(client, linhang))
    assert rows["次坞镇"][2] == f"↑{change * 100:.1f}%"
    assert "上涨" in article_page(client, linhang)  # said in words to a screen reader


def test_a_place_with_too_few_units_says_so(client, demo):
    wuxie = place("五泄镇")
    assert figures.for_place(wuxie.id).rental_units < figures.MIN_UNITS
    article = Article(
        title="五泄镇和次坞镇的写字楼", category="楼市", published_at=datetime(2026, 1, 5, 9),
        body="<p>五泄镇的写字楼很少，次坞镇多一些。</p>", status="published", places=[],
    )  # fmt: skip
    db.session.add(article)
    db.session.flush()
    linker.link_article(article)
    db.session.commit()
    page = article_page(client, article)
    rows = market_rows(page)
    assert rows["五泄镇"][1:] == ("暂无", "暂无")
    assert rows["五泄镇"][0] == f"/places/{wuxie.slug}"
    assert rows["次坞镇"][1] != "暂无"
    assert "房源少于 5 套的地点显示“暂无”" in page


def test_an_article_naming_no_place_of_the_region_shows_no_market(client, demo):
    page = article_page(client, demo_article("wuhan-office-vacancy-national"))
    assert "文中地点行情" not in page


def test_the_figures_are_read_once_for_all_places_and_kept(client, linhang, monkeypatch):
    calls = []
    real = figures.for_places
    monkeypatch.setattr(
        figures, "for_places", lambda ids, grade=None: calls.append(ids) or real(ids)
    )
    article_page(client, linhang)
    assert len(calls[0]) == 3  # the figures of the article's three places, in one call
    first = len(calls)
    article_page(client, linhang)
    assert len(calls) == first  # the second reader gets the kept figures
    unit = db.session.scalar(select(Unit).where(Unit.status == "available").limit(1))
    unit.rent_per_m2_day += 0.1
    db.session.commit()  # a unit changes: the figures are read again
    article_page(client, linhang)
    assert len(calls) > first and len(calls[first]) == 3


@pytest.mark.parametrize(
    ("change", "text", "words"),
    [
        (0.032, "↑3.2%", "上涨 3.2%"),
        (-0.015, "↓1.5%", "下降 1.5%"),
        (0.0004, "持平", "持平"),
        (-0.0004, "持平", "持平"),
        (None, "暂无", "暂无"),
    ],
)
def test_how_a_change_reads(change, text, words):
    item = PlaceMarket(1, "次坞镇", "/places/ciwu", 1.2, change)
    assert (item.change_text, item.change_words) == (text, words)
