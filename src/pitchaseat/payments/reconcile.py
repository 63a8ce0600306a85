"""Settles charges whose answer never came (and 3-D Secure charges left waiting) from the
provider's records: no double charge, no paid order left unpaid in our books."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.cache import GroupCache
from pitchaseat.adapters.payments.base import PaymentProvider, PaymentUnavailable
from pitchaseat.db import commit
from pitchaseat.insights import invalidate_market_stats
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.payments.service import payments_to_reconcile, settle_from_record


async def reconcile_payment(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    payment_id: int,
    *,
    stats_cache: GroupCache | None = None,
) -> PaymentStatus:
    async with factory() as session:
        payment = await session.get(Payment, payment_id)
        if payment is None:
            return PaymentStatus.failed
        order_number, rec_trade_id = payment.order_number, payment.rec_trade_id
    try:
        # Asked outside any transaction: the provider may be slow.
        record = await provider.find_record(order_number=order_number, rec_trade_id=rec_trade_id)
    except PaymentUnavailable:
        return PaymentStatus.unknown
    async with factory() as session:
        settled = await settle_from_record(session, payment_id, record)
        await commit(session)
    if settled.status is PaymentStatus.paid and stats_cache is not None:
        await invalidate_market_stats(stats_cache)
    return settled.status


async def reconcile_payments(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    *,
    older_than_seconds: int = 60,
    stats_cache: GroupCache | None = None,
) -> int:
    async with factory() as session:
        waiting = await payments_to_reconcile(session, older_than_seconds=older_than_seconds)
    for payment_id in waiting:
        await reconcile_payment(factory, provider, payment_id, stats_cache=stats_cache)
    return len(waiting)
