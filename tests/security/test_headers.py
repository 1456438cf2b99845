"""Headers and markup of every page: CSP with nonces, nosniff, no framing, local assets only."""

from __future__ import annotations

import contextvars

import pytest

from app import create_app
from app.extensions import db
from tests.security.pages import is_local, parse, policy
from tests.security.routes import get_rules, urls_for

# Pages that answer with an error, which must carry the same headers.
ERROR_PAGES = [
    ("anonymous", "/no-such-page", 404),
    ("anonymous", "/listings/?rent_min=abc", 400),
    ("tenant", "/admin/buildings", 403),
    ("anonymous", "/api/listings?page=0", 400),
    ("anonymous", "/api/nowhere", 404),
]


def _all_pages(app, world):
    for role in ("anonymous", "admin"):
        for rule in get_rules(app):
            for url in urls_for(rule, world.ids):
                yield role, url, None
    yield from ERROR_PAGES


def check_headers(response, url) -> None:
    csp = policy(response.headers.get("Content-Security-Policy", ""))
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts, url
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, url
    assert not [s for s in scripts if s in ("*", "http:", "https:", "data:")], url
    assert csp.get("object-src") == ["'none'"], url
    framing = csp.get("frame-ancestors") == ["'none'"]
    assert framing or response.headers.get("X-Frame-Options") in ("DENY", "SAMEORIGIN"), url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url


def check_markup(response, url) -> None:
    nonces = [
        s[len("'nonce-") : -1]
        for s in policy(response.headers["Content-Security-Policy"])["script-src"]
        if s.startswith("'nonce-")
    ]
    page = parse(response.get_data(as_text=True))
    for script in page.scripts:
        if script.src is None:
            assert script.nonce in nonces, (url, script.text[:200])
        else:
            assert is_local(script.src), (url, script.src)
    assert all(is_local(href) for href in page.stylesheets), (url, page.stylesheets)
    assert not page.handlers, (url, page.handlers)
    assert not page.script_urls, (url, page.script_urls)


def test_every_page_has_the_security_headers_and_clean_markup(app, client, demo_world):
    seen = {"html": 0, "inline_scripts": 0}
    for role, url, expected in _all_pages(app, demo_world):
        demo_world.sign_in(client, role)
        response = client.get(url)
        response.close()  # files are sent as streams
        if expected is None:
            assert response.status_code in (200, 302), (role, url, response.status_code)
        else:
            assert response.status_code == expected, (role, url)
        check_headers(response, url)
        if response.mimetype == "text/html":
            check_markup(response, url)
            seen["html"] += 1
            seen["inline_scripts"] += response.get_data(as_text=True).count("nonce=")
    # Maps, search results and the bootstrap bundle: the nonce check saw real inline scripts.
    assert seen["html"] >= 30 and seen["inline_scripts"] >= 20, seen


def test_each_response_has_its_own_nonce(database_url, tmp_path):
    """Run outside the fixtures' long-lived app context, as a server runs."""
    fresh = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url})

    def nonces():
        client = fresh.test_client()
        return [
            policy(client.get("/accounts/login").headers["Content-Security-Policy"])["script-src"][
                -1
            ]
            for _ in range(3)
        ]

    seen = contextvars.Context().run(nonces)
    with fresh.app_context():
        db.engine.dispose()
    assert len(set(seen)) == 3 and all(n.startswith("'nonce-") for n in seen)


@pytest.fixture
def production(database_url, tmp_path):
    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": "a-long-random-production-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "UPLOAD_FOLDER": str(tmp_path),
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def _cookie(response, name: str) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert found, response.headers.getlist("Set-Cookie")
    return found[0]


def _attributes(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_session_cookie_is_httponly_and_lax(app, client):
    app.config["WTF_CSRF_ENABLED"] = True  # the form's token is what puts a session in place
    cookie = _attributes(_cookie(client.get("/accounts/login"), "session"))
    assert {"httponly", "samesite=lax"} <= cookie
    assert "secure" not in cookie  # plain http on a laptop still works


def test_production_cookies_are_secure(production, world):
    email = world.users["tenant"].email

    def run():
        client = production.test_client()
        page = client.get("/accounts/login")
        assert {"httponly", "samesite=lax", "secure"} <= _attributes(_cookie(page, "session"))
        token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
        response = client.post(
            "/accounts/login",
            data={
                "email": email,
                "password": "secret-pass-1",
                "remember": "y",
                "csrf_token": token.split('"')[0],
            },
        )
        assert response.status_code == 302
        remember = _attributes(_cookie(response, "remember_token"))
        assert {"httponly", "samesite=lax", "secure"} <= remember

    contextvars.Context().run(run)
