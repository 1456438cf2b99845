"""Security headers on every response: a nonce-based Content-Security-Policy and friends."""

from __future__ import annotations

import secrets

from flask import Flask, g


def csp_nonce() -> str:
    """The nonce that inline scripts of this response must carry."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            # folium and Leaflet set inline styles on map elements.
            "style-src 'self' 'unsafe-inline'",
            # Map tiles come from the configured tile server.
            "img-src 'self' data: blob: https:",
            "connect-src 'self'",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def set_headers(response):
    response.headers.setdefault("Content-Security-Policy", _policy(csp_nonce()))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def init_app(app: Flask) -> None:
    app.add_template_global(csp_nonce)
    app.after_request(set_headers)
