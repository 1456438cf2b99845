"""The news center as a reader sees it: lists, categories, pages, an article and its tie-ins."""

from __future__ import annotations

import re
from urllib.parse import quote

from sqlalchemy import select

from app.extensions import db
from app.models import Article, Building, Place


def text_of(response) -> str:
    return response.get_data(as_text=True)


def breadcrumb(page: str) -> list[str]:
    nav = re.search(r'<ol class="breadcrumb[^"]*"[^>]*>(.*?)</ol>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>|\s+", "", item) for item in re.findall(r"<li.*?</li>", nav, re.S)]


def test_news_center_lists_categories_titles_dates_and_summaries(client, seed_article):
    page = text_of(client.get("/news/"))
    assert breadcrumb(page) == ["首页", "新闻中心"]
    for category in ("特色小镇产业园", "招商动态", "交通", "楼市"):
        assert "/news/category/" in page and category in page
    assert "导读：" in page
    # The seed page is the oldest article: the last page of the list shows it.
    last = max(int(n) for n in re.findall(r'href="/news/\?page=(\d+)"', page) or ["1"])
    oldest = text_of(client.get(f"/news/?page={last}"))
    assert seed_article.title in oldest
    assert "2019-04-15 23:33" in oldest


def test_a_category_page_lists_only_its_articles(client, seed_article):
    response = client.get("/news/category/特色小镇产业园")
    page = text_of(response)
    assert response.status_code == 200
    assert breadcrumb(page) == ["首页", "新闻中心", "特色小镇产业园"]
    assert seed_article.title in page
    other = db.session.scalar(select(Article).where(Article.category == "楼市"))
    assert other.title not in page


def test_unknown_category_and_article_are_404_in_chinese(client, demo):
    for url in ("/news/category/不存在的栏目", "/news/999999"):
        response = client.get(url)
        assert response.status_code == 404
        assert "页面不存在" in text_of(response)


def test_bad_page_numbers_get_a_message_not_a_500(client, demo):
    # "²" counts as a digit to str.isdigit, yet int() refuses it (found by the fuzzing test).
    for value in ("abc", "0", "-1", "1.5", "99999999999999999999", "²", "1²"):
        response = client.get("/news/", query_string={"page": value})
        assert response.status_code == 400, value
        assert "页码" in text_of(response)
    assert client.get("/news/?page=999").status_code == 404


def test_lists_are_paginated(app, client, demo):
    app.config["PER_PAGE"] = 5
    first = text_of(client.get("/news/"))
    assert "第 1 / 4 页" in first and "下一页" in first
    second = text_of(client.get("/news/?page=2"))
    assert 'aria-current="page">2<' in second

    def titles(page: str) -> set[str]:
        return set(re.findall(r'<h2 class="h6 mb-1"><a href="/news/\d+">(.*?)</a>', page))

    assert titles(first) and not titles(first) & titles(second)


def test_article_page_shows_every_field(client, seed_article):
    page = text_of(client.get(f"/news/{seed_article.id}"))
    assert breadcrumb(page) == ["首页", "新闻中心", "特色小镇产业园", "新闻详情"]
    assert f'<h1 class="h4 lh-base">{seed_article.title}</h1>' in page
    assert "来源：" in page and "浙江日报" in page
    assert "2019-04-15 23:33" in page
    assert "<strong>导读：</strong>" in page
    assert page.count("<h3>") == 4
    assert "sx012" in page and "原标题" in page and seed_article.original_title in page
    for keyword in seed_article.keyword_list:
        assert f'keyword">{keyword}</span>' in page
    for chrome in ("版权与免责声明", "欢迎您来到"):
        assert chrome not in page


def test_article_places_are_links(client, seed_article):
    page = text_of(client.get(f"/news/{seed_article.id}"))
    assert '<a class="place-link" href="/parks/ciwu-linhang-park"' in page
    links = re.findall(r'class="place-link" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    targets = {text: href for href, text in links}
    assert targets["次坞镇临杭产业园"] == "/parks/ciwu-linhang-park"
    assert targets["诸暨岛"] == "/parks/zhuji-island"
    # A town of the region: its place page, under today's name.
    yaojiang = db.session.scalar(select(Place).where(Place.name == "姚江镇"))
    assert targets["直埠镇"] == f"/places/{yaojiang.slug}"
    # 滨江区 is outside the region: it links to the buildings nearest it, by distance.
    assert targets["杭州市滨江区"].startswith("/listings/?near=" + quote("滨江区"))
    assert not any("park=" in href for href, _text in links)


def test_article_sidebar_recommends_buildings_near_its_places(client, seed_article):
    page = text_of(client.get(f"/news/{seed_article.id}"))
    aside = page[page.index("推荐楼盘") :]
    ids = [
        int(x) for x in re.findall(r'href="/listings/(\d+)"', aside[: aside.index("文中地点地图")])
    ]
    assert 1 <= len(ids) <= 6
    buildings = [db.session.get(Building, i) for i in ids]
    assert all(b.status == "published" for b in buildings)
    # Parks come first: the first recommendation lies in or near a park the article names.
    assert buildings[0].park is not None
    assert any(b.district and b.district.name == "诸暨市" for b in buildings)
    assert 'class="map-frame"' in page
    assert "相关文章" in page and "上一篇：" in page and "下一篇：" in page


def test_related_articles_share_places_or_keywords(client, seed_article):
    page = text_of(client.get(f"/news/{seed_article.id}"))
    related = page[page.index('class="list-unstyled small related-articles"') :]
    assert "次坞镇临杭产业园第二批厂房交付" in related or "诸暨岛" in related


def test_draft_articles_stay_hidden(client, seed_article):
    seed_article.status = "draft"
    db.session.commit()
    assert client.get(f"/news/{seed_article.id}").status_code == 404
    assert seed_article.title not in text_of(client.get("/news/"))
