"""Rent history: unit_event records every change of a unit's rent, price or status.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("deal", sa.String(length=8), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("rent_per_m2_day", sa.Float(), nullable=True),
        sa.Column("price_per_m2", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_unit_event"),
    )
    op.create_index("ix_unit_event_unit", "unit_event", ["unit_id", "at"])
    op.create_index("ix_unit_event_building", "unit_event", ["building_id", "at"])
    op.create_index("ix_unit_event_at", "unit_event", ["at"])


def downgrade():
    op.drop_index("ix_unit_event_at", "unit_event")
    op.drop_index("ix_unit_event_building", "unit_event")
    op.drop_index("ix_unit_event_unit", "unit_event")
    op.drop_table("unit_event")
