"""求租 requirements: posting, closing, what a tenant sees of theirs, and the emails they get.

The agents' side (which requirements an agent may see, and answering) is app.requirements.answers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.agent.profiles import TownGroup, town_groups
from app.extensions import db
from app.mail import send_email
from app.models import (
    Park,
    Place,
    Requirement,
    RequirementAnswer,
    RequirementAnswerUnit,
    RequirementPlace,
    RequirementStatus,
    Unit,
)
from app.models.alerts import REQUIREMENT_DAYS
from app.models.base import utcnow

PLACES_MAX = 5  # towns, districts and parks one requirement names, together
NOTE_MAX = 500
MOVE_IN_MONTHS = 24  # how far ahead a move-in month may be
# Posting from one address: a tenant posts one or two, a script hundreds.
POST_LIMIT = "3 per minute;10 per day"
BUDGET_UNITS = {"day": "元/㎡/天", "month": "元/月"}
STATE_LABELS = {"open": "征集中", "closed": "已关闭", "expired": "已过期"}
MINE_MAX = 20  # requirements listed on a tenant's page (a tenant has a few)


class RequirementError(ValueError):
    """A refused action: the message for the person, and the HTTP status that says why (422:
    the input; 409: the requirement's state does not allow it)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass
class RequirementInput:
    name: str
    mobile: str
    email: str
    note: str = ""
    place_ids: list[int] = field(default_factory=list)  # towns and districts
    park_ids: list[int] = field(default_factory=list)
    area_min: float | None = None
    area_max: float | None = None
    budget_min: float | None = None
    budget_max: float | None = None
    budget_unit: str = "day"
    grade: str | None = None
    move_in: date | None = None  # the first of a month


# -- the choices the form offers ------------------------------------------------------------


def place_groups() -> list[TownGroup]:
    """The region's districts, each with its towns (as an agent's service towns are listed)."""
    return town_groups()


def park_options() -> list[Park]:
    """The parks of the region, by name."""
    return list(
        db.session.scalars(
            select(Park)
            .join(Place, Place.id == Park.place_id)
            .where(Place.in_region.is_(True))
            .order_by(Place.name)
        )
    )


def move_in_months(today: date) -> tuple[date, date]:
    """The first and the last month a tenant may name: this one, and MOVE_IN_MONTHS later."""
    first = today.replace(day=1)
    months = first.year * 12 + first.month - 1 + MOVE_IN_MONTHS
    return first, date(months // 12, months % 12 + 1, 1)


# -- posting and closing --------------------------------------------------------------------


def create_requirement(
    data: RequirementInput, user_id: int | None, now: datetime | None = None
) -> Requirement:
    """Store a requirement (open for REQUIREMENT_DAYS) with the places it names; none named:
    the whole region. The caller has checked the places against the form's choices."""
    now = now or utcnow()
    requirement = Requirement(
        user_id=user_id,
        name=data.name,
        mobile=data.mobile,
        email=data.email,
        note=data.note,
        area_min=data.area_min,
        area_max=data.area_max,
        budget_min=data.budget_min,
        budget_max=data.budget_max,
        budget_unit=data.budget_unit,
        grade=data.grade or None,
        move_in=data.move_in,
        anywhere=not (data.place_ids or data.park_ids),
        status=RequirementStatus.OPEN,
        token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(days=REQUIREMENT_DAYS),
    )
    requirement.places = [RequirementPlace(place_id=i) for i in dict.fromkeys(data.place_ids)] + [
        RequirementPlace(park_id=i) for i in dict.fromkeys(data.park_ids)
    ]
    db.session.add(requirement)
    db.session.flush()
    return requirement


def notify_posted(requirement: Requirement, close_url: str) -> bool:
    """Email the tenant what they posted and the link that closes it; the caller commits."""
    return send_email(
        requirement.email,
        "requirement_posted",
        key=f"requirement:{requirement.id}",
        subject="您的求租已发布：经纪人将通过邮件回复您",
        requirement=requirement,
        summary=summary(requirement),
        close_url=close_url,
        days=REQUIREMENT_DAYS,
    )


def by_token(token: str) -> Requirement | None:
    """The requirement an emailed close link names; a token of another shape names nothing."""
    if not (30 <= len(token) <= 43) or not token.isascii():
        return None
    return db.session.scalar(select(Requirement).where(Requirement.token == token))


def by_id(requirement_id: int) -> Requirement | None:
    return db.session.get(Requirement, requirement_id)


def state(requirement: Requirement, now: datetime | None = None) -> str:
    """open, closed (by the tenant) or expired (REQUIREMENT_DAYS after it was posted)."""
    if requirement.status == RequirementStatus.CLOSED:
        return "closed"
    return "open" if requirement.expires_at > (now or utcnow()) else "expired"


def close(requirement: Requirement, now: datetime | None = None) -> bool:
    """Close a requirement; False when it was closed already (a second click changes nothing)."""
    if requirement.status == RequirementStatus.CLOSED:
        return False
    requirement.status = RequirementStatus.CLOSED
    requirement.closed_at = now or utcnow()
    return True


# -- what a requirement says ----------------------------------------------------------------


def place_names(requirement: Requirement) -> list[str]:
    names = []
    for row in requirement.places:
        if row.place is not None:
            names.append(row.place.name)
        elif row.park is not None:
            names.append(row.park.name)
    return names


def _range(low: float | None, high: float | None, unit: str) -> str | None:
    if low is None and high is None:
        return None
    if high is None:
        return f"{low:g} {unit}以上"
    if low is None:
        return f"{high:g} {unit}以内"
    return f"{low:g}–{high:g} {unit}"


def summary(requirement: Requirement) -> list[tuple[str, str]]:
    """The requirement as labelled lines, the same on every page and in every email."""
    lines = [("区域", "、".join(place_names(requirement)) or "不限（绍兴全市）")]
    area = _range(requirement.area_min, requirement.area_max, "㎡")
    lines.append(("面积", area or "不限"))
    budget = _range(
        requirement.budget_min, requirement.budget_max, BUDGET_UNITS[requirement.budget_unit]
    )
    lines.append(("预算", budget or "不限"))
    lines.append(("等级", requirement.grade or "不限"))
    move_in = requirement.move_in
    lines.append(("入驻时间", f"{move_in.year}年{move_in.month}月" if move_in else "随时"))
    return lines


def mask_mobile(mobile: str) -> str:
    """138****5678: enough to recognise a number, not to call it."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 8 else "****"


# -- the tenant's own -----------------------------------------------------------------------


def my_requirements(user_id: int) -> list[Requirement]:
    """The requirements a signed-in user posted, newest first, with the answers and their
    units (MINE_MAX of them)."""
    query = (
        select(Requirement)
        .where(Requirement.user_id == user_id)
        .options(
            selectinload(Requirement.places).selectinload(RequirementPlace.place),
            selectinload(Requirement.places)
            .selectinload(RequirementPlace.park)
            .selectinload(Park.place),
            selectinload(Requirement.answers).selectinload(RequirementAnswer.agent),
            selectinload(Requirement.answers)
            .selectinload(RequirementAnswer.units)
            .selectinload(RequirementAnswerUnit.unit)
            .selectinload(Unit.building),
        )
        .order_by(Requirement.created_at.desc(), Requirement.id.desc())
        .limit(MINE_MAX)
    )
    return list(db.session.scalars(query))
