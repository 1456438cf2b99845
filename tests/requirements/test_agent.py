"""/agent/requirements: an agent sees the open requirements their published units meet, with
those units, the tenant's mobile masked until they answer; an agent with no matching unit gets
404 and never the mobile. Answering: units among the matching ones and a message, once."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import RequirementAnswer, RequirementAnswerUnit
from app.requirements import services
from app.requirements.services import mask_mobile
from tests.factories import AgentFactory, UserFactory
from tests.helpers import sign_in
from tests.requirements.conftest import building_in, requirement, unit_in

MOBILE, MASKED = "13812345678", "138****5678"


@pytest.fixture
def market(where, agent):
    """The agent's building in 次坞 with two matching units and one too small; a requirement
    naming 次坞; another agent whose only building is in 店口."""
    building = building_in(where.ciwu, owner=agent, name="次坞创业大厦")
    good = unit_in(building, area=200, rent=1.5, floor=5)
    also = unit_in(building, area=250, rent=1.2, floor=8)
    small = unit_in(building, area=50, rent=1.2, floor=2)
    stranger = AgentFactory(name="李经纪")
    elsewhere = unit_in(building_in(where.diankou, owner=stranger), area=200, rent=1.5)
    wanted = requirement([where.ciwu], area_min=150, area_max=300, budget_max=1.8)
    db.session.commit()
    return {
        "good": good,
        "also": also,
        "small": small,
        "stranger": stranger,
        "elsewhere": elsewhere,
        "wanted": wanted,
    }


def answers_count() -> int:
    return db.session.scalar(select(func.count()).select_from(RequirementAnswer))


def test_masking():
    assert mask_mobile("13812345678") == "138****5678"


def test_the_agent_sees_the_requirement_with_the_matching_units_and_a_masked_mobile(
    client, agent, market
):
    sign_in(client, agent)
    page = client.get("/agent/requirements").get_data(as_text=True)
    (card,) = re.findall(r'<div class="card mb-2 offer".*?</div></div>', page, re.S)
    assert MASKED in card and MOBILE not in page
    assert "王女士" in card and "次坞镇" in card and "150–300 ㎡" in card
    assert "您的符合房源 2 套" in card
    assert "5F · 200 ㎡" in card and "8F · 250 ㎡" in card and "2F" not in card
    detail = client.get(f"/agent/requirements/{market['wanted'].id}").get_data(as_text=True)
    assert MASKED in detail and MOBILE not in detail
    boxes = re.findall(r'name="units" value="(\d+)"', detail)
    assert sorted(map(int, boxes)) == sorted([market["good"].id, market["also"].id])


def test_the_dashboard_counts_the_matching_requirements(client, agent, market):
    sign_in(client, agent)
    page = client.get("/agent/").get_data(as_text=True)
    assert re.search(r'<a href="/agent/requirements">1 条求租可匹配</a>，其中 1 条待您回复', page)
    sign_in(client, market["stranger"])
    assert "条求租可匹配" not in client.get("/agent/").get_data(as_text=True)


def test_an_agent_without_a_matching_unit_never_sees_it(client, market):
    sign_in(client, market["stranger"])
    listing = client.get("/agent/requirements").get_data(as_text=True)
    assert "王女士" not in listing and "5678" not in listing
    assert "目前没有与您的房源匹配的求租" in listing
    wanted = market["wanted"].id
    assert client.get(f"/agent/requirements/{wanted}").status_code == 404
    response = client.post(
        f"/agent/requirements/{wanted}/answer",
        data={"units": [str(market["elsewhere"].id)], "message": "我有房"},
    )
    assert response.status_code == 404 and "5678" not in response.get_data(as_text=True)
    assert answers_count() == 0


def test_tenants_and_strangers_are_kept_out(client, market):
    assert client.get("/agent/requirements").headers["Location"].startswith("/accounts/login")
    sign_in(client, UserFactory())
    db.session.commit()
    assert client.get("/agent/requirements").status_code == 403
    assert client.get(f"/agent/requirements/{market['wanted'].id}").status_code == 403


def test_a_unit_that_stops_matching_takes_the_requirement_away(client, agent, market):
    for unit in ("good", "also"):
        market[unit].status = "leased"
    db.session.commit()
    sign_in(client, agent)
    assert "王女士" not in client.get("/agent/requirements").get_data(as_text=True)
    assert client.get(f"/agent/requirements/{market['wanted'].id}").status_code == 404


def test_answering_shows_the_mobile_and_emails_the_tenant(app, client, agent, market, mailbox):
    sign_in(client, agent)
    wanted = market["wanted"]
    response = client.post(
        f"/agent/requirements/{wanted.id}/answer",
        data={"units": [str(market["good"].id)], "message": "5 楼朝南，周末可看房。"},
    )
    assert response.status_code == 302
    (row,) = db.session.scalars(select(RequirementAnswer)).all()
    assert (row.agent_id, row.message) == (agent.id, "5 楼朝南，周末可看房。")
    assert [u.unit_id for u in row.units] == [market["good"].id]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "回复已发送" in page and MOBILE in page and 'href="tel:13812345678"' in page
    listing = client.get("/agent/requirements").get_data(as_text=True)
    assert MOBILE in listing and "已回复" in listing

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "wang@tenant.example"
    assert "张经纪" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "5 楼朝南，周末可看房。" in part
        assert "次坞创业大厦" in part and "出租 · 5F · 200 ㎡ · 1.5 元/㎡/天" in part
        assert " · 8F · " not in part, "only the chosen units"  # (a token may hold "8F")
        assert "诸暨置业" in part and "13900001111" in part
    site = app.config["SITE_URL"]
    links = set(re.findall(rf"{re.escape(site)}/\S+", text))
    building = f"{site}/listings/{market['good'].building_id}"
    agent_page = f"{site}/agents/{agent.id}"
    close = f"{site}/requirements/{wanted.token}/close"
    assert {building, agent_page, close} <= links
    for link in (building, agent_page, close):
        assert f'href="{link}"' in html
        assert client.get(urlsplit(link).path).status_code == 200, link


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message": "有房"}, "请至少选择一套符合需求的房源"),
        ({"units": ["{small}"], "message": "有房"}, "所选房源不属于您或不符合该求租"),
        ({"units": ["{elsewhere}"], "message": "有房"}, "所选房源不属于您或不符合该求租"),
        ({"units": ["{good}", "{elsewhere}"], "message": "有房"}, "所选房源不属于您或不符合"),
        ({"units": ["abc"], "message": "有房"}, "所选房源不属于您或不符合该求租"),
        ({"units": ["99999999999999"], "message": "有房"}, "所选房源不属于您或不符合该求租"),
        ({"units": ["{good}"], "message": "  "}, "请填写给租户的留言"),
        ({"units": ["{good}"], "message": "字" * 501}, "留言最多 500 个字"),
    ],
)
def test_a_refused_answer_says_why_and_stores_nothing(
    client, agent, market, mailbox, data, message
):
    sign_in(client, agent)
    ids = {k: str(v.id) for k, v in market.items() if hasattr(v, "building_id")}
    sent = {k: [u.format(**ids) for u in v] if isinstance(v, list) else v for k, v in data.items()}
    response = client.post(f"/agent/requirements/{market['wanted'].id}/answer", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert answers_count() == 0
    assert db.session.scalar(select(func.count()).select_from(RequirementAnswerUnit)) == 0
    assert MOBILE not in page


def test_one_answer_per_agent(client, agent, market):
    sign_in(client, agent)
    url = f"/agent/requirements/{market['wanted'].id}/answer"
    first = {"units": [str(market["good"].id)], "message": "第一次"}
    assert client.post(url, data=first).status_code == 302
    second = client.post(url, data={"units": [str(market["also"].id)], "message": "第二次"})
    assert second.status_code == 409
    assert "您已回复过这条求租" in second.get_data(as_text=True)
    assert answers_count() == 1
    assert db.session.scalar(select(RequirementAnswer.message)) == "第一次"


@pytest.mark.parametrize(("how", "message"), [("close", "已被租户关闭"), ("expire", "已过期")])
def test_closed_and_expired_requirements_are_read_only(client, agent, market, how, message):
    wanted = market["wanted"]
    if how == "close":
        services.close(wanted)
    else:
        wanted.expires_at = wanted.created_at
    db.session.commit()
    sign_in(client, agent)
    assert "王女士" not in client.get("/agent/requirements").get_data(as_text=True)
    detail = client.get(f"/agent/requirements/{wanted.id}")
    assert detail.status_code == 200 and message in detail.get_data(as_text=True)
    assert 'id="answer-form"' not in detail.get_data(as_text=True)
    response = client.post(
        f"/agent/requirements/{wanted.id}/answer",
        data={"units": [str(market["good"].id)], "message": "有房"},
    )
    assert response.status_code == 409 and message in response.get_data(as_text=True)
    assert answers_count() == 0


def test_the_list_is_paged_newest_first(client, agent, where):
    unit_in(building_in(where.ciwu, owner=agent))
    made = [requirement([where.ciwu], name=f"租户{n}", days_ago=25 - n) for n in range(23)]
    db.session.commit()
    sign_in(client, agent)
    first = client.get("/agent/requirements").get_data(as_text=True)
    second = client.get("/agent/requirements?page=2").get_data(as_text=True)
    assert first.count('class="card mb-2 offer"') == 20
    assert second.count('class="card mb-2 offer"') == 3
    assert first.index("租户22") < first.index("租户21") and "租户0 " not in first
    assert "租户0 " in second and 'href="/agent/requirements?page=2"' in first
    assert made
    assert client.get("/agent/requirements?page=abc").status_code == 200
    assert client.get("/agent/requirements?page=99999999999999999").status_code == 200


def test_an_admin_may_open_any_requirement_masked_but_offers_only_their_own_units(client, market):
    admin = UserFactory(role="admin")
    db.session.commit()
    sign_in(client, admin)
    wanted = market["wanted"].id
    page = client.get(f"/agent/requirements/{wanted}").get_data(as_text=True)
    assert MASKED in page and MOBILE not in page
    assert 'name="units"' not in page
    response = client.post(
        f"/agent/requirements/{wanted}/answer",
        data={"units": [str(market["good"].id)], "message": "有房"},
    )
    assert response.status_code == 422 and "所选房源不属于您或不符合该求租" in response.get_data(
        as_text=True
    )
    assert answers_count() == 0
    assert client.get(f"/agent/requirements/{2**31 - 1}").status_code == 404
