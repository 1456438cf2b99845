"""What finds the tenant: saved searches (订阅此搜索) with what they have reported, and 求租
requirements (委托找房) with the agents' answers.

A saved search keeps its conditions twice: `params` as the tenant chose them (the /listings/
query they can reopen) and, in columns, the resolved conditions a changed unit is tested against
(app.alerts.matching). `place_key` names the most specific place the search is limited to, so a
unit finds its candidate searches by an index lookup on its building's places, not a scan.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class AlertFrequency(enum.StrEnum):
    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"


FREQUENCY_LABELS = {"instant": "即时", "daily": "每日", "weekly": "每周"}


# The index a changed unit finds its candidate searches by (app.alerts.matching): the place
# key and paused, then the equality tests (each sought as "none, or the unit's": a few ranges
# of the index per place), then every column the unit is tested on, so that entries are tested
# without reading a row (PostgreSQL: the id included for an index-only scan).
MATCH_COLUMNS = (
    "place_key", "paused", "deal", "grade", "decoration", "rent_min", "rent_max", "area_min",
    "area_max", "district_id", "town_id", "park_id", "user_id", "keyword", "lat", "lon",
    "radius_km",
)  # fmt: skip


class SavedSearch(db.Model):
    __tablename__ = "saved_search"
    __table_args__ = (Index("ix_saved_search_match", *MATCH_COLUMNS, postgresql_include=["id"]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON)  # the /listings/ query, validated
    frequency: Mapped[str] = mapped_column(String(8), default=AlertFrequency.DAILY)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    token: Mapped[str] = mapped_column(String(43), unique=True)  # feed and unsubscribe links
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    # The resolved conditions (see the module's docstring).
    place_key: Mapped[str] = mapped_column(String(16), default="")  # "", "d:3", "t:12", "p:5"
    district_id: Mapped[int | None] = mapped_column(Integer)
    town_id: Mapped[int | None] = mapped_column(Integer)
    park_id: Mapped[int | None] = mapped_column(Integer)
    deal: Mapped[str | None] = mapped_column(String(8))
    rent_min: Mapped[float | None] = mapped_column(Float)
    rent_max: Mapped[float | None] = mapped_column(Float)
    area_min: Mapped[float | None] = mapped_column(Float)
    area_max: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(8))
    decoration: Mapped[str | None] = mapped_column(String(8))
    keyword: Mapped[str | None] = mapped_column(String(50))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    radius_km: Mapped[float | None] = mapped_column(Float)

    user = relationship("User")


class HitKind(enum.StrEnum):
    NEW = "new"  # a unit newly matching: published, or changed to match
    PRICE_DROP = "drop"


class SearchHit(db.Model):
    """One thing a saved search reports, once: a unique row per search, unit, kind and price."""

    __tablename__ = "search_hit"
    __table_args__ = (
        UniqueConstraint("saved_search_id", "unit_id", "kind", "price"),
        Index("ix_search_hit_pending", "saved_search_id", "sent_at"),
        # The hits no email has reported yet, alone: the searches a digest run looks at are
        # found from these, however many hits were sent before (app.alerts.emails.due).
        Index(
            "ix_search_hit_unsent",
            "saved_search_id",
            sqlite_where=text("sent_at IS NULL"),
            postgresql_where=text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_search.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    price: Mapped[float | None] = mapped_column(Float)  # rent (or sale price) when reported
    old_price: Mapped[float | None] = mapped_column(Float)  # before a drop
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    saved_search = relationship("SavedSearch")
    unit = relationship("Unit")
    building = relationship("Building")


class RequirementStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


REQUIREMENT_DAYS = 30  # a requirement closes by itself this long after it is posted
# What a unit is tested on, besides a requirement's status and expiry (app.requirements.matching).
REQUIREMENT_TESTS = ("area_min", "area_max", "budget_unit", "budget_min", "budget_max", "grade")


class Requirement(db.Model):
    """求租: what a tenant needs, posted for agents with matching space to answer."""

    __tablename__ = "requirement"
    __table_args__ = (
        Index("ix_requirement_open", "status", "expires_at"),
        # A changed unit's lookup (app.requirements.matching) reads the requirements that name
        # no place, and those its places name, by id: both indexes hold every column the unit
        # is tested on, so that neither reads a row (docs/requirements.md).
        Index("ix_requirement_anywhere", "anywhere", "status", "expires_at", *REQUIREMENT_TESTS),
        Index("ix_requirement_match", "id", "status", "expires_at", *REQUIREMENT_TESTS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(40))
    mobile: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(120))  # where the answers are sent
    note: Mapped[str] = mapped_column(Text, default="")
    area_min: Mapped[float | None] = mapped_column(Float)
    area_max: Mapped[float | None] = mapped_column(Float)
    budget_min: Mapped[float | None] = mapped_column(Float)
    budget_max: Mapped[float | None] = mapped_column(Float)
    budget_unit: Mapped[str] = mapped_column(String(8), default="day")  # 元/㎡/天 or 元/月
    grade: Mapped[str | None] = mapped_column(String(8))
    move_in: Mapped[date | None] = mapped_column(Date)  # the first of the month
    # No place named: anywhere in the region (then it has no RequirementPlace rows).
    anywhere: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(8), default=RequirementStatus.OPEN)
    token: Mapped[str] = mapped_column(String(43), unique=True)  # the tenant's link to close it
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    places = relationship("RequirementPlace", cascade="all, delete-orphan")
    answers = relationship("RequirementAnswer", back_populates="requirement")


class RequirementPlace(db.Model):
    """A town, district or park a requirement asks for (none: anywhere in the region)."""

    __tablename__ = "requirement_place"
    __table_args__ = (
        # A place's requirements, read from the index alone.
        Index("ix_requirement_place_place", "place_id", "requirement_id"),
        Index("ix_requirement_place_park", "park_id", "requirement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("requirement.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"))
    park_id: Mapped[int | None] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"))

    place = relationship("Place")
    park = relationship("Park")


class RequirementAnswer(db.Model):
    """An agent's answer to a requirement: a message and the units they offer."""

    __tablename__ = "requirement_answer"
    __table_args__ = (UniqueConstraint("requirement_id", "agent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirement.id", ondelete="CASCADE"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    requirement = relationship("Requirement", back_populates="answers")
    agent = relationship("User")
    units = relationship("RequirementAnswerUnit", cascade="all, delete-orphan")


class RequirementAnswerUnit(db.Model):
    __tablename__ = "requirement_answer_unit"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("requirement_answer.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )

    unit = relationship("Unit")
