"""The marketplace loop, first part: agents' profiles, inquiries answered, email sent reliably.

- users: email_verified_at, session_version (raised to sign every session out), intro, photo,
  phone_reveals; agent_town: the towns an agent serves.
- inquiry.answer, and its statuses 新留言 → 已联系 → 已带看 → 已成交 / 无效 (an inquiry marked
  answered before is 已联系).
- outbound_email: every email, written before a job sends it, with a unique key.

Columns are added in place (no batch rebuild).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(), nullable=True))
    op.add_column(
        "users", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("users", sa.Column("intro", sa.Text(), nullable=False, server_default=""))
    op.add_column("users", sa.Column("photo", sa.String(80), nullable=True))
    op.add_column(
        "users", sa.Column("phone_reveals", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_table(
        "agent_town",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_agent_town_user_id_users", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "place_id",
            sa.Integer(),
            sa.ForeignKey("place.id", name="fk_agent_town_place_id_place", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_agent_town_place_id", "agent_town", ["place_id"])
    op.add_column("inquiry", sa.Column("answer", sa.Text(), nullable=True))
    op.execute("UPDATE inquiry SET status = 'contacted' WHERE status = 'answered'")
    op.create_table(
        "outbound_email",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("to", sa.String(120), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("key", name="uq_outbound_email_key"),
    )
    op.create_index("ix_outbound_email_status", "outbound_email", ["status"])


def downgrade():
    op.drop_index("ix_outbound_email_status", "outbound_email")
    op.drop_table("outbound_email")
    op.execute("UPDATE inquiry SET status = 'answered' WHERE status <> 'new'")
    with op.batch_alter_table("inquiry") as batch:
        batch.drop_column("answer")
    op.drop_index("ix_agent_town_place_id", "agent_town")
    op.drop_table("agent_town")
    with op.batch_alter_table("users") as batch:
        for column in ("phone_reveals", "photo", "intro", "session_version", "email_verified_at"):
            batch.drop_column(column)
