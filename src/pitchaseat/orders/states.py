"""The one order state machine: the allowed moves, and the only functions that write an
order's status.

A move is a conditional UPDATE on the status it expects, so two racing moves cannot both win.
While the gateway is being asked (a charge or a refund in flight) the order is claimed: no move
is allowed but the one that records the gateway's answer. Each successful move writes an order
event (the history), books the money it moves, tells the people concerned and announces, after
commit, what changed for the market figures.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from pitchaseat.aftercommit import Happening, announce
from pitchaseat.ledger.service import OrderMoney, book_charge, book_completion, book_refund
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.models import Order, OrderEvent
from pitchaseat.orders.models import OrderStatus as S
from pitchaseat.orders.notices import notify_order_event
from pitchaseat.payments.errors import PaymentInProgress
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
REFUNDABLE = frozenset(status for status, targets in TRANSITIONS.items() if S.refunded in targets)


class Claim(enum.StrEnum):
    """What the gateway is being asked for an order right now."""

    charge = "charge"
    refund = "refund"


_CLAIM_COLUMNS = {Claim.charge: Order.charge_in_flight, Claim.refund: Order.refund_in_flight}


def can_move(current: S, target: S) -> bool:
    return target in TRANSITIONS[current]


def unclaimed() -> ColumnElement[bool]:
    return and_(Order.charge_in_flight.is_(False), Order.refund_in_flight.is_(False))


def is_claimed(order: Order) -> bool:
    return order.charge_in_flight or order.refund_in_flight


async def _refusal(session: AsyncSession, order_id: int, wanted: str) -> Exception:
    """Why a conditional move matched no row: the order is claimed, or in another state."""
    row = (
        await session.execute(
            select(Order.status, Order.charge_in_flight, Order.refund_in_flight).where(
                Order.id == order_id
            )
        )
    ).one()
    if row.charge_in_flight or row.refund_in_flight:
        return PaymentInProgress()
    return InvalidOrderState(status=row.status.value, wanted=wanted)


async def transition(
    session: AsyncSession,
    order: Order,
    target: S,
    *,
    code: OrderEventCode,
    actor_id: int | None,
    data: dict[str, Any] | None = None,
    settles: Claim | None = None,
) -> None:
    """Moves the order from the status it has to ``target``. ``settles`` names the claim whose
    gateway answer this move records (and clears); without it a claimed order refuses."""
    current = order.status
    if not can_move(current, target):
        raise InvalidOrderState(status=current.value, wanted=target.value)
    guard = unclaimed() if settles is None else _CLAIM_COLUMNS[settles].is_(True)
    values: dict[str, Any] = {"status": target, "updated_at": utcnow()}
    if settles is not None:
        values[_CLAIM_COLUMNS[settles].key] = False
    result = await session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == current, guard)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise await _refusal(session, order.id, target.value)
    # The row already says so; keep the object in step without another read.
    set_committed_value(order, "status", target)
    if settles is not None:
        set_committed_value(order, _CLAIM_COLUMNS[settles].key, False)
    await _record(session, order, code, current, target, actor_id, data or {})


async def _record(
    session: AsyncSession,
    order: Order,
    code: OrderEventCode,
    current: S | None,
    target: S,
    actor_id: int | None,
    data: dict[str, Any],
) -> OrderEvent:
    event = OrderEvent(
        order_id=order.id,
        action=code.value,
        from_status=current.value if current else None,
        to_status=target.value,
        actor_id=actor_id,
        data=data,
    )
    session.add(event)
    _book_money(session, order, target)
    await notify_order_event(session, order, code)
    if target in (S.paid, S.refunded):
        announce(session, Happening.market_changed, [order.game_id])
    await session.flush()
    return event


async def record_creation(session: AsyncSession, order: Order, *, actor_id: int) -> OrderEvent:
    """The first step of a new hold's history (it is born pending payment)."""
    return await _record(
        session,
        order,
        OrderEventCode.hold_created,
        None,
        S.pending_payment,
        actor_id,
        {"listing_id": order.listing_id, "quantity": order.quantity},
    )


async def record_note(
    session: AsyncSession, order: Order, code: OrderEventCode, data: dict[str, Any]
) -> None:
    """A step that leaves the status as it is (a late charge refunded on a cancelled order)."""
    await _record(session, order, code, order.status, order.status, None, data)


async def claim(session: AsyncSession, order: Order, what: Claim, allowed: frozenset[S]) -> None:
    """Marks the order as waiting for the gateway before it is called; refused (409) when the
    order is claimed already or no longer in one of ``allowed``."""
    result = await session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status.in_(allowed), unclaimed())
        .values({_CLAIM_COLUMNS[what].key: True, "updated_at": utcnow()})
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise await _refusal(session, order.id, what.value)
    set_committed_value(order, _CLAIM_COLUMNS[what].key, True)


async def release_claim(session: AsyncSession, order_id: int, what: Claim) -> None:
    """The gateway said no (or nothing): the order may move again."""
    await session.execute(
        update(Order)
        .where(Order.id == order_id)
        .values({_CLAIM_COLUMNS[what].key: False, "updated_at": utcnow()})
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class ReleasedHold:
    order_id: int
    listing_id: int
    game_id: int
    quantity: int


async def cancel_holds(
    session: AsyncSession,
    conditions: Sequence[ColumnElement[bool]],
    *,
    code: OrderEventCode,
    now: datetime | None = None,
) -> list[ReleasedHold]:
    """The batch move: cancels every unclaimed hold matching ``conditions`` in one UPDATE
    (hold expiry, a game postponed or called off). Returns the holds it cancelled, so the
    caller can give their tickets back."""
    now = now or utcnow()
    where = [Order.status == S.pending_payment, unclaimed(), *conditions]
    rows = (
        await session.execute(
            select(Order.id, Order.listing_id, Order.game_id, Order.quantity)
            .where(*where)
            .order_by(Order.id)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    # The rows are locked (or, on SQLite, the database is): the same rows move.
    await session.execute(
        update(Order)
        .where(Order.id.in_(ids), *where)
        .values(status=S.cancelled, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.add_all(
        OrderEvent(
            order_id=row.id,
            action=code.value,
            from_status=S.pending_payment.value,
            to_status=S.cancelled.value,
            actor_id=None,
            data={},
            at=now,
        )
        for row in rows
    )
    await session.flush()
    return [ReleasedHold(row.id, row.listing_id, row.game_id, row.quantity) for row in rows]


def _book_money(session: AsyncSession, order: Order, target: S) -> None:
    """Every move that moves money is booked here, in the move's own transaction."""
    booking = {S.paid: book_charge, S.completed: book_completion, S.refunded: book_refund}
    if target in booking:
        money = OrderMoney(order.id, order.seller_id, order.amount, order.seller_fee_bps)
        booking[target](session, money)
