"""Views of saved searches: 订阅此搜索, /searches/ (rename, frequency, pause, delete), the
private Atom feed and the one-click unsubscribe link of the alert emails."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app import pagecache
from app.alerts import conditions, feed, services
from app.alerts.forms import EditForm, SubscribeForm
from app.extensions import csrf, db
from app.listings.forms import SearchForm
from app.models import stamps
from app.models.alerts import FREQUENCY_LABELS

bp = Blueprint("searches", __name__, url_prefix="/searches")
ONE_CLICK = ("List-Unsubscribe", "One-Click")  # RFC 8058's body


@bp.app_template_global()
def subscription_name(args) -> str:
    """The name a new subscription to the search in `args` is offered (its conditions)."""
    form = SearchForm(args)
    form.validate()
    params = {
        name: (f.data.strip() if isinstance(f.data, str) else f.data)
        for name, f in form._fields.items()
        if not f.errors
    }
    return conditions.default_name(conditions.query_of(params))


def _query_args(text: str) -> MultiDict:
    return MultiDict(parse_qsl(text or "", keep_blank_values=False))


def _new_page(form: SubscribeForm, checked: services.CheckedQuery, status: int):
    back = url_for("listings.search", **conditions.link_args(checked.query))
    page = render_template("searches/new.html", form=form, checked=checked, back=back)
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Subscribe to a /listings/ search: its conditions, a name and how often to be told."""
    if request.method == "GET":
        query = request.query_string.decode("utf-8", "replace")
        checked = services.check_query(_query_args(query))
        name = conditions.default_name(checked.query)
        form = SubscribeForm(formdata=None, query=query, name=name)
        return _new_page(form, checked, 400 if checked.errors else 200)
    form = SubscribeForm()
    valid = form.validate()
    checked = services.check_query(_query_args("" if form.query.errors else form.query.data))
    if valid:
        try:
            search = services.save(current_user, checked, form.name.data, form.frequency.data)
        except services.AlertError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            label = FREQUENCY_LABELS[search.frequency]
            flash(f"已订阅“{search.name}”，有新房源或降价时会{label}发邮件提醒您。", "success")
            return redirect(url_for("searches.index", _anchor=f"search-{search.id}"))
    return _new_page(form, checked, 422)


def _index_page(failed: EditForm | None = None, failed_id: int | None = None, status: int = 200):
    listed = services.searches_of(current_user)
    forms = {}
    for item in listed:
        if item.search.id == failed_id:
            forms[item.search.id] = failed
        else:
            forms[item.search.id] = EditForm(
                formdata=None, name=item.search.name, frequency=item.search.frequency
            )
    page = render_template(
        "searches/index.html",
        listed=listed,
        forms=forms,
        labels=FREQUENCY_LABELS,
        limit=services.SAVED_SEARCH_LIMIT,
    )
    return page, status


@bp.get("/")
@login_required
def index():
    """List the user's saved searches with their conditions, frequency and waiting alerts."""
    return _index_page()


def _owned(search_id: int):
    return services.owned(current_user, search_id) or abort(404)


@bp.post("/<int:search_id>/edit")
@login_required
def edit(search_id: int):
    """Rename a saved search or change how often it emails."""
    search = _owned(search_id)
    form = EditForm()
    if form.validate():
        services.update(search, form.name.data, form.frequency.data)
        db.session.commit()
        flash(f"已保存“{search.name}”：{FREQUENCY_LABELS[search.frequency]}提醒。", "success")
        return redirect(url_for("searches.index", _anchor=f"search-{search.id}"))
    return _index_page(form, search.id, 422)


@bp.post("/<int:search_id>/pause")
@login_required
def pause(search_id: int):
    """Pause a saved search (no alerts, no emails) or resume it."""
    search = _owned(search_id)
    action = request.form.get("action", "")
    if action not in ("pause", "resume"):
        abort(400, "未知的操作。")
    services.set_paused(search, action == "pause")
    db.session.commit()
    done = "已暂停，不再发送提醒" if search.paused else "已恢复提醒"
    flash(f"“{search.name}”{done}。", "success")
    return redirect(url_for("searches.index", _anchor=f"search-{search.id}"))


@bp.get("/<token>.atom", endpoint="feed")
def feed_atom(token: str):
    """Serve a saved search's private feed; the token in the address is its key."""
    search = services.by_token(token) or abort(404)

    def render():
        cards, valid = feed.newest(search)
        return feed.atom(search, cards, valid).decode("utf-8"), 200

    # The same feed for every reader until the listings (or the search itself) change.
    parts = (search.token, search.name, search.frequency, repr(sorted(search.params.items())))
    body, _status = pagecache.fragment("search-feed", (stamps.LISTINGS,), parts, render)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """Stop a saved search's emails. GET asks (link scanners fetch links, and must not
    unsubscribe anyone); POST does it: from a mail client's one-click button (RFC 8058: the body
    List-Unsubscribe=One-Click, no session, no CSRF token: the token in the address is the
    key) or from the page's own button (CSRF-checked, as every form of the site)."""
    search = services.by_token(token) or abort(404)
    if request.method == "GET":
        summary = conditions.summary(search.params)
        return render_template("searches/unsubscribe.html", search=search, summary=summary)
    if request.form.get(ONE_CLICK[0]) != ONE_CLICK[1] and current_app.config.get(
        "WTF_CSRF_ENABLED", True
    ):
        csrf.protect()
    services.set_paused(search, True)
    db.session.commit()
    return render_template("searches/unsubscribe.html", search=search, done=True)


# Last of the blueprint's rules: a walk over every write route (tests/security) deletes the
# search only after the others have used it.
@bp.post("/<int:search_id>/delete")
@login_required
def delete(search_id: int):
    """Delete a saved search and what it has reported."""
    search = _owned(search_id)
    name = search.name
    services.delete(search)
    db.session.commit()
    flash(f"已删除订阅“{name}”。", "success")
    return redirect(url_for("searches.index"))
