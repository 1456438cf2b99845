"""The application factory and its settings."""

import pytest

from app import create_app
from app.config import DEFAULT_SECRET


def test_testing_config():
    assert not create_app({"CONFIG": "development"}).testing
    assert create_app({"CONFIG": "testing"}).testing


def test_production_refuses_missing_or_default_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"CONFIG": "production", "SECRET_KEY": DEFAULT_SECRET})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"CONFIG": "production", "SECRET_KEY": ""})


def test_production_runs_with_a_secret(tmp_path):
    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": "a-real-secret-from-the-environment",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_database_url_defaults_to_sqlite_and_names_the_driver(tmp_path):
    from app import config

    assert config.database_url({"SQLALCHEMY_DATABASE_URI": "postgresql://u@h/x"}, "/i") == (
        "postgresql+psycopg://u@h/x"
    )
    assert config.database_url({}, str(tmp_path)).startswith("sqlite:///")


def test_blueprints_registered(app):
    for name in ("main", "listings", "parks", "news", "accounts", "agent", "api"):
        assert name in app.blueprints


def test_unknown_page_is_chinese_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)
