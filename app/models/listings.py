"""Buildings (楼盘), the units (房源) for lease or sale inside them, and their photos."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps, utcnow


class BuildingStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    HIDDEN = "hidden"


class UnitStatus(enum.StrEnum):
    AVAILABLE = "available"
    RESERVED = "reserved"
    LEASED = "leased"
    SOLD = "sold"


GRADES = ("甲级", "乙级", "丙级")
DECORATIONS = ("毛坯", "简装", "精装", "豪装")
DEALS = {"rent": "出租", "sale": "出售"}
BUILDING_STATUS_LABELS = {"draft": "草稿", "published": "已发布", "hidden": "已隐藏"}
UNIT_STATUS_LABELS = {
    "available": "可租售",
    "reserved": "已预订",
    "leased": "已租出",
    "sold": "已售出",
}


# What a search tests of a building besides its place, in the place indexes' order.
FACET_COLUMNS = ("status", "grade", "rent_high", "rent_low", "unit_kinds")
# ... and what a search reads of the buildings that pass: the place indexes include them on
# PostgreSQL (an index-only scan). SQLite's index rows hold the id already, and these columns in
# its place indexes make its keyword and deep-page walks slower (measured for migration 0012),
# so they stay out there. The region's index has them as columns on both.
RANK_COLUMNS = ("featured", "units_confirmed_at")
FACET_INCLUDE = {"postgresql_include": ["id", *RANK_COLUMNS]}
# What the ranking walk of a district or town search (app.listings.search) writes its place test
# as on SQLite: an expression no other index serves, so that only the walk reads the place's
# ranking index (`place_rank_index`), and a scan for the first matches keeps to the place's facets.
PLACE_RANK_OFFSET = literal_column("0")
RANKED_PLACES = ("district", "town")
PLACE_RANK_INDEXES = tuple(f"ix_building_{place}_rank" for place in RANKED_PLACES)


def place_rank_index(place: str) -> Index:
    """SQLite's index of a place's buildings by status, each status's in ranking order, on the
    expression `<place>_id + 0`: a deep page of a small district reads that place's own entries
    instead of walking the whole region's ranking to find them (figures in docs/search.md).
    PostgreSQL picks its plans by statistics and finds such a page in its place index
    (migration 0014). SQLite cannot reflect an index on an expression, so a migration that
    rebuilds the building table in batch mode must make these again."""
    return Index(
        f"ix_building_{place}_rank",
        literal_column(f"{place}_id") + PLACE_RANK_OFFSET,
        "status",
        *RANK_COLUMNS,
    ).ddl_if(dialect="sqlite")


# What the search tests of a building's units, in its index after the building.
UNIT_PROBE_COLUMNS = ("status", "deal", "rent_per_m2_day", "confirmed_at", "area_m2", "decoration")


class Building(Timestamps, db.Model):
    __tablename__ = "building"
    __table_args__ = (
        Index("ix_building_status_featured", "status", "featured"),
        Index("ix_building_lat_lon", "lat", "lon"),
        Index("ix_building_status_rank", "status", "featured", "units_confirmed_at"),
        # A district's or town's buildings tested on their own columns without reading their
        # rows (app.listings.search): 诸暨市 holds 40% of the benchmark's market.
        Index("ix_building_district_facets", "district_id", *FACET_COLUMNS, **FACET_INCLUDE),
        Index("ix_building_town_facets", "town_id", *FACET_COLUMNS, **FACET_INCLUDE),
        # ... and the whole region's, for a search that names no place, with the ranking so
        # that its scan reads no row on SQLite either (migration 0013).
        Index("ix_building_facets", *FACET_COLUMNS, *RANK_COLUMNS, postgresql_include=["id"]),
        *(place_rank_index(place) for place in RANKED_PLACES),
        CheckConstraint(
            "efficiency_pct IS NULL OR (efficiency_pct > 0 AND efficiency_pct <= 100)",
            name="efficiency_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # Where the point came from ("pin", "gazetteer", "nominatim", "baidu", "demo") and how
    # precise it is ("address", "street", "park", "town", "district", "city").
    point_source: Mapped[str] = mapped_column(String(20), default="gazetteer")
    point_precision: Mapped[str] = mapped_column(String(20), default="town")
    town_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))  # ix_building_town_facets
    district_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))  # and district
    park_id: Mapped[int | None] = mapped_column(ForeignKey("park.id"), index=True)
    # Set when the agent chose the town or the park: placing the point again keeps the choice.
    town_fixed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    park_fixed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    grade: Mapped[str | None] = mapped_column(String(8), index=True)
    floors: Mapped[int | None] = mapped_column(Integer)
    year_built: Mapped[int | None] = mapped_column(Integer)
    property_fee: Mapped[float | None] = mapped_column(Float)  # 物业费, 元/㎡/月
    efficiency_pct: Mapped[float | None] = mapped_column(Float)  # 得房率, %
    description: Mapped[str] = mapped_column(Text, default="")
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default=BuildingStatus.DRAFT, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    # When an agent last confirmed any available unit: the default ranking key (fresh listings
    # first). Kept current by app.listings.fulltext with the search index.
    units_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What its available units offer: the range of their rents (None: none has a rent) and a
    # bit per kind of unit among them (app.listings.facets). Unit filters test these first.
    rent_low: Mapped[float | None] = mapped_column(Float)
    rent_high: Mapped[float | None] = mapped_column(Float)
    unit_kinds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    town = relationship("Place", foreign_keys=[town_id])
    district = relationship("Place", foreign_keys=[district_id])
    park = relationship("Park")
    owner = relationship("User", back_populates="buildings")
    units: Mapped[list[Unit]] = relationship(
        back_populates="building", cascade="all, delete-orphan", order_by="Unit.floor"
    )
    photos: Mapped[list[Photo]] = relationship(
        back_populates="building", cascade="all, delete-orphan", order_by="Photo.position"
    )

    def __repr__(self) -> str:
        return f"<Building {self.name}>"


class Unit(Timestamps, db.Model):
    __tablename__ = "unit"
    __table_args__ = (
        # The per-building probe of the search (status, deal, rent): with every equality in it,
        # SQLite prefers it to the rent index even before ANALYZE has run. It carries every
        # column the unit filters test, so a probe reads no unit row (migration 0012).
        Index("ix_unit_building_status", "building_id", *UNIT_PROBE_COLUMNS),
        # Sorting by rent or area walks these in order (app.listings.search).
        Index("ix_unit_rent_order", "rent_per_m2_day", "id"),
        Index("ix_unit_area_order", "area_m2", "id"),
        CheckConstraint("area_m2 > 0", name="area_positive"),
        CheckConstraint("deal IN ('rent', 'sale')", name="deal_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"))
    deal: Mapped[str] = mapped_column(String(8))  # rent / sale
    floor: Mapped[int | None] = mapped_column(Integer)
    area_m2: Mapped[float] = mapped_column(Float)
    rent_per_m2_day: Mapped[float | None] = mapped_column(Float)  # 元/㎡/天, for rent
    price_per_m2: Mapped[float | None] = mapped_column(Float)  # 元/㎡, for sale
    decoration: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default=UnitStatus.AVAILABLE)
    available_from: Mapped[date | None] = mapped_column(Date)
    # Freshness: when the agent last confirmed this unit is still on the market.
    confirmed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    building: Mapped[Building] = relationship(back_populates="units")

    @property
    def monthly_rent(self) -> float | None:
        """Monthly total in 元: rent × area × 365 / 12."""
        if self.rent_per_m2_day is None:
            return None
        return self.rent_per_m2_day * self.area_m2 * 365 / 12

    @property
    def total_price_wan(self) -> float | None:
        """Sale total in 万元."""
        if self.price_per_m2 is None:
            return None
        return self.price_per_m2 * self.area_m2 / 10000

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.deal} {self.area_m2}㎡>"


class Photo(db.Model):
    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(80))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    building: Mapped[Building] = relationship(back_populates="photos")
