"""Market rollups (market_bin, market_figures, market_month), and the history's start: a
`listed` event now for every available unit of a published building ("from now on").

The rollups themselves are built by `flask --app wsgi market refresh`, which the deployment
runs after this upgrade (docs/operations.md).

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _keys():
    return [
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
    ]


def upgrade():
    op.create_table(
        "market_bin",
        *_keys(),
        sa.Column("measure", sa.String(length=4), nullable=False),
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("area", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("place_id", "grade", "measure", "key", name="pk_market_bin"),
    )
    op.create_table(
        "market_figures",
        *_keys(),
        sa.Column("rental_units", sa.Integer(), nullable=False),
        sa.Column("rental_area", sa.Float(), nullable=False),
        sa.Column("rent_p25", sa.Float(), nullable=True),
        sa.Column("rent_median", sa.Float(), nullable=True),
        sa.Column("rent_p75", sa.Float(), nullable=True),
        sa.Column("sale_units", sa.Integer(), nullable=False),
        sa.Column("sale_median", sa.Float(), nullable=True),
        sa.Column("new_30d", sa.Integer(), nullable=False),
        sa.Column("let_30d", sa.Integer(), nullable=False),
        sa.Column("days_on_market", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("place_id", "grade", name="pk_market_figures"),
    )
    op.create_table(
        "market_month",
        *_keys(),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("rent_median", sa.Float(), nullable=True),
        sa.Column("rental_units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("place_id", "grade", "month", name="pk_market_month"),
    )
    # From now on: what is on the market today is its first event (times are naive UTC).
    now = (
        "CURRENT_TIMESTAMP"
        if op.get_bind().dialect.name == "sqlite"
        else "now() AT TIME ZONE 'utc'"
    )
    op.execute(
        "INSERT INTO unit_event (unit_id, building_id, at, kind, status, deal, area_m2,"
        " rent_per_m2_day, price_per_m2)"
        f" SELECT unit.id, unit.building_id, {now}, 'listed', 'available', unit.deal,"
        " unit.area_m2, unit.rent_per_m2_day, unit.price_per_m2"
        " FROM unit JOIN building ON building.id = unit.building_id"
        " WHERE building.status = 'published' AND unit.status = 'available'"
    )


def downgrade():
    op.drop_table("market_month")
    op.drop_table("market_figures")
    op.drop_table("market_bin")
    # The events stay: they are history, and 0020's downgrade drops them.
