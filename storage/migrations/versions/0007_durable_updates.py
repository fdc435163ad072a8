"""Received updates, stored before they are acknowledged, and chats' conversation state.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_updates")),
    )
    op.create_index("ix_updates_unhandled", "updates", ["chat_id", "update_id"],
                    postgresql_where=sa.text("handled_at IS NULL"),
                    sqlite_where=sa.text("handled_at IS NULL"))
    op.create_index(op.f("ix_updates_handled_at"), "updates", ["handled_at"])
    op.create_table(
        "chat_states",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_chat_states")),
    )


def downgrade() -> None:
    op.drop_table("chat_states")
    op.drop_index(op.f("ix_updates_handled_at"), table_name="updates")
    op.drop_index("ix_updates_unhandled", table_name="updates")
    op.drop_table("updates")
