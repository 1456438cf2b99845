"""Fixtures of the security tests: one person per role, a building the owner runs, its records."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.accounts import tokens
from app.extensions import db
from app.models import Article, ImportJob, Park, Photo, SavedSearch
from app.requirements.services import RequirementInput, create_requirement
from tests.factories import (
    AgentFactory,
    BuildingFactory,
    InquiryFactory,
    ReportFactory,
    UnitFactory,
    UserFactory,
)
from tests.helpers import sign_in

ROLES = ("anonymous", "tenant", "other_agent", "owner", "editor", "admin")
# A tenant's contact details, distinctive enough to search every page for.
CONTACT_NAME = "邝秘密"
CONTACT_MOBILE = "13798765432"
TENANT_MOBILE = "13700001111"  # on the tenant's own account
REQUIREMENT_NAME = "求租人甲"  # the tenant's 求租: its name and mobile
REQUIREMENT_MOBILE = "13655554444"


@dataclass
class World:
    users: dict  # role -> User (no entry for "anonymous")
    ids: dict  # what the URL rules need: building, unit, photo, inquiry, report, target, ...

    def sign_in(self, client, role: str) -> None:
        with client.session_transaction() as session:
            session.clear()
        if role != "anonymous":
            sign_in(client, self.users[role])


def _photo(folder: str) -> Photo:
    """A photo row with its files on disk, so /media/ serves it."""
    os.makedirs(folder, exist_ok=True)
    name = f"{0xC0FFEE:032x}.jpg"
    for filename in (name, name.replace(".jpg", "_thumb.jpg")):
        Image.new("RGB", (4, 3), (1, 2, 3)).save(os.path.join(folder, filename), "JPEG")
    return Photo(filename=name, width=4, height=3, position=1)


def build_world(app) -> World:
    users = {
        "tenant": UserFactory(role="tenant"),
        "owner": AgentFactory(),
        "other_agent": AgentFactory(),
        "editor": UserFactory(role="editor"),
        "admin": UserFactory(role="admin"),
    }
    building = BuildingFactory(owner=users["owner"], status="published")
    unit = UnitFactory(building=building)
    photo = _photo(app.config["UPLOAD_FOLDER"])
    photo.building = building
    second = Photo(building=building, filename=f"{1:032x}.jpg", width=1, height=1, position=0)
    db.session.add_all([photo, second])
    inquiry = InquiryFactory(building=building, name=CONTACT_NAME, mobile=CONTACT_MOBILE)
    report = ReportFactory(building=building)
    article = db.session.scalar(select(Article).order_by(Article.id).limit(1))
    if article is None:
        article = Article(
            title="次坞镇产业园招商", category="招商动态", published_at=datetime(2024, 5, 1)
        )
        db.session.add(article)
    target = UserFactory(role="tenant")
    users["tenant"].mobile = TENANT_MOBILE
    # The tenant's 求租, region-wide, which the owner's unit meets (and nobody else's does).
    wanted = create_requirement(
        RequirementInput(
            name=REQUIREMENT_NAME, mobile=REQUIREMENT_MOBILE, email="qiuzu@test.example"
        ),
        users["tenant"].id,
    )
    import_job = ImportJob(owner=users["owner"], filename="a.csv", status="done", rows_total=1)
    db.session.add(import_job)
    db.session.flush()
    ids = {
        "building": building.id,
        "unit": unit.id,
        "photo": photo.id,
        "photo_file": photo.filename,
        "inquiry": inquiry.id,
        "report": report.id,
        "import_job": import_job.id,
        "target": target.id,
        "agent": users["owner"].id,  # whose public page and mobile /agents/ shows
        "target_email": target.email,
        "article": article.id,
        "category": article.category,
        "tenant_email": users["tenant"].email,
        # The target's emailed links, as the verification and reset emails carry them.
        "verify_token": tokens.make(tokens.VERIFY, {"u": target.id, "e": target.email}),
        "reset_token": tokens.make(tokens.RESET, {"u": target.id, "v": target.session_version}),
        "requirement": wanted.id,
        "requirement_token": wanted.token,
        "unit_choice": str(unit.id),  # the unit as a form posts it (a checkbox's value)
        "place": "shaoxing",  # the city's page (/places/<slug>): there once the gazetteer is
    }
    # The admin's own saved search (订阅此搜索): its routes are its owner's alone, and the CSRF
    # tests post every write route as the admin; its token opens the feed and unsubscribes.
    search = SavedSearch(
        user_id=users["admin"].id,
        name="矩阵订阅",
        params={},
        frequency="daily",
        paused=False,
        token=f"{0x5EA7C4:043x}",
        place_key="",
    )
    db.session.add(search)
    db.session.flush()
    ids.update(search=search.id, search_token=search.token)
    db.session.commit()
    return World(users, ids)


@pytest.fixture
def world(app) -> World:
    """People in every role and the owner's published building with its records (no demo)."""
    return build_world(app)


@pytest.fixture
def demo_world(app, demo) -> World:
    """The same, on top of the demo data (parks, articles, 48 buildings)."""
    found = build_world(app)
    found.ids["park"] = db.session.scalar(select(Park.slug).order_by(Park.id).limit(1))
    return found


def row_counts() -> dict[str, int]:
    """The number of rows of every table."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
