"""Views of the listing search, the building pages and what tenants do there."""

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
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from app import pagecache
from app.accounts.services import safe_next
from app.config import INQUIRY_LIMIT, REPORT_LIMIT
from app.extensions import db, limiter
from app.filters import site_url
from app.geo import maps
from app.geo.maps import tiles_name
from app.listings import actions, compare, details, mapping, services
from app.listings.forms import SORTS, CompareForm, InquiryForm, ReportForm, SearchForm
from app.listings.search import API_MAP_LIMIT
from app.listings.search import search as find_buildings
from app.models import stamps

bp = Blueprint("listings", __name__, url_prefix="/listings")


def read_search(args) -> tuple[SearchForm, dict]:
    """Validate the query string; return the form and the values of the fields that passed."""
    form = SearchForm(args)
    form.validate()
    params = {
        name: (f.data.strip() if isinstance(f.data, str) else f.data)
        for name, f in form._fields.items()
        if not f.errors
    }
    return form, params


def attach_errors(form: SearchForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]


@bp.get("/")
def search():
    """Search published buildings by place, price, size, grade, keyword and distance.

    The results (filters, cards, pagination, the map's frame) are one cached fragment per
    question and per version of the listings; the shell around it is rendered per visitor,
    except for visitors who are not signed in, who share the whole page (pagecache.page).
    """
    compare_ids = session.get("compare", [])
    tiles = tiles_name()
    question = (tiles, tuple(sorted(request.args.items(multi=True))), tuple(sorted(compare_ids)))

    def render_page():
        body, status = pagecache.fragment(
            "search", (stamps.LISTINGS,), question, lambda: _search_body(tiles, compare_ids)
        )
        return render_template(
            "listings/search.html", body=Markup(body), map_script=maps.results_map(tiles).script
        ), status

    return pagecache.page("search-page", (stamps.LISTINGS,), question, render_page)


def _search_body(tiles: str, compare_ids: list[int]) -> tuple[str, int]:
    form, params = read_search(request.args)
    result = find_buildings(params, map_limit=0)
    attach_errors(form, result.errors)
    html = render_template(
        "listings/_search_body.html",
        form=form,
        result=result,
        sorts=SORTS,
        results_map=mapping.results_map(result, request.args.to_dict(), tiles),
        api_map_limit=API_MAP_LIMIT,
        compare_ids=compare_ids,
    )
    return html, (400 if form.errors else 200)


@bp.get("/<int:building_id>")
def building(building_id: int):
    """Show one building: facts, units, photos, map, distances, news and the inquiry form.

    Just after an inquiry was sent, the page is this visitor's own (never the shared one), with
    the confirmation where the form was (`inquiry` below sends the browser to `#inquiry`).
    """
    if session.get("inquiry_sent") == building_id:
        session.pop("inquiry_sent")
        parts = building_parts(building_id)
        sent = InquiryForm(formdata=None)
        return pagecache.fill(*_render_building(building_id, parts, sent, inquiry_sent=True))
    page = pagecache.page(
        "building-page",
        BUILDING_STAMPS,
        _building_question(building_id),
        lambda: _render_building(building_id, building_parts(building_id), _own_inquiry_form()),
    )
    actions.count_view(building_id)
    return page


BUILDING_STAMPS = (stamps.LISTINGS, stamps.NEWS)


def _own_inquiry_form() -> InquiryForm | None:
    """For a signed-in visitor, the inquiry form with their name and mobile filled in (the one
    they last gave, else their account's); None (the shared blank copy) for anyone else. Only
    signed-in visitors' pages are rendered for them alone, so the shared copy stays blank."""
    if not current_user.is_authenticated:
        return None
    found = services.get_public_building(request.view_args["building_id"])
    if found is None:
        return None  # building_parts answers 404
    name, mobile = actions.contact_details(current_user)
    form = InquiryForm(formdata=None, data={"name": name, "mobile": mobile})
    return form.offer_units(actions.inquiry_units(found))


def _building_question(building_id: int) -> tuple:
    return (building_id, tiles_name(), tuple(sorted(session.get("compare", []))))


def building_parts(building_id: int) -> dict:
    """The parts of a building page that are the same for every visitor, cached under the
    listings and news stamps; a building that is not public is a 404."""
    parts, status = pagecache.fragment(
        "building",
        BUILDING_STAMPS,
        _building_question(building_id),
        lambda: _draw_building(building_id, session.get("compare", [])),
    )
    if status == 404:
        abort(404)
    return {name: Markup(html) for name, html in parts.items()}


def _draw_building(building_id: int, compare_ids: list[int]) -> tuple[dict | None, int]:
    found = services.get_public_building(building_id)
    if found is None:
        return None, 404
    page = details.page(found)
    context = {
        "building": found,
        "units": page.units,
        "distances": page.distances,
        "news": page.news,
        "similar": page.similar,
        "map": mapping.building_map(found, page.nearby, page.map_stations) if found.lat else None,
        "compare_ids": compare_ids,
    }
    # The blank forms too: the page adds their CSRF tokens outside them (form="...").
    blank = {"csrf": False}
    units = actions.inquiry_units(found, page.units)
    context["form"] = InquiryForm(formdata=None, meta=blank).offer_units(units)
    context["report_form"] = ReportForm(formdata=None, meta=blank)
    context["building_id"] = found.id
    parts = {
        name: render_template(f"listings/_building_{name}.html", **context)
        for name in ("header", "facts", "related", "inquiry", "report")
    }
    parts["title"] = str(escape(found.name))
    parts["map_script"] = context["map"].script if context["map"] else ""
    return parts, 200


def _render_building(
    building_id: int,
    parts: dict,
    inquiry_form=None,
    report_form=None,
    status: int = 200,
    inquiry_sent: bool = False,
):
    """The page around the cached parts; a form given (sent back with its errors, or the
    inquiry form's confirmation) is rendered in place of its blank cached copy."""
    return render_template(
        "listings/building.html",
        building_id=building_id,
        parts=parts,
        form=inquiry_form,
        report_form=report_form,
        is_favorite=current_user.is_authenticated
        and actions.is_favorite(current_user.id, building_id),
        compare_ids=session.get("compare", []),
        inquiry_sent=inquiry_sent,
    ), status


@bp.post("/<int:building_id>/inquiry")
@limiter.limit(INQUIRY_LIMIT)
def inquiry(building_id: int):
    """Store a tenant's message or viewing request for the building's agent and email the agent.

    Sent: back to the building page at `#inquiry`, where the confirmation takes the form's place.
    Refused: the page with the form and its errors, opened at the form (its action ends with
    `#inquiry`, and the first field in error has the focus).
    """
    found = services.get_public_building(building_id) or abort(404)
    form = InquiryForm().offer_units(actions.inquiry_units(found))
    if not form.validate_on_submit():
        form.focus_first_error()
        parts = building_parts(found.id)
        return _render_building(found.id, parts, inquiry_form=form, status=400)
    user_id = current_user.id if current_user.is_authenticated else None
    inquiry = actions.create_inquiry(found, form.data, user_id, form.unit_id)
    inbox = site_url("agent.inquiries", _anchor=f"inquiry-{inquiry.id}")
    actions.notify_agent(inquiry, inbox)
    db.session.commit()
    session["inquiry_sent"] = found.id
    return redirect(url_for("listings.building", building_id=found.id, _anchor="inquiry"))


@bp.post("/<int:building_id>/report")
@limiter.limit(REPORT_LIMIT)
def report(building_id: int):
    """Record a tenant's report that a listing is leased or wrong."""
    found = services.get_public_building(building_id) or abort(404)
    form = ReportForm()
    if not form.validate_on_submit():
        parts = building_parts(found.id)
        return _render_building(found.id, parts, report_form=form, status=400)
    actions.create_report(found, form.reason.data, form.note.data or "")
    db.session.commit()
    flash("感谢反馈，我们会尽快核实该房源信息。", "success")
    return redirect(url_for("listings.building", building_id=found.id))


@bp.post("/<int:building_id>/favorite")
@login_required
def favorite(building_id: int):
    """Add the building to the signed-in user's favourites, or take it out."""
    found = services.get_public_building(building_id) or abort(404)
    added = actions.toggle_favorite(current_user.id, found.id)
    db.session.commit()
    flash("已收藏该楼盘。" if added else "已取消收藏。", "success")
    return redirect(url_for("listings.building", building_id=found.id))


@bp.get("/favorites")
@login_required
def favorites():
    """List the signed-in user's favourite buildings."""
    return render_template("listings/favorites.html", cards=actions.favorite_cards(current_user.id))


@bp.post("/compare")
def compare_update():
    """Add a building to the comparison, or take one out."""
    form = CompareForm()
    if not form.validate_on_submit():
        abort(400)
    ids = session.get("compare", [])
    if form.action.data == "remove":
        ids = compare.remove(ids, form.building_id.data)
    else:
        if services.get_public_building(form.building_id.data) is None:
            abort(404)
        ids, fitted = compare.add(ids, form.building_id.data)
        if not fitted:
            flash(f"最多同时对比 {compare.MAX_COMPARED} 个楼盘，请先移除一个。", "warning")
    session["compare"] = ids
    return redirect(safe_next(form.next.data) or url_for("listings.compare_page"))


@bp.get("/compare")
def compare_page():
    """Show the compared buildings side by side; ?ids=1,2 makes the table shareable."""
    ids = (
        compare.parse_ids(request.args.get("ids", ""))
        if "ids" in request.args
        else session.get("compare", [])
    )
    near = (request.args.get("near") or "").strip()[:40]
    origin = compare.origin_for(near)
    error = None
    if near and origin is None:
        error = f"找不到地点“{near}”，已按 {details.KEY_STATION} 计算距离。"
        origin = compare.origin_for(None)
    columns = compare.columns(ids, origin)
    return render_template(
        "listings/compare.html",
        columns=columns,
        origin=origin,
        near=near,
        error=error,
        share_ids=",".join(str(c.building.id) for c in columns),
        max_compared=compare.MAX_COMPARED,
        key_station=details.KEY_STATION,
    ), (400 if error else 200)
