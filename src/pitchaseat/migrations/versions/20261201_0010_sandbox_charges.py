"""Sandbox charges: the sandbox provider's own record of its charges, kept in the database so
that any process (the CLI, a worker, a restarted app) can find and refund them.

Revision ID: 0010
Revises: 0011 (the newest revision on main when this branch merged it)
Create Date: 2026-12-01 21:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pitchaseat.db

revision: str = "0010"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sandbox_charges",
        sa.Column("rec_trade_id", sa.String(length=40), nullable=False),
        sa.Column("order_number", sa.String(length=50), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("refunded_amount", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", pitchaseat.db.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "refunded_amount BETWEEN 0 AND amount",
            name=op.f("ck_sandbox_charges_refund_within_amount"),
        ),
        sa.PrimaryKeyConstraint("rec_trade_id", name=op.f("pk_sandbox_charges")),
    )
    with op.batch_alter_table("sandbox_charges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sandbox_charges_order_number"), ["order_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sandbox_charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_charges_order_number"))
    op.drop_table("sandbox_charges")
