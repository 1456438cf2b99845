"""Search: the full-text index of buildings (FTS5 on SQLite, a GIN tsvector on PostgreSQL).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
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
    # Buildings that exist already are indexed by `flask --app wsgi search reindex`.


def downgrade():
    op.execute("DROP TABLE building_fts")
