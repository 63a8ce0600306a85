"""Escrow ends by itself when the buyer says nothing: a shipped order completes a set time
after its game, and the seller is paid."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.catalog.sales import sales_cutoff
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.states import transition, unclaimed
from pitchaseat.timeutil import utcnow


async def complete_after_game(
    session: AsyncSession, *, after_game: timedelta, now: datetime | None = None
) -> int:
    """Completes shipped orders whose game ended ``after_game`` ago (disputes wait for an
    operator). Each order moves through the state machine, so it is booked like a confirm."""
    now = now or utcnow()
    due = await session.scalars(
        select(Order)
        .join(Game, Game.id == Order.game_id)
        .where(
            Order.status == OrderStatus.shipped,
            # A postponed game has not been played: its buyers have not used the tickets yet.
            Game.status.in_((GameStatus.scheduled, GameStatus.final)),
            Game.starts_at <= now - after_game,
            unclaimed(),
        )
        .order_by(Order.id)
        .with_for_update(skip_locked=True, of=Order)
    )
    completed = 0
    for order in due.all():
        await transition(
            session,
            order,
            OrderStatus.completed,
            code=OrderEventCode.completed_automatically,
            actor_id=None,
            data={"after_hours": after_game.total_seconds() / 3600},
        )
        completed += 1
    return completed


async def orders_past_ship_deadline(
    session: AsyncSession, *, now: datetime | None = None
) -> list[int]:
    """Paid orders whose ship deadline (when sales close) has passed."""
    now = now or utcnow()
    return list(
        await session.scalars(
            select(Order.id)
            .join(Game, Game.id == Order.game_id)
            .where(
                Order.status == OrderStatus.paid,
                Game.status == GameStatus.scheduled,
                Game.starts_at <= sales_cutoff(now),
            )
            .order_by(Order.id)
        )
    )
