"""After payment: the seller ships, the buyer confirms receipt or opens a dispute. Each step
is allowed only when ``allowed_actions`` offers it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game
from pitchaseat.orders.actions import Action, check_action
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.holds import order_with_history
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.states import transition
from pitchaseat.timeutil import utcnow


async def _step(
    session: AsyncSession,
    order: Order,
    actor_id: int,
    action: Action,
    target: OrderStatus,
    code: OrderEventCode,
    data: dict[str, Any] | None = None,
) -> Order:
    game = await session.get(Game, order.game_id)
    assert game is not None
    check_action(order, actor_id, action, game, utcnow())
    await transition(session, order, target, code=code, actor_id=actor_id, data=data)
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
    data = {"method": method, "tracking_number": tracking_number, "note": note}
    shown = {key: value for key, value in data.items() if value}
    return await _step(
        session, order, actor_id, Action.ship, OrderStatus.shipped, OrderEventCode.shipped, shown
    )


async def confirm_receipt(session: AsyncSession, order: Order, actor_id: int) -> Order:
    # A disputed order is completed by an operator, not by the buyer's button.
    return await _step(
        session, order, actor_id, Action.confirm, OrderStatus.completed, OrderEventCode.completed
    )


async def open_dispute(session: AsyncSession, order: Order, actor_id: int, *, reason: str) -> Order:
    return await _step(
        session,
        order,
        actor_id,
        Action.dispute,
        OrderStatus.disputed,
        OrderEventCode.dispute_opened,
        {"reason": reason},
    )
