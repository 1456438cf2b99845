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

from app.agent import services
from app.config import GEOCODE_LIMIT
from app.extensions import db, limiter, login_manager
from app.geo.geocode import geocoder
from app.geo.locate import locate
from app.listings.actions import flush_views

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
    buildings = services.my_buildings(current_user)
    return render_template(
        "agent/dashboard.html",
        counts=services.counts(current_user),
        buildings=buildings,
        freshness=services.freshness,
        new_inquiries=services.inquiries_for(current_user, "new")[:5],
    )


@bp.get("/inquiries")
def inquiries():
    """List the inquiries received, new or answered."""
    status = request.args.get("status")
    status = status if status in ("new", "answered") else None
    items = services.inquiries_for(current_user, status)
    return render_template("agent/inquiries.html", inquiries=items, status=status)


@bp.post("/inquiries/<int:inquiry_id>/answered")
def inquiry_answered(inquiry_id: int):
    """Mark an inquiry answered."""
    inquiry = services.inquiry_for(current_user, inquiry_id) or abort(404)
    services.mark_answered(inquiry)
    db.session.commit()
    flash("已标记为已回复。", "success")
    return redirect(url_for("agent.inquiries"))


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
