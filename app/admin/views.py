"""Views of moderation: buildings (publish, hide, 推荐), reports and users."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts import services as accounts
from app.accounts.decorators import role_required
from app.agent import services
from app.extensions import db, login_manager
from app.listings.forms import MAX_PAGE
from app.models import Building, BuildingStatus, Report, Role, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def moderators_only():
    """Send strangers to sign in; only editors and admins may moderate."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_role(*services.MODERATOR_ROLES):
        abort(403)
    return None


@bp.get("/")
def index():
    """Start at the buildings."""
    return redirect(url_for("admin.buildings"))


@bp.get("/buildings")
def buildings():
    """List every building with its state."""
    status = request.args.get("status")
    status = status if status in {s.value for s in BuildingStatus} else None
    found = services.all_buildings(status, _page())
    return render_template(
        "admin/buildings.html", buildings=found.items, pages=found, status=status
    )


def _page() -> int:
    """The page asked for, within the list's bounds (a page past the end is empty)."""
    return max(1, min(request.args.get("page", 1, type=int) or 1, MAX_PAGE))


@bp.post("/buildings/<int:building_id>/<any(publish, hide, feature, unfeature):action>")
def moderate(building_id: int, action: str):
    """Publish, hide, feature or unfeature a building."""
    building = db.session.get(Building, building_id) or abort(404)
    services.moderate(building, action)
    db.session.commit()
    flash(f"已更新：{building.name}", "success")
    return redirect(url_for("admin.buildings", status=request.args.get("status")))


@bp.get("/reports")
def reports():
    """List every report, open first."""
    items = sorted(services.reports_for(None), key=lambda r: r.resolved)
    return render_template("agent/reports.html", reports=items, admin=True)


@bp.post("/reports/<int:report_id>/resolve")
def report_resolve(report_id: int):
    """Mark a report resolved."""
    report = db.session.get(Report, report_id) or abort(404)
    services.resolve_report(report)
    db.session.commit()
    flash("举报已标记为已处理。", "success")
    return redirect(url_for("admin.reports"))


@bp.get("/users")
@role_required("admin")
def users():
    """List the users with their roles."""
    role = request.args.get("role")
    role = role if role in {r.value for r in Role} else None
    found = accounts.list_users(role, _page())
    return render_template("admin/users.html", users=found.items, pages=found, role=role)


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def user_role(user_id: int):
    """Give a user another role."""
    return _change(
        user_id, lambda u: accounts.change_role(current_user, u, request.form.get("role", ""))
    )


@bp.post("/users/<int:user_id>/<any(activate, deactivate):action>")
@role_required("admin")
def user_active(user_id: int, action: str):
    """Deactivate or reactivate an account."""
    active = action == "activate"
    return _change(user_id, lambda u: accounts.set_active(current_user, u, active))


@bp.post("/users/<int:user_id>/signout")
@role_required("admin")
def user_signout(user_id: int):
    """Sign a user out everywhere (a lost phone, a shared computer): every session and remember
    cookie of theirs stops working."""
    return _change(user_id, accounts.sign_out_everywhere)


def _change(user_id: int, change):
    user = _user(user_id)
    try:
        change(user)
    except accounts.AccountError as exc:
        flash(str(exc), "danger")
        found = accounts.list_users(None, 1)
        users_page = render_template("admin/users.html", users=found.items, pages=found, role=None)
        return users_page, 422
    db.session.commit()
    flash(f"已更新用户：{user.email}", "success")
    return redirect(url_for("admin.users"))
