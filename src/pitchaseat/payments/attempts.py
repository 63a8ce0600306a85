"""Charge attempts and their outcomes: the payments table only. Whose order a charge pays for
and what that does to the order is the orders domain's business."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.errors import IdempotencyKeyReused, NotFound
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.timeutil import utcnow

# A charge is open while it is asked for, unanswered, waiting for 3-D Secure, or paid.
OPEN_STATUSES = (PaymentStatus.pending, PaymentStatus.unknown, PaymentStatus.paid)


def fingerprint(request: dict[str, Any]) -> str:
    """A digest of what a request asked for, to tell a replay from a reused key."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def replayed_attempt(
    session: AsyncSession, order_id: int, idempotency_key: str, request_fingerprint: str
) -> Payment | None:
    earlier = await session.scalar(
        select(Payment).where(
            Payment.order_id == order_id, Payment.idempotency_key == idempotency_key
        )
    )
    if earlier is not None and earlier.request_fingerprint not in (None, request_fingerprint):
        raise IdempotencyKeyReused()
    return earlier


async def open_attempt_exists(session: AsyncSession, order_id: int) -> bool:
    found = await session.scalar(
        select(Payment.id).where(Payment.order_id == order_id, Payment.status.in_(OPEN_STATUSES))
    )
    return found is not None


def new_attempt(
    session: AsyncSession,
    *,
    order_id: int,
    amount: int,
    provider: str,
    idempotency_key: str | None,
    request_fingerprint: str | None,
) -> Payment:
    payment = Payment(
        order_id=order_id,
        provider=provider,
        status=PaymentStatus.pending,
        amount=amount,
        # Our own unique number, so a lost answer can be looked up at the provider.
        order_number=f"PAS{order_id}-{secrets.token_hex(4).upper()}",
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
    )
    session.add(payment)
    return payment


async def locked_attempt(session: AsyncSession, payment_id: int) -> Payment:
    payment = await session.scalar(
        select(Payment).where(Payment.id == payment_id).with_for_update()
    )
    if payment is None:
        raise NotFound("No such payment.")
    return payment


async def paid_attempt(session: AsyncSession, order_id: int) -> Payment | None:
    return await session.scalar(
        select(Payment).where(Payment.order_id == order_id, Payment.status == PaymentStatus.paid)
    )


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
            select(Payment.id)
            .where(
                Payment.status.in_((PaymentStatus.unknown, PaymentStatus.pending)),
                Payment.updated_at <= cutoff,
            )
            .order_by(Payment.id)
        )
    )
