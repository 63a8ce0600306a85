"""Refunds: the money goes back through the provider first, then the order moves once and,
if the game is still ahead, its tickets return to the listing."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider, PaymentUnavailable
from pitchaseat.catalog.models import Game
from pitchaseat.db import commit, rollback
from pitchaseat.errors import NotFound
from pitchaseat.insights import invalidate_market_stats
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.listings.service import refresh_game_summaries
from pitchaseat.listings.stock import return_tickets
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.service import order_with_history
from pitchaseat.orders.states import can_move, transition
from pitchaseat.payments.errors import RefundFailed
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.timeutil import utcnow

log = logging.getLogger(__name__)


async def _paid_payment(session: AsyncSession, order_id: int) -> Payment | None:
    return await session.scalar(
        select(Payment).where(Payment.order_id == order_id, Payment.status == PaymentStatus.paid)
    )


async def refund_order(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    order_id: int,
    *,
    actor_id: int | None,
    action: str,
    reason: str | None = None,
    cache: ListingPageCache | None = None,
) -> Order:
    async with factory() as session:
        order = await session.get(Order, order_id)
        if order is None:
            raise NotFound("No such order.")
        if not can_move(order.status, OrderStatus.refunded):
            raise InvalidOrderState(status=order.status.value, wanted="refunded")
        payment = await _paid_payment(session, order_id)
        if payment is None or payment.rec_trade_id is None:
            raise InvalidOrderState(status=order.status.value, wanted="refunded")
        rec_trade_id, amount = payment.rec_trade_id, payment.amount
    try:
        refunded = await provider.refund(rec_trade_id, amount)
    except PaymentUnavailable as error:
        raise RefundFailed() from error
    if not refunded:
        raise RefundFailed()
    async with factory() as session:
        try:
            order = await session.scalar(
                select(Order).where(Order.id == order_id).with_for_update()
            )
            assert order is not None
            await transition(
                session,
                order,
                OrderStatus.refunded,
                action=action,
                actor_id=actor_id,
                data={"amount": amount, **({"reason": reason} if reason else {})},
            )
            payment = await _paid_payment(session, order_id)
            assert payment is not None
            payment.refunded_amount = amount
            game = await session.get(Game, order.game_id)
            if game is not None and game.starts_at > utcnow():
                await return_tickets(session, order.listing_id, order.quantity)
            await refresh_game_summaries(session, [order.game_id], cache)
        except BaseException:
            await rollback(session)
            raise
        await commit(session)
    if cache is not None:
        await invalidate_market_stats(cache.cache)  # a refunded sale no longer counts
    async with factory() as session:
        reloaded = await order_with_history(session, order_id)
        assert reloaded is not None
        return reloaded


async def refund_each(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    order_ids: Iterable[int],
    *,
    action: str,
    cache: ListingPageCache | None = None,
) -> tuple[list[int], list[int]]:
    """Refunds orders one by one for a job: (refunded, failed). An order that moved meanwhile
    is skipped; a refund the provider refuses is left for the job's next run."""
    refunded: list[int] = []
    failed: list[int] = []
    for order_id in order_ids:
        try:
            await refund_order(
                factory, provider, order_id, actor_id=None, action=action, cache=cache
            )
        except InvalidOrderState:
            continue
        except RefundFailed:
            log.warning("refund of order %s (%s) failed; will retry", order_id, action)
            failed.append(order_id)
            continue
        refunded.append(order_id)
    return refunded, failed
