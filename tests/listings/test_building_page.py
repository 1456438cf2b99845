"""The building page and what tenants do there: inquire, report, favourite, compare."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Building, Favorite, Inquiry, Place, Report, Role, User
from tests.helpers import sign_in


@pytest.fixture
def cizhen_building(demo) -> Building:
    town = db.session.scalar(select(Place).where(Place.name == "次坞镇"))
    return db.session.scalar(
        select(Building).where(Building.town_id == town.id, Building.park_id.is_not(None))
    )


def test_building_page_shows_facts_units_and_surroundings(client, cizhen_building):
    b = cizhen_building
    page = client.get(f"/listings/{b.id}").get_data(as_text=True)
    assert b.name in page and b.address in page
    assert f"{b.property_fee:g} 元/㎡/月" in page
    assert "得房率" in page and "次坞镇" in page and b.park.place.name in page
    unit = next(u for u in b.units if u.deal == "rent" and u.status == "available")
    monthly = unit.rent_per_m2_day * unit.area_m2 * 365 / 12
    assert f"月租约 {monthly:,.0f} 元" in page
    assert re.search(r"距 诸暨站 <strong>[\d.]+ km</strong>", page)
    assert "附近同类楼盘" in page
    assert 'class="folium-map"' in page
    assert f'href="/parks/{b.park.slug}"' in page


def test_building_page_lists_news_about_its_town_or_park(client, cizhen_building):
    page = client.get(f"/listings/{cizhen_building.id}").get_data(as_text=True)
    news = re.search(r"周边资讯</h2>(.*?)</ul>", page, re.S)
    assert news, "articles that mention 次坞 or its park are shown"
    assert "/news/" in news.group(1)


def test_inquiry_is_stored_and_confirmed(client, cizhen_building):
    response = client.post(
        f"/listings/{cizhen_building.id}/inquiry",
        data={
            "name": "李先生",
            "mobile": "13812345678",
            "message": "想看 200 平左右",
            "preferred_time": "周六上午",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "留言已提交" in response.get_data(as_text=True)
    inquiry = db.session.scalar(select(Inquiry))
    assert (inquiry.building_id, inquiry.mobile, inquiry.status) == (
        cizhen_building.id,
        "13812345678",
        "new",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "mobile": "13812345678", "message": "x"}, "请填写称呼"),
        ({"name": "李", "mobile": "12345", "message": "x"}, "11 位中国大陆手机号码"),
        ({"name": "李", "mobile": "23812345678", "message": "x"}, "11 位中国大陆手机号码"),
        ({"name": "李", "mobile": "138123456789", "message": "x"}, "11 位中国大陆手机号码"),
        ({"name": "李", "mobile": "13812345678", "message": ""}, "请填写留言内容"),
        ({"name": "李", "mobile": "13812345678", "message": "长" * 501}, "留言最多 500 个字"),
    ],
)
def test_bad_inquiry_is_refused_with_a_message_and_nothing_stored(
    client, cizhen_building, data, message
):
    response = client.post(f"/listings/{cizhen_building.id}/inquiry", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_inquiry_without_csrf_token_is_refused(app, client, cizhen_building):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        f"/listings/{cizhen_building.id}/inquiry",
        data={"name": "李", "mobile": "13812345678", "message": "x"},
    )
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_the_cached_forms_take_the_token_the_page_adds(app, client, cizhen_building):
    """The blank inquiry and report forms are part of the cached page, shared by everyone; each
    visitor's token is added outside them (form="...") and is what the post is checked with."""
    app.config["WTF_CSRF_ENABLED"] = True
    url = f"/listings/{cizhen_building.id}"
    page = client.get(url).get_data(as_text=True)
    for form_id in ("inquiry-form", "report-form"):
        form = re.search(rf'<form id="{form_id}".*?</form>', page, re.S)[0]
        assert "csrf_token" not in form
    token = re.search(r'name="csrf_token" value="([^"]+)" form="inquiry-form"', page)[1]
    other = app.test_client().get(url).get_data(as_text=True)
    assert token not in other, "a visitor's token is not cached for the next"
    sent = {"name": "李", "mobile": "13812345678", "message": "想看房"}
    refused = client.post(f"{url}/inquiry", data=sent)
    assert refused.status_code == 400
    accepted = client.post(f"{url}/inquiry", data={**sent, "csrf_token": token})
    assert accepted.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 1


def test_a_refused_inquiry_comes_back_with_what_was_typed(client, cizhen_building):
    url = f"/listings/{cizhen_building.id}"
    response = client.post(f"{url}/inquiry", data={"name": "王女士", "mobile": "123"})
    assert response.status_code == 400
    form = re.search(r'<form id="inquiry-form".*?</form>', response.get_data(as_text=True), re.S)
    assert 'value="王女士"' in form[0] and "手机号" in form[0]
    assert client.get(url).get_data(as_text=True).count('value="王女士"') == 0


def test_inquiries_are_rate_limited(database_url, cizhen_building):
    from app import create_app

    limited = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True}
    )
    client = limited.test_client()
    try:
        codes = [
            client.post(
                f"/listings/{cizhen_building.id}/inquiry",
                data={"name": "李", "mobile": "13812345678", "message": f"第{i}次"},
            )
            for i in range(6)
        ]
    finally:
        with limited.app_context():
            db.engine.dispose()  # PostgreSQL warns about connections left to the collector
    assert [r.status_code for r in codes[:5]] == [302] * 5
    assert codes[-1].status_code == 429
    assert "操作过于频繁" in codes[-1].get_data(as_text=True)


def test_unknown_or_hidden_building_is_404(client, cizhen_building):
    assert client.get("/listings/987654").status_code == 404
    cizhen_building.status = "draft"
    db.session.commit()
    assert client.get(f"/listings/{cizhen_building.id}").status_code == 404
    assert client.post(f"/listings/{cizhen_building.id}/inquiry", data={}).status_code == 404


def test_report_is_stored(client, cizhen_building):
    response = client.post(
        f"/listings/{cizhen_building.id}/report", data={"reason": "leased", "note": "上周已租"}
    )
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    assert (report.building_id, report.reason) == (cizhen_building.id, "leased")
    assert (
        client.post(f"/listings/{cizhen_building.id}/report", data={"reason": "x"}).status_code
        == 400
    )


def test_favourite_needs_sign_in_and_toggles(client, cizhen_building):
    response = client.post(f"/listings/{cizhen_building.id}/favorite")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
    user = User(email="t@example.com", name="租户", role=Role.TENANT)
    user.set_password("pass-word-1")
    db.session.add(user)
    db.session.commit()
    sign_in(client, user)
    client.post(f"/listings/{cizhen_building.id}/favorite")
    assert db.session.scalar(select(func.count()).select_from(Favorite)) == 1
    assert cizhen_building.name in client.get("/listings/favorites").get_data(as_text=True)
    client.post(f"/listings/{cizhen_building.id}/favorite")
    assert db.session.scalar(select(func.count()).select_from(Favorite)) == 0


def test_compare_up_to_four_side_by_side_and_shareable(client, demo):
    buildings = db.session.scalars(select(Building).order_by(Building.id).limit(5)).all()
    for b in buildings[:4]:
        client.post("/listings/compare", data={"building_id": b.id, "action": "add"})
    response = client.post(
        "/listings/compare",
        data={"building_id": buildings[4].id, "action": "add"},
        follow_redirects=True,
    )
    assert "最多同时对比 4 个楼盘" in response.get_data(as_text=True)
    page = client.get("/listings/compare").get_data(as_text=True)
    for b in buildings[:4]:
        assert b.name in page
    assert buildings[4].name not in page
    assert "元/㎡/天" in page and "距诸暨站" in page and "得房率" in page
    share = re.search(r'id="share-link" href="([^"]+)"', page).group(1)
    fresh = client.application.test_client()  # another visitor, with no session
    shared = fresh.get(share.replace("&amp;", "&")).get_data(as_text=True)
    assert all(b.name in shared for b in buildings[:4])
    client.post("/listings/compare", data={"building_id": buildings[0].id, "action": "remove"})
    assert buildings[0].name not in client.get("/listings/compare").get_data(as_text=True)


def test_compare_distance_to_a_chosen_place(client, demo):
    b = db.session.scalars(select(Building)).first()
    page = client.get(f"/listings/compare?ids={b.id}&near=次坞镇").get_data(as_text=True)
    assert "距次坞镇" in page
    bad = client.get(f"/listings/compare?ids={b.id}&near=火星")
    assert bad.status_code == 400 and "找不到地点" in bad.get_data(as_text=True)
    assert client.get("/listings/compare?ids=abc,,-1").status_code == 200


def test_page_views_are_counted_in_batches_without_touching_updated_at(
    app, client, cizhen_building, monkeypatch
):
    from app.listings import actions

    b = cizhen_building
    before, edited = b.view_count, b.updated_at
    for _ in range(3):
        assert client.get(f"/listings/{b.id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(Building, b.id).view_count == before, "held in memory, not yet written"

    assert actions.flush_views() == 3
    db.session.expire_all()
    written = db.session.get(Building, b.id)
    assert written.view_count == before + 3
    assert written.updated_at == edited, "a view is not an edit"
    assert actions.flush_views() == 0, "nothing is written twice"

    monkeypatch.setattr(actions.ViewCounter, "FLUSH_SECONDS", 0.0)
    client.get(f"/listings/{b.id}")  # due: this view writes itself and any pending
    db.session.expire_all()
    assert db.session.get(Building, b.id).view_count == before + 4


def test_a_failed_view_flush_keeps_the_views_and_the_page(
    app, client, cizhen_building, monkeypatch, caplog
):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.sql import Update

    from app.listings import actions

    b = cizhen_building
    before = b.view_count
    real = db.session.execute

    def busy(statement, *args, **kwargs):
        if isinstance(statement, Update):
            raise OperationalError("UPDATE building", {}, Exception("deadlock detected"))
        return real(statement, *args, **kwargs)

    monkeypatch.setattr(actions.ViewCounter, "FLUSH_SECONDS", 0.0)
    monkeypatch.setattr(db.session, "execute", busy)
    assert client.get(f"/listings/{b.id}").status_code == 200, "the visitor still gets the page"
    assert "page views not written yet" in caplog.text, "the flush was tried, and failed"
    monkeypatch.setattr(db.session, "execute", real)

    assert actions.flush_views() == 1, "the view was kept for the next flush"
    db.session.expire_all()
    assert db.session.get(Building, b.id).view_count == before + 1


def _related_by_sorting(building: Building, limit: int = 6) -> list[int]:
    """Related news the plain way: each level's mentions sorted newest first."""
    from app.models import Article, ArticlePlace

    found: list[int] = []
    park = building.park.place_id if building.park is not None else None
    for place_id in (park, building.town_id, building.district_id):
        if place_id is None or len(found) >= limit:
            continue
        articles = db.session.scalars(
            select(Article)
            .join(ArticlePlace, ArticlePlace.article_id == Article.id)
            .where(ArticlePlace.place_id == place_id, Article.status == "published")
        ).all()
        newest = sorted(articles, key=lambda a: (a.published_at, a.id), reverse=True)
        found += [a.id for a in newest if a.id not in found][: limit - len(found)]
    return found


@pytest.mark.parametrize("recent", [1, 3, 10_000])
def test_related_news_is_the_newest_about_park_town_and_district(demo, monkeypatch, recent):
    """Whether the newest articles are found walking the latest ones (any `recent`) or by
    sorting a place's mentions, the building page lists the same articles in the same order."""
    from app.listings import details

    monkeypatch.setattr(details, "RECENT_ARTICLES", recent)
    buildings = db.session.scalars(select(Building).where(Building.status == "published")).all()
    lists = [([a.id for a in details.related_news(b)], _related_by_sorting(b)) for b in buildings]
    assert any(len(found) >= 3 for found, _ in lists)
    for found, expected in lists:
        assert found == expected


def test_compare_ids_that_only_look_like_digits_are_ignored(client, demo):
    """A "²" is a digit to str.isdigit, yet int() refuses it: a shared link carrying one
    compares the other ids instead of failing."""
    b = db.session.scalars(select(Building).order_by(Building.id)).first()
    response = client.get("/listings/compare", query_string={"ids": f"²,{b.id},1²"})
    assert response.status_code == 200
    assert b.name in response.get_data(as_text=True)
