"""Every POST form as data for the hostile tests: its URL, who posts it, valid values per field,
and what must be stored when the form is accepted."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from hypothesis import strategies as st
from sqlalchemy import select

from app.alerts.conditions import SEARCH_FIELDS
from app.extensions import db
from app.models import (
    Article,
    Building,
    Inquiry,
    Report,
    Requirement,
    RequirementAnswer,
    SavedSearch,
    Unit,
    User,
)
from app.news.services import body_from_editor
from tests.factories import PASSWORD

MOBILE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


def words(low: int, high: int):
    return st.text(min_size=low, max_size=high).filter(lambda s: len(s.strip()) >= low)


def number(low: float, high: float):
    return st.floats(low, high, allow_nan=False).map(lambda x: f"{x:.4g}")


def integer(low: int, high: int):
    return st.integers(low, high).map(str)


def _optional(value: str) -> str | None:
    return value.strip() or None


def _newest(model):
    return db.session.scalar(select(model).order_by(model.id.desc()).limit(1))


def _same_number(stored, sent: str | None) -> bool:
    if not (sent or "").strip():
        return stored is None
    return stored is not None and abs(float(stored) - float(sent)) < 1e-6 * max(1, abs(stored))


@dataclass(frozen=True)
class Form:
    url: str
    role: str
    fields: dict  # name -> strategy of valid values
    stored: Callable[[dict, dict], None]  # (sent values, world ids) -> assert what was saved


def _strip(value: str) -> str:
    return value.strip()


def _check(row, sent: dict, rules: dict) -> None:
    """Compare the sent fields only: an edit form keeps what a request leaves out."""
    for name, (attribute, expected) in rules.items():
        if name in sent:
            stored = getattr(row, attribute)
            if expected is _same_number:
                assert _same_number(stored, sent[name]), (name, stored, sent[name])
            else:
                assert stored == expected(sent[name]), (name, stored, sent[name])


def _mobile_ok(mobile: str | None) -> bool:
    return mobile is None or (mobile.isascii() and mobile.isdigit() and len(mobile) == 11)


def inquiry_stored(sent: dict, _ids: dict) -> None:
    row = _newest(Inquiry)
    rules = {"name": _strip, "mobile": _strip, "message": _strip, "preferred_time": _optional}
    _check(row, sent, {k: (k, v) for k, v in rules.items()})
    assert _mobile_ok(row.mobile)


def requirement_stored(sent: dict, _ids: dict) -> None:
    row = _newest(Requirement)
    rules = {"name": _strip, "mobile": _strip, "email": _strip, "note": _strip}
    _check(row, sent, {k: (k, v) for k, v in rules.items()})
    numbers = ("area_min", "area_max", "budget_min", "budget_max")
    _check(row, sent, {k: (k, _same_number) for k in numbers})
    assert row.budget_unit == sent.get("budget_unit", "day") and row.grade == (
        sent.get("grade") or None
    )
    assert row.anywhere and _mobile_ok(row.mobile)


def requirement_answer_stored(sent: dict, ids: dict) -> None:
    row = _newest(RequirementAnswer)
    assert row.message == sent["message"].strip()
    assert [link.unit_id for link in row.units] == [ids["unit"]]


# What a subscribed query keeps: its conditions, never page or sort (app.alerts.conditions).
SEARCH_QUERIES = {
    "": {},
    "rent_max=2": {"rent_max": 2.0},
    "area_min=100&area_max=300&page=4": {"area_min": 100.0, "area_max": 300.0},
    "q=%E5%9C%B0%E9%93%81&sort=newest": {"q": "地铁"},
    "grade=%E7%94%B2%E7%BA%A7&decoration=%E7%B2%BE%E8%A3%85": {
        "grade": "甲级",
        "decoration": "精装",
    },
}


def saved_search_stored(sent: dict, ids: dict) -> None:
    row = _newest(SavedSearch)
    assert row.name == sent["name"].strip() and row.frequency == sent.get("frequency", "daily")
    if sent.get("query", "") in SEARCH_QUERIES:
        assert row.params == SEARCH_QUERIES[sent.get("query", "")]
    else:  # a hostile query that is still a search (all listings, or unknown names ignored)
        assert set(row.params) <= set(SEARCH_FIELDS), row.params
    assert len(row.token) == 43


def saved_search_edited(sent: dict, ids: dict) -> None:
    row = db.session.get(SavedSearch, ids["search"])
    assert row.name == sent["name"].strip() and row.frequency == sent.get("frequency", "daily")


def saved_search_paused(sent: dict, ids: dict) -> None:
    assert db.session.get(SavedSearch, ids["search"]).paused == (sent["action"] == "pause")


def answer_stored(sent: dict, ids: dict) -> None:
    row = db.session.get(Inquiry, ids["inquiry"])
    assert row.answer == sent["answer"].strip() and row.answered_at is not None


def status_stored(sent: dict, ids: dict) -> None:
    assert db.session.get(Inquiry, ids["inquiry"]).status == sent["status"]


def report_stored(sent: dict, _ids: dict) -> None:
    row = _newest(Report)
    assert row.reason == sent["reason"] and row.note == sent.get("note", "").strip()


def user_stored(sent: dict, ids: dict) -> None:
    user = _newest(User) if "email" in sent else db.session.get(User, ids["profile_user"])
    if "email" in sent:
        assert user.email == sent["email"].strip().lower()
        assert user.check_password(sent["password"])
    rules = {"name": _strip, "company": _optional, "mobile": _optional}
    _check(user, sent, {k: (k, v) for k, v in rules.items()})
    assert _mobile_ok(user.mobile)


def agent_profile_stored(sent: dict, ids: dict) -> None:
    user = db.session.get(User, ids["profile_user"])
    rules = {"name": _strip, "company": _optional, "mobile": _strip, "intro": _strip}
    _check(user, sent, {k: (k, v) for k, v in rules.items()})
    assert _mobile_ok(user.mobile)


def password_stored(sent: dict, ids: dict) -> None:
    assert db.session.get(User, ids["profile_user"]).check_password(sent["password"])


BUILDING_RULES = {
    "name": ("name", _strip),
    "address": ("address", _strip),
    "description": ("description", _strip),
    "grade": ("grade", str),
    **{k: (k, _same_number) for k in ("floors", "year_built", "property_fee", "efficiency_pct")},
}


def building_stored(sent: dict, ids: dict, row: Building | None = None) -> None:
    row = row or _newest(Building)
    _check(row, sent, BUILDING_RULES)
    # The pin counts only with both coordinates; otherwise the address (or the old point) rules.
    if sent.get("pin") == "1" and sent.get("lat", "").strip() and sent.get("lon", "").strip():
        _check(row, sent, {"lat": ("lat", _same_number), "lon": ("lon", _same_number)})


def edited_building_stored(sent: dict, ids: dict) -> None:
    building_stored(sent, ids, db.session.get(Building, ids["building"]))


def unit_stored(sent: dict, ids: dict) -> None:
    row = _newest(Unit)
    assert row.building_id == ids["building"]
    assert (row.deal, row.decoration) == (sent["deal"], sent["decoration"])
    assert row.status == sent.get("status", "available")
    price = "rent_per_m2_day" if sent["deal"] == "rent" else "price_per_m2"
    rules = {k: (k, _same_number) for k in ("area_m2", "floor", price)}
    _check(row, sent, rules)


def article_stored(sent: dict, ids: dict) -> None:
    row = db.session.get(Article, ids["article"])
    assert "<script" not in row.body.lower()
    rules = {k: (k, _strip) for k in ("title", "summary", "source", "editor", "original_title")}
    rules["body"] = ("body", lambda body: body_from_editor(body.strip()))
    _check(row, sent, rules)


BUILDING_FIELDS = {
    "name": words(1, 100),
    "address": words(1, 200),
    "grade": st.sampled_from(["甲级", "乙级", "丙级"]),
    "floors": integer(1, 200),
    "year_built": integer(1950, date.today().year),
    "property_fee": number(0, 100),
    "efficiency_pct": number(1, 100),
    "description": st.text(max_size=200),
    "lat": number(28.5, 31.5),
    "lon": number(118.5, 122.5),
    "pin": st.just("1"),
}
UNIT_FIELDS = {
    "deal": st.sampled_from(["rent", "sale"]),
    "floor": integer(-5, 20),
    "area_m2": number(1, 100000),
    "rent_per_m2_day": number(0.1, 50),
    "price_per_m2": number(100, 1_000_000),
    "decoration": st.sampled_from(["毛坯", "简装", "精装", "豪装"]),
    "status": st.sampled_from(["available", "reserved"]),
    "available_from": st.dates(date(2000, 1, 1), date(2100, 1, 1)).map(str),
}
ARTICLE_FIELDS = {
    "title": words(1, 200),
    "category": st.sampled_from(["招商动态", "交通", "楼市"]),
    "source": st.text(max_size=80),
    "published_at": st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    "summary": st.text(max_size=500),
    "body": words(1, 2000),
    "editor": st.text(max_size=40),
    "original_title": st.text(max_size=300),
    "keywords": st.text(max_size=200),
    "status": st.sampled_from(["draft", "published"]),
    "save": st.just("保存"),
}
PASSWORDS = st.from_regex(r"[a-z]{6,20}[0-9]{4,10}", fullmatch=True)  # at least 10

_ADDRESSES = itertools.count(1)


def _unique_address(address: str) -> str:
    return f"n{next(_ADDRESSES)}.{address}"


FORMS = {
    "inquiry": Form(
        "/listings/{building}/inquiry",
        "anonymous",
        {
            "name": words(1, 20),
            "mobile": MOBILE,
            "message": words(1, 500),
            "preferred_time": st.text(max_size=40),
            "unit": st.just(""),  # the whole building; the world's unit id is no string
        },
        inquiry_stored,
    ),
    "inquiry_answer": Form(
        "/agent/inquiries/{inquiry}/answer", "owner", {"answer": words(1, 1000)}, answer_stored
    ),
    # A step the flow does not allow from where the inquiry is is refused (409), changing nothing.
    "inquiry_status": Form(
        "/agent/inquiries/{inquiry}/status",
        "owner",
        {"status": st.sampled_from(["new", "contacted", "viewed", "closed", "invalid"])},
        status_stored,
    ),
    "report": Form(
        "/listings/{building}/report",
        "tenant",
        {"reason": st.sampled_from(["leased", "wrong"]), "note": st.text(max_size=300)},
        report_stored,
    ),
    "register": Form(
        "/accounts/register",
        "anonymous",
        {
            # Each address new: registration answers alike for one that has an account, which
            # then stores nothing (tests/security/test_enumeration.py covers that case).
            "email": st.emails().map(_unique_address).filter(lambda e: len(e) <= 120),
            "password": PASSWORDS,
            "confirm": st.just("=password"),
            "role": st.sampled_from(["tenant", "agent"]),
            "name": words(1, 40),
            "company": st.text(max_size=80),
            "mobile": MOBILE,
        },
        user_stored,
    ),
    "login": Form(
        "/accounts/login",
        "anonymous",
        {"email": st.just("{tenant_email}"), "password": st.just(PASSWORD)},
        lambda _sent, _ids: None,
    ),
    "profile": Form(
        "/accounts/profile",
        "owner",
        {"name": words(1, 40), "company": st.text(max_size=80), "mobile": MOBILE},
        user_stored,
    ),
    # Accepted or not, the same answer and nothing stored but an email to a registered address.
    "reset_request": Form(
        "/accounts/reset",
        "anonymous",
        {"email": st.one_of(st.just("{tenant_email}"), st.emails())},
        lambda _sent, _ids: None,
    ),
    # The first accepted change makes PASSWORD wrong: later valid ones are refused (422).
    "password": Form(
        "/accounts/password",
        "owner",
        {"current": st.just(PASSWORD), "password": PASSWORDS, "confirm": st.just("=password")},
        password_stored,
    ),
    "agent_profile": Form(
        "/agent/profile",
        "owner",
        {
            "name": words(1, 20),
            "company": st.text(max_size=40),
            "mobile": MOBILE,
            "intro": st.text(max_size=500),
        },
        agent_profile_stored,
    ),
    "building": Form("/agent/buildings/new", "owner", BUILDING_FIELDS, building_stored),
    "building_edit": Form(
        "/agent/buildings/{building}/edit", "owner", BUILDING_FIELDS, edited_building_stored
    ),
    "unit": Form("/agent/buildings/{building}/units/new", "owner", UNIT_FIELDS, unit_stored),
    "article": Form("/news/{article}/edit", "editor", ARTICLE_FIELDS, article_stored),
    # 订阅此搜索 from a results page, and a saved search's own forms on /searches/ (the world's
    # is the admin's).
    "saved_search": Form(
        "/searches/new",
        "tenant",
        {
            "query": st.sampled_from(sorted(SEARCH_QUERIES)),
            "name": words(1, 40),
            "frequency": st.sampled_from(["instant", "daily", "weekly"]),
        },
        saved_search_stored,
    ),
    "saved_search_edit": Form(
        "/searches/{search}/edit",
        "admin",
        {"name": words(1, 40), "frequency": st.sampled_from(["instant", "daily", "weekly"])},
        saved_search_edited,
    ),
    "saved_search_pause": Form(
        "/searches/{search}/pause",
        "admin",
        {"action": st.sampled_from(["pause", "resume"])},
        saved_search_paused,
    ),
    # The world has no gazetteer: a requirement there names no place (the whole region).
    "requirement": Form(
        "/requirements/new",
        "anonymous",
        {
            "area_min": number(1, 500),
            "area_max": number(500, 100000),
            "budget_unit": st.sampled_from(["day", "month"]),
            "budget_min": number(0.1, 1),
            "budget_max": number(1, 100),
            "grade": st.sampled_from(["", "甲级", "乙级", "丙级"]),
            "move_in": st.just(date.today().strftime("%Y-%m")),
            "name": words(1, 20),
            "mobile": MOBILE,
            "email": st.emails().filter(lambda e: len(e) <= 120),
            "note": st.text(max_size=500),
        },
        requirement_stored,
    ),
    # The first accepted answer is the agent's one: later valid ones are refused (409).
    "requirement_answer": Form(
        "/agent/requirements/{requirement}/answer",
        "owner",
        {"units": st.just("{unit_choice}"), "message": words(1, 500)},
        requirement_answer_stored,
    ),
}
