"""The app's routes as data: every URL a rule stands for, and every write route with its rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter

from app.accounts import tokens
from app.extensions import db
from app.models import (
    Article,
    Favorite,
    Inquiry,
    OutboundEmail,
    Report,
    Requirement,
    RequirementAnswer,
    SavedSearch,
    User,
)
from tests.agents.test_ownership import ROUTES as AGENT_ROUTES
from tests.agents.test_ownership import RULES as AGENT_RULES
from tests.factories import PASSWORD
from tests.security.conftest import ROLES

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Which id of the world each URL argument takes.
ARGUMENTS = {
    "building_id": "building",
    "unit_id": "unit",
    "photo_id": "photo",
    "inquiry_id": "inquiry",
    "report_id": "report",
    "user_id": "target",
    "agent_id": "agent",
    "article_id": "article",
    "slug": "park",
    "name": "category",
    "search_id": "search",
    "requirement_id": "requirement",
    "job_id": "import_job",
}
# Files served by path rules: one real file each.
FILES = {
    "static": {"filename": "css/app.css"},
    "assets.vendor": {"package": "leaflet", "filename": "leaflet.css"},
    "bootstrap.static": {"filename": "css/bootstrap.min.css"},
    "agent.media": {"filename": "{photo_file}"},
    # Emailed links: the target's own (a forged one is answered in tests/accounts).
    "accounts.verify_email": {"token": "{verify_token}"},
    "accounts.reset_link": {"token": "{reset_token}"},
    # A saved search's capability links: its feed and its one-click unsubscribe.
    "searches.feed": {"token": "{search_token}"},
    "searches.unsubscribe": {"token": "{search_token}"},
    "requirements.close": {"token": "{requirement_token}"},
    # A place's page takes a district's or town's slug, not a park's.
    "market.place": {"slug": "{place}"},
    "market.chart_image": {"slug": "{place}"},
    # Its rent trend as an image, ending at a month that has begun.
    "market.trend_image": {"slug": "{place}", "year": "2026", "month": "1"},
}


def text_of(response) -> str:
    """What a page says, as text; nothing for a picture (a photo, the site's icons), which
    holds no words to look for. An SVG is text."""
    mimetype = response.mimetype or ""
    if mimetype.startswith("image/") and mimetype != "image/svg+xml":
        return ""
    return response.get_data(as_text=True)


def urls_for(rule: Rule, ids: dict) -> list[str]:
    """One URL per value of an any() converter, with the world's ids for the other arguments.

    Raises LookupError for an argument it cannot fill, so a new kind of route fails loudly.
    """
    urls = [rule.rule]
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values = sorted(converter.items)
        elif name in FILES.get(rule.endpoint, {}):
            values = [FILES[rule.endpoint][name].format(**ids)]
        elif ARGUMENTS.get(name) in ids:
            values = [str(ids[ARGUMENTS[name]])]
        else:
            raise LookupError(f"cannot build {rule.rule}: no value for <{name}>")
        argument = re.compile(rf"<(?:[^<>]*:)?{name}>")
        urls = [argument.sub(value, url) for url in urls for value in values]
    return urls


def write_rules(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.methods & WRITE_METHODS]


def get_rules(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if "GET" in r.methods]


# ------------------------------------------------------------- the write routes outside /agent


def _count(model) -> Callable:
    return lambda _client: db.session.scalar(select(func.count()).select_from(model))


def _session(key: str) -> Callable:
    def read(client):
        with client.session_transaction() as session:
            return session.get(key)

    return read


def _newest_user() -> User:
    """The world's `target` (tests.security.conftest makes it last)."""
    return db.session.scalar(select(User).order_by(User.id.desc()).limit(1))


def _reset_form() -> dict:
    """A new password with a fresh reset link for the target: whoever holds the link may use it,
    signed in as anyone or not at all."""
    user = _newest_user()
    token = tokens.make(tokens.RESET, {"u": user.id, "v": user.session_version})
    return {"token": token, "password": "reset-pass-123", "confirm": "reset-pass-123"}


def _reveals(_client) -> int:
    return db.session.scalar(select(func.sum(User.phone_reveals)))


def _requirement_status(_client) -> str:
    return db.session.scalar(select(Requirement.status).order_by(Requirement.id).limit(1))


def _search(_client) -> tuple:
    row = db.session.scalar(select(SavedSearch).order_by(SavedSearch.id).limit(1))
    return (row.name, row.frequency, row.paused) if row else None


def _title(_client) -> str:
    return db.session.scalar(select(Article.title).order_by(Article.id).limit(1))


EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
MODERATORS = frozenset({"editor", "admin"})
OWNER_OR_ADMIN = frozenset({"owner", "admin"})
ARTICLE = {
    "title": "矩阵测试文章",
    "category": "招商动态",
    "source": "测试",
    "published_at": "2024-05-01T10:00",
    "summary": "导读",
    "body": "次坞镇的新园区。",
    "editor": "编辑",
    "original_title": "",
    "keywords": "次坞,园区",
    "status": "draft",
    "save": "保存",
}


@dataclass(frozen=True)
class Write:
    url: str  # a template over the world's ids
    data: Callable[[], dict]  # fresh form data (file objects are read once)
    allowed: frozenset  # the roles whose request takes effect
    effect: Callable | None = None  # what changes (read before and after); None: the rows
    # The answer to each refused role; by default "login" for anonymous and 403 for the rest.
    refusals: dict = field(default_factory=dict)

    def refusal(self, role: str):
        return self.refusals.get(role, "login" if role == "anonymous" else 403)


# Routes the ownership matrix in tests/agents does not cover.
WRITES = {
    "inquiry": Write(
        "/listings/{building}/inquiry",
        lambda: {"name": "赵先生", "mobile": "13811112222", "message": "想看房"},
        EVERYONE,
        _count(Inquiry),
    ),
    "report": Write(
        "/listings/{building}/report",
        lambda: {"reason": "leased", "note": "已租"},
        EVERYONE,
        _count(Report),
    ),
    "favorite": Write("/listings/{building}/favorite", dict, SIGNED_IN, _count(Favorite)),
    "compare": Write(
        "/listings/compare",
        lambda: {"building_id": "{building}", "action": "add"},
        EVERYONE,
        _session("compare"),
    ),
    "news_new": Write("/news/new", lambda: dict(ARTICLE), MODERATORS, _count(Article)),
    "news_edit": Write("/news/{article}/edit", lambda: dict(ARTICLE), MODERATORS, _title),
    "login": Write(
        "/accounts/login",
        lambda: {"email": "{target_email}", "password": PASSWORD},
        EVERYONE,
        _session("_user_id"),
    ),
    "register": Write(
        "/accounts/register",
        lambda: {
            "email": "new-person@example.com",
            "password": "long-pass-123",
            "confirm": "long-pass-123",
            "role": "tenant",
            "name": "新用户",
        },
        EVERYONE,
        _count(User),
    ),
    # 显示电话: anyone may see an agent's mobile, one press at a time (rate-limited, counted).
    "agent_phone": Write("/agents/{agent}/phone", dict, EVERYONE, _reveals),
    # Signing out when not signed in is harmless: back to the home page.
    "logout": Write("/accounts/logout", dict, SIGNED_IN, _session("_user_id"), {"anonymous": 302}),
    "verify_resend": Write("/accounts/verify/resend", dict, SIGNED_IN, _count(OutboundEmail)),
    # One answer for everyone; the target's address gets the link whoever asks.
    "reset_request": Write(
        "/accounts/reset", lambda: {"email": "{target_email}"}, EVERYONE, _count(OutboundEmail)
    ),
    "reset_password": Write(
        "/accounts/reset/set",
        _reset_form,
        EVERYONE,
        lambda _client: _newest_user().session_version,
    ),
    "password": Write(
        "/accounts/password",
        lambda: {"current": PASSWORD, "password": "changed-pass-9", "confirm": "changed-pass-9"},
        SIGNED_IN,
        _session("_user_id"),
    ),
    # 求租: anyone posts one; whoever holds the emailed link closes it; only an agent whose
    # unit meets it answers (to other agents it does not exist: 404; an admin sees it, with
    # no unit of theirs to offer: 422).
    "requirement_new": Write(
        "/requirements/new",
        lambda: {
            "area_min": "100",
            "area_max": "300",
            "budget_unit": "day",
            "name": "孙女士",
            "mobile": "13811113333",
            "email": "sun@test.example",
        },
        EVERYONE,
        _count(Requirement),
    ),
    "requirement_close": Write(
        "/requirements/{requirement_token}/close", dict, EVERYONE, _requirement_status
    ),
    "requirement_answer": Write(
        "/agent/requirements/{requirement}/answer",
        lambda: {"units": "{unit}", "message": "有合适的房源"},
        frozenset({"owner"}),
        _count(RequirementAnswer),
        {"other_agent": 404, "admin": 422},
    ),
    # 订阅此搜索: anyone signed in; a saved search's own routes are its owner's (the world's is
    # the admin's), and another user's is as good as missing (404).
    "search_new": Write(
        "/searches/new",
        lambda: {"query": "rent_max=2&page=3", "name": "矩阵新订阅", "frequency": "instant"},
        SIGNED_IN,
        _count(SavedSearch),
    ),
    "search_edit": Write(
        "/searches/{search}/edit",
        lambda: {"name": "改了名", "frequency": "weekly"},
        frozenset({"admin"}),
        _search,
        dict.fromkeys(SIGNED_IN - {"admin"}, 404),
    ),
    "search_pause": Write(
        "/searches/{search}/pause",
        lambda: {"action": "pause"},
        frozenset({"admin"}),
        _search,
        dict.fromkeys(SIGNED_IN - {"admin"}, 404),
    ),
    "search_delete": Write(
        "/searches/{search}/delete",
        dict,
        frozenset({"admin"}),
        _count(SavedSearch),
        dict.fromkeys(SIGNED_IN - {"admin"}, 404),
    ),
    # One-click unsubscribe (RFC 8058): the token in the address is the key, whoever posts it.
    "search_unsubscribe": Write("/searches/unsubscribe/{search_token}", dict, EVERYONE, _search),
    # The matrix in tests/agents moves a photo down; this is the other verb of the same rule.
    "photo_move_up": Write(
        "/agent/photos/{photo}/move/up", dict, OWNER_OR_ADMIN, refusals={"other_agent": 404}
    ),
}


def _agent_write(entry: tuple) -> Write:
    url, data, kind, *_prepare = entry
    answers = AGENT_RULES[kind]
    allowed = frozenset(role for role, answer in answers.items() if answer == "ok")
    return Write(url, data, allowed, refusals={r: a for r, a in answers.items() if a != "ok"})


def all_writes() -> dict[str, Write]:
    """Every write route the tests know, by name: the agents' matrix and the table above."""
    return {**{k: _agent_write(v) for k, v in AGENT_ROUTES.items()}, **WRITES}


def fill(template: str, ids: dict) -> str:
    return template.format(**ids)


def form_data(write: Write, ids: dict) -> dict:
    return {k: fill(v, ids) if isinstance(v, str) else v for k, v in write.data().items()}
