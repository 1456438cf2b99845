"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.db_setup import include_object
from app.extensions import db


def test_migrated_schema_matches_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_model_table_exists(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_full_text_rows_keep_their_long_values_out_of_line(app):
    """PostgreSQL: a keyword's ids are read from building_fts rows that hold pointers to their
    text and tsvectors, not the values (migration 0011), so that a few pages hold thousands."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            return  # SQLite's FTS5 table has no such setting
        options = conn.scalar(
            text("SELECT reloptions FROM pg_class WHERE relname = 'building_fts'")
        )
    assert "toast_tuple_target=128" in options
