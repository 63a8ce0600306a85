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
from pitchaseat.aftercommit import Happening, announce
from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.db import commit
from pitchaseat.errors import Conflict, NotFound
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.listings.service import refresh_game_summaries
from pitchaseat.notifications.events import notify_game_change
from pitchaseat.notifications.kinds import Kind
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.holds import release_holds_where
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.workflows.refunds import refund_each
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


async def _release_holds(session: AsyncSession, game_id: int, code: OrderEventCode) -> int:
    """Lets every open hold of the game go; the tickets go back to their listings."""
    released = await release_holds_where(session, [Order.game_id == game_id], code=code)
    return len(released)


async def _open_orders(session: AsyncSession, game_id: int) -> list[Order]:
    return list(
        await session.scalars(
            select(Order)
            .where(Order.game_id == game_id, Order.status.in_(PAID_STATUSES))
            .order_by(Order.id)
        )
    )


async def _tell_open_orders(session: AsyncSession, game_id: int, kind: Kind) -> None:
    """Notifies the buyers and sellers of the game's paid orders."""
    await notify_game_change(session, game_id, kind, await _open_orders(session, game_id))


async def postpone_game(
    session: AsyncSession,
    game_id: int,
    *,
    makeup_starts_at: datetime | None,
) -> GameChange:
    """Without a date the game is postponed (sales pause); with one it is back on sale at the
    new time (this is also how a make-up date is set later)."""
    game = await _locked_game(session, game_id)
    if game.status is GameStatus.cancelled:
        raise Conflict("A cancelled game cannot be postponed.")
    change = GameChange(game_id, GameStatus.postponed)
    if makeup_starts_at is None:
        already = game.status is GameStatus.postponed
        game.status = GameStatus.postponed
        change.holds_released = await _release_holds(
            session, game_id, OrderEventCode.hold_released_game_postponed
        )
        if not already:  # told once, however often the operator repeats it
            await _tell_open_orders(session, game_id, Kind.game_postponed)
    else:
        if makeup_starts_at <= utcnow():
            raise Conflict("The make-up game must be in the future.")
        game.status = GameStatus.scheduled
        game.starts_at = makeup_starts_at
        change.status = GameStatus.scheduled
    await session.flush()
    await refresh_game_summaries(session, [game_id])
    return change


async def cancel_game(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    game_id: int,
) -> GameChange:
    """Calls the game off. Safe to run again: a refund that failed is tried again."""
    change = GameChange(game_id, GameStatus.cancelled)
    async with factory() as session:
        game = await _locked_game(session, game_id)
        already = game.status is GameStatus.cancelled
        game.status = GameStatus.cancelled
        change.holds_released = await _release_holds(
            session, game_id, OrderEventCode.hold_released_game_cancelled
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
        await refresh_game_summaries(session, [game_id])
        paid = await _open_orders(session, game_id)
        if not already:  # a second run only retries the refunds that failed
            await notify_game_change(session, game_id, Kind.game_cancelled, paid)
        # The game's end changes the market figures (trending, insights) at once.
        announce(session, Happening.market_changed, [game_id])
        await commit(session)
    change.refunded, change.refund_failed = await refund_each(
        factory, provider, [order.id for order in paid], code=OrderEventCode.refund_game_cancelled
    )
    return change
