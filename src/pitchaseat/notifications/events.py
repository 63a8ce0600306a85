"""Which order events tell whom: the one table that maps an order's move to notifications, and
the game-wide notices (postponed, cancelled) and payouts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from pitchaseat.catalog.models import Game, Team
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.service import notify
from pitchaseat.timeutil import to_taipei

Role = Literal["buyer", "seller"]
BOTH: tuple[Role, ...] = ("buyer", "seller")


class OrderFacts(Protocol):
    """What an order event needs of the order (the orders domain's Order has it all)."""

    id: int
    buyer_id: int
    seller_id: int
    game_id: int
    quantity: int
    amount: int


# An action listed here decides alone; any other action is told by the status it reaches.
BY_ACTION: dict[str, tuple[tuple[Kind, tuple[Role, ...]], ...]] = {
    "orders.hold.created": ((Kind.order_held, ("seller",)),),
    # Holds that end are the buyer's own doing, or told by the game's own notice.
    "orders.hold.cancelled": (),
    "orders.hold.expired": (),
    "orders.hold.cancelled.game_postponed": (),
    "orders.hold.cancelled.game_cancelled": (),
    "orders.dispute.resolved": ((Kind.dispute_resolved, BOTH),),
    "payments.refund.ship_deadline_missed": (
        (Kind.order_refunded, ("buyer",)),
        (Kind.ship_deadline_missed, ("seller",)),
    ),
}
BY_STATUS: dict[str, tuple[tuple[Kind, tuple[Role, ...]], ...]] = {
    "paid": ((Kind.order_paid, BOTH),),
    "shipped": ((Kind.order_shipped, ("buyer",)),),
    "completed": ((Kind.order_completed, BOTH),),
    "refunded": ((Kind.order_refunded, BOTH),),
    "disputed": ((Kind.dispute_opened, BOTH),),
}


def kinds_for(action: str, to_status: str) -> tuple[tuple[Kind, tuple[Role, ...]], ...]:
    if action in BY_ACTION:
        return BY_ACTION[action]
    return BY_STATUS.get(to_status, ())


async def game_params(session: AsyncSession, game_id: int) -> dict[str, Any]:
    """The game as a line of text in each language, e.g. '樂天桃猿 @ 中信兄弟 04/04 18:35'."""
    home, away = aliased(Team), aliased(Team)
    row = (
        await session.execute(
            select(Game.starts_at, home.name_zh, home.name_en, away.name_zh, away.name_en)
            .join(home, home.id == Game.home_team_id)
            .join(away, away.id == Game.away_team_id)
            .where(Game.id == game_id)
        )
    ).one()
    when = to_taipei(row[0]).strftime("%m/%d %H:%M")
    return {"game_zh": f"{row[3]} @ {row[1]} {when}", "game_en": f"{row[4]} @ {row[2]} {when}"}


def _link(order: OrderFacts, role: Role) -> str:
    return "/me/listings" if role == "seller" else f"/games/{order.game_id}"


async def _order_params(session: AsyncSession, order: OrderFacts) -> dict[str, Any]:
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
        params=await _order_params(session, order),
        link=_link(order, "seller"),
        order_id=order.id,
    )


async def notify_order_event(
    session: AsyncSession, order: OrderFacts, *, action: str, to_status: str
) -> None:
    """Called by the order state machine for every move it writes."""
    rules = kinds_for(action, to_status)
    if not rules:
        return
    params = await _order_params(session, order)
    for kind, roles in rules:
        for role in roles:
            user_id = order.buyer_id if role == "buyer" else order.seller_id
            await notify(
                session,
                user_id=user_id,
                kind=kind,
                params=params,
                link=_link(order, role),
                order_id=order.id,
            )


async def notify_game_change(
    session: AsyncSession, game_id: int, kind: Kind, orders: Sequence[OrderFacts]
) -> None:
    """Tells the buyers and sellers of a game's open orders (each person once)."""
    params = await game_params(session, game_id)
    told: set[int] = set()
    for order in orders:
        for user_id in (order.buyer_id, order.seller_id):
            if user_id not in told:
                told.add(user_id)
                await notify(
                    session, user_id=user_id, kind=kind, params=params, link=f"/games/{game_id}"
                )


async def notify_payout(
    session: AsyncSession, *, seller_id: int, amount: int, reference: str
) -> None:
    await notify(
        session,
        user_id=seller_id,
        kind=Kind.payout_paid,
        params={"amount": amount, "reference": reference},
        link="/me/listings",
    )
