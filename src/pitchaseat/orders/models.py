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
    Text,
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


class OrderDelivery(Base):
    """What the seller needs to hand the tickets over (by the listing's delivery method).
    Personal data: read only through ``orders.guards.can_read_delivery``, masked 30 days after
    the order ends."""

    __tablename__ = "order_deliveries"
    # "The buyer's last answers" for the next checkout.
    __table_args__ = (Index("ix_order_deliveries_buyer_updated", "buyer_id", "updated_at"),)

    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recipient_name: Mapped[str | None] = mapped_column(String(60), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    ticket_account: Mapped[str | None] = mapped_column(String(100), nullable=True)
    meetup_note: Mapped[str | None] = mapped_column(String(300), nullable=True)
    masked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class OrderShipment(Base):
    """How the seller sent the tickets, for the buyer to follow."""

    __tablename__ = "order_shipments"

    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[str] = mapped_column(String(20))
    carrier: Mapped[str | None] = mapped_column(String(30), nullable=True)
    tracking_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    transfer_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    meetup_place: Mapped[str | None] = mapped_column(String(200), nullable=True)
    meetup_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Proof of posting or transfer, stored through the listing photos' storage.
    photo_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    shipped_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class OrderMessage(Base):
    """Plain text between the buyer and the seller of one order."""

    __tablename__ = "order_messages"
    __table_args__ = (Index("ix_order_messages_order_id", "order_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
