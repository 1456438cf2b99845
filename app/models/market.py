"""The market's memory: every change of a unit's rent, price or status, as it happened."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class UnitEventKind(enum.StrEnum):
    LISTED = "listed"  # on the market: created available, back to available, building published
    RENT = "rent"  # asking rent changed while on the market
    PRICE = "price"  # sale price changed while on the market
    RESERVED = "reserved"
    LEASED = "leased"  # 已租出
    SOLD = "sold"
    WITHDRAWN = "withdrawn"  # off the market: deleted, or its building hidden or unpublished


EVENT_KIND_LABELS = {
    "listed": "上架",
    "rent": "调租",
    "price": "调价",
    "reserved": "已预订",
    "leased": "已租出",
    "sold": "已售出",
    "withdrawn": "下架",
}


class UnitEvent(db.Model):
    """One change of a unit, with the unit's market state after it.

    No foreign keys: a unit's or building's history outlives it (a withdrawn unit still counts
    in the months it was on the market). `status` is the unit's status after the change, or
    "withdrawn" when the unit left the market without being let or sold.
    """

    __tablename__ = "unit_event"
    __table_args__ = (
        Index("ix_unit_event_unit", "unit_id", "at"),
        Index("ix_unit_event_building", "building_id", "at"),
        Index("ix_unit_event_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer)
    building_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    deal: Mapped[str] = mapped_column(String(8))
    area_m2: Mapped[float] = mapped_column(Float)
    rent_per_m2_day: Mapped[float | None] = mapped_column(Float)
    price_per_m2: Mapped[float | None] = mapped_column(Float)

    def __repr__(self) -> str:
        return f"<UnitEvent {self.unit_id} {self.kind} {self.at:%Y-%m-%d}>"
