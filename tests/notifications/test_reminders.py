"""Sellers are reminded to ship once, within a day of their deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.notifications.models import Notification
from pitchaseat.orders.reminders import remind_to_ship
from tests.factories import make_game
from tests.support.orders import buy

BEFORE_GAME = timedelta(minutes=30)


async def test_a_seller_is_reminded_once_before_the_ship_deadline(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    soon = await make_game(db_session, starts_at=datetime.now(UTC) + timedelta(hours=13))
    later = await make_game(db_session, starts_at=datetime.now(UTC) + timedelta(days=3))
    due = await buy(client, db_session, game=soon)
    await buy(client, db_session, game=later)

    first = await remind_to_ship(db_session)
    second = await remind_to_ship(db_session)

    assert (first, second) == (1, 0)
    reminder = await db_session.scalar(
        select(Notification).where(Notification.kind == "ship_reminder")
    )
    assert reminder is not None
    assert (reminder.user_id, reminder.order_id) == (due.seller_id, due.id)
