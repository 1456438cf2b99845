"""Agents in public: their page (/agents/<id>), their card on a building page, 显示电话."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, session
from flask_login import current_user
from markupsafe import Markup

from app import pagecache
from app.agent import profiles
from app.agent.profiles import MAX_ID
from app.config import PHONE_REVEAL_LIMIT
from app.extensions import db, limiter
from app.listings import actions, details
from app.listings.views import BUILDING_STAMPS, building_parts

bp = Blueprint("agents", __name__, url_prefix="/agents")

NO_STORE = {"Cache-Control": "no-store, private"}


@bp.app_template_global()
def agent_card(building_id: int, mobile: str | None = None) -> Markup:
    """The building's agent card and the phone's bottom bar. With the mobile masked it is the
    same for everyone and cached with the building's parts; a revealed `mobile` is drawn for
    this response alone and never stored."""

    def draw() -> tuple[str, int]:
        card = details.owner_card(building_id)
        html = render_template(
            "listings/_building_agent.html", agent=card, mobile=mobile, building_id=building_id
        )
        return html, 200

    if mobile is not None:
        return Markup(draw()[0])
    html, _status = pagecache.fragment("building-agent", BUILDING_STAMPS, (building_id,), draw)
    return Markup(html)


@bp.get("/<int:agent_id>")
def page(agent_id: int):
    """Show an agent's profile and published buildings, the mobile masked."""
    return _agent_page(agent_id, mobile=None)


def _agent_page(agent_id: int, mobile: str | None, status: int = 200):
    agent = profiles.public_agent(agent_id) or abort(404)
    found = profiles.agent_buildings(agent, request.args.get("page", 1, type=int) or 1)
    html = render_template(
        "agents/page.html",
        agent=agent,
        masked=details.mask_mobile(agent.mobile),
        mobile=mobile,
        result=found,
        compare_ids=session.get("compare", []),
    )
    return html, status, NO_STORE if mobile else {}


@bp.post("/<int:agent_id>/phone")
@limiter.limit(PHONE_REVEAL_LIMIT)
def reveal(agent_id: int):
    """Reveal an agent's mobile (显示电话), counted for the agent: JSON for the page's script;
    without it, the building page (or the agent's page) again with the number shown.

    An agent's number is public; an admin's only on the buildings they keep (the card's form
    names the building)."""
    building_id = request.form.get("building", type=int)
    known = building_id is not None and 0 < building_id <= MAX_ID
    card = details.owner_card(building_id) if known else None
    on_building = card is not None and card.id == agent_id
    public = on_building or profiles.public_agent(agent_id) is not None
    mobile = profiles.reveal_mobile(agent_id) if public else None
    wants_json = request.accept_mimetypes.best == "application/json"
    if mobile is None:
        if wants_json:
            return jsonify(error="该经纪人暂无可显示的电话。"), 404
        abort(404)
    db.session.commit()
    if wants_json:
        return jsonify(mobile=mobile, tel=f"tel:{mobile}"), 200, NO_STORE
    if on_building:
        return _building_page(building_id, mobile)
    return _agent_page(agent_id, mobile)


def _building_page(building_id: int, mobile: str):
    """The building page as its own view draws it, with the agent's number in the card."""
    html, status = pagecache.fill(
        render_template(
            "listings/building.html",
            building_id=building_id,
            parts=building_parts(building_id),
            form=None,
            report_form=None,
            is_favorite=current_user.is_authenticated
            and actions.is_favorite(current_user.id, building_id),
            compare_ids=session.get("compare", []),
            revealed_mobile=mobile,
        ),
        200,
    )
    return html, status, NO_STORE
