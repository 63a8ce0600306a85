"""Refunds: the order is claimed first, the money goes back through the provider, then the
order moves once and, if the game is still ahead, its tickets return to the listing.

While the claim stands (between the two transactions) a confirm, a dispute or another refund
of the same order is refused with 409 ``payment_in_progress``, so the seller can never be
paid for money the buyer got back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider, PaymentUnavailable
from pitchaseat.catalog.models import Game
from pitchaseat.db import commit, rollback
from pitchaseat.listings.service import refresh_game_summaries
from pitchaseat.listings.stock import return_tickets
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.holds import locked_order, order_with_history
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.states import REFUNDABLE, Claim, claim, record_note, release_claim
from pitchaseat.orders.states import transition as move
from pitchaseat.payments import attempts
from pitchaseat.payments.errors import RefundFailed
from pitchaseat.timeutil import utcnow

log = logging.getLogger(__name__)

# Work a caller adds to the transaction that records a workflow's outcome (an operator's
# audit entry): it commits with the outcome, or not at all.
InOutcome = Callable[[AsyncSession], Awaitable[None]]


async def _claim_refund(
    factory: async_sessionmaker[AsyncSession], order_id: int, allowed: frozenset[OrderStatus]
) -> tuple[str, int]:
    async with factory() as session:
        try:
            order = await locked_order(session, order_id)
            payment = await attempts.paid_attempt(session, order_id)
            if payment is None or payment.rec_trade_id is None:
                raise InvalidOrderState(status=order.status.value, wanted="refunded")
            await claim(session, order, Claim.refund, allowed)
        except BaseException:
            await rollback(session)
            raise
        await commit(session)
        return payment.rec_trade_id, payment.amount


async def _ask_gateway(provider: PaymentProvider, rec_trade_id: str, amount: int) -> bool:
    try:
        return await provider.refund(rec_trade_id, amount)
    except PaymentUnavailable:
        return False


async def refund_order(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    order_id: int,
    *,
    actor_id: int | None,
    code: OrderEventCode,
    reason: str | None = None,
    allowed: frozenset[OrderStatus] = REFUNDABLE,
    in_outcome: InOutcome | None = None,
) -> Order:
    """Refunds a paid order in full. ``allowed`` narrows the statuses it may be refunded
    from (the caller's rule); a refund the provider refuses changes nothing (409).
    ``in_outcome`` runs in the transaction that records the refund, only if it happened."""
    rec_trade_id, amount = await _claim_refund(factory, order_id, allowed)
    refunded = await _ask_gateway(provider, rec_trade_id, amount)
    async with factory() as session:
        try:
            if not refunded:
                await release_claim(session, order_id, Claim.refund)
            else:
                await _record_refund(session, order_id, amount, actor_id, code, reason)
                if in_outcome is not None:
                    await in_outcome(session)
        except BaseException:
            await rollback(session)
            raise
        await commit(session)
    if not refunded:
        raise RefundFailed()
    async with factory() as session:
        reloaded = await order_with_history(session, order_id)
        assert reloaded is not None
        return reloaded


async def _record_refund(
    session: AsyncSession,
    order_id: int,
    amount: int,
    actor_id: int | None,
    code: OrderEventCode,
    reason: str | None,
) -> None:
    order = await locked_order(session, order_id)
    data: dict[str, object] = {"amount": amount, **({"reason": reason} if reason else {})}
    await move(
        session,
        order,
        OrderStatus.refunded,
        code=code,
        actor_id=actor_id,
        data=data,
        settles=Claim.refund,
    )
    payment = await attempts.paid_attempt(session, order_id)
    assert payment is not None
    payment.refunded_amount = amount
    game = await session.get(Game, order.game_id)
    if game is not None and game.starts_at > utcnow():
        await return_tickets(session, order.listing_id, order.quantity)
    await refresh_game_summaries(session, [order.game_id])


async def refund_late_charge(
    factory: async_sessionmaker[AsyncSession], provider: PaymentProvider, payment_id: int
) -> bool:
    """A charge the bank approved after its order could no longer take it (the hold ended):
    the money goes straight back, and the order's history says so. True once refunded."""
    async with factory() as session:
        payment = await attempts.locked_attempt(session, payment_id)
        if payment.refunded_amount >= payment.amount or payment.rec_trade_id is None:
            return payment.refunded_amount >= payment.amount
        rec_trade_id, amount, order_id = payment.rec_trade_id, payment.amount, payment.order_id
    log.warning("payment %s was approved too late for order %s; refunding", payment_id, order_id)
    if not await _ask_gateway(provider, rec_trade_id, amount):
        log.warning("late charge %s: refund refused; the reconcile job tries again", payment_id)
        return False
    async with factory() as session:
        payment = await attempts.locked_attempt(session, payment_id)
        payment.refunded_amount = amount
        order = await session.get(Order, order_id)
        assert order is not None
        await record_note(
            session, order, OrderEventCode.late_charge_refunded, {"payment_id": payment_id}
        )
        await commit(session)
    return True


async def refund_each(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    order_ids: Iterable[int],
    *,
    code: OrderEventCode,
    allowed: frozenset[OrderStatus] = REFUNDABLE,
) -> tuple[list[int], list[int]]:
    """Refunds orders one by one for a job: (refunded, failed). An order that moved meanwhile
    is skipped; any other failure is logged and left for the job's next run."""
    refunded: list[int] = []
    failed: list[int] = []
    for order_id in order_ids:
        try:
            await refund_order(
                factory, provider, order_id, actor_id=None, code=code, allowed=allowed
            )
        except InvalidOrderState:
            continue
        except Exception:
            log.warning("refund of order %s (%s) failed; will retry", order_id, code, exc_info=True)
            failed.append(order_id)
            continue
        refunded.append(order_id)
    return refunded, failed
