"""Closing: the emailed link (GET asks, POST closes), the signed-in tenant's button on
/accounts/inquiries, and expiry after 30 days; what the tenant sees of their requirements."""

from __future__ import annotations

import re
from datetime import timedelta

from app.extensions import db
from app.models import Requirement, RequirementAnswer, RequirementAnswerUnit
from app.models.base import utcnow
from app.requirements import services
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.requirements.conftest import building_in, requirement, unit_in


def test_the_link_asks_first_and_the_button_closes(client, where):
    wanted = requirement([where.ciwu])
    db.session.commit()
    url = f"/requirements/{wanted.token}/close"
    page = client.get(url).get_data(as_text=True)
    assert "确认关闭求租" in page and "征集中" in page and "次坞镇" in page
    assert db.session.get(Requirement, wanted.id).status == "open"
    response = client.post(url)
    assert response.status_code == 302 and response.headers["Location"] == url
    db.session.expire_all()
    found = db.session.get(Requirement, wanted.id)
    assert found.status == "closed" and found.closed_at is not None
    page = client.get(url).get_data(as_text=True)
    assert "求租已关闭" in page and "已关闭" in page and "确认关闭求租" not in page
    # A second click changes nothing.
    closed_at = found.closed_at
    client.post(url)
    db.session.expire_all()
    assert db.session.get(Requirement, wanted.id).closed_at == closed_at


def test_a_wrong_token_is_nothing(client, where):
    wanted = requirement([where.ciwu])
    db.session.commit()
    for token in (wanted.token[:-1] + ("A" if wanted.token[-1] != "A" else "B"), "x", "é" * 43):
        assert client.get(f"/requirements/{token}/close").status_code == 404
        assert client.post(f"/requirements/{token}/close").status_code == 404
    assert db.session.get(Requirement, wanted.id).status == "open"


def test_closing_goes_back_only_to_a_page_of_this_site(client, where):
    wanted = requirement([where.ciwu])
    db.session.commit()
    response = client.post(
        f"/requirements/{wanted.token}/close", data={"next": "https://evil.example/"}
    )
    assert response.headers["Location"] == f"/requirements/{wanted.token}/close"


def test_a_requirement_expires_after_thirty_days(client, where):
    old = requirement([where.ciwu], days_ago=30.01)
    fresh = requirement([where.ciwu], days_ago=29.99)
    db.session.commit()
    assert services.state(old) == "expired" and services.state(fresh) == "open"
    page = client.get(f"/requirements/{old.token}/close").get_data(as_text=True)
    assert "已过期" in page and "确认关闭求租" not in page


def test_a_signed_in_tenant_sees_their_requirements_and_the_answers(client, where, agent):
    tenant, other = UserFactory(), UserFactory()
    unit = unit_in(building_in(where.ciwu, owner=agent, name="次坞创业大厦"), floor=5)
    answered = requirement([where.ciwu], user_id=tenant.id, days_ago=2, note="要朝南")
    waiting = requirement([where.diankou], user_id=tenant.id, days_ago=1)
    expired = requirement([where.ciwu], user_id=tenant.id, days_ago=40)
    requirement([where.ciwu], user_id=other.id, note="别人的求租")
    requirement([where.ciwu], note="匿名求租")
    db.session.add(
        RequirementAnswer(
            requirement_id=answered.id,
            agent_id=agent.id,
            message="5 楼朝南，欢迎来看。",
            created_at=utcnow() - timedelta(days=1),
            units=[RequirementAnswerUnit(unit_id=unit.id)],
        )
    )
    db.session.commit()
    sign_in(client, tenant)
    page = client.get("/accounts/inquiries").get_data(as_text=True)
    assert "我的求租" in page and "别人的求租" not in page and "匿名求租" not in page
    cards = dict(re.findall(r'id="requirement-(\d+)">(.*?)</div></div>', page, re.S))
    assert set(cards) == {str(answered.id), str(waiting.id), str(expired.id)}
    card = cards[str(answered.id)]
    assert "5 楼朝南，欢迎来看。" in card and "张经纪" in card and "13900001111" in card
    assert f'href="/agents/{agent.id}"' in card
    assert f'href="/listings/{unit.building_id}"' in card and "5F · 200 ㎡" in card
    assert "1 位经纪人回复" in card and "征集中" in card
    assert "还没有经纪人回复" in cards[str(waiting.id)]
    assert "已过期" in cards[str(expired.id)] and "关闭求租" not in cards[str(expired.id)]
    # Closing from the list comes back to it.
    close = re.search(r'action="(/requirements/[\w-]+/close)"', cards[str(waiting.id)])[1]
    nxt = re.search(r'name="next" value="([^"]+)"', cards[str(waiting.id)])[1]
    response = client.post(close, data={"next": nxt})
    assert response.headers["Location"] == f"/accounts/inquiries#requirement-{waiting.id}"
    db.session.expire_all()
    assert db.session.get(Requirement, waiting.id).status == "closed"
    page = client.get("/accounts/inquiries").get_data(as_text=True)
    assert "求租已关闭" in page


def test_a_tenant_without_requirements_is_shown_how_to_start(client):
    tenant = UserFactory()
    db.session.commit()
    sign_in(client, tenant)
    page = client.get("/accounts/inquiries").get_data(as_text=True)
    assert "还没有发布求租" in page and 'href="/requirements/new"' in page


def test_requirements_stay_off_later_pages_of_the_inquiries(client, where):
    tenant = UserFactory()
    requirement([where.ciwu], user_id=tenant.id)
    db.session.commit()
    sign_in(client, tenant)
    assert "我的求租" not in client.get("/accounts/inquiries?page=2").get_data(as_text=True)
