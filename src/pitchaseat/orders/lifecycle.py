"""After payment: the seller ships, the buyer confirms receipt or opens a dispute."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.errors import PermissionDenied
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.service import order_with_history
from pitchaseat.orders.states import transition


async def _reloaded(session: AsyncSession, order: Order) -> Order:
    reloaded = await order_with_history(session, order.id)
    assert reloaded is not None
    return reloaded


async def ship(
    session: AsyncSession,
    order: Order,
    actor_id: int,
    *,
    method: str,
    tracking_number: str | None = None,
    note: str | None = None,
) -> Order:
    if actor_id != order.seller_id:
        raise PermissionDenied("Only the seller ships an order.")
    data = {"method": method, "tracking_number": tracking_number, "note": note}
    await transition(
        session,
        order,
        OrderStatus.shipped,
        action="orders.shipped",
        actor_id=actor_id,
        data={key: value for key, value in data.items() if value},
    )
    return await _reloaded(session, order)


async def confirm_receipt(session: AsyncSession, order: Order, actor_id: int) -> Order:
    if actor_id != order.buyer_id:
        raise PermissionDenied("Only the buyer confirms receipt.")
    if order.status is not OrderStatus.shipped:
        # A disputed order is completed by an operator, not by the buyer's button.
        raise InvalidOrderState(status=order.status.value, wanted=OrderStatus.completed.value)
    await transition(
        session, order, OrderStatus.completed, action="orders.completed", actor_id=actor_id
    )
    return await _reloaded(session, order)


async def open_dispute(session: AsyncSession, order: Order, actor_id: int, *, reason: str) -> Order:
    if actor_id != order.buyer_id:
        raise PermissionDenied("Only the buyer opens a dispute.")
    await transition(
        session,
        order,
        OrderStatus.disputed,
        action="orders.dispute.opened",
        actor_id=actor_id,
        data={"reason": reason},
    )
    return await _reloaded(session, order)
