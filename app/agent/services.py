"""Rules of the agents' area: who may change what, buildings and their points, units, freshness."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.config import PARK_CHOICE_KM
from app.extensions import db
from app.filters import unit_label
from app.geo.geocode import GazetteerGeocoder, Geocoder, GeocodeResult
from app.geo.locate import (
    Located,
    locate,
    park_plausible,
    parks_near,
    place,
    town_plausible,
    towns_for,
)
from app.listings.services import STALE_AFTER
from app.listings.services import freshness as listing_freshness
from app.mail import send_email
from app.models import (
    Building,
    BuildingStatus,
    Inquiry,
    InquiryStatus,
    OutboundEmail,
    Park,
    Place,
    PlaceKind,
    Report,
    Unit,
    User,
)
from app.models.accounts import INQUIRY_STATUS_LABELS
from app.models.base import utcnow

# Who may do what, by role.
AGENT_ROLES = ("agent", "admin")
MODERATOR_ROLES = ("editor", "admin")
UNIT_STATUSES_BY_DEAL = {
    "rent": ("available", "reserved", "leased"),
    "sale": ("available", "reserved", "sold"),
}


class AgentError(ValueError):
    """A rule refused the change; the message is Chinese and fit to show."""


class PointNotFound(AgentError):
    """Neither a pin nor the geocoder gave the building a point."""


class ChoiceRefused(AgentError):
    """The town or park the agent chose does not fit the building's point."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field  # "town" or "park"


@dataclass
class BuildingInput:
    name: str
    address: str
    grade: str | None = None
    floors: int | None = None
    year_built: int | None = None
    property_fee: float | None = None
    efficiency_pct: float | None = None
    description: str = ""
    pin: tuple[float, float] | None = None  # a point the agent set on the map (WGS-84)
    # The town and park the agent chose. Not fixed: placed from the point (按位置自动识别);
    # fixed with an id: that one while it is plausible for the point; fixed with None: none
    # (the address names a town the gazetteer does not know, or the building is in no park).
    town_id: int | None = None
    town_fixed: bool = False
    park_id: int | None = None
    park_fixed: bool = False


# What an agent writes on a building as it is; the pin becomes its point, the choices its places.
PLACING_FIELDS = ("pin", "town_id", "town_fixed", "park_id", "park_fixed")
BUILDING_FIELDS = tuple(f.name for f in fields(BuildingInput) if f.name not in PLACING_FIELDS)


@dataclass
class UnitInput:
    deal: str
    area_m2: float
    floor: int | None = None
    rent_per_m2_day: float | None = None
    price_per_m2: float | None = None
    decoration: str | None = None
    status: str = "available"
    available_from: date | None = None


@dataclass
class Counts:
    buildings: int
    published: int
    units: int
    views: int
    inquiries: int
    inquiries_new: int
    reports_open: int
    stale_units: int


def freshness(unit: Unit, now: datetime | None = None) -> str:
    """ "fresh", "stale" (待确认) or "expired": app.listings.services.freshness of a unit."""
    return listing_freshness(unit.confirmed_at, now or utcnow())


# ------------------------------------------------------------------ ownership


def can_manage(user: User, building: Building) -> bool:
    return user.has_role("admin") or (user.has_role("agent") and building.owner_id == user.id)


def building_for(user: User, building_id: int) -> Building | None:
    """The building if this user may change it, else None (others' buildings look absent)."""
    building = db.session.get(Building, building_id)
    return building if building is not None and can_manage(user, building) else None


def unit_for(user: User, unit_id: int) -> Unit | None:
    unit = db.session.get(Unit, unit_id)
    return unit if unit is not None and can_manage(user, unit.building) else None


MY_BUILDINGS_PER_PAGE = 20
ADMIN_PER_PAGE = 50


def my_buildings(user: User, page: int = 1, per_page: int = MY_BUILDINGS_PER_PAGE):
    """One page of the user's buildings, last changed first, with their units and towns (a
    flask_sqlalchemy Pagination; a page past the end is empty, not an error)."""
    query = (
        select(Building)
        .where(Building.owner_id == user.id)
        .options(selectinload(Building.units), joinedload(Building.town))
        .order_by(Building.updated_at.desc(), Building.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def counts(user: User, now: datetime | None = None) -> Counts:
    """The figures at the top of the agent's dashboard, counted by the database: an agent with
    ten thousand drafts gets them without loading one."""
    now = now or utcnow()
    mine = Building.owner_id == user.id
    buildings, published, views = db.session.execute(
        select(
            func.count(),
            func.count().filter(Building.status == BuildingStatus.PUBLISHED),
            func.coalesce(func.sum(Building.view_count), 0),
        ).where(mine)
    ).one()
    units, stale = db.session.execute(
        select(func.count(), func.count().filter(Unit.confirmed_at < now - STALE_AFTER))
        .join(Building, Unit.building_id == Building.id)
        .where(mine)
    ).one()

    def count(model, *where) -> int:
        query = select(func.count()).select_from(model).join(Building).where(mine, *where)
        return db.session.scalar(query) or 0

    return Counts(
        buildings=buildings,
        published=published,
        units=units,
        views=views,
        inquiries=count(Inquiry),
        inquiries_new=count(Inquiry, Inquiry.status == InquiryStatus.NEW),
        reports_open=count(Report, Report.resolved.is_(False)),
        stale_units=stale,
    )


# ------------------------------------------------------------------ buildings


def _point_for(
    data: BuildingInput, building: Building | None, geocoder: Geocoder
) -> GeocodeResult | None:
    """A pin the agent set wins; an unchanged address keeps its point; else geocode it."""
    if data.pin is not None:
        return GeocodeResult(data.pin[0], data.pin[1], "address", "pin")
    has_point = building is not None and building.lat is not None and building.lon is not None
    if has_point and building.address == data.address:
        return None  # nothing to change
    found = geocoder.geocode(data.address)
    if found is None and not has_point:
        raise PointNotFound(
            "未能从地址识别位置：请在地址中写明镇街或园区（如“诸暨市次坞镇…”），或在地图上点选位置。"
        )
    return found


def _chosen_town(data: BuildingInput, building: Building | None, found: Located) -> Place | None:
    """The town the agent chose now, checked against the point's district; None for none or
    automatic. A town fixed earlier and sent back unchanged is not checked here: placing keeps
    it while plausible and tells the agent when it is dropped."""
    if not data.town_fixed or data.town_id is None:
        return None
    town = db.session.get(Place, data.town_id)
    if town is None or town.kind != PlaceKind.TOWN:
        raise ChoiceRefused("town", "所选镇街不存在，请重新选择。")
    unchanged = building is not None and building.town_fixed and building.town_id == town.id
    district = found.district
    if not unchanged and not town_plausible(town.id, district.id if district else None):
        if district is None:
            raise ChoiceRefused(
                "town", "该位置不在已知的区县内，无法指定镇街，请先核对地址或图钉位置。"
            )
        raise ChoiceRefused(
            "town",
            f"所选镇街“{town.name}”不在该位置所在的{district.name}内，"
            "请选择该区县的镇街，或选“按位置自动识别”。",
        )
    return town


def _chosen_park(
    data: BuildingInput, building: Building | None, lat: float, lon: float
) -> Park | None:
    """The park the agent chose now, if it holds the point or lies near it; None for none."""
    if not data.park_fixed or data.park_id is None:
        return None
    park = db.session.get(Park, data.park_id)
    if park is None:
        raise ChoiceRefused("park", "所选园区不存在，请重新选择。")
    unchanged = building is not None and building.park_fixed and building.park_id == park.id
    if not unchanged and not park_plausible(park.id, lat, lon):
        raise ChoiceRefused(
            "park",
            f"所选园区“{park.name}”离该位置太远（不含该位置，中心也不在 "
            f"{PARK_CHOICE_KM:g} km 内），请选择附近的园区，或选“按位置自动识别”。",
        )
    return park


def _place(
    building: Building,
    data: BuildingInput,
    point: GeocodeResult | None,
    found: Located,
    choice: tuple[Place | None, Park | None],
) -> list[str]:
    """Write the point and the agent's choices, then place the building; returns the notes."""
    if point is not None:
        building.lat, building.lon = point.lat, point.lon
        building.point_source, building.point_precision = point.source, point.precision
    town, park = choice
    if data.town_fixed:
        building.town, building.town_fixed = town, True
    else:
        building.town_fixed = False
    if data.park_fixed:
        building.park, building.park_fixed = park, True
    else:
        building.park_fixed = False
    notes = place(building, found)
    if found.district is None:
        notes.append(
            "该位置不在已知的区县范围内，区县、镇街暂未识别，请核对地址或在地图上点选位置。"
        )
    return notes


def save_building(
    owner: User,
    data: BuildingInput,
    building: Building | None = None,
    *,
    geocoder: Geocoder | None = None,
    notes: list[str] | None = None,
) -> Building:
    """Create (as a draft) or update a building and give it a point, district, town and park.
    A town or park the agent chose that does not fit the point is refused (AgentError) before
    anything changes; what placing had to drop or could not find is added to `notes`."""
    point = _point_for(data, building, geocoder or GazetteerGeocoder())
    if point is not None:
        lat, lon = point.lat, point.lon
    else:  # the building keeps the point it has (_point_for)
        lat, lon = building.lat, building.lon
    found = locate(lat, lon)
    choice = _chosen_town(data, building, found), _chosen_park(data, building, lat, lon)
    if building is None:
        building = Building(owner=owner, status=BuildingStatus.DRAFT)
        db.session.add(building)
    for name in BUILDING_FIELDS:
        setattr(building, name, getattr(data, name))
    placed = _place(building, data, point, found, choice)
    if notes is not None:
        notes.extend(placed)
    db.session.flush()
    return building


def place_choices(lat: float | None, lon: float | None) -> tuple[list[Place], list[Park]]:
    """The towns and parks an agent may choose for a point: the towns of its district, and
    the parks that hold it or lie near it."""
    if lat is None or lon is None:
        return [], []
    return towns_for(locate(lat, lon).district), parks_near(lat, lon)


def publish(user: User, building: Building) -> None:
    """Agents publish their own drafts; a building an admin hid stays hidden for them."""
    if building.status == BuildingStatus.HIDDEN and not user.has_role(*MODERATOR_ROLES):
        raise AgentError("该楼盘已被管理员隐藏，请联系管理员。")
    building.status = BuildingStatus.PUBLISHED


def withdraw(building: Building) -> None:
    """Take a published building back to draft."""
    if building.status == BuildingStatus.PUBLISHED:
        building.status = BuildingStatus.DRAFT


def moderate(building: Building, action: str) -> None:
    """Editors and admins publish, hide and feature (推荐) any building."""
    if action == "publish":
        building.status = BuildingStatus.PUBLISHED
    elif action == "hide":
        building.status = BuildingStatus.HIDDEN
        building.featured = False
    elif action == "feature":
        building.featured = True
    elif action == "unfeature":
        building.featured = False
    else:
        raise AgentError("未知的操作。")


def all_buildings(status: str | None = None, page: int = 1, per_page: int = ADMIN_PER_PAGE):
    """One page of every building (of one status), last changed first."""
    query = (
        select(Building)
        .options(joinedload(Building.owner), joinedload(Building.town))
        .order_by(Building.updated_at.desc(), Building.id.desc())
    )
    if status:
        query = query.where(Building.status == status)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# ------------------------------------------------------------------ units


def save_unit(
    building: Building, data: UnitInput, unit: Unit | None = None, now: datetime | None = None
) -> Unit:
    """Add or change a unit; saving it counts as the agent confirming it."""
    if data.deal not in UNIT_STATUSES_BY_DEAL:
        raise AgentError("请选择出租或出售。")
    if data.status not in UNIT_STATUSES_BY_DEAL[data.deal]:
        raise AgentError("该状态与出租/出售类型不符。")
    if unit is None:
        unit = Unit(building=building)
        db.session.add(unit)
    unit.deal, unit.floor, unit.area_m2 = data.deal, data.floor, data.area_m2
    unit.rent_per_m2_day = data.rent_per_m2_day if data.deal == "rent" else None
    unit.price_per_m2 = data.price_per_m2 if data.deal == "sale" else None
    unit.decoration, unit.status = data.decoration, data.status
    unit.available_from = data.available_from
    unit.confirmed_at = now or utcnow()
    db.session.flush()
    return unit


def set_unit_status(unit: Unit, status: str, now: datetime | None = None) -> None:
    """Mark a unit available, reserved, leased (rent) or sold (sale)."""
    if status not in UNIT_STATUSES_BY_DEAL.get(unit.deal, ()):
        raise AgentError("该状态与出租/出售类型不符。")
    unit.status = status
    unit.confirmed_at = now or utcnow()


def confirm_unit(unit: Unit, now: datetime | None = None) -> None:
    """刷新: the agent confirms the unit is still as listed."""
    unit.confirmed_at = now or utcnow()


def delete_unit(unit: Unit) -> None:
    unit.building.units.remove(unit)
    db.session.delete(unit)


# ------------------------------------------------------------------ inquiries and reports


# Where an inquiry may go from each status: forward along 新留言 → 已联系 → 已带看 → 已成交
# (a step may be skipped: the agent may have called and shown the space at once), or to 无效
# from any open status. 已成交 and 无效 are final.
INQUIRY_FLOW = (InquiryStatus.NEW, InquiryStatus.CONTACTED, InquiryStatus.VIEWED)
INQUIRY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    InquiryStatus.NEW: (InquiryStatus.CONTACTED, InquiryStatus.VIEWED, InquiryStatus.CLOSED),
    InquiryStatus.CONTACTED: (InquiryStatus.VIEWED, InquiryStatus.CLOSED),
    InquiryStatus.VIEWED: (InquiryStatus.CLOSED,),
    InquiryStatus.CLOSED: (),
    InquiryStatus.INVALID: (),
}
for _open in INQUIRY_FLOW:
    INQUIRY_TRANSITIONS[_open] += (InquiryStatus.INVALID,)
MAX_ANSWER = 1000  # characters of an agent's answer


def inquiries_for(user: User, status: str | None = None) -> list[Inquiry]:
    """Inquiries about the user's buildings, newest first."""
    query = select(Inquiry).join(Building).where(Building.owner_id == user.id)
    if status:
        query = query.where(Inquiry.status == status)
    return list(db.session.scalars(query.order_by(Inquiry.created_at.desc(), Inquiry.id.desc())))


def inquiry_page(user: User, status: str | None, page: int, per_page: int):
    """One page of `inquiries_for` (a flask_sqlalchemy Pagination; a page past the end is
    empty, not an error)."""
    query = select(Inquiry).join(Building).where(Building.owner_id == user.id)
    if status:
        query = query.where(Inquiry.status == status)
    query = query.order_by(Inquiry.created_at.desc(), Inquiry.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def inquiry_status_counts(user: User) -> dict[str, int]:
    """How many of the user's inquiries are in each status (every status, zeros too)."""
    rows = db.session.execute(
        select(Inquiry.status, func.count())
        .join(Building)
        .where(Building.owner_id == user.id)
        .group_by(Inquiry.status)
    )
    found = dict(rows.all())
    return {status: found.get(status, 0) for status in INQUIRY_STATUS_LABELS}


def inquiry_for(user: User, inquiry_id: int) -> Inquiry | None:
    inquiry = db.session.get(Inquiry, inquiry_id)
    return inquiry if inquiry is not None and can_manage(user, inquiry.building) else None


def move_inquiry(inquiry: Inquiry, status: str) -> None:
    """Move the inquiry to `status`, if the flow allows it from where it is."""
    if status not in INQUIRY_TRANSITIONS.get(inquiry.status, ()):
        now = INQUIRY_STATUS_LABELS.get(inquiry.status, inquiry.status)
        to = INQUIRY_STATUS_LABELS.get(status, status)
        raise AgentError(f"“{now}”的留言不能改为“{to}”。")
    inquiry.status = status


def answer_inquiry(inquiry: Inquiry, text: str, page_url: str, now: datetime | None = None) -> bool:
    """Record the agent's answer (a new one replaces the last), move a new inquiry to 已联系,
    and email the answer to the tenant when they sent it signed in (the anonymous form leaves
    only a mobile). Returns whether an email was stored; the caller commits, which sends it.
    `page_url` is the tenant's list of inquiries, linked from the email."""
    text = text.strip()
    if not text:
        raise AgentError("请填写回复内容。")
    if len(text) > MAX_ANSWER:
        raise AgentError(f"回复最多 {MAX_ANSWER} 个字。")
    if inquiry.status == InquiryStatus.INVALID:
        raise AgentError("已标为无效的留言不能回复。")
    if text == (inquiry.answer or ""):
        return False  # the same answer sent twice (a double click) is one answer
    inquiry.answer = text
    inquiry.answered_at = now or utcnow()
    if inquiry.status == InquiryStatus.NEW:
        inquiry.status = InquiryStatus.CONTACTED
    tenant = db.session.get(User, inquiry.user_id) if inquiry.user_id else None
    if tenant is None or not tenant.email:
        return False
    # Each new answer is its own email: n counts the answers emailed before.
    earlier = db.session.scalar(
        select(func.count())
        .select_from(OutboundEmail)
        .where(OutboundEmail.key.startswith(f"answer:{inquiry.id}:", autoescape=True))
    )
    return send_email(
        tenant.email,
        "inquiry_answer",
        key=f"answer:{inquiry.id}:{earlier + 1}",
        subject=f"经纪人回复了您的留言：{inquiry.building.name}",
        tenant=tenant,
        inquiry=inquiry,
        building=inquiry.building,
        unit=unit_label(inquiry.unit) if inquiry.unit else None,
        page_url=page_url,
    )


def reports_for(user: User | None = None, resolved: bool | None = None) -> list[Report]:
    """Reports on the user's buildings, or on every building when user is None."""
    query = select(Report).join(Building)
    if user is not None:
        query = query.where(Building.owner_id == user.id)
    if resolved is not None:
        query = query.where(Report.resolved.is_(resolved))
    return list(db.session.scalars(query.order_by(Report.created_at.desc(), Report.id.desc())))


def report_for(user: User, report_id: int) -> Report | None:
    """A report the user may resolve: on their building, or any when they moderate."""
    report = db.session.get(Report, report_id)
    if report is None:
        return None
    if user.has_role(*MODERATOR_ROLES) or can_manage(user, report.building):
        return report
    return None


def resolve_report(report: Report, now: datetime | None = None) -> None:
    report.resolved = True
    report.resolved_at = now or utcnow()
