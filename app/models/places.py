"""The gazetteer: places with names, aliases and WGS-84 points, and the parks on them."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class PlaceKind(enum.StrEnum):
    CITY = "city"
    DISTRICT = "district"  # district or county-level city
    TOWN = "town"  # town (镇) or sub-district (街道)
    PARK = "park"
    LANDMARK = "landmark"
    STATION = "station"


KIND_LABELS = {
    PlaceKind.CITY: "城市",
    PlaceKind.DISTRICT: "区县",
    PlaceKind.TOWN: "镇街",
    PlaceKind.PARK: "园区",
    PlaceKind.LANDMARK: "地标",
    PlaceKind.STATION: "车站",
}


class Place(db.Model):
    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    # "sourced" (a published point) or "approximate" (placed by us from known facts).
    precision: Mapped[str] = mapped_column(String(16), default="approximate")
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # GeoJSON (Multi)Polygon
    # The national statistics division code (统计用区划代码, 12 digits) of a district or town.
    code: Mapped[str | None] = mapped_column(String(12), index=True)
    # False for the neighbouring units of 杭州, 金华 and 宁波: known, but not the region we serve.
    in_region: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    parent: Mapped[Place | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Place]] = relationship(back_populates="parent")
    park: Mapped[Park | None] = relationship(back_populates="place", uselist=False)

    @property
    def names(self) -> list[str]:
        return [self.name, *(self.aliases or [])]

    @property
    def park_slug(self) -> str | None:
        """The address of the park page, when this place is a park."""
        return self.park.slug if self.park else None

    def ancestor(self, kind: str) -> Place | None:
        """Return this place or the nearest ancestor of the given kind."""
        place: Place | None = self
        while place is not None and place.kind != kind:
            place = place.parent
        return place

    def __repr__(self) -> str:
        return f"<Place {self.name} ({self.kind})>"


class Park(db.Model):
    """An industrial park, development zone, 特色小镇 or off-site incubator."""

    __tablename__ = "park"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # 产业园 / 开发区 / 特色小镇 / 离岛园区 / 孵化器
    description: Mapped[str] = mapped_column(Text, default="")
    industries: Mapped[str] = mapped_column(String(200), default="")
    operator: Mapped[str] = mapped_column(String(120), default="")
    # Buildings within this distance of the park's centre belong to it, when its record sets one;
    # a park without a boundary or a radius claims no building by distance.
    radius_km: Mapped[float | None] = mapped_column(Float)

    place: Mapped[Place] = relationship(back_populates="park")

    @property
    def name(self) -> str:
        return self.place.name

    def __repr__(self) -> str:
        return f"<Park {self.place.name if self.place else self.slug}>"
