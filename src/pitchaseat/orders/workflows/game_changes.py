"""A game called off: every open order is refunded in full and the game's listings close."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.aftercommit import Happening, announce
from pitchaseat.catalog.models import GameStatus
from pitchaseat.db import commit
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.listings.service import refresh_game_summaries
from pitchaseat.notifications.events import notify_game_change
from pitchaseat.notifications.kinds import Kind
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.game_changes import GameChange, locked_game, open_orders, release_game_holds
from pitchaseat.orders.workflows.refunds import InOutcome, refund_each
from pitchaseat.timeutil import utcnow

__all__ = ["cancel_game"]


async def cancel_game(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    game_id: int,
    *,
    in_outcome: InOutcome | None = None,
) -> GameChange:
    """Calls the game off. Safe to run again: a refund that failed is tried again.
    ``in_outcome`` (an operator's audit entry) commits with the game's new status."""
    change = GameChange(game_id, GameStatus.cancelled)
    async with factory() as session:
        game = await locked_game(session, game_id)
        already = game.status is GameStatus.cancelled
        game.status = GameStatus.cancelled
        change.holds_released = await release_game_holds(
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
        paid = await open_orders(session, game_id)
        if not already:  # a second run only retries the refunds that failed
            await notify_game_change(session, game_id, Kind.game_cancelled, paid)
        # The game's end changes the market figures (trending, insights) at once.
        announce(session, Happening.market_changed, [game_id])
        if in_outcome is not None:
            await in_outcome(session)
        await commit(session)
    change.refunded, change.refund_failed = await refund_each(
        factory, provider, [order.id for order in paid], code=OrderEventCode.refund_game_cancelled
    )
    return change
