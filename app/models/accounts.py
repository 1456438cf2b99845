"""People and what they leave behind: users, inquiries, favourites and reports."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.base import utcnow


class Role(enum.StrEnum):
    TENANT = "tenant"
    AGENT = "agent"
    EDITOR = "editor"
    ADMIN = "admin"


ROLE_LABELS = {"tenant": "租户", "agent": "经纪人", "editor": "编辑", "admin": "管理员"}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(12), default=Role.TENANT)
    company: Mapped[str | None] = mapped_column(String(80))
    mobile: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the owner of the address followed the verification link sent at registration.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Raised by logout everywhere, a password change or reset: sessions and remember cookies
    # made under an older version stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # An agent's public profile (/agents/<id>): a short introduction, a photo, where they work.
    intro: Mapped[str] = mapped_column(Text, default="", server_default="")
    photo: Mapped[str | None] = mapped_column(String(80))
    # How often tenants pressed 显示电话 on the agent's buildings.
    phone_reveals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    buildings = relationship("Building", back_populates="owner")
    service_towns = relationship("Place", secondary="agent_town", order_by="Place.name")

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        method = current_app.config["LOGIN_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AgentTown(db.Model):
    """A town (or district) an agent serves, shown on their profile."""

    __tablename__ = "agent_town"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    place_id: Mapped[int] = mapped_column(
        ForeignKey("place.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class InquiryStatus(enum.StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    VIEWED = "viewed"
    CLOSED = "closed"  # a deal was made
    INVALID = "invalid"


INQUIRY_STATUS_LABELS = {
    "new": "新留言",
    "contacted": "已联系",
    "viewed": "已带看",
    "closed": "已成交",
    "invalid": "无效",
}


class Inquiry(db.Model):
    """A tenant's message (留言) or viewing request (预约看房) to a building's agent."""

    __tablename__ = "inquiry"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(40))
    mobile: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    preferred_time: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default=InquiryStatus.NEW)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    answer: Mapped[str | None] = mapped_column(Text)  # the agent's reply, sent to the tenant

    building = relationship("Building")
    unit = relationship("Unit")


class Favorite(db.Model):
    __tablename__ = "favorite"
    __table_args__ = (UniqueConstraint("user_id", "building_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    building = relationship("Building")


class Report(db.Model):
    """A tenant's report that a listing is stale (已租出) or wrong (信息有误)."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    building = relationship("Building")


class OutboundEmail(db.Model):
    """An email the app sends: written before any job runs, so a send is retried from here and a
    key sends one email once however often its job runs."""

    __tablename__ = "outbound_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # what it is about, e.g. inquiry:12
    to: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))  # the template
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict | None] = mapped_column(JSON)  # e.g. List-Unsubscribe
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
