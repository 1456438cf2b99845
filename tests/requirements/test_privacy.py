"""A requirement's mobile on every page of the site, as every role: masked to the agent whose
unit meets it (and to admins), in full to that agent only once they have answered, and
nowhere else."""

from __future__ import annotations

from app.extensions import db
from app.requirements.services import mask_mobile
from tests.security.conftest import REQUIREMENT_MOBILE, ROLES, build_world
from tests.security.routes import get_rules, text_of, urls_for


def _where(app, client, world, detail: str) -> dict[str, set[str]]:
    """role -> the URLs whose page holds `detail`."""
    found: dict[str, set[str]] = {role: set() for role in ROLES}
    urls = [url for rule in get_rules(app) for url in urls_for(rule, world.ids)]
    for role in ROLES:
        world.sign_in(client, role)
        for url in urls:
            response = client.get(url)
            if detail in text_of(response):
                found[role].add(url)
            response.close()
    return found


def test_the_mobile_reaches_only_the_matching_agent_masked_until_they_answer(app, client):
    world = build_world(app)
    world.ids["park"] = "no-such-park"  # the world has no gazetteer: that page is a 404
    masked = mask_mobile(REQUIREMENT_MOBILE)
    detail = f"/agent/requirements/{world.ids['requirement']}"
    full = _where(app, client, world, REQUIREMENT_MOBILE)
    assert all(not urls for urls in full.values()), full
    shown = _where(app, client, world, masked)
    assert shown["owner"] == {"/agent/requirements", detail}
    assert shown["admin"] == {detail}
    assert not any(shown[role] for role in ("anonymous", "tenant", "other_agent", "editor"))

    world.sign_in(client, "owner")
    answer = {"units": [str(world.ids["unit"])], "message": "有合适的房源"}
    assert client.post(f"{detail}/answer", data=answer).status_code == 302
    db.session.expire_all()
    full = _where(app, client, world, REQUIREMENT_MOBILE)
    assert full["owner"] == {"/agent/requirements", detail}
    assert not any(full[role] for role in ROLES if role != "owner"), full
