from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class PaymentStatus(enum.StrEnum):
    pending = "pending"  # charge asked for (or waiting for 3-D Secure)
    paid = "paid"
    failed = "failed"
    unknown = "unknown"  # the provider did not answer: reconcile by querying it


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("order_id", "idempotency_key"),
        # The reconcile job and /metrics look up the charges still waiting for an answer.
        Index("ix_payments_status_updated_at", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    status: Mapped[PaymentStatus] = mapped_column(
        Enum(PaymentStatus, native_enum=False, length=16, create_constraint=True),
        default=PaymentStatus.pending,
    )
    amount: Mapped[int] = mapped_column(Integer)
    order_number: Mapped[str] = mapped_column(String(50), unique=True)
    rec_trade_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    payment_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # A digest of the request that used the key: the same key with another body is refused.
    request_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    refunded_amount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
