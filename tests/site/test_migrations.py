"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app.extensions import db
from app.models.listings import PLACE_RANK_INDEXES, RANKED_PLACES
from app.models.unmapped import include_object

# SQLite's indexes on an expression (app.models.listings.PLACE_RANK_INDEXES), which SQLAlchemy
# cannot reflect there: these tests reflect the building table and compare it with the models.
pytestmark = [
    pytest.mark.filterwarnings(
        "ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning"
    ),
    pytest.mark.filterwarnings(
        "ignore:autogenerate skipping metadata-specified expression-based index:UserWarning"
    ),
]


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
    with db.engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            return  # SQLite's FTS5 table has no such setting
        options = conn.scalar(
            text("SELECT reloptions FROM pg_class WHERE relname = 'building_fts'")
        )
    assert "toast_tuple_target=128" in options


def test_place_indexes_hold_what_a_search_reads(app):
    """A district's or town's index answers a search's scan alone: on PostgreSQL it includes
    the id and ranking (SQLite's index rows carry the id by themselves)."""
    from app.models.listings import FACET_COLUMNS

    indexes = {i["name"]: i for i in inspect(db.engine).get_indexes("building")}
    for place in ("district", "town"):
        index = indexes[f"ix_building_{place}_facets"]
        assert index["column_names"][: 1 + len(FACET_COLUMNS)] == [f"{place}_id", *FACET_COLUMNS]
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                sql = conn.scalar(
                    text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                    {"name": index["name"]},
                )
            assert sql.endswith("INCLUDE (id, featured, units_confirmed_at)")


def test_the_regions_index_holds_what_a_search_reads(app):
    """A search naming no place reads ix_building_facets alone: the same tests as the place
    indexes, then the ranking (and, on PostgreSQL, the id)."""
    from app.models.listings import FACET_COLUMNS, RANK_COLUMNS

    indexes = {i["name"]: i for i in inspect(db.engine).get_indexes("building")}
    index = indexes["ix_building_facets"]
    assert index["column_names"][: len(FACET_COLUMNS) + 2] == [*FACET_COLUMNS, *RANK_COLUMNS]
    assert indexes["ix_building_grade"]["column_names"] == ["grade"]
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            sql = conn.scalar(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_building_facets'")
            )
        assert sql.endswith("INCLUDE (id)")


def test_sqlite_has_the_place_rank_indexes(app):
    """The indexes on `district_id + 0` and `town_id + 0` (migration 0014) are there on SQLite,
    which cannot reflect them (so neither the comparison above nor a batch rebuild of the table
    would notice their loss), and only there."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            found = dict(
                conn.execute(
                    text("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'building'")
                ).all()
            )
            for name, place in zip(PLACE_RANK_INDEXES, RANKED_PLACES, strict=True):
                assert f"({place}_id + 0, status, featured, units_confirmed_at)" in found[name]
        else:
            names = set(conn.scalars(text("SELECT indexname FROM pg_indexes")))
            assert names and not names & set(PLACE_RANK_INDEXES)
