"""The agents' side of 求租: the requirements an agent's units can meet, and answering one.

An agent sees a requirement only while some unit of theirs meets it (or once they have
answered it); to anyone else it does not exist (the views answer 404). The tenant's mobile is
masked until the agent has answered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.filters import unit_label
from app.mail import send_email
from app.models import (
    Park,
    Requirement,
    RequirementAnswer,
    RequirementAnswerUnit,
    RequirementPlace,
    Role,
    Unit,
    User,
)
from app.models.base import utcnow
from app.requirements import matching
from app.requirements.services import RequirementError, mask_mobile, state, summary

MESSAGE_MAX = 500  # characters of an agent's message
STATE_REFUSALS = {
    "closed": "该求租已被租户关闭，不能再回复。",
    "expired": "该求租已过期，不能再回复。",
}
ANSWERED_ALREADY = "您已回复过这条求租，每位经纪人只能回复一次。"


@dataclass
class Offer:
    """A requirement as one agent sees it: their units that meet it, and their answer."""

    requirement: Requirement
    units: list[Unit]
    answer: RequirementAnswer | None
    state: str

    @property
    def mobile(self) -> str:
        """The tenant's mobile: in full once this agent has answered, masked before."""
        number = self.requirement.mobile
        return number if self.answer is not None else mask_mobile(number)


@dataclass
class OfferPage:
    items: list[Offer]
    page: int
    pages: int
    total: int


def _load(requirement_ids: list[int]) -> dict[int, Requirement]:
    query = (
        select(Requirement)
        .where(Requirement.id.in_(requirement_ids))
        .options(
            selectinload(Requirement.places).selectinload(RequirementPlace.place),
            selectinload(Requirement.places)
            .selectinload(RequirementPlace.park)
            .selectinload(Park.place),
        )
    )
    return {r.id: r for r in db.session.scalars(query)}


def _units(unit_ids: list[int]) -> dict[int, Unit]:
    query = select(Unit).where(Unit.id.in_(unit_ids)).options(joinedload(Unit.building))
    return {u.id: u for u in db.session.scalars(query)}


def _answers(agent_id: int, requirement_ids: list[int]) -> dict[int, RequirementAnswer]:
    query = select(RequirementAnswer).where(
        RequirementAnswer.agent_id == agent_id,
        RequirementAnswer.requirement_id.in_(requirement_ids),
    )
    return {a.requirement_id: a for a in db.session.scalars(query)}


def _offers(
    agent_id: int, matches: dict[int, list[int]], now: datetime, extra: list[int] = ()
) -> list[Offer]:
    ids = [*matches, *(i for i in extra if i not in matches)]
    requirements = _load(ids)
    units = _units([u for unit_ids in matches.values() for u in unit_ids])
    answers = _answers(agent_id, ids)
    return [
        Offer(
            requirements[i],
            [units[u] for u in matches.get(i, []) if u in units],
            answers.get(i),
            state(requirements[i], now),
        )
        for i in ids
        if i in requirements
    ]


def offer_page(agent_id: int, page: int, per_page: int, now: datetime | None = None) -> OfferPage:
    """The open requirements the agent's units meet, newest first, one page of them."""
    now = now or utcnow()
    matches = matching.agent_matches(db.session, agent_id, now)
    total = len(matches)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    chosen = list(matches)[(page - 1) * per_page : page * per_page]
    offers = _offers(agent_id, {i: matches[i] for i in chosen}, now)
    return OfferPage(offers, page, pages, total)


def offer_for(
    agent_id: int, requirement_id: int, now: datetime | None = None, oversee: bool = False
) -> Offer | None:
    """One requirement as the agent sees it, open or not; None when no unit of theirs meets it
    and they have not answered it (then it is none of their business). An admin (`oversee`)
    may open any, as they may any inquiry: the mobile stays masked, and they answer only with
    units of their own that meet it."""
    now = now or utcnow()
    matches = matching.agent_matches(db.session, agent_id, now, requirement_id)
    answered = _answers(agent_id, [requirement_id])
    if (
        not matches
        and not answered
        and not (oversee and db.session.get(Requirement, requirement_id))
    ):
        return None
    (offer,) = _offers(agent_id, matches, now, extra=[requirement_id])
    return offer


def open_count(agent_id: int, now: datetime | None = None) -> tuple[int, int]:
    """How many open requirements the agent's units meet, and how many of them they have not
    answered yet."""
    ids = list(matching.agent_matches(db.session, agent_id, now or utcnow()))
    answered = len(_answers(agent_id, ids)) if ids else 0
    return len(ids), len(ids) - answered


def check_answerable(offer: Offer) -> None:
    """Raise RequirementError (409) when the agent may not answer: they have already, or the
    requirement is closed or expired (read-only)."""
    if offer.answer is not None:
        raise RequirementError(ANSWERED_ALREADY, 409)
    if offer.state != "open":
        raise RequirementError(STATE_REFUSALS[offer.state], 409)


def answer(
    agent: User, offer: Offer, unit_ids: list[int], message: str, now: datetime | None = None
) -> RequirementAnswer:
    """Store the agent's answer: units among those of theirs that meet the requirement, and a
    message. Raises RequirementError (nothing stored) for a second answer, a closed or expired
    requirement, or units that are not among the offered ones."""
    check_answerable(offer)
    offered = {unit.id for unit in offer.units}
    chosen = list(dict.fromkeys(unit_ids))
    if not chosen:
        raise RequirementError("请至少选择一套符合需求的房源。")
    if not set(chosen) <= offered:
        raise RequirementError("所选房源不属于您或不符合该求租，请重新选择。")
    message = message.strip()
    if not message:
        raise RequirementError("请填写给租户的留言。")
    if len(message) > MESSAGE_MAX:
        raise RequirementError(f"留言最多 {MESSAGE_MAX} 个字。")
    row = RequirementAnswer(
        requirement_id=offer.requirement.id,
        agent_id=agent.id,
        message=message,
        created_at=now or utcnow(),
        units=[RequirementAnswerUnit(unit_id=unit_id) for unit_id in chosen],
    )
    try:
        # Two tabs answering at once: the unique (requirement, agent) refuses the second here.
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise RequirementError(ANSWERED_ALREADY, 409) from None
    offer.answer = row
    return row


def notify_tenant(offer: Offer, agent: User) -> bool:
    """Email the tenant the agent's answer with the units offered; the caller commits."""
    requirement, row = offer.requirement, offer.answer
    chosen = {link.unit_id for link in row.units}
    units = [(unit, unit_label(unit)) for unit in offer.units if unit.id in chosen]
    public_page = agent.role == Role.AGENT and agent.active
    return send_email(
        requirement.email,
        "requirement_answer",
        key=f"requirement-answer:{row.id}",
        subject=f"经纪人{agent.name}回复了您的求租：{len(units)} 套房源",
        requirement=requirement,
        summary=summary(requirement),
        answer=row,
        agent=agent,
        agent_page=public_page,
        units=units,
    )
