"""Full text on PostgreSQL: each building's runs of two to four characters, indexed.

PostgreSQL's GIN index over per-character tokens keeps no positions, so a phrase such as 研发
was matched by rereading the tsvector of every building holding both characters. `grams` holds
every run of 2-4 consecutive characters of the indexed text as a lexeme (no positions), so a
term of that length is one index lookup (app.listings.fulltext). SQLite's FTS5 index keeps
positions and needs nothing.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The grams of the existing rows, as app.listings.fulltext.grams() makes them when this was
# written: `body` is the tokens joined by spaces, a token one character or a run of [0-9a-z],
# so a window of n tokens that is n characters long and free of [0-9a-z] is n ideographs.
FILL = """
UPDATE building_fts SET grams = (
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT gram)), ''::tsvector)
    FROM (
        SELECT token AS t1, lead(token, 1) OVER w AS t2, lead(token, 2) OVER w AS t3,
               lead(token, 3) OVER w AS t4
        FROM unnest(string_to_array(body, ' ')) WITH ORDINALITY AS doc(token, position)
        WINDOW w AS (ORDER BY position)
    ) AS windows,
    LATERAL (VALUES (t1 || t2, 2), (t1 || t2 || t3, 3), (t1 || t2 || t3 || t4, 4)) AS runs(gram, n)
    WHERE char_length(gram) = n AND gram !~ '[0-9a-z]'
)
"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE building_fts ADD COLUMN grams tsvector NOT NULL DEFAULT ''")
    op.execute(FILL)
    op.execute("CREATE INDEX ix_building_fts_grams ON building_fts USING gin (grams)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_building_fts_grams")
    op.execute("ALTER TABLE building_fts DROP COLUMN grams")
