"""订阅此搜索 and /searches/: saving a search, listing, renaming, pausing, deleting, ownership,
the private feed and the unsubscribe page, as a user or a feed reader meets them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from app.alerts import services
from app.extensions import db
from app.models import SavedSearch
from tests.alerts.conftest import building_in, save, unit_in
from tests.factories import UserFactory
from tests.helpers import sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(SavedSearch))


def _subscribe(client, query: dict, name: str = "我的次坞", frequency: str = "daily"):
    data = {"query": urlencode(query), "name": name, "frequency": frequency}
    return client.post("/searches/new", data=data)


def test_the_search_page_offers_to_subscribe(client, places, tenant):
    query = "/listings/?town=%E6%AC%A1%E5%9D%9E%E9%95%87&rent_max=2&page=1"
    anonymous = client.get(query).text
    assert "登录后订阅此搜索" in anonymous
    assert 'href="/accounts/login?next=/searches/new?town%3D' in anonymous
    sign_in(client, tenant)
    page = client.get(query).text
    assert 'action="/searches/new"' in page and "登录后订阅此搜索" not in page
    assert 'value="次坞镇 · ≤2 元/㎡/天"' in page, "the name is offered from the conditions"


def test_saving_a_search_keeps_its_conditions_without_page_or_sort(client, places, tenant):
    sign_in(client, tenant)
    query = {"town": "次坞", "rent_max": "2", "area_min": "100", "sort": "rent_asc", "page": "3"}
    response = _subscribe(client, query, frequency="instant")
    assert response.status_code == 302
    (search,) = db.session.scalars(select(SavedSearch)).all()
    assert response.headers["Location"] == f"/searches/#search-{search.id}"
    assert search.params == {"town": "次坞", "rent_max": 2.0, "area_min": 100.0}
    assert (search.place_key, search.deal, search.frequency) == (
        f"t:{places['ciwu'].id}",
        "rent",
        "instant",
    )
    page = client.get("/searches/").text
    assert "我的次坞" in page and "次坞 · 出租" not in page
    assert "次坞 · ≤2 元/㎡/天 · ≥100 ㎡" in page and "即时提醒" in page
    assert 'href="/listings/?town=%E6%AC%A1%E5%9D%9E&amp;rent_max=2&amp;area_min=100"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"town": "不存在镇"}, "找不到地点“不存在镇”"),
        ({"rent_min": "3", "rent_max": "1"}, "最高租金不能低于最低租金"),
        ({"area_min": "abc"}, "请输入有效的数字"),
        ({"district": "杭州市"}, "不在本站范围"),
    ],
)
def test_an_invalid_search_is_refused_with_its_message(client, places, tenant, query, message):
    sign_in(client, tenant)
    response = _subscribe(client, query)
    assert response.status_code == 422
    assert message in response.text and "无法订阅" in response.text
    assert _count() == 0


def test_a_name_and_a_frequency_are_required(client, places, tenant):
    sign_in(client, tenant)
    assert "请填写订阅名称" in _subscribe(client, {"town": "次坞镇"}, name=" ").text
    refused = _subscribe(client, {"town": "次坞镇"}, frequency="hourly")
    assert refused.status_code == 422 and "请选择提醒频率" in refused.text
    assert _count() == 0


def test_a_user_keeps_at_most_fifty(client, places, tenant, monkeypatch):
    assert services.SAVED_SEARCH_LIMIT == 50
    monkeypatch.setattr(services, "SAVED_SEARCH_LIMIT", 2)
    sign_in(client, tenant)
    assert _subscribe(client, {"town": "次坞镇"}).status_code == 302
    assert _subscribe(client, {"town": "店口镇"}).status_code == 302
    refused = _subscribe(client, {"town": "安华镇"})
    assert refused.status_code == 422 and "最多保存 2 个订阅" in refused.text
    assert _count() == 2


def test_the_subscribe_page_comes_back_after_signing_in(client, places, tenant):
    response = client.get("/searches/new?town=%E6%AC%A1%E5%9D%9E%E9%95%87")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
    sign_in(client, tenant)
    page = client.get("/searches/new?town=%E6%AC%A1%E5%9D%9E%E9%95%87&page=2")
    assert page.status_code == 200
    assert 'id="conditions">次坞镇<' in page.text and 'value="次坞镇"' in page.text
    bad = client.get("/searches/new?town=nowhere")
    assert bad.status_code == 400 and "找不到地点“nowhere”" in bad.text


def test_rename_change_frequency_pause_resume_and_delete(client, places, tenant):
    search = save(tenant, town="次坞镇")
    sign_in(client, tenant)
    done = client.post(
        f"/searches/{search.id}/edit", data={"name": "新名字", "frequency": "weekly"}
    )
    assert done.status_code == 302
    db.session.refresh(search)
    assert (search.name, search.frequency) == ("新名字", "weekly")
    refused = client.post(f"/searches/{search.id}/edit", data={"name": "", "frequency": "daily"})
    assert refused.status_code == 422 and "请填写订阅名称" in refused.text
    db.session.refresh(search)
    assert search.frequency == "weekly"

    assert client.post(f"/searches/{search.id}/pause", data={"action": "pause"}).status_code == 302
    db.session.refresh(search)
    assert search.paused and "已暂停" in client.get("/searches/").text
    client.post(f"/searches/{search.id}/pause", data={"action": "resume"})
    db.session.refresh(search)
    assert not search.paused
    assert client.post(f"/searches/{search.id}/pause", data={"action": "x"}).status_code == 400

    assert client.post(f"/searches/{search.id}/delete").status_code == 302
    assert _count() == 0 and "您还没有订阅" in client.get("/searches/").text


def test_another_users_search_is_not_found_and_stays_as_it_was(client, places, tenant):
    search = save(tenant, town="次坞镇", name="陈的订阅")
    other = UserFactory()
    db.session.commit()
    sign_in(client, other)
    for url, data in (
        (f"/searches/{search.id}/edit", {"name": "改掉", "frequency": "instant"}),
        (f"/searches/{search.id}/pause", {"action": "pause"}),
        (f"/searches/{search.id}/delete", {}),
    ):
        assert client.post(url, data=data).status_code == 404, url
    db.session.refresh(search)
    assert (search.name, search.frequency, search.paused) == ("陈的订阅", "daily", False)
    assert "陈的订阅" not in client.get("/searches/").text


def test_the_list_counts_what_waits_to_be_sent(client, places, tenant):
    save(tenant, town="次坞镇", frequency="weekly")
    building = building_in(places, "ciwu")
    unit_in(building)
    unit_in(building, area_m2=300)
    db.session.commit()
    sign_in(client, tenant)
    assert "2 条更新待发送" in client.get("/searches/").text


def test_the_feed_lists_the_newest_matching_buildings_for_a_reader_without_a_session(
    app, client, places, tenant
):
    search = save(tenant, town="次坞镇", rent_max=2, name="次坞便宜")
    match = building_in(places, "ciwu", name="次坞便宜大厦")
    unit_in(match, rent_per_m2_day=1.5, area_m2=200)
    unit_in(building_in(places, "ciwu", name="次坞贵大厦"), rent_per_m2_day=3)
    unit_in(building_in(places, "diankou", name="店口大厦"), rent_per_m2_day=1)
    db.session.commit()
    response = client.get(f"/searches/{search.token}.atom")
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.data)
    assert feed.find(f"{ATOM}title").text == "我的订阅：次坞便宜"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["次坞便宜大厦"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"{app.config['SITE_URL']}/listings/{match.id}"
    assert "1 套房源 · 面积 200 ㎡ · 租金 1.5 元/㎡/天" in entries[0].find(f"{ATOM}summary").text
    assert client.get(f"/searches/{search.token[:-1]}x.atom").status_code == 404
    assert client.get("/searches/nothing.atom").status_code == 404


def test_unsubscribing_asks_on_get_and_needs_one_click_or_the_pages_token(
    app, client, places, tenant
):
    search = save(tenant, town="次坞镇", name="要退订的")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/searches/unsubscribe/{search.token}")
    assert page.status_code == 200 and "确认退订" in page.text and "要退订的" in page.text
    db.session.refresh(search)
    assert not search.paused, "a link scanner's GET changes nothing"
    forged = client.post(f"/searches/unsubscribe/{search.token}", data={})
    assert forged.status_code == 400 and "安全令牌" in forged.text
    db.session.refresh(search)
    assert not search.paused
    assert (
        client.post(
            "/searches/unsubscribe/wrong", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 404
    )
    done = client.post(
        f"/searches/unsubscribe/{search.token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert done.status_code == 200 and "已退订" in done.text
    db.session.refresh(search)
    assert search.paused


def test_the_menu_leads_a_signed_in_user_to_their_searches(client, tenant):
    assert "我的订阅" not in client.get("/").text
    sign_in(client, tenant)
    assert 'href="/searches/">我的订阅</a>' in client.get("/").text
