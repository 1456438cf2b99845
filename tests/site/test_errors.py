"""An unexpected error: a Chinese page with a request id, and the traceback logged under it."""

from __future__ import annotations

import logging
import re

from app import create_app


def test_a_500_is_logged_with_its_traceback_and_the_id_the_page_shows(tmp_path, caplog):
    app = create_app(
        {
            "CONFIG": "testing",
            "TESTING": False,  # the catch-all handler is what production runs
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/errors.db",
        }
    )

    def broken():
        raise RuntimeError("a fault no view expects")

    app.add_url_rule("/broken", "broken", broken)
    app.add_url_rule("/api/broken", "api_broken", broken)
    with caplog.at_level(logging.ERROR):
        page = app.test_client().get("/broken")
        answer = app.test_client().get("/api/broken")
    assert page.status_code == 500 and answer.status_code == 500
    shown = re.search(r"错误编号：<code>([0-9a-f]{12})</code>", page.get_data(as_text=True))[1]
    records = [r for r in caplog.records if shown in r.getMessage()]
    assert len(records) == 1
    assert records[0].exc_info[0] is RuntimeError and "/broken" in records[0].getMessage()
    rid = answer.get_json()["request_id"]
    assert rid != shown and any(rid in r.getMessage() for r in caplog.records)
