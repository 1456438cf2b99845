"""Buildings: what their available units offer, tested before their units are read.

A selective unit filter in a large district probed every building's units (some 200,000 unit
rows for 诸暨市). Most buildings' rents lie in a narrow band, and few have, say, a 简装 unit for
sale: the rent range and one bit per kind of unit (app.listings.facets) pass most buildings
over on their own columns. Kept current with the ranking (app.listings.fulltext).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The bit of each kind of unit as app.listings.facets numbers them when this was written.
KIND_BIT = """CASE
  WHEN unit.deal = 'rent' AND unit.decoration = '毛坯' THEN 1
  WHEN unit.deal = 'rent' AND unit.decoration = '简装' THEN 2
  WHEN unit.deal = 'rent' AND unit.decoration = '精装' THEN 4
  WHEN unit.deal = 'rent' AND unit.decoration = '豪装' THEN 8
  WHEN unit.deal = 'rent' THEN 16
  WHEN unit.deal = 'sale' AND unit.decoration = '毛坯' THEN 32
  WHEN unit.deal = 'sale' AND unit.decoration = '简装' THEN 64
  WHEN unit.deal = 'sale' AND unit.decoration = '精装' THEN 128
  WHEN unit.deal = 'sale' AND unit.decoration = '豪装' THEN 256
  WHEN unit.deal = 'sale' THEN 512
  ELSE 0 END"""
AVAILABLE = "FROM unit WHERE unit.building_id = building.id AND unit.status = 'available'"
FILL = f"""
UPDATE building SET
  rent_low = (SELECT min(rent_per_m2_day) {AVAILABLE}),
  rent_high = (SELECT max(rent_per_m2_day) {AVAILABLE}),
  unit_kinds = (SELECT coalesce(sum(DISTINCT {KIND_BIT}), 0) {AVAILABLE})
"""


def upgrade():
    op.add_column("building", sa.Column("rent_low", sa.Float(), nullable=True))
    op.add_column("building", sa.Column("rent_high", sa.Float(), nullable=True))
    op.add_column(
        "building", sa.Column("unit_kinds", sa.Integer(), nullable=False, server_default="0")
    )
    op.execute(FILL)


def downgrade():
    with op.batch_alter_table("building") as batch:
        batch.drop_column("unit_kinds")
        batch.drop_column("rent_high")
        batch.drop_column("rent_low")
