"""Agents' profiles: what an agent says about themselves, their public page and 显示电话."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import func, select, update

from app.agent.photos import store_image
from app.config import PER_PAGE
from app.extensions import db
from app.listings.services import CARD_LOADS, BuildingCard, cards, published
from app.models import Building, Place, PlaceKind, Role, User, stamps

INTRO_MAX = 500  # characters of an agent's introduction
SERVICE_TOWNS_MAX = 20
MAX_ID = 2**31 - 1  # an id beyond the database's integers is nobody, not a 500


@dataclass
class ProfileInput:
    name: str
    company: str
    mobile: str
    intro: str
    town_ids: list[int]
    remove_photo: bool = False


@dataclass
class TownGroup:
    """A district of the region and its towns, as the profile form lists them."""

    district: Place | None  # None: towns whose district the gazetteer lacks
    towns: list[Place]


def town_groups() -> list[TownGroup]:
    """The region's districts and towns an agent may serve, each town under its district."""
    places = db.session.scalars(
        select(Place)
        .where(Place.kind.in_((PlaceKind.DISTRICT, PlaceKind.TOWN)), Place.in_region.is_(True))
        .order_by(Place.name)
    ).all()
    districts = [p for p in places if p.kind == PlaceKind.DISTRICT]
    towns = [p for p in places if p.kind == PlaceKind.TOWN]
    groups = [TownGroup(d, [t for t in towns if t.parent_id == d.id]) for d in districts]
    known = {d.id for d in districts}
    orphans = [t for t in towns if t.parent_id not in known]
    return groups + ([TownGroup(None, orphans)] if orphans else [])


def town_choices(groups: list[TownGroup] | None = None) -> list[tuple[int, str]]:
    """The ids an agent may choose, with their names."""
    result: list[tuple[int, str]] = []
    for group in town_groups() if groups is None else groups:
        if group.district is not None:
            result.append((group.district.id, group.district.name))
        result += [(town.id, town.name) for town in group.towns]
    return result


def update_profile(
    user: User, data: ProfileInput, photo: BinaryIO | None, folder: str, max_bytes: int
) -> str | None:
    """Write the profile of `user` (the signed-in agent: only they edit it); returns the
    filename of a photo it replaced, for the caller to remove once the change is committed.

    Raises app.agent.photos.PhotoError for a refused photo, before anything changes.
    """
    stored = store_image(photo, folder, max_bytes).filename if photo is not None else None
    old = user.photo
    user.name = data.name
    user.company = data.company or None
    user.mobile = data.mobile
    user.intro = data.intro
    allowed = {place_id for place_id, _ in town_choices()}
    ids = [i for i in data.town_ids if i in allowed][:SERVICE_TOWNS_MAX]
    user.service_towns = list(db.session.scalars(select(Place).where(Place.id.in_(ids))))
    if stored is not None:
        user.photo = stored
    elif data.remove_photo:
        user.photo = None
    db.session.flush()
    # The agent's card is part of every cached building page of theirs: those go stale.
    stamps.bump(db.session, stamps.LISTINGS)
    return old if old is not None and old != user.photo else None


def public_agent(agent_id: int) -> User | None:
    """An active agent, whose page is public; anyone else is nobody's business."""
    agent = db.session.get(User, agent_id) if 0 < agent_id <= MAX_ID else None
    if agent is None or not agent.active or agent.role != Role.AGENT:
        return None
    return agent


@dataclass
class AgentBuildings:
    cards: list[BuildingCard]
    page: int
    pages: int
    total: int


def agent_buildings(agent: User, page: int, per_page: int | None = None) -> AgentBuildings:
    """The agent's published buildings as search cards, newest first, one page of them."""
    per_page = per_page or PER_PAGE
    mine = published().where(Building.owner_id == agent.id)
    total = db.session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    query = (
        mine.options(*CARD_LOADS)
        .order_by(Building.updated_at.desc(), Building.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return AgentBuildings(cards(list(db.session.scalars(query))), page, pages, total)


def reveal_mobile(agent_id: int) -> str | None:
    """The full mobile of an agent whose number a visitor asked to see, counted for the
    agent's statistics; None when there is no such agent or number."""
    agent = db.session.get(User, agent_id) if 0 < agent_id <= MAX_ID else None
    if agent is None or not agent.active or not agent.mobile:
        return None
    if agent.role not in (Role.AGENT, Role.ADMIN):
        return None
    # One UPDATE: two visitors' reveals at once both count.
    db.session.execute(
        update(User)
        .where(User.id == agent.id)
        .values(phone_reveals=User.phone_reveals + 1)
        .execution_options(synchronize_session=False)
    )
    return agent.mobile
