"""Security headers on every response: a nonce-based Content-Security-Policy and friends."""

from __future__ import annotations

import secrets

from flask import Flask, abort, current_app, g, request
from flask_login import current_user

from app.geo.maps import TILES, tiles_name

NUL_REFUSED = "请求中包含无效字符，请检查后重试。"


def csp_nonce() -> str:
    """The nonce that inline scripts of this response must carry."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _policy(nonce: str, tiles_origin: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            # folium and Leaflet set inline styles on map elements.
            "style-src 'self' 'unsafe-inline'",
            # Images are the site's own (uploads, icons) and the configured tile server's: an
            # article's image from another host would tell it who reads the article.
            f"img-src 'self' data: blob: {tiles_origin}",
            "connect-src 'self'",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# A year, as browsers' preload lists ask; sent only where cookies are HTTPS-only (production), so
# a development server on plain HTTP does not pin its host to HTTPS.
HSTS = "max-age=31536000; includeSubDomains"


def set_headers(response):
    tiles = TILES[tiles_name()]["origin"]
    response.headers.setdefault("Content-Security-Policy", _policy(csp_nonce(), tiles))
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if current_user and current_user.is_authenticated:
        # A signed-in page shows the user's own data (name, inquiries, mobiles): no cache on
        # the way (a shared proxy, the browser's back button on a shared computer) keeps it.
        response.headers["Cache-Control"] = "no-store, private"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def refuse_nul() -> None:
    """Refuse NUL characters in the path, query or form: no person types one, and PostgreSQL
    cannot store or even compare them (a query with one fails instead of finding nothing)."""
    if "\x00" in request.path:
        abort(400, NUL_REFUSED)
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, NUL_REFUSED)


# What url_for reads as instructions rather than as a value. A view that carries its query
# string into its links (pagination, the map's data URL) would otherwise let `?_external=1`
# with a forged Host make links to another site, shared through the page cache, and
# `?_method=POST` fail as a 500.
URL_FOR_RESERVED = frozenset({"_external", "_anchor", "_method", "_scheme"})
RESERVED_REFUSED = "请求参数无效。"


def refuse_url_for_arguments() -> None:
    """Refuse a query string naming one of url_for's reserved arguments: no link of the site has
    one, so only a forged request does."""
    if not URL_FOR_RESERVED.isdisjoint(request.args.keys()):
        abort(400, RESERVED_REFUSED)


def init_app(app: Flask) -> None:
    app.add_template_global(csp_nonce)
    app.before_request(refuse_nul)
    app.before_request(refuse_url_for_arguments)
    app.after_request(set_headers)
