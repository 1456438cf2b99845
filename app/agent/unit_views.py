"""Views of the units (房源) in an agent's buildings: add, edit, status, 刷新 and delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.agent import services
from app.agent.building_views import show_building
from app.agent.forms import UnitForm
from app.agent.views import bp
from app.extensions import db


def _unit(unit_id: int):
    return services.unit_for(current_user, unit_id) or abort(404)


def _back(building_id: int):
    return redirect(url_for("agent.building", building_id=building_id))


def _form_page(form: UnitForm, building, unit=None):
    status = 422 if form.is_submitted() else 200
    page = render_template("agent/unit_form.html", form=form, building=building, unit=unit)
    return page, status


@bp.route("/buildings/<int:building_id>/units/new", methods=["GET", "POST"])
def unit_new(building_id: int):
    """Add a unit to a building."""
    building = services.building_for(current_user, building_id) or abort(404)
    form = UnitForm(building_floors=building.floors)
    if form.validate_on_submit():
        try:
            services.save_unit(building, form.to_input())
        except services.AgentError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash("房源已添加。", "success")
            return _back(building.id)
    return _form_page(form, building)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    """Edit a unit."""
    unit = _unit(unit_id)
    form = UnitForm(obj=unit, building_floors=unit.building.floors)
    if form.validate_on_submit():
        try:
            services.save_unit(unit.building, form.to_input(), unit)
        except services.AgentError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash("房源已更新。", "success")
            return _back(unit.building_id)
    return _form_page(form, unit.building, unit)


@bp.post("/units/<int:unit_id>/status")
def unit_status(unit_id: int):
    """Mark a unit available, reserved, leased or sold."""
    unit = _unit(unit_id)
    try:
        services.set_unit_status(unit, request.form.get("status", ""))
    except services.AgentError as exc:
        flash(str(exc), "danger")
        return show_building(unit.building), 422
    db.session.commit()
    flash("房源状态已更新。", "success")
    return _back(unit.building_id)


@bp.post("/units/<int:unit_id>/confirm")
def unit_confirm(unit_id: int):
    """刷新: confirm the unit is still as listed."""
    unit = _unit(unit_id)
    services.confirm_unit(unit)
    db.session.commit()
    flash("房源已刷新。", "success")
    if request.form.get("back") == "dashboard":
        return redirect(url_for("agent.dashboard"))
    return _back(unit.building_id)


@bp.post("/units/<int:unit_id>/delete")
def unit_delete(unit_id: int):
    """Delete a unit."""
    unit = _unit(unit_id)
    building_id = unit.building_id
    services.delete_unit(unit)
    db.session.commit()
    flash("房源已删除。", "info")
    return _back(building_id)
