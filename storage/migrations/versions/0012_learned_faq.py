"""The FAQ's learned layer: alternates learned from parents' picks and organizers' review,
entries organizers wrote in the bot, and a per-program version the workers watch.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learned_alternates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("asked", sa.String(length=300), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("families", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_alternates")),
        sa.UniqueConstraint("program", "entry_id", "asked",
                            name=op.f("uq_learned_alternates_program")),
    )
    op.create_index("ix_learned_alternates_program_status", "learned_alternates",
                    ["program", "status"])
    op.create_table(
        "learned_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("alternates", sa.Text(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_entries")),
        sa.UniqueConstraint("program", "entry_id", name=op.f("uq_learned_entries_program")),
    )
    op.create_table(
        "learned_versions",
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("program", name=op.f("pk_learned_versions")),
    )


def downgrade() -> None:
    op.drop_table("learned_versions")
    op.drop_table("learned_entries")
    op.drop_index("ix_learned_alternates_program_status", table_name="learned_alternates")
    op.drop_table("learned_alternates")
