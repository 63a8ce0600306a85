from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class OrderStatus(enum.StrEnum):
    pending_payment = "pending_payment"
    paid = "paid"
    shipped = "shipped"
    completed = "completed"
    cancelled = "cancelled"
    refunded = "refunded"
    disputed = "disputed"


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("buyer_id", "idempotency_key"),
        # Expiry sweeps and "reads never count an expired hold" both look holds up this way.
        Index("ix_orders_status_hold_expires", "status", "hold_expires_at"),
        Index("ix_orders_listing_status", "listing_id", "status"),
        Index("ix_orders_buyer_created", "buyer_id", "created_at"),
        Index("ix_orders_seller_created", "seller_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[OrderStatus] = mapped_column(
        Enum(OrderStatus, native_enum=False, length=20, create_constraint=True),
        default=OrderStatus.pending_payment,
    )
    hold_expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The seller fee agreed when the order was made; a later change of rate never applies.
    seller_fee_bps: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Claims taken before the gateway is called and cleared when its answer is recorded: while
    # either is set, no other move of the order is allowed (orders.states).
    charge_in_flight: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    refund_in_flight: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    events: Mapped[list[OrderEvent]] = relationship(
        order_by="OrderEvent.id", lazy="raise", cascade="all, delete-orphan"
    )


class OrderEvent(Base):
    """The order's history: who moved it, when, from which status to which, and why."""

    __tablename__ = "order_events"
    # Market figures, trending and popularity all look up payments by when they happened.
    __table_args__ = (Index("ix_order_events_to_status_at", "to_status", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
