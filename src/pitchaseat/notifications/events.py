"""Notices that are not one order step: the game-wide ones (postponed, cancelled), ship
reminders and payouts, and the order facts every order notification shows. (Which order step
tells whom is the orders domain's table, ``orders.notices``.)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from pitchaseat.catalog.models import Game, Team
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.service import notify
from pitchaseat.timeutil import to_taipei


class OrderFacts(Protocol):
    """What an order event needs of the order (the orders domain's Order has it all)."""

    id: int
    buyer_id: int
    seller_id: int
    game_id: int
    quantity: int
    amount: int


def _game_line_statement() -> Select[datetime, str, str, str, str]:
    home, away = aliased(Team, name="home_team"), aliased(Team, name="away_team")
    return (
        select(Game.starts_at, home.name_zh, home.name_en, away.name_zh, away.name_en)
        .join(home, home.id == Game.home_team_id)
        .join(away, away.id == Game.away_team_id)
        .where(Game.id == bindparam("game_id"))
    )


# Built once: every order notification asks for its game's line, and building the statement
# (two aliases, joins) cost more CPU than running it.
_GAME_LINE = _game_line_statement()


async def game_params(session: AsyncSession, game_id: int) -> dict[str, Any]:
    """The game as a line of text in each language, e.g. '樂天桃猿 @ 中信兄弟 04/04 18:35'."""
    row = (await session.execute(_GAME_LINE, {"game_id": game_id})).one()
    when = to_taipei(row[0]).strftime("%m/%d %H:%M")
    return {"game_zh": f"{row[3]} @ {row[1]} {when}", "game_en": f"{row[4]} @ {row[2]} {when}"}


async def order_params(session: AsyncSession, order: OrderFacts) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "quantity": order.quantity,
        "amount": order.amount,
        **await game_params(session, order.game_id),
    }


async def notify_ship_reminder(session: AsyncSession, order: OrderFacts) -> None:
    await notify(
        session,
        user_id=order.seller_id,
        kind=Kind.ship_reminder,
        params=await order_params(session, order),
        link=f"/orders/{order.id}",
        order_id=order.id,
    )


async def notify_game_change(
    session: AsyncSession, game_id: int, kind: Kind, orders: Sequence[OrderFacts]
) -> None:
    """Tells the buyers and sellers of a game's open orders (each person once): the link is
    their order when they have one for the game, the game page when they have several."""
    params = await game_params(session, game_id)
    orders_of: dict[int, list[int]] = {}
    for order in orders:
        for user_id in (order.buyer_id, order.seller_id):
            orders_of.setdefault(user_id, []).append(order.id)
    for user_id, order_ids in orders_of.items():
        only = order_ids[0] if len(set(order_ids)) == 1 else None
        await notify(
            session,
            user_id=user_id,
            kind=kind,
            params=params,
            link=f"/orders/{only}" if only else f"/games/{game_id}",
            order_id=only,
        )


async def notify_payout(
    session: AsyncSession, *, seller_id: int, amount: int, reference: str
) -> None:
    await notify(
        session,
        user_id=seller_id,
        kind=Kind.payout_paid,
        params={"amount": amount, "reference": reference},
        link="/me/money",
    )
