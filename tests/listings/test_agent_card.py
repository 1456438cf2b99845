"""The agent card on a building page: masked until 显示电话, revealed for one visitor only,
counted, rate-limited, and never kept in the shared page cache."""

from __future__ import annotations

import pickle
import re

import pytest

from app.extensions import cache, db
from app.models import Building, User
from tests.factories import AgentFactory, BuildingFactory, UserFactory
from tests.helpers import sign_in

MOBILE = "13812345678"
MASKED = "138****5678"


@pytest.fixture
def agent(app) -> User:
    found = AgentFactory(
        name="陈经理", company="店口商务置业", mobile=MOBILE, email="chen.secret@example.com"
    )
    db.session.commit()
    return found


@pytest.fixture
def building(agent) -> Building:
    found = BuildingFactory(owner=agent, status="published", name="名片测试大厦")
    db.session.commit()
    return found


def card(html: str) -> str:
    found = re.search(r'<div class="card agent-card.*?</div>\s*</div>\s*</div>', html, re.S)
    assert found, "no agent card"
    return found[0]


def reveals(agent_id: int) -> int:
    db.session.expire_all()
    return db.session.get(User, agent_id).phone_reveals


def cached_texts(app) -> list[str]:
    """Everything the page cache holds, in this worker and in the shared store, as text."""
    local = app.extensions["pagecache_local"]._entries
    shared = cache.cache._cache  # SimpleCache: key -> (expiry, pickled value)
    blobs = [pickle.dumps(v) for v in local.values()] + [v[1] for v in shared.values()]
    texts = []
    for blob in blobs:
        value = pickle.loads(blob) if isinstance(blob, bytes) else blob
        texts.append(repr(value))
    return texts


def test_card_shows_agent_with_the_mobile_masked(client, agent, building):
    page = client.get(f"/listings/{building.id}").get_data(as_text=True)
    shown = card(page)
    assert "陈经理" in shown and "店口商务置业" in shown
    assert f'href="/agents/{agent.id}"' in shown
    assert 'class="agent-initials"' in shown and ">陈<" in shown
    assert MASKED in shown and "显示电话" in shown
    assert MOBILE not in page and "chen.secret" not in page
    # The reveal form carries its CSRF token from outside the cached card.
    assert 'form="phone-form"' in page and f'action="/agents/{agent.id}/phone"' in shown
    # The phone's bar: 电话 submits the same form, 留言 goes to the inquiry form.
    bar = re.search(r'<div class="phone-bar.*?</div>', page, re.S)[0]
    assert 'form="phone-form"' in bar and 'href="#inquiry"' in bar and "电话" in bar
    assert 'id="inquiry"' in page
    assert reveals(agent.id) == 0


def test_card_shows_the_photo_when_there_is_one(client, agent, building):
    agent.photo = f"{7:032x}.jpg"
    db.session.commit()
    shown = card(client.get(f"/listings/{building.id}").get_data(as_text=True))
    assert f'src="/media/{7:032x}_thumb.jpg"' in shown and "agent-initials" not in shown


def test_reveal_answers_json_and_counts(client, agent, building):
    response = client.post(
        f"/agents/{agent.id}/phone",
        data={"building": building.id},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.get_json() == {"mobile": MOBILE, "tel": f"tel:{MOBILE}"}
    assert "no-store" in response.headers["Cache-Control"]
    assert reveals(agent.id) == 1
    client.post(f"/agents/{agent.id}/phone", headers={"Accept": "application/json"})
    assert reveals(agent.id) == 2


def test_reveal_without_script_draws_the_building_page_with_the_number(client, agent, building):
    response = client.post(f"/agents/{agent.id}/phone", data={"building": str(building.id)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "名片测试大厦" in page
    shown = card(page)
    assert f'href="tel:{MOBILE}"' in shown and MASKED not in shown and "显示电话" not in shown
    assert f'href="tel:{MOBILE}"' in re.search(r'<div class="phone-bar.*?</div>', page, re.S)[0]
    assert "no-store" in response.headers["Cache-Control"]
    assert reveals(agent.id) == 1


def test_the_cache_never_holds_a_revealed_number(app, client, agent, building):
    url = f"/listings/{building.id}"
    assert MOBILE not in client.get(url).get_data(as_text=True)  # anonymous: the shared page
    sign_in(client, UserFactory())
    db.session.commit()
    assert MOBILE not in client.get(url).get_data(as_text=True)  # signed in: shell + fragments
    for visitor in (client, app.test_client()):
        visitor.post(f"/agents/{agent.id}/phone", data={"building": building.id})
        visitor.post(
            f"/agents/{agent.id}/phone",
            data={"building": building.id},
            headers={"Accept": "application/json"},
        )
    texts = cached_texts(app)
    assert texts and any(MASKED in text for text in texts)
    assert not any(MOBILE in text for text in texts)
    # Everyone asking again gets the masked card.
    for visitor in (client, app.test_client()):
        again = visitor.get(url).get_data(as_text=True)
        assert MASKED in again and MOBILE not in again


def test_a_profile_change_shows_on_cached_building_pages(client, agent, building):
    url = f"/listings/{building.id}"
    assert "陈经理" in client.get(url).get_data(as_text=True)
    sign_in(client, agent)
    client.post(
        "/agent/profile",
        data={"name": "陈总", "company": "暨阳地产", "mobile": "13900001111", "intro": ""},
    )
    client.get("/accounts/logout")
    with client.session_transaction() as session:
        session.clear()
    shown = card(client.get(url).get_data(as_text=True))
    assert "陈总" in shown and "暨阳地产" in shown and "139****1111" in shown


@pytest.mark.parametrize(
    ("change", "form"),
    [("deactivate", {}), ("role", {"role": "tenant"})],
    ids=["deactivated", "no-longer-an-agent"],
)
def test_an_admins_change_to_the_agent_shows_on_cached_building_pages(
    app, client, agent, building, change, form
):
    url = f"/listings/{building.id}"
    anonymous = app.test_client()
    shown = card(anonymous.get(url).get_data(as_text=True))  # cached now
    assert MASKED in shown and f'href="/agents/{agent.id}"' in shown
    admin = UserFactory(role="admin")
    db.session.commit()
    sign_in(client, admin)
    assert client.post(f"/admin/users/{agent.id}/{change}", data=form).status_code == 302
    shown = card(anonymous.get(url).get_data(as_text=True))
    assert f'href="/agents/{agent.id}"' not in shown, "the card links to a page that is gone"
    if change == "deactivate":
        assert MASKED not in shown and "显示电话" not in shown


def test_reveal_refuses_what_it_cannot_show(client, agent, building):
    tenant = UserFactory(mobile="13700000000")
    silent = AgentFactory(mobile=None)
    gone = AgentFactory(active=False)
    db.session.commit()
    for agent_id in (tenant.id, silent.id, gone.id, 10**6):
        json = client.post(f"/agents/{agent_id}/phone", headers={"Accept": "application/json"})
        assert json.status_code == 404 and "暂无可显示的电话" in json.get_json()["error"]
        assert client.post(f"/agents/{agent_id}/phone").status_code == 404
    assert client.post(f"/agents/{10**20}/phone").status_code == 404
    # A building that is not the agent's: the agent's own page, with the number.
    other = BuildingFactory(status="published")
    db.session.commit()
    for value in (other.id, "abc", "99999999999999999999", "-1"):
        page = client.post(f"/agents/{agent.id}/phone", data={"building": value})
        assert page.status_code == 200 and MOBILE in page.get_data(as_text=True)
        assert "名片测试大厦" not in page.get_data(as_text=True)[:2000]
    assert reveals(tenant.id) == 0


@pytest.mark.parametrize("owner", [{"mobile": None}, {"active": False}])
def test_no_phone_button_without_a_number_to_show(client, owner):
    building = BuildingFactory(status="published", owner=AgentFactory(**owner))
    db.session.commit()
    page = client.get(f"/listings/{building.id}").get_data(as_text=True)
    assert "显示电话" not in page and "****" not in page and 'href="#inquiry"' in page
    assert "/agents/" not in card(page) or owner.get("active", True)


def test_an_admins_number_only_on_the_buildings_they_keep(client, people_admin):
    admin, building = people_admin
    url = f"/agents/{admin.id}/phone"
    for headers in ({"Accept": "application/json"}, {}):
        assert client.post(url, headers=headers).status_code == 404
    assert reveals(admin.id) == 0
    shown = client.post(url, data={"building": building.id}).get_data(as_text=True)
    assert f'href="tel:{MOBILE}"' in card(shown) and "/agents/" not in card(shown)
    assert reveals(admin.id) == 1


@pytest.fixture
def people_admin(app):
    admin = UserFactory(role="admin", name="管理员", mobile=MOBILE)
    building = BuildingFactory(owner=admin, status="published")
    db.session.commit()
    return admin, building


def test_reveals_are_rate_limited_in_chinese(database_url, agent, building):
    from app import create_app

    limited = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True}
    )
    client = limited.test_client()
    try:
        codes = [
            client.post(f"/agents/{agent.id}/phone", headers={"Accept": "application/json"})
            for _ in range(11)
        ]
    finally:
        with limited.app_context():
            db.engine.dispose()
    assert [r.status_code for r in codes[:10]] == [200] * 10
    assert codes[-1].status_code == 429
    assert "操作过于频繁" in codes[-1].get_data(as_text=True)
    assert reveals(agent.id) == 10


def test_reveal_needs_the_csrf_token(database_url, agent, building):
    from app import create_app

    guarded = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True}
    )
    client = guarded.test_client()
    try:
        page = client.get(f"/listings/{building.id}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)" form="phone-form"', page)[1]
        refused = client.post(f"/agents/{agent.id}/phone", data={"building": building.id})
        allowed = client.post(
            f"/agents/{agent.id}/phone", data={"building": building.id, "csrf_token": token}
        )
    finally:
        with guarded.app_context():
            db.engine.dispose()
    assert refused.status_code == 400
    assert allowed.status_code == 200 and MOBILE in allowed.get_data(as_text=True)
