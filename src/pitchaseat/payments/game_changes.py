"""Rainouts and called-off games, set by an operator.

Cancelled: every open order is refunded in full and the game's listings close. Postponed with
no make-up date: listings pause (reads and holds skip the game), holds are let go, and a buyer
may cancel a paid order for a full refund. A make-up date puts the game back on sale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.db import commit
from pitchaseat.errors import Conflict, NotFound
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.listings.service import refresh_game_summaries
from pitchaseat.listings.stock import return_tickets
from pitchaseat.notifications.events import notify_game_change
from pitchaseat.notifications.kinds import Kind
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.states import transition
from pitchaseat.payments.refunds import refund_each
from pitchaseat.timeutil import utcnow

PAID_STATUSES = (OrderStatus.paid, OrderStatus.shipped, OrderStatus.disputed)


class GameAlreadyPlayed(Conflict):
    code = "game_already_played"
    default_message = "This game has been played; it cannot be postponed or cancelled."


@dataclass
class GameChange:
    game_id: int
    status: GameStatus
    holds_released: int = 0
    refunded: list[int] = field(default_factory=list)
    refund_failed: list[int] = field(default_factory=list)


async def _locked_game(session: AsyncSession, game_id: int) -> Game:
    game = await session.scalar(select(Game).where(Game.id == game_id).with_for_update())
    if game is None:
        raise NotFound("No such game.")
    if game.status is GameStatus.final:
        raise GameAlreadyPlayed()
    return game


async def _release_holds(session: AsyncSession, game_id: int, action: str) -> int:
    """Lets every open hold of the game go; the tickets go back to their listings."""
    holds = await session.scalars(
        select(Order)
        .where(Order.game_id == game_id, Order.status == OrderStatus.pending_payment)
        .where(Order.charge_in_flight.is_(False))
        .with_for_update()
    )
    released = 0
    for order in holds.all():
        await transition(session, order, OrderStatus.cancelled, action=action, actor_id=None)
        await return_tickets(session, order.listing_id, order.quantity)
        released += 1
    return released


async def _tell_open_orders(session: AsyncSession, game_id: int, kind: Kind) -> list[int]:
    """Notifies the buyers and sellers of the game's paid orders; returns those orders' ids."""
    orders = list(
        await session.scalars(
            select(Order).where(Order.game_id == game_id, Order.status.in_(PAID_STATUSES))
        )
    )
    await notify_game_change(session, game_id, kind, orders)
    return [order.id for order in orders]


async def postpone_game(
    session: AsyncSession,
    game_id: int,
    *,
    makeup_starts_at: datetime | None,
    cache: ListingPageCache | None = None,
) -> GameChange:
    """Without a date the game is postponed (sales pause); with one it is back on sale at the
    new time (this is also how a make-up date is set later)."""
    game = await _locked_game(session, game_id)
    if game.status is GameStatus.cancelled:
        raise Conflict("A cancelled game cannot be postponed.")
    change = GameChange(game_id, GameStatus.postponed)
    if makeup_starts_at is None:
        game.status = GameStatus.postponed
        change.holds_released = await _release_holds(
            session, game_id, "orders.hold.cancelled.game_postponed"
        )
        await _tell_open_orders(session, game_id, Kind.game_postponed)
    else:
        if makeup_starts_at <= utcnow():
            raise Conflict("The make-up game must be in the future.")
        game.status = GameStatus.scheduled
        game.starts_at = makeup_starts_at
        change.status = GameStatus.scheduled
    await session.flush()
    await refresh_game_summaries(session, [game_id], cache)
    return change


async def cancel_game(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    game_id: int,
    *,
    cache: ListingPageCache | None = None,
) -> GameChange:
    """Calls the game off. Safe to run again: a refund that failed is tried again."""
    change = GameChange(game_id, GameStatus.cancelled)
    async with factory() as session:
        game = await _locked_game(session, game_id)
        game.status = GameStatus.cancelled
        change.holds_released = await _release_holds(
            session, game_id, "orders.hold.cancelled.game_cancelled"
        )
        await session.execute(
            update(Listing)
            .where(
                Listing.game_id == game_id,
                Listing.status.in_((ListingStatus.active, ListingStatus.sold_out)),
            )
            .values(status=ListingStatus.expired, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        await refresh_game_summaries(session, [game_id], cache)
        paid = await _tell_open_orders(session, game_id, Kind.game_cancelled)
        await commit(session)
    change.refunded, change.refund_failed = await refund_each(
        factory, provider, paid, action="payments.refund.game_cancelled", cache=cache
    )
    return change
