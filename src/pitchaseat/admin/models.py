from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class ReportReason(enum.StrEnum):
    fraud = "fraud"
    above_face_value = "above_face_value"
    wrong_details = "wrong_details"
    other = "other"


class ReportStatus(enum.StrEnum):
    open = "open"
    closed = "closed"


class ListingReport(Base):
    """A fan's report of a listing; one per fan and listing."""

    __tablename__ = "listing_reports"
    __table_args__ = (
        UniqueConstraint("listing_id", "reporter_id"),
        Index("ix_listing_reports_status_created", "status", "created_at"),
        Index("ix_listing_reports_reporter_id", "reporter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[ReportReason] = mapped_column(
        Enum(ReportReason, native_enum=False, length=20, create_constraint=True)
    )
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    status: Mapped[ReportStatus] = mapped_column(
        Enum(ReportStatus, native_enum=False, length=8, create_constraint=True),
        default=ReportStatus.open,
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AuditEntry(Base):
    """One operator action: who, what, on which object, why and when. Written in the action's
    own transaction and never changed afterwards (the app has no code that updates or
    deletes a row)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_at", "actor_id", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(1000))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class DisputeEvidence(Base):
    """A note, with an optional photo, that the buyer or the seller adds to a dispute."""

    __tablename__ = "dispute_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(1000))
    storage_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    thumbnail_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
