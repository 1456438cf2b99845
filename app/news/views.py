"""Views of the news center: lists by category, article pages and the editor's form."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app import pagecache
from app.accounts.decorators import role_required
from app.extensions import db
from app.models import Place, stamps
from app.models.base import utcnow
from app.models.places import KIND_LABELS
from app.news import destinations, market, services
from app.news.forms import ArticleForm
from app.news.linker import PlaceRef

bp = Blueprint("news", __name__, url_prefix="/news")
MAX_PAGE = 10_000


def _bad_request(message: str):
    return render_template("errors/error.html", code=400, message=message), 400


def _listing(category: str | None):
    raw = request.args.get("page", "1")
    page = int(raw) if raw.isdecimal() else 0  # "²" is a digit int() refuses
    if not 1 <= page <= MAX_PAGE:
        return _bad_request(f"页码必须是 1 到 {MAX_PAGE} 之间的整数。")
    pagination = services.article_page(category, page, current_app.config["PER_PAGE"])
    if pagination is None:
        abort(404)
    return render_template(
        "news/index.html",
        pagination=pagination,
        category=category,
        categories=services.categories(),
    )


@bp.get("/")
def index():
    """List the newest articles of every category, a page at a time."""
    return _listing(None)


@bp.get("/category/<name>")
def category(name: str):
    """List the articles of one category."""
    if not services.category_exists(name):
        abort(404)
    return _listing(name)


@bp.get("/<int:article_id>")
def article(article_id: int):
    """Show one article with its places, 推荐楼盘, map, 相关文章 and neighbours."""
    found = services.get_article(article_id)
    if found is None:
        abort(404)
    view = services.article_view(found, reach_of=_cached_reach, market_of=_cached_market)
    return render_template("news/article.html", article=found, view=view)


def _cached_reach(places: list[PlaceRef]) -> dict[int, destinations.Reach]:
    """What each place's link can open, kept under the listings stamp: asked once per set of
    places and per version of the listings, not on every view of an article."""
    question = tuple(sorted(p.id for p in places))
    found, _status = pagecache.fragment(
        "place-reach", (stamps.LISTINGS,), question, lambda: (destinations.reach(places), 200)
    )
    return found


def _cached_market(places: list[Place]) -> list[market.PlaceMarket]:
    """文中地点行情, kept under the listings stamp (the rollups change in the same commit as the
    units and buildings, which raises it) and for the day: the trend's months move with the
    clock, as the place pages' do."""
    question = (utcnow().date(), *(p.id for p in places))
    found, _status = pagecache.fragment(
        "place-market", (stamps.LISTINGS,), question, lambda: (market.of_places(places), 200)
    )
    return found


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor", "admin")
def new():
    """Write a new article."""
    return _edit(None)


@bp.route("/<int:article_id>/edit", methods=["GET", "POST"])
@role_required("editor", "admin")
def edit(article_id: int):
    """Edit an article and see the places the linker found in it."""
    found = services.get_any_article(article_id)
    if found is None:
        abort(404)
    return _edit(found)


def _edit(article):
    names = [name for name, _count in services.categories()]
    form = ArticleForm(obj=article, categories=names)
    if article is None and request.method == "GET":
        form.published_at.data = datetime.now(services.CHINA_TIME).replace(tzinfo=None)
        form.editor.data = current_user.name[:40]
        form.status.data = "draft"
    places = services.stored_places(article) if article is not None else None
    if form.validate_on_submit():
        if not form.preview.data:
            saved = services.save_article(article, form.article_fields(), current_user.id)
            db.session.commit()
            flash("文章已保存，下方列出了正文中识别到的地点。", "success")
            return redirect(url_for("news.edit", article_id=saved.id))
        body = services.body_from_editor(form.body.data)
        places = services.detected_places(form.title.data, form.summary.data, body)
    status = 400 if form.errors else 200
    return render_template(
        "news/edit.html", form=form, article=article, places=places, kind_labels=KIND_LABELS
    ), status
