"""Buildings, SQLite: each district's and town's buildings by status in ranking order.

A capped search in a district (more than 1,000 matches) shows its pages by walking the ranking
until the page is full. On SQLite that walk read the whole region's ranking index and each
building's row to test its place, so a deep page of a small district passed over most of the
region: page 50 of 萧山区 (2,800 of 100,000 buildings) took 33 ms. These indexes hold a place's
buildings in that order, on the expression `<place>_id + 0`, which only the walk writes
(app.models.listings.place_rank_index): a scan for a search's first matches keeps to the place's
facets index (migration 0010), which tests the unit filters without reading a row. That page
now reads 1,000 index entries (0.1 ms). PostgreSQL chooses its plans by statistics and already
finds such pages in its place index (deep page p95 15 ms against SQLite's 33): no index there.

SQLite cannot reflect an index on an expression: a later migration that rebuilds the building
table in batch mode (copying what it reflects) must create these two again
(tests/site/test_migrations.py checks they exist).

Revision ID: 0014
Revises: 0013
"""

from alembic import op
from sqlalchemy import literal_column

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

PLACES = ("district", "town")


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for place in PLACES:
        op.create_index(
            f"ix_building_{place}_rank",
            "building",
            [literal_column(f"{place}_id + 0"), "status", "featured", "units_confirmed_at"],
        )


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for place in PLACES:
        op.drop_index(f"ix_building_{place}_rank", table_name="building")
