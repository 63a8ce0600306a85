"""Traded orders written straight into the tables, with the payment moment a test needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.listings.models import Listing
from pitchaseat.orders.models import Order, OrderEvent, OrderStatus


async def make_order(
    session: AsyncSession,
    listing: Listing,
    buyer: User,
    *,
    quantity: int = 1,
    unit_price: int | None = None,
    status: OrderStatus = OrderStatus.paid,
    paid_at: datetime | None = None,
) -> Order:
    """An order of ``listing`` in ``status``; unless it never got paid (pending, cancelled),
    its history holds the move to ``paid`` at ``paid_at``."""
    price = unit_price if unit_price is not None else listing.price
    created = (paid_at or datetime.now(UTC)) - timedelta(minutes=5)
    order = Order(
        buyer_id=buyer.id,
        seller_id=listing.seller_id,
        listing_id=listing.id,
        game_id=listing.game_id,
        quantity=quantity,
        unit_price=price,
        amount=price * quantity,
        status=status,
        hold_expires_at=created + timedelta(minutes=10),
        created_at=created,
    )
    session.add(order)
    await session.flush()
    if status not in (OrderStatus.pending_payment, OrderStatus.cancelled):
        session.add(
            OrderEvent(
                order_id=order.id,
                action="orders.paid",
                from_status=OrderStatus.pending_payment.value,
                to_status=OrderStatus.paid.value,
                actor_id=buyer.id,
                at=paid_at or datetime.now(UTC),
            )
        )
    await session.commit()
    return order
