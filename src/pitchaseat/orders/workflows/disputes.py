"""An operator settles a dispute: the seller is paid (completed) or the buyer refunded."""

from __future__ import annotations

import enum

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.db import commit, rollback
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.holds import locked_order, order_with_history
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.states import transition
from pitchaseat.orders.workflows.refunds import InOutcome, refund_order

DISPUTED = frozenset({OrderStatus.disputed})


class DisputeOutcome(enum.StrEnum):
    completed = "completed"
    refunded = "refunded"


async def resolve_dispute(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    order_id: int,
    outcome: DisputeOutcome,
    *,
    note: str,
    actor_id: int | None = None,
    in_outcome: InOutcome | None = None,
) -> Order:
    """``in_outcome`` (an operator's audit entry) runs in the transaction that records the
    outcome, so it is written once and only when the dispute is settled."""
    if outcome is DisputeOutcome.refunded:
        return await refund_order(
            factory,
            provider,
            order_id,
            actor_id=actor_id,
            code=OrderEventCode.dispute_resolved,
            reason=note,
            allowed=DISPUTED,
            in_outcome=in_outcome,
        )
    async with factory() as session:
        try:
            order = await locked_order(session, order_id)
            if order.status is not OrderStatus.disputed:
                raise InvalidOrderState(status=order.status.value, wanted=outcome.value)
            await transition(
                session,
                order,
                OrderStatus.completed,
                code=OrderEventCode.dispute_resolved,
                actor_id=actor_id,
                data={"outcome": outcome.value, "note": note},
            )
            if in_outcome is not None:
                await in_outcome(session)
        except BaseException:
            await rollback(session)
            raise
        await commit(session)
        resolved = await order_with_history(session, order_id)
        assert resolved is not None
        return resolved
