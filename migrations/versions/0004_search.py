"""Search: full-text and spatial indexes, and the ranking column of buildings.

SQLite keeps the text in an FTS5 table and the points in an R*Tree that triggers keep in step
with the building table; PostgreSQL keeps a GIN-indexed `simple` tsvector and uses the B-tree
on (lat, lon) for boxes.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RTREE_TRIGGERS = [
    """
    CREATE TRIGGER building_rtree_insert AFTER INSERT ON building
    WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN
        INSERT INTO building_rtree (id, min_lat, max_lat, min_lon, max_lon)
        VALUES (new.id, new.lat, new.lat, new.lon, new.lon);
    END
    """,
    """
    CREATE TRIGGER building_rtree_update AFTER UPDATE OF lat, lon ON building BEGIN
        DELETE FROM building_rtree WHERE id = old.id;
        INSERT INTO building_rtree (id, min_lat, max_lat, min_lon, max_lon)
        SELECT new.id, new.lat, new.lat, new.lon, new.lon
        WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
    END
    """,
    """
    CREATE TRIGGER building_rtree_delete AFTER DELETE ON building BEGIN
        DELETE FROM building_rtree WHERE id = old.id;
    END
    """,
]


def upgrade():
    with op.batch_alter_table("building") as batch:
        batch.add_column(sa.Column("units_confirmed_at", sa.DateTime(), nullable=True))
        batch.create_index(
            "ix_building_status_rank", ["status", "featured", "units_confirmed_at"], unique=False
        )
    with op.batch_alter_table("unit") as batch:
        # SQLite without ANALYZE takes any equality for ~10 rows, so a (deal, area) index looked
        # as good as the building's own for the per-building probe and made it scan every unit
        # of that deal. The probe index now carries the building first and these two go.
        batch.drop_index("ix_unit_deal_rent")
        batch.drop_index("ix_unit_deal_area")
        batch.drop_index("ix_unit_building_status")
        batch.create_index(
            "ix_unit_building_status",
            ["building_id", "status", "deal", "rent_per_m2_day"],
            unique=False,
        )
        batch.create_index("ix_unit_rent_order", ["rent_per_m2_day", "id"], unique=False)
        batch.create_index("ix_unit_area_order", ["area_m2", "id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE TABLE building_fts (
                building_id integer PRIMARY KEY REFERENCES building (id) ON DELETE CASCADE,
                body text NOT NULL,
                tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
            )
            """
        )
        op.execute("CREATE INDEX ix_building_fts_tsv ON building_fts USING gin (tsv)")
    else:
        op.execute("CREATE VIRTUAL TABLE building_fts USING fts5(body, tokenize='unicode61')")
        op.execute(
            "CREATE VIRTUAL TABLE building_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)"
        )
        for trigger in RTREE_TRIGGERS:
            op.execute(trigger)
        op.execute(
            "INSERT INTO building_rtree SELECT id, lat, lat, lon, lon FROM building"
            " WHERE lat IS NOT NULL AND lon IS NOT NULL"
        )
    # Buildings that exist already are indexed by `flask --app wsgi search reindex`.


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER building_rtree_{name}")
        op.execute("DROP TABLE building_rtree")
    op.execute("DROP TABLE building_fts")
    with op.batch_alter_table("unit") as batch:
        batch.drop_index("ix_unit_building_status")
        batch.create_index("ix_unit_building_status", ["building_id", "status"], unique=False)
        batch.create_index("ix_unit_deal_rent", ["deal", "rent_per_m2_day"], unique=False)
        batch.create_index("ix_unit_deal_area", ["deal", "area_m2"], unique=False)
        batch.drop_index("ix_unit_area_order")
        batch.drop_index("ix_unit_rent_order")
    with op.batch_alter_table("building") as batch:
        batch.drop_index("ix_building_status_rank")
        batch.drop_column("units_confirmed_at")
