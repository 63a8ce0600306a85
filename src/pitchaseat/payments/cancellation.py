"""Who may call an order off, and what it costs them: nothing before payment; after payment
the buyer is refunded in full."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.accounts.models import User
from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.errors import PermissionDenied
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.orders import service as orders_service
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.payments.refunds import refund_order

# A buyer of a postponed game may walk away from an order the seller has not completed.
POSTPONED_CANCELLABLE = (OrderStatus.paid, OrderStatus.shipped)


async def cancel_order(
    session: AsyncSession,
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    order: Order,
    actor: User,
    *,
    reason: str | None = None,
    cache: ListingPageCache | None = None,
) -> Order:
    """A hold is let go by its buyer. A paid order is cancelled with a full refund by its
    seller (who cannot deliver), or by its buyer while the game is postponed with no
    make-up date."""
    if order.status is OrderStatus.pending_payment:
        return await orders_service.cancel_hold(session, order, actor, reason=reason, cache=cache)
    if order.status not in POSTPONED_CANCELLABLE and order.status is not OrderStatus.disputed:
        raise InvalidOrderState(status=order.status.value, wanted=OrderStatus.cancelled.value)
    if actor.id == order.seller_id:
        action = "payments.refund.seller_cancelled"
    elif actor.id == order.buyer_id and await _postponed(session, order):
        if order.status not in POSTPONED_CANCELLABLE:
            raise InvalidOrderState(status=order.status.value, wanted=OrderStatus.cancelled.value)
        action = "payments.refund.game_postponed"
    else:
        raise PermissionDenied(
            "A paid order is cancelled by its seller, or by its buyer while the game is postponed."
        )
    order_id, actor_id = order.id, actor.id
    # The refund runs in its own transactions around the provider call; end ours first.
    await session.rollback()
    return await refund_order(
        factory, provider, order_id, actor_id=actor_id, action=action, reason=reason, cache=cache
    )


async def _postponed(session: AsyncSession, order: Order) -> bool:
    game = await session.get(Game, order.game_id)
    return game is not None and game.status is GameStatus.postponed
