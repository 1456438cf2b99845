"""Views of the home page."""

from flask import Blueprint, render_template

from app.listings import services as listings
from app.news import services as news
from app.parks import services as parks

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show 推荐楼盘, the newest articles and the parks."""
    return render_template(
        "main/index.html",
        featured=listings.featured_buildings(limit=8),
        articles=news.latest_articles(limit=8),
        parks=parks.all_parks(),
    )
