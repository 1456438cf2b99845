"""Migration 0021 starts the history: a `listed` event now for every available unit of a
published building, and none for the rest."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db


def test_the_migration_lists_what_is_on_the_market(tmp_path):
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade(revision="0020")
        db.session.execute(
            text(
                "INSERT INTO users (id, email, name, role, password_hash, active, created_at)"
                " VALUES (1, 'a@example.com', 'a', 'agent', 'x', 1, '2026-01-01')"
            )
        )
        for building, status in ((1, "published"), (2, "hidden")):
            db.session.execute(
                text(
                    "INSERT INTO building (id, name, address, status, owner_id, description,"
                    " featured, view_count, point_source, point_precision, created_at,"
                    " updated_at) VALUES (:id, :name, '诸暨', :status, 1, '', 0, 0, 'pin', 'town',"
                    " '2026-01-01', '2026-01-01')"
                ),
                {"id": building, "name": f"b{building}", "status": status},
            )
        for unit, building, status in ((1, 1, "available"), (2, 1, "leased"), (3, 2, "available")):
            db.session.execute(
                text(
                    "INSERT INTO unit (id, building_id, deal, area_m2, rent_per_m2_day, status,"
                    " confirmed_at, created_at, updated_at) VALUES (:id, :building, 'rent', 100,"
                    " 1.5, :status, '2026-01-01', '2026-01-01', '2026-01-01')"
                ),
                {"id": unit, "building": building, "status": status},
            )
        db.session.commit()
        upgrade()
        events = db.session.execute(
            text("SELECT unit_id, kind, status, rent_per_m2_day FROM unit_event")
        ).all()
        assert [tuple(e) for e in events] == [(1, "listed", "available", 1.5)]
        db.session.remove()
