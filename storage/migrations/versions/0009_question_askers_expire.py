"""A question kept for organizers loses its asker after the program's retention period.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("questions") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM questions WHERE chat_id IS NULL")
    with op.batch_alter_table("questions") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=False)
