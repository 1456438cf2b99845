"""What the factory registers, each kind in one step: blueprints (admin among them), asset
routes, hooks and the command groups."""

from __future__ import annotations

from app import blueprints
from app.commands import COMMANDS

GROUPS = {
    "demo": {"load"},
    "listings": {"import"},
    "news": {"import", "relink"},
    "places": {"load"},
    "search": {"reindex"},
    "market": {"refresh", "rebuild", "report"},
    "mail": {"retry"},
    "alerts": {"send"},
}


def test_every_blueprint_comes_from_the_one_list(app):
    names = {bp.name for bp in blueprints()}
    assert names == {
        "main",
        "listings",
        "parks",
        "news",
        "feeds",
        "accounts",
        "agent",
        "agents",
        "admin",
        "api",
        "searches",
        "requirements",
        "market",
    }
    # assets: the vendor files' routes; bootstrap: Bootstrap-Flask's own templates and files
    assert set(app.blueprints) == names | {"assets", "bootstrap"}


def test_the_asset_routes_and_hooks_are_in_place(app, client):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {"assets.vendor", "agent.media", "static"} <= endpoints
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers
    assert client.get("/?q=%00").status_code == 400


def test_the_command_names_stay(app):
    commands = app.cli.commands  # with Flask-Migrate's db, which its init_app adds
    assert {command.name for command in COMMANDS} == {*GROUPS, "backup", "restore", "worker"}
    assert set(commands) == {*GROUPS, "backup", "restore", "worker", "db"}
    for group, subcommands in GROUPS.items():
        assert set(commands[group].commands) == subcommands
