"""The tenants' side of 求租: /requirements/new, its confirmation, and the emailed close link."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from app.accounts.services import safe_next
from app.extensions import db, limiter
from app.filters import site_url
from app.models.alerts import REQUIREMENT_DAYS
from app.models.base import utcnow
from app.requirements import answers, services
from app.requirements.forms import CloseForm, RequirementForm
from app.requirements.services import PLACES_MAX, STATE_LABELS

bp = Blueprint("requirements", __name__)
bp.add_app_template_global(STATE_LABELS, "REQUIREMENT_STATES")
SENT = "requirement_sent"  # session: the requirement this visitor just posted


@bp.app_template_global()
def my_requirements(user_id: int) -> list:
    """A signed-in tenant's requirements with their answers (for /accounts/inquiries)."""
    now = utcnow()
    return [
        (r, services.state(r, now), services.summary(r)) for r in services.my_requirements(user_id)
    ]


@bp.app_template_global()
def requirement_matches(agent_id: int) -> tuple[int, int]:
    """How many open requirements the agent's units meet, and how many await their answer
    (for the agents' dashboard)."""
    return answers.open_count(agent_id)


def _form() -> tuple[RequirementForm, list, list]:
    groups, parks = services.place_groups(), services.park_options()
    data = None
    if request.method == "GET" and current_user.is_authenticated:
        data = {
            "name": current_user.name[:20],
            "mobile": current_user.mobile or "",
            "email": current_user.email,
        }
    form = RequirementForm(today=utcnow().date(), data=data)
    place_ids = [p.id for g in groups for p in ([g.district] if g.district else []) + g.towns]
    form.offer(place_ids, [park.id for park in parks])
    return form, groups, parks


@bp.route("/requirements/new", methods=["GET", "POST"])
@limiter.limit(services.POST_LIMIT, methods=["POST"])
def new():
    """Show the 求租 form (filled in from the account when signed in); post a requirement,
    email the tenant its close link, and show the confirmation."""
    form, groups, parks = _form()
    if form.validate_on_submit():
        user_id = current_user.id if current_user.is_authenticated else None
        requirement = services.create_requirement(form.to_input(), user_id)
        close_url = site_url("requirements.close", token=requirement.token)
        services.notify_posted(requirement, close_url)
        db.session.commit()
        session[SENT] = requirement.id
        return redirect(url_for("requirements.sent"))
    if form.is_submitted():
        form.focus_first_error()
    first, last = services.move_in_months(utcnow().date())
    return render_template(
        "requirements/new.html",
        form=form,
        groups=groups,
        parks=parks,
        chosen_places=set(form.places.data or []),
        chosen_parks=set(form.parks.data or []),
        places_max=PLACES_MAX,
        month_min=f"{first:%Y-%m}",
        month_max=f"{last:%Y-%m}",
        days=REQUIREMENT_DAYS,
    ), 422 if form.is_submitted() else 200


@bp.get("/requirements/sent")
def sent():
    """Confirm the requirement this visitor just posted; anyone else is sent to the form."""
    requirement_id = session.get(SENT)
    requirement = services.by_id(requirement_id) if isinstance(requirement_id, int) else None
    if requirement is None:
        return redirect(url_for("requirements.new"))
    return render_template(
        "requirements/sent.html",
        requirement=requirement,
        summary=services.summary(requirement),
        days=REQUIREMENT_DAYS,
    )


@bp.route("/requirements/<token>/close", methods=["GET", "POST"])
def close(token: str):
    """Ask the holder of the emailed link to confirm (GET); close the requirement (POST)."""
    requirement = services.by_token(token) or abort(404)
    form = CloseForm()
    if form.validate_on_submit():
        closed = services.close(requirement)
        db.session.commit()
        flash("求租已关闭，经纪人将不再看到它。" if closed else "这条求租此前已关闭。", "success")
        return redirect(safe_next(form.next.data) or url_for("requirements.close", token=token))
    state = services.state(requirement)
    return render_template(
        "requirements/close.html",
        form=form,
        requirement=requirement,
        summary=services.summary(requirement),
        state=state,
        days=REQUIREMENT_DAYS,
    ), 422 if form.is_submitted() else 200
