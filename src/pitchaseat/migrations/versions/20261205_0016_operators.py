"""Operators: fans' listing reports, the audit log, dispute evidence; suspended accounts; the
listing statuses `removed` (taken down) and `paused` (the seller is suspended).

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-05 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pitchaseat.db

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = ("active", "sold_out", "withdrawn", "expired")
NEW_STATUSES = (*OLD_STATUSES, "removed", "paused")


def _status_check(statuses: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{status}'" for status in statuses) + ")"


def _replace_status_check(statuses: tuple[str, ...]) -> None:
    with op.batch_alter_table("listings") as batch:
        batch.drop_constraint(op.f("ck_listings_listingstatus"), type_="check")
        batch.create_check_constraint(op.f("ck_listings_listingstatus"), _status_check(statuses))


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("suspended_at", pitchaseat.db.UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("suspension_reason", sa.String(length=500), nullable=True))
    _replace_status_check(NEW_STATUSES)
    op.create_table(
        "listing_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "fraud",
                "above_face_value",
                "wrong_details",
                "other",
                name="reportreason",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                name="reportstatus",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("created_at", pitchaseat.db.UtcDateTime(), nullable=False),
        sa.Column("closed_at", pitchaseat.db.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_listing_reports_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_listing_reports_reporter_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_reports")),
        sa.UniqueConstraint(
            "listing_id", "reporter_id", name=op.f("uq_listing_reports_listing_id_reporter_id")
        ),
    )
    op.create_index(
        "ix_listing_reports_status_created", "listing_reports", ["status", "created_at"]
    )
    op.create_index("ix_listing_reports_reporter_id", "listing_reports", ["reporter_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("at", pitchaseat.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_actor_at", "audit_log", ["actor_id", "at"])
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])
    op.create_table(
        "dispute_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=True),
        sa.Column("thumbnail_key", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=40), nullable=True),
        sa.Column("created_at", pitchaseat.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_dispute_evidence_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_dispute_evidence_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_evidence")),
    )
    op.create_index(
        op.f("ix_dispute_evidence_order_id"), "dispute_evidence", ["order_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_dispute_evidence_order_id"), table_name="dispute_evidence")
    op.drop_table("dispute_evidence")
    op.drop_index("ix_audit_log_action_at", table_name="audit_log")
    op.drop_index("ix_audit_log_actor_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_listing_reports_reporter_id", table_name="listing_reports")
    op.drop_index("ix_listing_reports_status_created", table_name="listing_reports")
    op.drop_table("listing_reports")
    op.execute("UPDATE listings SET status = 'withdrawn' WHERE status IN ('removed', 'paused')")
    _replace_status_check(OLD_STATUSES)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("suspension_reason")
        batch.drop_column("suspended_at")
