"""The agents' side of 求租: /agent/requirements, the requirements their units can meet, and
answering one with chosen units."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.agent.services import AGENT_ROLES
from app.config import PER_PAGE
from app.extensions import db, login_manager
from app.requirements import answers
from app.requirements.forms import AnswerForm
from app.requirements.services import STATE_LABELS, RequirementError, summary
from app.requirements.views import bp


def agents_only(view):
    """Strangers sign in first; tenants and editors get 403, as in the rest of /agent/."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.has_role(*AGENT_ROLES):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


@bp.get("/agent/requirements")
@agents_only
def agent_list():
    """List the open requirements the agent's published units can meet, with those units."""
    page = max(1, min(request.args.get("page", 1, type=int), 100_000))
    found = answers.offer_page(current_user.id, page, PER_PAGE)
    return render_template(
        "agent/requirements.html",
        found=found,
        summary=summary,
        labels=STATE_LABELS,
    )


def _offer_page(offer: answers.Offer, form: AnswerForm, error: str | None = None, status=200):
    chosen = set(form.units.data or []) if form.is_submitted() else {u.id for u in offer.units}
    return render_template(
        "agent/requirements_detail.html",
        offer=offer,
        form=form,
        chosen=chosen,
        error=error,
        summary=summary(offer.requirement),
        labels=STATE_LABELS,
        message_max=answers.MESSAGE_MAX,
    ), status


def _offer(requirement_id: int) -> answers.Offer:
    """The requirement as the signed-in agent sees it, or 404 when it is none of theirs."""
    oversee = current_user.has_role("admin")
    return answers.offer_for(current_user.id, requirement_id, oversee=oversee) or abort(404)


@bp.get("/agent/requirements/<int:requirement_id>")
@agents_only
def agent_offer(requirement_id: int):
    """Show one requirement the agent's units meet, with the form to answer it."""
    offer = _offer(requirement_id)
    return _offer_page(offer, AnswerForm())


@bp.post("/agent/requirements/<int:requirement_id>/answer")
@agents_only
def agent_answer(requirement_id: int):
    """Answer a requirement with units among the agent's matching ones and a message; the
    tenant gets it by email, and the agent sees the tenant's full mobile from then on."""
    offer = _offer(requirement_id)
    form = AnswerForm()
    try:
        answers.check_answerable(offer)  # a closed one says so whatever was filled in
        if not form.validate_on_submit():
            return _offer_page(offer, form, status=422)
        answers.answer(current_user, offer, form.units.data, form.message.data)
    except RequirementError as exc:
        return _offer_page(offer, form, str(exc), exc.status)
    answers.notify_tenant(offer, current_user)
    db.session.commit()
    flash("回复已发送，租户会收到邮件。现在可以看到租户的完整手机号码。", "success")
    return redirect(url_for("requirements.agent_offer", requirement_id=requirement_id))
