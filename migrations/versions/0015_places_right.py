"""Places: division codes and the region's edge, park radii, agents' choices, undated articles.

- place.code: the national statistics division code (统计用区划代码) of a district or town;
  place.in_region: false for the neighbouring units of 杭州, 金华 and 宁波.
- park.radius_km: how far from its centre a park claims buildings, when its record says so.
- building.town_fixed / park_fixed: the agent chose the town or park; a new point keeps it.
- article.date_unverified: 日期待核, the page carried no date of its own.

Columns are added in place (no batch rebuild), so SQLite keeps its expression indexes (0014).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("place", sa.Column("code", sa.String(12), nullable=True))
    op.create_index("ix_place_code", "place", ["code"])
    op.add_column(
        "place", sa.Column("in_region", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column("park", sa.Column("radius_km", sa.Float(), nullable=True))
    for column in ("town_fixed", "park_fixed"):
        op.add_column(
            "building",
            sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.false()),
        )
    op.add_column(
        "article",
        sa.Column("date_unverified", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    with op.batch_alter_table("article") as batch:
        batch.drop_column("date_unverified")
    for column in ("park_fixed", "town_fixed"):
        op.drop_column("building", column)
    with op.batch_alter_table("park") as batch:
        batch.drop_column("radius_km")
    op.drop_index("ix_place_code", "place")
    with op.batch_alter_table("place") as batch:
        batch.drop_column("in_region")
        batch.drop_column("code")
