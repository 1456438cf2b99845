"""Run by test_rate_limits in a fresh interpreter: the production app as the environment sets it
up (REDIS_URL, SECRET_KEY), posting until each limit answers 429. Prints what it saw as JSON."""

from __future__ import annotations

import json
import sys

from app import create_app
from app.extensions import db, limiter

LIMITED = {
    "login": ("/accounts/login", {"email": "nobody@example.com", "password": "wrong-pass-1"}),
    "register": ("/accounts/register", {"email": "x@example.com", "password": "short"}),
    "inquiry": (
        "/listings/{building}/inquiry",
        {"name": "李", "mobile": "13812345678", "message": "想看房"},
    ),
}


def main(database_url: str, building_id: str) -> None:
    app = create_app(
        {"CONFIG": "production", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False}
    )
    seen = {
        "storage": app.config["RATELIMIT_STORAGE_URI"],
        "limiter": type(limiter.storage).__name__,
    }
    with app.app_context():
        client = app.test_client()
        for name, (url, data) in LIMITED.items():
            codes, last = [], None
            for _ in range(40):
                last = client.post(url.format(building=building_id), data=data)
                codes.append(last.status_code)
                if last.status_code == 429:
                    break
            seen[name] = {"codes": codes, "body": last.get_data(as_text=True)}
        db.engine.dispose()
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
