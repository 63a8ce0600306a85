"""Sellers of paid, unshipped orders are reminded once, a day before their ship deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game
from pitchaseat.catalog.sales import sales_cutoff
from pitchaseat.notifications.events import notify_ship_reminder
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.models import Notification
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.timeutil import utcnow

REMIND_BEFORE_DEADLINE = timedelta(hours=24)


async def remind_to_ship(session: AsyncSession, *, now: datetime | None = None) -> int:
    """Reminds each seller whose ship deadline (when sales close) is within a day;
    the notification itself records that the order was reminded. Returns how many."""
    now = now or utcnow()
    already = exists().where(
        Notification.order_id == Order.id, Notification.kind == Kind.ship_reminder.value
    )
    due = await session.scalars(
        select(Order)
        .join(Game, Game.id == Order.game_id)
        .where(
            Order.status == OrderStatus.paid,
            Game.starts_at > sales_cutoff(now),
            Game.starts_at <= sales_cutoff(now) + REMIND_BEFORE_DEADLINE,
            ~already,
        )
        .order_by(Order.id)
    )
    orders = list(due)
    for order in orders:
        await notify_ship_reminder(session, order)
    return len(orders)
