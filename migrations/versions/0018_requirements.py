"""求租 requirements (委托找房): what tenants need, the places they name, agents' answers.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "requirement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("mobile", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("area_min", sa.Float(), nullable=True),
        sa.Column("area_max", sa.Float(), nullable=True),
        sa.Column("budget_min", sa.Float(), nullable=True),
        sa.Column("budget_max", sa.Float(), nullable=True),
        sa.Column("budget_unit", sa.String(length=8), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=True),
        sa.Column("move_in", sa.Date(), nullable=True),
        sa.Column("anywhere", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("token", sa.String(length=43), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_requirement_user_id_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_requirement"),
        sa.UniqueConstraint("token", name="uq_requirement_token"),
    )
    op.create_index("ix_requirement_open", "requirement", ["status", "expires_at"])
    tests = ["area_min", "area_max", "budget_unit", "budget_min", "budget_max", "grade"]
    op.create_index(
        "ix_requirement_anywhere", "requirement", ["anywhere", "status", "expires_at", *tests]
    )
    op.create_index("ix_requirement_match", "requirement", ["id", "status", "expires_at", *tests])
    op.create_index("ix_requirement_user_id", "requirement", ["user_id"])
    op.create_table(
        "requirement_place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("park_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["park_id"], ["park.id"], name="fk_requirement_place_park_id_park", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["place.id"],
            name="fk_requirement_place_place_id_place",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requirement_id"],
            ["requirement.id"],
            name="fk_requirement_place_requirement_id_requirement",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_requirement_place"),
    )
    op.create_index(
        "ix_requirement_place_park", "requirement_place", ["park_id", "requirement_id"]
    )
    op.create_index(
        "ix_requirement_place_place", "requirement_place", ["place_id", "requirement_id"]
    )
    op.create_index("ix_requirement_place_requirement_id", "requirement_place", ["requirement_id"])
    op.create_table(
        "requirement_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["users.id"],
            name="fk_requirement_answer_agent_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requirement_id"],
            ["requirement.id"],
            name="fk_requirement_answer_requirement_id_requirement",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_requirement_answer"),
        sa.UniqueConstraint(
            "requirement_id", "agent_id", name="uq_requirement_answer_requirement_id"
        ),
    )
    op.create_index("ix_requirement_answer_agent_id", "requirement_answer", ["agent_id"])
    op.create_table(
        "requirement_answer_unit",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["requirement_answer.id"],
            name="fk_requirement_answer_unit_answer_id_requirement_answer",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name="fk_requirement_answer_unit_unit_id_unit",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("answer_id", "unit_id", name="pk_requirement_answer_unit"),
    )


def downgrade():
    op.drop_table("requirement_answer_unit")
    op.drop_index("ix_requirement_answer_agent_id", "requirement_answer")
    op.drop_table("requirement_answer")
    op.drop_index("ix_requirement_place_requirement_id", "requirement_place")
    op.drop_index("ix_requirement_place_place", "requirement_place")
    op.drop_index("ix_requirement_place_park", "requirement_place")
    op.drop_table("requirement_place")
    op.drop_index("ix_requirement_user_id", "requirement")
    op.drop_index("ix_requirement_match", "requirement")
    op.drop_index("ix_requirement_anywhere", "requirement")
    op.drop_index("ix_requirement_open", "requirement")
    op.drop_table("requirement")
