"""A tenant's contact details reach only the building's agent (and admins), on no other page."""

from __future__ import annotations

import re

from tests.security.conftest import CONTACT_MOBILE, CONTACT_NAME, ROLES, TENANT_MOBILE
from tests.security.routes import get_rules, text_of, urls_for

SEARCHES = ["/api/listings?q=测试", "/listings/?q=测试", "/agent/inquiries?status=new"]


def _pages(app, client, world, role):
    """Every page the role can open, as text (answers other than 200 included)."""
    world.sign_in(client, role)
    urls = [url for rule in get_rules(app) for url in urls_for(rule, world.ids)] + SEARCHES
    for url in urls:
        response = client.get(url)
        text = text_of(response)
        response.close()
        yield url, text


def test_contact_details_reach_only_who_may_see_them(app, client, demo_world):
    where = {role: {} for role in ROLES}  # role -> {detail: {urls}}
    for role in ROLES:
        for url, text in _pages(app, client, demo_world, role):
            for detail in (CONTACT_NAME, CONTACT_MOBILE, TENANT_MOBILE):
                if detail in text:
                    where[role].setdefault(detail, set()).add(url)
    # An inquiry's name and mobile: the building's agent (admins may see them too).
    for role in ("anonymous", "tenant", "other_agent", "editor"):
        assert CONTACT_NAME not in where[role] and CONTACT_MOBILE not in where[role], role
    assert {"/agent/", "/agent/inquiries"} <= where["owner"][CONTACT_MOBILE]
    assert where["owner"][CONTACT_NAME] == where["owner"][CONTACT_MOBILE]
    # A tenant's own mobile: the tenant's profile and the admins' user list.
    for role in ("anonymous", "other_agent", "owner", "editor"):
        assert TENANT_MOBILE not in where[role], (role, where[role])
    # ...and, filled in for them, their own 求租 form and the inquiry form of a building page
    # (their page alone).
    own = where["tenant"][TENANT_MOBILE]
    assert {"/accounts/profile", "/requirements/new"} <= own
    others = own - {"/accounts/profile", "/requirements/new"}
    assert all(re.fullmatch(r"/listings/\d+", url) for url in others), own
    assert where["admin"][TENANT_MOBILE] <= {"/admin/users", "/agent/", "/agent/inquiries"}
