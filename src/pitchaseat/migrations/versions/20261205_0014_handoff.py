"""The hand-off between buyer and seller: delivery details, the shipment and messages.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pitchaseat.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_deliveries",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("recipient_name", sa.String(length=60), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("ticket_account", sa.String(length=100), nullable=True),
        sa.Column("meetup_note", sa.String(length=300), nullable=True),
        sa.Column("masked_at", pitchaseat.db.UtcDateTime(), nullable=True),
        sa.Column("updated_at", pitchaseat.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["users.id"], name=op.f("fk_order_deliveries_buyer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_deliveries_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_deliveries")),
    )
    op.create_index(
        "ix_order_deliveries_buyer_updated", "order_deliveries", ["buyer_id", "updated_at"]
    )
    op.create_table(
        "order_shipments",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("carrier", sa.String(length=30), nullable=True),
        sa.Column("tracking_number", sa.String(length=40), nullable=True),
        sa.Column("transfer_reference", sa.String(length=100), nullable=True),
        sa.Column("meetup_place", sa.String(length=200), nullable=True),
        sa.Column("meetup_at", pitchaseat.db.UtcDateTime(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("photo_key", sa.String(length=200), nullable=True),
        sa.Column("shipped_at", pitchaseat.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_shipments_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_shipments")),
    )
    op.create_table(
        "order_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", pitchaseat.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_messages_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["users.id"], name=op.f("fk_order_messages_sender_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_messages")),
    )
    op.create_index("ix_order_messages_order_id", "order_messages", ["order_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_order_messages_order_id", table_name="order_messages")
    op.drop_table("order_messages")
    op.drop_table("order_shipments")
    op.drop_index("ix_order_deliveries_buyer_updated", table_name="order_deliveries")
    op.drop_table("order_deliveries")
