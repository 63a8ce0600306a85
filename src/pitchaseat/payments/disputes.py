"""An operator settles a dispute: the seller is paid (completed) or the buyer refunded."""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.db import commit
from pitchaseat.errors import NotFound
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.service import order_with_history
from pitchaseat.orders.states import transition
from pitchaseat.payments.refunds import refund_order


class DisputeOutcome(enum.StrEnum):
    completed = "completed"
    refunded = "refunded"


async def resolve_dispute(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    order_id: int,
    outcome: DisputeOutcome,
    *,
    note: str,
    cache: ListingPageCache | None = None,
) -> Order:
    async with factory() as session:
        order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
        if order is None:
            raise NotFound("No such order.")
        if order.status is not OrderStatus.disputed:
            raise InvalidOrderState(status=order.status.value, wanted=outcome.value)
        if outcome is DisputeOutcome.completed:
            await transition(
                session,
                order,
                OrderStatus.completed,
                action="orders.dispute.resolved",
                actor_id=None,
                data={"outcome": outcome.value, "note": note},
            )
            await commit(session)
            resolved = await order_with_history(session, order_id)
            assert resolved is not None
            return resolved
    return await refund_order(
        factory,
        provider,
        order_id,
        actor_id=None,
        action="orders.dispute.resolved",
        reason=note,
        cache=cache,
    )
