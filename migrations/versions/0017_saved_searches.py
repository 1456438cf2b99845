"""Saved searches (订阅此搜索) and what each has reported.

- saved_search: a user's /listings/ query, its frequency and feed token, and its conditions
  resolved into columns; ix_saved_search_match finds a unit's candidate searches by place and
  holds every column they are tested on.
- search_hit: a new matching unit or a price drop, one row per search, unit, kind and price;
  ix_search_hit_unsent holds the ones no email has reported yet (the digests due).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("token", sa.String(length=43), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.Column("place_key", sa.String(length=16), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("town_id", sa.Integer(), nullable=True),
        sa.Column("park_id", sa.Integer(), nullable=True),
        sa.Column("deal", sa.String(length=8), nullable=True),
        sa.Column("rent_min", sa.Float(), nullable=True),
        sa.Column("rent_max", sa.Float(), nullable=True),
        sa.Column("area_min", sa.Float(), nullable=True),
        sa.Column("area_max", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(length=8), nullable=True),
        sa.Column("decoration", sa.String(length=8), nullable=True),
        sa.Column("keyword", sa.String(length=50), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("radius_km", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_saved_search_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_saved_search"),
        sa.UniqueConstraint("token", name="uq_saved_search_token"),
    )
    # The place key, the equality tests, then every column a changed unit is tested on
    # (app.alerts.matching): the candidates of a place are sought and tested in the index.
    op.create_index(
        "ix_saved_search_match",
        "saved_search",
        [
            "place_key", "paused", "deal", "grade", "decoration", "rent_min", "rent_max",
            "area_min", "area_max", "district_id", "town_id", "park_id", "user_id", "keyword",
            "lat", "lon", "radius_km",
        ],
        postgresql_include=["id"],
    )
    op.create_index("ix_saved_search_user_id", "saved_search", ["user_id"])
    op.create_table(
        "search_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("saved_search_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("old_price", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name="fk_search_hit_building_id_building",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["saved_search_id"],
            ["saved_search.id"],
            name="fk_search_hit_saved_search_id_saved_search",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name="fk_search_hit_unit_id_unit", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_search_hit"),
        sa.UniqueConstraint(
            "saved_search_id", "unit_id", "kind", "price", name="uq_search_hit_saved_search_id"
        ),
    )
    op.create_index("ix_search_hit_pending", "search_hit", ["saved_search_id", "sent_at"])
    op.create_index("ix_search_hit_unit_id", "search_hit", ["unit_id"])
    op.create_index(
        "ix_search_hit_unsent",
        "search_hit",
        ["saved_search_id"],
        sqlite_where=sa.text("sent_at IS NULL"),
        postgresql_where=sa.text("sent_at IS NULL"),
    )


def downgrade():
    op.drop_index("ix_search_hit_unsent", "search_hit")
    op.drop_index("ix_search_hit_unit_id", "search_hit")
    op.drop_index("ix_search_hit_pending", "search_hit")
    op.drop_table("search_hit")
    op.drop_index("ix_saved_search_user_id", "saved_search")
    op.drop_index("ix_saved_search_match", "saved_search")
    op.drop_table("saved_search")
