"""A seller who does not ship in time: the buyer is refunded in full, automatically."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.deadlines import orders_past_ship_deadline
from pitchaseat.orders.models import OrderStatus
from pitchaseat.orders.workflows.refunds import refund_each


async def refund_missed_shipments(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    *,
    now: datetime | None = None,
) -> list[int]:
    """Refunds every paid order not shipped by its deadline; returns the refunded ids.
    A refund the provider refuses now is tried again on the next run."""
    async with factory() as session:
        due = await orders_past_ship_deadline(session, now=now)
    refunded, _ = await refund_each(
        factory,
        provider,
        due,
        code=OrderEventCode.refund_ship_deadline_missed,
        allowed=frozenset({OrderStatus.paid}),
    )
    return refunded
