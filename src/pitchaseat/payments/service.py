"""Paying for a hold in two short transactions with the provider call between them:
no database transaction is held open while the bank answers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.payments.base import ChargeOutcome, ChargeResult, TradeRecord
from pitchaseat.errors import NotFound
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.states import transition
from pitchaseat.payments.errors import HoldExpired, PaymentInProgress
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.timeutil import utcnow

OPEN_STATUSES = (PaymentStatus.pending, PaymentStatus.unknown, PaymentStatus.paid)


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    replay: bool  # an earlier request with the same key: answer with its result


async def start_payment(
    session: AsyncSession,
    order_id: int,
    buyer_id: int,
    *,
    provider: str,
    idempotency_key: str | None,
) -> PaymentStart:
    """Transaction 1: checks the order can be paid and records the attempt (and its key)."""
    order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    if order is None or order.buyer_id != buyer_id:
        raise NotFound("No such order.")
    if idempotency_key:
        earlier = await session.scalar(
            select(Payment).where(
                Payment.order_id == order_id, Payment.idempotency_key == idempotency_key
            )
        )
        if earlier is not None:
            return PaymentStart(earlier, replay=True)
    if order.status is not OrderStatus.pending_payment:
        raise InvalidOrderState(status=order.status.value, wanted="paid")
    if order.hold_expires_at <= utcnow():
        raise HoldExpired()
    in_flight = await session.scalar(
        select(Payment.id).where(Payment.order_id == order_id, Payment.status.in_(OPEN_STATUSES))
    )
    if in_flight is not None:
        raise PaymentInProgress()
    payment = Payment(
        order_id=order_id,
        provider=provider,
        status=PaymentStatus.pending,
        amount=order.amount,
        # Our own unique number, so a lost answer can be looked up at the provider.
        order_number=f"PAS{order_id}-{secrets.token_hex(4).upper()}",
        idempotency_key=idempotency_key,
    )
    session.add(payment)
    order.charge_in_flight = True
    await session.flush()
    return PaymentStart(payment, replay=False)


async def record_result(
    session: AsyncSession, payment_id: int, result: ChargeResult | None
) -> Payment:
    """Transaction 2: stores what the provider said and moves the order once.

    ``None`` means the provider did not answer: the payment is marked unknown for the
    reconcile job, and the order is neither failed nor paid blindly.
    """
    payment = await session.scalar(
        select(Payment).where(Payment.id == payment_id).with_for_update()
    )
    if payment is None:
        raise NotFound("No such payment.")
    if payment.status is not PaymentStatus.pending:
        return payment  # already settled (a replayed answer changes nothing)
    if result is None:
        payment.status = PaymentStatus.unknown
    elif result.outcome is ChargeOutcome.declined:
        payment.status = PaymentStatus.failed
        payment.error_code = result.error_code
        # No money moved: the hold runs on, and the buyer may try another card.
        order = await session.get(Order, payment.order_id)
        assert order is not None
        order.charge_in_flight = False
    elif result.outcome is ChargeOutcome.needs_3ds:
        payment.rec_trade_id = result.rec_trade_id
        payment.payment_url = result.payment_url
    else:
        payment.status = PaymentStatus.paid
        payment.rec_trade_id = result.rec_trade_id
        order = await session.get(Order, payment.order_id)
        assert order is not None
        await transition(
            session,
            order,
            OrderStatus.paid,
            action="payments.charge.succeeded",
            actor_id=order.buyer_id,
            data={"payment_id": payment.id, "rec_trade_id": result.rec_trade_id},
        )
    await session.flush()
    return payment


async def settle_from_record(
    session: AsyncSession, payment_id: int, record: TradeRecord | None
) -> Payment:
    """Settles a pending or unknown payment from the provider's own records, once.

    Nothing on record for an unknown charge means it never happened: the payment failed and
    the hold runs on. A record still pending (3-D Secure not finished) changes nothing.
    """
    payment = await session.scalar(
        select(Payment).where(Payment.id == payment_id).with_for_update()
    )
    if payment is None:
        raise NotFound("No such payment.")
    if payment.status not in (PaymentStatus.pending, PaymentStatus.unknown):
        return payment
    if record is not None and record.amount != payment.amount:
        return payment  # not our charge: never settle on a mismatch
    if record is not None and record.paid:
        payment.status = PaymentStatus.pending
        return await record_result(
            session, payment.id, ChargeResult(ChargeOutcome.paid, rec_trade_id=record.rec_trade_id)
        )
    if (record is None and payment.status is PaymentStatus.unknown) or (record and record.failed):
        payment.status = PaymentStatus.pending
        return await record_result(
            session,
            payment.id,
            ChargeResult(ChargeOutcome.declined, error_code="not_charged"),
        )
    return payment


async def find_payment(
    session: AsyncSession, *, order_number: str | None, rec_trade_id: str | None
) -> Payment | None:
    if order_number:
        found = await session.scalar(select(Payment).where(Payment.order_number == order_number))
        if found is not None:
            return found
    if rec_trade_id:
        return await session.scalar(select(Payment).where(Payment.rec_trade_id == rec_trade_id))
    return None


async def payments_to_reconcile(
    session: AsyncSession, *, older_than_seconds: int = 60
) -> list[int]:
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    return list(
        await session.scalars(
            select(Payment.id).where(
                Payment.status.in_((PaymentStatus.unknown, PaymentStatus.pending)),
                Payment.updated_at <= cutoff,
            )
        )
    )
