"""A seller who does not ship in time: the buyer is refunded in full, automatically."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.orders.deadlines import orders_past_ship_deadline
from pitchaseat.payments.refunds import refund_each


async def refund_missed_shipments(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    *,
    before_game: timedelta,
    now: datetime | None = None,
    cache: ListingPageCache | None = None,
) -> list[int]:
    """Refunds every paid order not shipped by its deadline; returns the refunded ids.
    A refund the provider refuses now is tried again on the next run."""
    async with factory() as session:
        due = await orders_past_ship_deadline(session, before_game=before_game, now=now)
    refunded, _ = await refund_each(
        factory, provider, due, action="payments.refund.ship_deadline_missed", cache=cache
    )
    return refunded
