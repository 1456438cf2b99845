"""Views of the home page, and what browsers and crawlers ask of the site's root."""

from flask import Blueprint, Response, render_template

from app.filters import site_url
from app.listings import services as listings
from app.main import icons
from app.news import services as news
from app.parks import services as parks

bp = Blueprint("main", __name__)
ICON_MAX_AGE = 7 * 24 * 3600  # an icon changes with a release, if ever


@bp.get("/")
def index():
    """Show 推荐楼盘, the newest articles and the parks."""
    return render_template(
        "main/index.html",
        featured=listings.featured_buildings(limit=8),
        articles=news.latest_articles(limit=8),
        parks=parks.all_parks(),
    )


@bp.get("/robots.txt")
def robots():
    """Tell crawlers what to leave alone (the agents' area, accounts, forms) and where the
    sitemap is."""
    private = ["/agent/", "/admin/", "/accounts/", "/searches/", "/requirements/", "/api/"]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in private)]
    lines.append(f"Sitemap: {site_url('feeds.sitemap_xml')}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon():
    """Serve the tab icon."""
    return _icon(icons.favicon_ico(), "image/x-icon")


@bp.get("/apple-touch-icon.png")
def touch_icon():
    """Serve the home-screen icon phones ask for."""
    return _icon(icons.touch_icon_png(), "image/png")


def _icon(body: bytes, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = ICON_MAX_AGE
    return response
