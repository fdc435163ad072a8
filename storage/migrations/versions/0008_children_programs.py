"""Children belong to a program: a family may take part in two, each with its own children.

Existing children go to their chat's current program (a chat without one leaves them without
one until it picks a program; see `storage.children.adopt`).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("children") as batch:
        batch.add_column(sa.Column("program", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE children SET program = (SELECT chats.program FROM chats JOIN families"
        " ON families.chat_id = chats.id WHERE families.id = children.family_id)")
    op.create_index("ix_children_program", "children", ["program"])


def downgrade() -> None:
    op.drop_index("ix_children_program", table_name="children")
    with op.batch_alter_table("children") as batch:
        batch.drop_column("program")
