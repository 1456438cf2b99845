"""Full text on PostgreSQL: the index table's long values are kept out of its rows.

A keyword's first ids come from the grams index, which points at rows of building_fts, each read
for its building_id. Those rows held their text and tsvector inline, 1.6 KB each (163 MB for the
benchmark's 100,000 buildings), so 2,001 ids meant reading 1,400 pages, most of them outside
PostgreSQL's buffers. PostgreSQL moves values out of a row once it passes 2 KB (a building with
any description: its grams alone take 3.5 KB), and toast_tuple_target says how small the row is
then made: at 128 bytes every long value goes to the TOAST table and a row is its id and three
pointers (9 MB): 金融's first 2,001 ids took 7.7 ms, now 2.9. Rows written from now on follow the
setting; VACUUM FULL rewrites the existing ones. SQLite's FTS5 table is untouched.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _rewrite():
    with op.get_context().autocommit_block():  # VACUUM runs outside a transaction
        op.execute("VACUUM (FULL, ANALYZE) building_fts")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE building_fts SET (toast_tuple_target = 128)")
    _rewrite()


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE building_fts RESET (toast_tuple_target)")
    _rewrite()
