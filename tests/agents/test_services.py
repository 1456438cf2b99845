"""The services on their own, without a client: freshness, counts, rules for accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.accounts import services as accounts
from app.agent import services
from app.extensions import db
from tests.factories import (
    AgentFactory,
    BuildingFactory,
    InquiryFactory,
    ReportFactory,
    UnitFactory,
    UserFactory,
)

NOW = datetime(2026, 11, 1, 12, 0)


@pytest.mark.parametrize(
    ("age", "state"),
    [
        (timedelta(0), "fresh"),
        (timedelta(days=30), "fresh"),
        (timedelta(days=30, seconds=1), "stale"),
        (timedelta(days=90), "stale"),
        (timedelta(days=90, seconds=1), "expired"),
        (timedelta(days=400), "expired"),
    ],
)
def test_freshness_moves_with_the_clock(app, age, state):
    unit = UnitFactory.build(confirmed_at=NOW - age)
    assert services.freshness(unit, NOW) == state


def test_confirming_makes_a_unit_fresh_again(app):
    unit = UnitFactory(confirmed_at=NOW - timedelta(days=100))
    assert services.freshness(unit, NOW) == "expired"
    services.confirm_unit(unit, NOW)
    assert services.freshness(unit, NOW) == "fresh"
    assert services.freshness(unit, NOW + timedelta(days=31)) == "stale"
    assert services.freshness(unit, NOW + timedelta(days=91)) == "expired"


def test_counts_cover_only_the_agents_own_buildings(app):
    agent, other = AgentFactory(), AgentFactory()
    mine = BuildingFactory(owner=agent, view_count=12, status="published")
    BuildingFactory(owner=agent, view_count=3)
    theirs = BuildingFactory(owner=other, view_count=100)
    UnitFactory(building=mine, confirmed_at=NOW - timedelta(days=40))
    UnitFactory(building=mine, confirmed_at=NOW)
    InquiryFactory(building=mine)
    InquiryFactory(building=mine, status="contacted")
    InquiryFactory(building=theirs)
    ReportFactory(building=mine)
    ReportFactory(building=mine, resolved=True)
    db.session.flush()
    counts = services.counts(agent, NOW)
    assert counts == services.Counts(
        buildings=2,
        published=1,
        units=2,
        views=15,
        inquiries=2,
        inquiries_new=1,
        reports_open=1,
        stale_units=1,
    )
    assert services.counts(AgentFactory(), NOW).buildings == 0


def test_inquiries_and_reports(app):
    agent = AgentFactory()
    mine = BuildingFactory(owner=agent)
    inquiry = InquiryFactory(building=mine)
    InquiryFactory()
    report = ReportFactory(building=mine)
    ReportFactory()
    db.session.flush()
    assert services.inquiries_for(agent) == [inquiry]
    assert services.answer_inquiry(inquiry, "您好，周六可以看房。", "http://x/", NOW) is False
    assert (inquiry.status, inquiry.answer, inquiry.answered_at) == (
        "contacted",
        "您好，周六可以看房。",
        NOW,
    )
    assert services.inquiries_for(agent, "new") == []
    assert services.reports_for(agent) == [report]
    assert len(services.reports_for(None)) == 2
    services.resolve_report(report, NOW)
    assert report.resolved and report.resolved_at == NOW
    assert services.reports_for(agent, resolved=False) == []


def test_who_may_manage_a_building(app):
    owner, other = AgentFactory(), AgentFactory()
    building = BuildingFactory(owner=owner)
    admin, editor = UserFactory(role="admin"), UserFactory(role="editor")
    db.session.flush()
    assert services.building_for(owner, building.id) is building
    assert services.building_for(admin, building.id) is building
    assert services.building_for(other, building.id) is None
    assert services.building_for(editor, building.id) is None
    # An owner who became a tenant no longer manages their old buildings.
    owner.role = "tenant"
    assert services.building_for(owner, building.id) is None


def test_moderation_and_publishing_rules(app):
    agent = AgentFactory()
    building = BuildingFactory(owner=agent, featured=True)
    services.moderate(building, "hide")
    assert (building.status, building.featured) == ("hidden", False)
    with pytest.raises(services.AgentError):
        services.publish(agent, building)
    services.publish(UserFactory(role="admin"), building)
    assert building.status == "published"
    services.moderate(building, "feature")
    assert building.featured
    with pytest.raises(services.AgentError):
        services.moderate(building, "explode")


def test_unit_status_must_fit_the_deal(app):
    unit = UnitFactory(deal="sale", rent_per_m2_day=None, price_per_m2=9000)
    services.set_unit_status(unit, "sold", NOW)
    assert unit.status == "sold" and unit.confirmed_at == NOW
    with pytest.raises(services.AgentError):
        services.set_unit_status(unit, "leased")


def test_password_rules_and_safe_next(app):
    assert accounts.password_problem("tiled9roof4") is None
    assert "10" in accounts.password_problem("ab1")
    assert "10" in accounts.password_problem("abcdefgh1")  # nine characters
    # Long enough, letters and digits, and among the most common passwords all the same.
    for common in ("password123", "qwerty123456", "woaini1314", "aaaaaaaaa1"):
        assert "太常见" in accounts.password_problem(common), common
    assert "字母和数字" in accounts.password_problem("abcdefghij")
    assert accounts.safe_next("/agent/?a=1") == "/agent/?a=1"
    for bad in (None, "", "http://x.y/", "//x.y", "/\\x.y", "x", "/a\nb", "/\\/x"):
        assert accounts.safe_next(bad) is None


def test_register_and_authenticate(app):
    links = {
        "verify_link": lambda token: f"http://x/accounts/verify/{token}",
        "sign_in_link": "http://x/accounts/login",
        "reset_link": "http://x/accounts/reset",
    }
    user = accounts.register(" Me@Example.com ", "tiled9roof4", " 我 ", role="agent", **links)
    assert user.email == "me@example.com" and user.name == "我"
    assert accounts.register("me@example.com", "tiled9roof4", "又是我", **links) is None
    with pytest.raises(accounts.AccountError):
        accounts.register("x@example.com", "tiled9roof4", "x", role="admin", **links)
    with pytest.raises(accounts.AccountError):
        accounts.register("x@example.com", "short", "x", **links)
    assert accounts.authenticate("ME@example.com", "tiled9roof4") is user
    assert accounts.authenticate("me@example.com", "wrong-1234") is None
    assert accounts.authenticate("none@example.com", "tiled9roof4") is None
    user.active = False
    assert accounts.authenticate("me@example.com", "tiled9roof4") is None


def test_admins_manage_users_but_not_lock_themselves_out(app):
    admin, user = UserFactory(role="admin"), UserFactory()
    accounts.change_role(admin, user, "editor")
    assert user.role == "editor"
    with pytest.raises(accounts.AccountError):
        accounts.change_role(admin, user, "root")
    with pytest.raises(accounts.AccountError):
        accounts.change_role(admin, admin, "tenant")
    with pytest.raises(accounts.AccountError):
        accounts.set_active(admin, admin, False)
    accounts.set_active(admin, user, False)
    assert not user.active
