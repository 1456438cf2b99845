"""Views of the news center."""

from flask import Blueprint, abort, render_template

from app.news import services

bp = Blueprint("news", __name__, url_prefix="/news")


@bp.get("/")
def index():
    """List the newest articles."""
    return render_template("news/index.html", articles=services.latest_articles(30))


@bp.get("/<int:article_id>")
def article(article_id: int):
    """Show one article."""
    found = services.get_article(article_id)
    if found is None:
        abort(404)
    return render_template("news/article.html", article=found)
