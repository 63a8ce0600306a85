"""The one order state machine: the allowed moves, and the one function that makes them.

A move is a conditional UPDATE on the status it expects, so two racing moves cannot both win;
each successful move writes an order event (the history) and the notifications it causes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from pitchaseat.ledger.service import OrderMoney, book_charge, book_completion, book_refund
from pitchaseat.notifications.events import notify_order_event
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.models import Order, OrderEvent
from pitchaseat.orders.models import OrderStatus as S
from pitchaseat.timeutil import utcnow

TRANSITIONS: dict[S, frozenset[S]] = {
    S.pending_payment: frozenset({S.paid, S.cancelled}),
    S.paid: frozenset({S.shipped, S.refunded, S.disputed}),
    S.shipped: frozenset({S.completed, S.refunded, S.disputed}),
    S.disputed: frozenset({S.completed, S.refunded}),
    S.completed: frozenset(),
    S.cancelled: frozenset(),
    S.refunded: frozenset(),
}


def can_move(current: S, target: S) -> bool:
    return target in TRANSITIONS[current]


async def transition(
    session: AsyncSession,
    order: Order,
    target: S,
    *,
    action: str,
    actor_id: int | None,
    data: dict[str, Any] | None = None,
) -> None:
    current = order.status
    if not can_move(current, target):
        raise InvalidOrderState(status=current.value, wanted=target.value)
    result = await session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == current)
        .values(status=target, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise InvalidOrderState(status="changed", wanted=target.value)
    # The row already says so; keep the object in step without another UPDATE.
    set_committed_value(order, "status", target)
    session.add(
        OrderEvent(
            order_id=order.id,
            action=action,
            from_status=current.value,
            to_status=target.value,
            actor_id=actor_id,
            data=data or {},
        )
    )
    _book_money(session, order, target)
    await notify_order_event(session, order, action=action, to_status=target.value)
    await session.flush()


def _book_money(session: AsyncSession, order: Order, target: S) -> None:
    """Every move that moves money is booked here, in the move's own transaction."""
    booking = {S.paid: book_charge, S.completed: book_completion, S.refunded: book_refund}
    if target in booking:
        money = OrderMoney(order.id, order.seller_id, order.amount, order.seller_fee_bps)
        booking[target](session, money)
