"""The market's memory: every change of a unit's rent, price or status, as it happened."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, Index, Integer, String
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


ALL_GRADES = ""  # the grade of a rollup row over every grade


class MarketBin(db.Model):
    """A histogram bucket of a place's market now: how many units (and how much area) of one
    value. Measures: "rent" (an available rental unit's asking rent, key in fen), "sale" (an
    available unit's price, key in 元), "dom" (a unit let or sold within the window, key its
    days on the market). Quartiles are read from these, never from the units."""

    __tablename__ = "market_bin"

    place_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grade: Mapped[str] = mapped_column(String(8), primary_key=True)
    measure: Mapped[str] = mapped_column(String(4), primary_key=True)
    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    units: Mapped[int] = mapped_column(Integer)
    area: Mapped[float] = mapped_column(Float)


class MarketFigures(db.Model):
    """A place's figures now (app.market.figures.Figures), one row per place and grade."""

    __tablename__ = "market_figures"

    place_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grade: Mapped[str] = mapped_column(String(8), primary_key=True)
    rental_units: Mapped[int] = mapped_column(Integer)
    rental_area: Mapped[float] = mapped_column(Float)
    rent_p25: Mapped[float | None] = mapped_column(Float)
    rent_median: Mapped[float | None] = mapped_column(Float)
    rent_p75: Mapped[float | None] = mapped_column(Float)
    sale_units: Mapped[int] = mapped_column(Integer)
    sale_median: Mapped[float | None] = mapped_column(Float)
    new_30d: Mapped[int] = mapped_column(Integer)
    let_30d: Mapped[int] = mapped_column(Integer)
    days_on_market: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MarketMonth(db.Model):
    """A closed month of a place's trend: the median asking rent at the month's end."""

    __tablename__ = "market_month"

    place_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grade: Mapped[str] = mapped_column(String(8), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    rent_median: Mapped[float | None] = mapped_column(Float)
    rental_units: Mapped[int] = mapped_column(Integer)
