"""The place linker: the seed page, each trap of DESIGN.md, aliases, stored links, relinking."""

from __future__ import annotations

from datetime import datetime
from html import escape as html_escape

import pytest
from flask import url_for
from sqlalchemy import select, update

from app.extensions import db
from app.filters import place_url
from app.geo import cache as gazetteer_cache
from app.models import Article, Place
from app.news import linker

# Every place the seed page mentions, and nothing else, as the demo gazetteer names them.
SEED_PLACES = {
    "次坞镇临杭产业园",
    "次坞镇",
    "姚江镇",  # 直埠镇, 直埠 and 江藻
    "店口镇",
    "应店街镇",
    "诸暨岛",
    "滨江区",  # 杭州市滨江区, 杭州滨江
    "诸暨经济开发区",  # also 诸暨经济技术开发区, 诸暨经济开发区和瑞基地
    "中节能(诸暨)环保产业园",
    "2025创意产业园",
    "国际技术转移中心",
    "诸暨市",
    "绍兴市",
    "杭州市",
    "萧山区",  # 萧山国际机场
    "五泄镇",
    "西施故里",
    "白塔湖",
}


def names(text: str) -> list[str]:
    return [m.place.name for m in linker.find_mentions(text)]


def test_seed_page_places(seed_article):
    found = {link.place.name for link in seed_article.places}
    for required in (
        "次坞镇",
        "次坞镇临杭产业园",
        "姚江镇",
        "店口镇",
        "应店街镇",
        "诸暨岛",
        "滨江区",
        "诸暨经济开发区",
    ):
        assert required in found
    assert found == SEED_PLACES


def test_seed_page_old_names_resolve_to_the_current_town(seed_article):
    text = linker.article_text(seed_article)
    matched = {
        text[m.start : m.end] for m in linker.find_mentions(text) if m.place.name == "姚江镇"
    }
    assert matched == {"直埠镇", "直埠", "江藻"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 诸暨岛 lies in 杭州滨江区: the park, then the district; neither 诸暨市 nor 杭州市.
        ("诸暨岛位于杭州滨江区", ["诸暨岛", "滨江区"]),
        # 诸暨市 is one mention, not 诸暨 and 市.
        ("诸暨市政府发布通知", ["诸暨市"]),
        # 杭州港 is a park inside 诸暨, not 杭州.
        ("杭州港二期设在诸暨", ["杭州港", "诸暨市"]),
        ("入驻杭州港的企业", ["杭州港"]),
        # A base named after the zone is a mention of the zone, nothing more.
        ("诸暨经济开发区和瑞基地在滨江落成", ["诸暨经济开发区", "滨江区"]),
        # Old names resolve to the current place.
        ("原直埠镇和江藻一带", ["姚江镇", "姚江镇"]),
        ("阮市的铜材厂", ["店口镇"]),
        ("大唐镇的袜业", ["大唐街道"]),
        ("绍兴县的纺织", ["柯桥区"]),
        # The longest name wins: the park, not its town.
        ("次坞镇临杭产业园", ["次坞镇临杭产业园"]),
        ("临杭产业园在次坞", ["次坞镇临杭产业园", "次坞镇"]),
        # A name inside a longer non-place word does not count.
        ("杭州湾跨海大桥", []),
        ("杭州湾上虞经开区", ["杭州湾上虞经济技术开发区"]),
        ("没有任何地名的一句话", []),
    ],
)
def test_traps_and_aliases(demo, text, expected):
    assert names(text) == expected


def test_single_characters_and_generic_words_never_match(demo):
    zhuji = db.session.scalar(select(Place).where(Place.name == "诸暨市"))
    db.session.add(
        Place(
            slug="generic-trap",
            name="开发区",
            kind="park",
            aliases=["市", "园", "产业园", "新区"],
            lat=zhuji.lat,
            lon=zhuji.lon,
            parent=zhuji,
        )
    )
    db.session.flush()
    assert names("市里的开发区和产业园，园区和新区") == []


def test_the_automaton_is_built_once_and_rebuilt_when_the_gazetteer_changes(demo):
    first = linker._index()
    assert linker._index() is first
    town = db.session.scalar(select(Place).where(Place.name == "暨阳街道"))
    town.aliases = ["暨阳"]
    db.session.flush()
    assert linker._index() is not first
    assert names("暨阳大地") == ["暨阳街道"]


def test_links_are_stored_with_counts_and_first_offset(demo):
    article = Article(
        title="次坞新闻",
        category="交通",
        published_at=demo_time(),
        summary="",
        body="<p>次坞镇在诸暨北部。</p><p>次坞镇临杭产业园也在次坞。</p>",
    )
    db.session.add(article)
    db.session.flush()
    linker.link_article(article)
    links = {link.place.name: link for link in article.places}
    assert set(links) == {"次坞镇", "诸暨市", "次坞镇临杭产业园"}
    assert links["次坞镇"].mentions == 3 and links["次坞镇"].first_offset == 0
    linker.link_article(article)  # again: nothing changes, nothing duplicates
    db.session.flush()
    assert len(article.places) == 3


def test_links_are_the_same_whether_the_article_was_flushed_or_not(demo):
    """A new article's links go in with it; a stored one's are inserted in one statement. Both
    read back the same, and a relink that only adds a link still raises the news stamp."""
    from app.models import ArticlePlace, stamps

    body = "<p>次坞镇在诸暨北部。</p><p>次坞镇临杭产业园也在次坞。</p>"

    def article(title: str) -> Article:
        return Article(title=title, category="交通", published_at=demo_time(), body=body)

    pending, stored = article("未存"), article("已存")
    linker.link_article(pending)  # no id yet: ArticlePlace objects
    db.session.add_all([pending, stored])
    db.session.flush()
    linker.link_article(stored)  # an id: one INSERT, the list reloads
    assert stored.id not in {link.article_id for link in db.session.new}

    def links(a: Article) -> set[tuple]:
        return {(link.place.name, link.mentions, link.first_offset) for link in a.places}

    assert links(pending) == links(stored) and len(links(stored)) == 3
    dropped = article("撤回")
    db.session.add(dropped)
    db.session.flush()
    db.session.rollback()  # it keeps its id, but is in the database no more
    assert len(linker.link_article(dropped)) == 3 and len(dropped.places) == 3
    unplaced = article("无地名")
    unplaced.body = "<p>北部</p>"
    db.session.add(unplaced)
    db.session.flush()
    assert linker.link_article(unplaced) == []
    db.session.commit()
    # The gazetteer changes; relinking only adds a link to an article that had none.
    db.session.execute(update(Place).where(Place.name == "暨阳街道").values(aliases=["北部"]))
    db.session.commit()  # a bulk UPDATE: no ORM event sees it, so no stamp is raised
    gazetteer_cache.invalidate()
    before = stamps.current(db.session, stamps.NEWS)[0]
    linker.link_article(unplaced)
    db.session.commit()
    assert stamps.current(db.session, stamps.NEWS)[0] == before + 1
    rows = db.session.scalars(select(ArticlePlace).where(ArticlePlace.article_id == unplaced.id))
    assert [link.place.name for link in rows] == ["暨阳街道"]


def test_an_edited_article_keeps_added_and_drops_removed_links(demo):
    """Relinking a stored article whose text changed: the new place inserted, the one no longer
    mentioned deleted, the one still mentioned updated, all in the same transaction."""
    from app.models import ArticlePlace

    article = Article(
        title="两镇近况", category="交通", published_at=demo_time(), body="<p>次坞镇、店口镇</p>"
    )
    db.session.add(article)
    db.session.flush()
    linker.link_article(article)
    db.session.commit()
    assert {link.place.name for link in article.places} == {"次坞镇", "店口镇"}
    article.body = "<p>店口镇、店口镇、枫桥镇</p>"
    linker.link_article(article)
    db.session.commit()
    rows = db.session.scalars(select(ArticlePlace).where(ArticlePlace.article_id == article.id))
    stored = {link.place.name: link.mentions for link in rows}
    assert stored == {"店口镇": 2, "枫桥镇": 1}
    assert {link.place.name: link.mentions for link in article.places} == stored


def test_relink_command_follows_a_gazetteer_change(seed_article, runner):
    # Another process changes the gazetteer (a bulk update fires no ORM events).
    db.session.execute(update(Place).where(Place.name == "暨阳街道").values(aliases=["暨阳"]))
    db.session.commit()
    result = runner.invoke(args=["news", "relink"])
    assert result.exit_code == 0 and "重新识别" in result.output
    db.session.expire_all()
    found = {link.place.name for link in seed_article.places}
    assert found == SEED_PLACES | {"暨阳街道"}


def test_body_links_go_to_parks_and_filtered_listings(seed_article, app):
    with app.test_request_context():
        html = str(linker.linkify_html(seed_article.body, place_url))
        town = url_for("listings.search", town="姚江镇")
        district = url_for("listings.search", district="诸暨市")
        # 滨江区 lies outside the region: the buildings nearest it, not a search of its own.
        outside = url_for("listings.search", near="滨江区", sort="distance")
    assert 'href="/parks/ciwu-linhang-park"' in html
    assert 'href="/parks/zhuji-island"' in html
    assert f'href="{town}"' in html and f'href="{district}"' in html
    assert f'href="{html_escape(outside)}"' in html
    assert "park=" not in html


def test_linkify_leaves_existing_links_and_escapes_text(demo, app):
    body = '<p>在<a href="https://example.com/">诸暨</a>，a &lt; b，次坞镇。</p>'
    with app.test_request_context():
        html = str(linker.linkify_html(body, place_url))
    assert '<a href="https://example.com/">诸暨</a>' in html
    assert "a &lt; b" in html
    assert html.count("place-link") == 1


def demo_time() -> datetime:
    return datetime(2024, 1, 2, 9, 0)
