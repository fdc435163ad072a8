"""The outbox carries replies too: a reply's picture, edits of a sent message, and an index
so replies are claimed before everything else.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("photo", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("edit_message_id", sa.BigInteger(), nullable=True))
    op.create_index("ix_outbox_kind_state_due_at", "outbox", ["kind", "state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_kind_state_due_at", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("edit_message_id")
        batch.drop_column("photo")
