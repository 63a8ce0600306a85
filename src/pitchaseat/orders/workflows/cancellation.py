"""Calling an order off, and what it costs: nothing before payment; after payment the buyer
is refunded in full (the seller cannot deliver, or the game was postponed with no date)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.accounts.models import User
from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.db import commit, rollback
from pitchaseat.errors import NotFound, PermissionDenied
from pitchaseat.orders import holds
from pitchaseat.orders.actions import TARGETS, Action, cancel_action, check_action
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.workflows.refunds import refund_order
from pitchaseat.timeutil import utcnow

_REFUND_CODES = {
    Action.refund: OrderEventCode.refund_seller_cancelled,
    Action.cancel_postponed: OrderEventCode.refund_game_postponed,
}
# The statuses each refund may start from, as allowed_actions says.
_REFUND_FROM = {
    Action.refund: frozenset({OrderStatus.paid, OrderStatus.shipped, OrderStatus.disputed}),
    Action.cancel_postponed: frozenset({OrderStatus.paid, OrderStatus.shipped}),
}


async def cancel_order(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    order_id: int,
    actor: User,
    *,
    reason: str | None = None,
) -> Order:
    """A hold is let go by its buyer; a paid order is refunded in full by its seller, or by
    its buyer while the game is postponed with no make-up date."""
    async with factory() as session:
        try:
            order = await holds.order_with_history(session, order_id)
            if order is None or actor.id not in (order.buyer_id, order.seller_id):
                raise NotFound("No such order.")
            action = cancel_action(order, actor.id)
            if action is Action.release_hold:
                released = await holds.release_hold(session, order, actor, reason=reason)
                await commit(session)
                return released
            game = await session.get(Game, order.game_id)
            assert game is not None
            if (
                action is Action.cancel_postponed
                and order.status in _REFUND_FROM[action]
                and game.status is not GameStatus.postponed
            ):
                raise PermissionDenied(
                    "A paid order is cancelled by its seller, or by its buyer while the game "
                    "is postponed."
                )
            check_action(order, actor.id, action, game, utcnow())
        except BaseException:
            await rollback(session)
            raise
    assert TARGETS[action] is OrderStatus.refunded
    return await refund_order(
        factory,
        provider,
        order_id,
        actor_id=actor.id,
        code=_REFUND_CODES[action],
        reason=reason,
        allowed=_REFUND_FROM[action],
    )
