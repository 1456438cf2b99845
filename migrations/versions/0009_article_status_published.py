"""Articles: an index of the published ones in date order.

A building page's related news took the newest articles naming its town by sorting every
mention of the town (2,000 of 20,000 articles: 11 ms on SQLite, reading each article row past
its long body to test its status). Walking this index, newest first, finds them in under a
millisecond (app.listings.details.newest_about).

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("article") as batch:
        batch.create_index("ix_article_status_published", ["status", "published_at"], unique=False)


def downgrade():
    with op.batch_alter_table("article") as batch:
        batch.drop_index("ix_article_status_published")
