"""Views of the agents' area: the dashboard, inquiries, reports and the address preview."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app.accounts.services import safe_next
from app.agent import services
from app.agent.forms import InquiryAnswerForm, InquiryStatusForm
from app.config import GEOCODE_LIMIT, PER_PAGE
from app.extensions import db, limiter, login_manager
from app.filters import site_url
from app.geo.geocode import geocoder
from app.geo.locate import locate
from app.listings.actions import flush_views
from app.listings.forms import MAX_PAGE
from app.models.accounts import INQUIRY_STATUS_LABELS

bp = Blueprint("agent", __name__, url_prefix="/agent")


@bp.before_request
def agents_only():
    """Send strangers to sign in; tenants and editors get 403 (stored photos are public)."""
    if request.endpoint == "agent.media":
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_role(*services.AGENT_ROLES):
        abort(403)
    return None


@bp.get("/")
def dashboard():
    """Show the agent's figures, buildings and units with their freshness."""
    flush_views()  # the views this worker still holds belong in the figures
    page = request.args.get("page", 1, type=int) or 1
    found = services.my_buildings(current_user, max(1, min(page, MAX_PAGE)))
    return render_template(
        "agent/dashboard.html",
        counts=services.counts(current_user),
        buildings=found.items,
        pages=found,
        freshness=services.freshness,
        new_inquiries=services.inquiry_page(current_user, "new", 1, 5).items,
    )


@bp.get("/inquiries")
def inquiries():
    """List the inquiries received, by status, newest first, with their answers and next steps."""
    return _inquiry_list()


def _inquiry_list(status_code: int = 200):
    status = request.args.get("status")
    status = status if status in INQUIRY_STATUS_LABELS else None
    page = request.args.get("page", 1, type=int)
    pages = services.inquiry_page(current_user, status, max(1, min(page, 100_000)), PER_PAGE)
    return render_template(
        "agent/inquiries.html",
        pages=pages,
        status=status,
        counts=services.inquiry_status_counts(current_user),
        labels=INQUIRY_STATUS_LABELS,
        transitions=services.INQUIRY_TRANSITIONS,
        max_answer=services.MAX_ANSWER,
        # Where an answer or a step leads back to: this list as filtered (a refused post
        # renders the list at its own URL, which is no page to come back to).
        here=request.full_path.rstrip("?")
        if request.endpoint == "agent.inquiries"
        else url_for("agent.inquiries"),
    ), status_code


def _back_to(form, inquiry_id: int) -> str:
    """The list the agent acted from, at the inquiry acted on."""
    target = safe_next(form.next.data) or url_for("agent.inquiries")
    return f"{target.split('#')[0]}#inquiry-{inquiry_id}"


def _refused(message: str, status_code: int):
    """The list again with the reason the change was refused (422: the input; 409: the step
    does not fit where the inquiry is); nothing was changed."""
    db.session.rollback()
    flash(message, "danger")
    return _inquiry_list(status_code)


@bp.post("/inquiries/<int:inquiry_id>/answer")
def inquiry_answer(inquiry_id: int):
    """Answer an inquiry; a tenant who sent it signed in gets the answer by email."""
    inquiry = services.inquiry_for(current_user, inquiry_id) or abort(404)
    form = InquiryAnswerForm()
    if not form.validate_on_submit():
        return _refused(_first_error(form), 422)
    page_url = site_url("accounts.inquiries")
    try:
        emailed = services.answer_inquiry(inquiry, form.answer.data, page_url)
    except services.AgentError as exc:
        return _refused(str(exc), 409)
    db.session.commit()
    flash("回复已保存，已发邮件通知租户。" if emailed else "回复已保存。", "success")
    return redirect(_back_to(form, inquiry.id))


@bp.post("/inquiries/<int:inquiry_id>/status")
def inquiry_status(inquiry_id: int):
    """Move an inquiry one step: 已联系, 已带看, 已成交 or 无效."""
    inquiry = services.inquiry_for(current_user, inquiry_id) or abort(404)
    form = InquiryStatusForm()
    if not form.validate_on_submit():
        return _refused(_first_error(form), 422)
    try:
        services.move_inquiry(inquiry, form.status.data)
    except services.AgentError as exc:
        return _refused(str(exc), 409)
    db.session.commit()
    flash(f"已标为“{INQUIRY_STATUS_LABELS[inquiry.status]}”。", "success")
    return redirect(_back_to(form, inquiry.id))


def _first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return "请求无效，请刷新页面后重试。"


@bp.get("/reports")
def reports():
    """List the reports tenants made about the agent's buildings."""
    items = services.reports_for(current_user)
    return render_template("agent/reports.html", reports=items, admin=False)


@bp.post("/reports/<int:report_id>/resolve")
def report_resolve(report_id: int):
    """Mark a report resolved."""
    report = services.report_for(current_user, report_id) or abort(404)
    services.resolve_report(report)
    db.session.commit()
    flash("举报已标记为已处理。", "success")
    return redirect(url_for("agent.reports"))


@bp.get("/geocode")
@limiter.limit(GEOCODE_LIMIT)
def geocode_preview():
    """Geocode an address for the pin map (JSON); the form works without it."""
    address = (request.args.get("address") or "").strip()[:200]
    found = geocoder().geocode(address) if address else None
    if found is None:
        return jsonify(found=False, message="未能识别该地址，请在地图上点选位置。")
    where = locate(found.lat, found.lon)
    return jsonify(
        found=True,
        lat=found.lat,
        lon=found.lon,
        precision=found.precision,
        source=found.source,
        label=found.label,
        town=where.town.name if where.town else None,
        district=where.district.name if where.district else None,
        park=where.park.name if where.park else None,
        note=None if where.district else "该位置不在已知的区县范围内。",
    )
