"""Views of an agent's buildings: post, edit, look after and publish."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.agent import services
from app.agent.forms import BuildingForm, PhotoForm
from app.agent.views import bp
from app.extensions import db
from app.geo.geocode import geocoder
from app.geo.maps import TILES, MapPoint, build_map, tiles_name

PRECISION_LABELS = {
    "address": "门牌/图钉",
    "street": "道路",
    "park": "园区",
    "town": "镇街",
    "district": "区县",
    "city": "城市",
}
SOURCE_LABELS = {
    "pin": "手动图钉",
    "gazetteer": "地名库",
    "nominatim": "Nominatim",
    "baidu": "百度地图",
    "demo": "演示数据",
}


OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = "&copy; OpenStreetMap contributors"


def pin_map() -> dict:
    """What static/js/pin.js needs to draw the pin map with the configured tiles."""
    name = tiles_name()
    if name == "osm":
        return {"tiles": OSM_TILES, "attr": OSM_ATTR, "subdomains": "abc", "gcj02": "0"}
    tiles = TILES[name]
    return {
        "tiles": tiles["tiles"],
        "attr": tiles["attr"],
        "subdomains": tiles.get("subdomains", "abc"),
        "gcj02": "1" if tiles["gcj02"] else "0",
    }


def _owned(building_id: int):
    return services.building_for(current_user, building_id) or abort(404)


def _save(form: BuildingForm, building=None):
    """Save the form through the service and flash what placing changed; on a refusal, put the
    message by the field it concerns and return None."""
    notes: list[str] = []
    try:
        saved = services.save_building(
            current_user,
            form.to_input(),
            building,
            geocoder=geocoder(),
            notes=notes,
        )
    except services.PointNotFound as exc:
        form.address.errors.append(str(exc))
        return None
    except services.ChoiceRefused as exc:
        form[f"{exc.field}_choice"].errors.append(str(exc))
        return None
    for note in notes:
        flash(note, "warning")
    return saved


def _point_of(form: BuildingForm, building=None) -> tuple[float | None, float | None]:
    """The point the page shows: the form's (a pin or a preview), else the building's."""
    lat, lon = form.lat.data, form.lon.data
    if form.lat.errors or form.lon.errors or lat is None or lon is None:
        return (building.lat, building.lon) if building is not None else (None, None)
    return lat, lon


def _form_page(form: BuildingForm, building=None):
    status = 422 if form.is_submitted() else 200
    towns, parks = services.place_choices(*_point_of(form, building))
    form.set_place_choices(towns, parks, building)
    page = render_template(
        "agent/building_form.html",
        form=form,
        building=building,
        pin_map=pin_map(),
        choices_known=bool(towns or parks),
    )
    return page, status


@bp.route("/buildings/new", methods=["GET", "POST"])
def building_new():
    """Post a new building (a draft until published)."""
    form = BuildingForm()
    if form.validate_on_submit():
        building = _save(form)
        if building is not None:
            db.session.commit()
            flash("楼盘已保存为草稿，添加房源和照片后即可发布。", "success")
            return redirect(url_for("agent.building", building_id=building.id))
    return _form_page(form)


@bp.route("/buildings/<int:building_id>/edit", methods=["GET", "POST"])
def building_edit(building_id: int):
    """Edit a building the agent owns."""
    building = _owned(building_id)
    form = BuildingForm(obj=building)
    if not form.is_submitted():
        form.pin.data = "1" if building.point_source == "pin" else ""
        form.show_choices_of(building)
    if form.validate_on_submit() and _save(form, building) is not None:
        db.session.commit()
        flash("楼盘已更新。", "success")
        return redirect(url_for("agent.building", building_id=building.id))
    return _form_page(form, building)


def show_building(found, photo_form: PhotoForm | None = None) -> str:
    """Render the agent's page of one building: point, units and photos."""
    rendered = None
    if found.lat is not None and found.lon is not None:
        point = MapPoint(found.lat, found.lon, found.name)
        rendered = build_map([point], zoom=14)
    return render_template(
        "agent/building.html",
        building=found,
        map=rendered,
        photo_form=photo_form or PhotoForm(),
        freshness=services.freshness,
        precision_labels=PRECISION_LABELS,
        source_labels=SOURCE_LABELS,
    )


@bp.get("/buildings/<int:building_id>")
def building(building_id: int):
    """Show one of the agent's buildings with its point, units and photos."""
    return show_building(_owned(building_id))


@bp.post("/buildings/<int:building_id>/publish")
def building_publish(building_id: int):
    """Publish a building so tenants find it."""
    found = _owned(building_id)
    try:
        services.publish(current_user, found)
    except services.AgentError as exc:
        flash(str(exc), "danger")
        return show_building(found), 409
    db.session.commit()
    flash("楼盘已发布。", "success")
    return redirect(url_for("agent.building", building_id=found.id))


@bp.post("/buildings/<int:building_id>/withdraw")
def building_withdraw(building_id: int):
    """Take a building back to draft."""
    found = _owned(building_id)
    services.withdraw(found)
    db.session.commit()
    flash("楼盘已撤回为草稿。", "info")
    return redirect(url_for("agent.building", building_id=found.id))
