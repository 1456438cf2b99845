"""Who may change what: every write route against anonymous, tenant, other agent, owner, editor
and admin. Refused requests change nothing."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from app.extensions import db
from app.models import Building, Photo, User
from tests.factories import InquiryFactory, ReportFactory, UnitFactory, UserFactory
from tests.helpers import sign_in

ROLES = ("anonymous", "tenant", "other_agent", "owner", "editor", "admin")
OK = "ok"
# Expected answer by kind of route, per role.
RULES = {
    # Routes on one building (or its units, photos, inquiries, reports).
    "owned": {
        "anonymous": "login",
        "tenant": 403,
        "other_agent": 404,
        "owner": OK,
        "editor": 403,
        "admin": OK,
    },
    # Routes that create something new of the agent's own.
    "agent": {
        "anonymous": "login",
        "tenant": 403,
        "other_agent": OK,
        "owner": OK,
        "editor": 403,
        "admin": OK,
    },
    "moderation": {
        "anonymous": "login",
        "tenant": 403,
        "other_agent": 403,
        "owner": 403,
        "editor": OK,
        "admin": OK,
    },
    "users": {
        "anonymous": "login",
        "tenant": 403,
        "other_agent": 403,
        "owner": 403,
        "editor": 403,
        "admin": OK,
    },
    "signed_in": {
        "anonymous": "login",
        "tenant": OK,
        "other_agent": OK,
        "owner": OK,
        "editor": OK,
        "admin": OK,
    },
}


def _png() -> tuple[BytesIO, str]:
    out = BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    out.seek(0)
    return out, "p.png"


BUILDING = {
    "name": "改过的名字",
    "address": "诸暨市次坞镇次坞大道 1 号",
    "grade": "甲级",
    "floors": "20",
    "year_built": "2015",
    "property_fee": "5",
    "efficiency_pct": "75",
    "description": "",
    "lat": "29.95",
    "lon": "120.12",
    "pin": "1",
}
UNIT = {
    "deal": "rent",
    "floor": "3",
    "area_m2": "99",
    "rent_per_m2_day": "2",
    "decoration": "简装",
    "status": "available",
}
CSV = (
    "building_name,address,grade,lat,lon,deal,area_m2,rent_per_m2_day,decoration\n"
    "矩阵楼,诸暨市次坞镇 2 号,乙级,29.95,120.12,rent,50,1,毛坯\n"
)


def _set(model, key: str, **values):
    """A preparation step: give one object of the world the state the route changes."""

    def prepare(world: dict) -> None:
        obj = db.session.get(model, world[key])
        for name, value in values.items():
            setattr(obj, name, value)

    return prepare


# name: (url template, form data (a callable for fresh file objects), kind[, preparation])
ROUTES = {
    "building_new": ("/agent/buildings/new", lambda: BUILDING, "agent"),
    "import": ("/agent/import", lambda: {"file": (BytesIO(CSV.encode()), "a.csv")}, "agent"),
    "building_edit": ("/agent/buildings/{building}/edit", lambda: BUILDING, "owned"),
    "building_publish": ("/agent/buildings/{building}/publish", dict, "owned"),
    "building_withdraw": (
        "/agent/buildings/{building}/withdraw",
        dict,
        "owned",
        _set(Building, "building", status="published"),
    ),
    "unit_new": ("/agent/buildings/{building}/units/new", lambda: UNIT, "owned"),
    "unit_edit": ("/agent/units/{unit}/edit", lambda: UNIT, "owned"),
    "unit_status": ("/agent/units/{unit}/status", lambda: {"status": "reserved"}, "owned"),
    "unit_confirm": ("/agent/units/{unit}/confirm", dict, "owned"),
    "unit_delete": ("/agent/units/{unit}/delete", dict, "owned"),
    "photo_upload": ("/agent/buildings/{building}/photos", lambda: {"photo": _png()}, "owned"),
    "photo_move": ("/agent/photos/{photo}/move/down", dict, "owned"),
    "photo_delete": ("/agent/photos/{photo}/delete", dict, "owned"),
    "inquiry_answer": ("/agent/inquiries/{inquiry}/answer", lambda: {"answer": "您好"}, "owned"),
    "inquiry_status": (
        "/agent/inquiries/{inquiry}/status",
        lambda: {"status": "contacted"},
        "owned",
    ),
    "report_resolve": ("/agent/reports/{report}/resolve", dict, "owned"),
    "admin_publish": ("/admin/buildings/{building}/publish", dict, "moderation"),
    "admin_hide": ("/admin/buildings/{building}/hide", dict, "moderation"),
    "admin_feature": ("/admin/buildings/{building}/feature", dict, "moderation"),
    "admin_unfeature": (
        "/admin/buildings/{building}/unfeature",
        dict,
        "moderation",
        _set(Building, "building", featured=True),
    ),
    "admin_report_resolve": ("/admin/reports/{report}/resolve", dict, "moderation"),
    "admin_user_role": ("/admin/users/{target}/role", lambda: {"role": "agent"}, "users"),
    "admin_user_deactivate": ("/admin/users/{target}/deactivate", dict, "users"),
    "admin_user_activate": (
        "/admin/users/{target}/activate",
        dict,
        "users",
        _set(User, "target", active=False),
    ),
    "admin_user_signout": ("/admin/users/{target}/signout", dict, "users"),
    "agent_profile": (
        "/agent/profile",
        lambda: {"name": "王经理", "company": "诸暨置业", "mobile": "13812345678", "intro": ""},
        "agent",
    ),
    "profile": (
        "/accounts/profile",
        lambda: {"name": "新名字", "company": "", "mobile": "13700000000"},
        "signed_in",
    ),
}


@pytest.fixture
def world(people, building):
    """The owner's building with a unit, two photos, an inquiry and a report; a target user."""
    unit = UnitFactory(building=building)
    photos = [
        Photo(building=building, filename=f"{i:032x}.jpg", width=1, height=1, position=i)
        for i in range(2)
    ]
    db.session.add_all(photos)
    db.session.flush()
    ids = {
        "building": building.id,
        "unit": unit.id,
        "photo": photos[0].id,
        "inquiry": InquiryFactory(building=building).id,
        "report": ReportFactory(building=building).id,
        "target": UserFactory(role="tenant").id,
    }
    db.session.commit()
    return ids


def snapshot() -> str:
    """Everything the routes could change, as one comparable text."""
    rows = []
    for table in db.metadata.sorted_tables:
        if table.name in ("place", "park", "article", "article_place"):
            continue
        query = table.select().order_by(*table.primary_key.columns)
        rows.append((table.name, [tuple(r) for r in db.session.execute(query)]))
    return repr(rows)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_write_route_access(client, people, world, route, role):
    url, data, kind, *prepare = ROUTES[route]
    expected = RULES[kind][role]
    for step in prepare:
        step(world)
    db.session.commit()
    if role != "anonymous":
        sign_in(client, people[role])
    before = snapshot()
    response = client.post(url.format(**world), data=data(), content_type="multipart/form-data")
    db.session.expire_all()
    if expected == OK:
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:2000]
        assert "/accounts/login" not in response.headers.get("Location", "")
        assert snapshot() != before  # it did something
    else:
        if expected == "login":
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/accounts/login")
        else:
            assert response.status_code == expected
        assert snapshot() == before  # and nothing else happened


def test_every_write_route_is_in_the_matrix(app):
    """A new POST route in these areas must join the matrix above."""
    adapter = app.url_map.bind("localhost")
    ids = dict.fromkeys(("building", "unit", "photo", "inquiry", "report", "target"), 1)
    tested = {adapter.match(r[0].format(**ids), method="POST")[0] for r in ROUTES.values()}
    tested |= {"admin.moderate", "agent.photo_move", "admin.user_active"}  # one verb each above
    for rule in app.url_map.iter_rules():
        # /agents/ is the public agents' pages (tests/security/routes.py has their writes).
        if "POST" in rule.methods and rule.rule.startswith(("/agent/", "/admin", "/accounts")):
            assert rule.endpoint in tested | {
                "accounts.login",
                "accounts.register",
                "accounts.logout",
                # Emailed links and passwords: in tests/security/routes.py too.
                "accounts.resend_verification",
                "accounts.reset_request",
                "accounts.reset_password",
                "accounts.change_password",
                # An agent's answer to a 求租: in tests/security/routes.py, with the requirement.
                "requirements.agent_answer",
            }, rule.rule


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("tenant", 403),
        ("editor", 403),
        ("other_agent", 404),
        ("owner", 200),
        ("admin", 200),
    ],
)
def test_agent_pages_follow_the_same_rules(client, people, world, role, expected):
    if role != "anonymous":
        sign_in(client, people[role])
    for url in (
        "/agent/buildings/{building}",
        "/agent/buildings/{building}/edit",
        "/agent/units/{unit}/edit",
        "/agent/buildings/{building}/units/new",
    ):
        assert client.get(url.format(**world)).status_code == expected, url
    dashboard = client.get("/agent/").status_code
    assert dashboard == {"other_agent": 200, "owner": 200}.get(role, expected)


def test_other_agents_do_not_see_the_owners_inquiries_or_reports(client, people, world):
    sign_in(client, people["other_agent"])
    assert "李先生" not in client.get("/agent/inquiries").get_data(as_text=True)
    assert "电话说已经租掉了" not in client.get("/agent/reports").get_data(as_text=True)
    sign_in(client, people["owner"])
    assert "李先生" in client.get("/agent/inquiries").get_data(as_text=True)
    assert "电话说已经租掉了" in client.get("/agent/reports").get_data(as_text=True)


def test_agent_writes_need_the_csrf_token(app, client, people, world):
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in(client, people["owner"])
    before = snapshot()
    for url in (
        "/agent/units/{unit}/confirm",
        "/agent/buildings/{building}/publish",
        "/admin/buildings/{building}/hide",
        "/agent/buildings/new",
    ):
        response = client.post(url.format(**world), data=BUILDING)
        assert response.status_code == 400, url
        assert "安全令牌" in response.get_data(as_text=True)
    assert snapshot() == before
    page = client.get("/agent/buildings/{building}".format(**world)).get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 5  # every button form carries one
