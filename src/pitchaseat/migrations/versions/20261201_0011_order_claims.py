"""Orders: a refund claim beside the charge claim; payments: the request fingerprint behind an
Idempotency-Key, and an index for the charges still waiting for an answer.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column("refund_in_flight", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("request_fingerprint", sa.String(64), nullable=True))
    op.create_index("ix_payments_status_updated_at", "payments", ["status", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_payments_status_updated_at", table_name="payments")
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("request_fingerprint")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("refund_in_flight")
