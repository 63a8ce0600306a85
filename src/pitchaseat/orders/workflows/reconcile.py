"""Settles charges whose answer never came (and 3-D Secure charges left waiting) from the
provider's records: no double charge, no paid order left unpaid in our books, and a charge
approved too late for its order refunded."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider, PaymentUnavailable
from pitchaseat.db import commit
from pitchaseat.orders import charges
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.workflows.refunds import refund_late_charge
from pitchaseat.payments.attempts import payments_to_reconcile
from pitchaseat.payments.models import Payment, PaymentStatus

log = logging.getLogger(__name__)


async def reconcile_payment(
    factory: async_sessionmaker[AsyncSession], provider: PaymentProvider, payment_id: int
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
        settled = await charges.settle_from_record(session, payment_id, record)
        await commit(session)
    if settled.late_charge:
        await refund_late_charge(factory, provider, payment_id)
    return settled.payment.status


async def _late_charges(session: AsyncSession) -> list[int]:
    """Approved charges of orders that never became paid, not yet given back."""
    return list(
        await session.scalars(
            select(Payment.id)
            .join(Order, Order.id == Payment.order_id)
            .where(
                Payment.status == PaymentStatus.paid,
                Payment.refunded_amount < Payment.amount,
                Order.status == OrderStatus.cancelled,
            )
            .order_by(Payment.id)
        )
    )


async def reconcile_payments(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    *,
    older_than_seconds: int = 60,
) -> int:
    """One pass over every open charge, each on its own: one that fails is logged and the
    others go on."""
    async with factory() as session:
        waiting = await payments_to_reconcile(session, older_than_seconds=older_than_seconds)
        late = await _late_charges(session)
    for payment_id in waiting:
        try:
            await reconcile_payment(factory, provider, payment_id)
        except Exception:
            log.exception("reconcile of payment %s failed; next tick tries again", payment_id)
    for payment_id in late:
        try:
            await refund_late_charge(factory, provider, payment_id)
        except Exception:
            log.exception("refund of late charge %s failed; next tick tries again", payment_id)
    return len(waiting) + len(late)
