"""The operator actions that go through a workflow (the payment gateway is asked between two
transactions): each audit entry is written in the transaction that records the outcome, so a
refused refund or a failed call writes none."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.admin import audit
from pitchaseat.admin.audit import Action
from pitchaseat.orders.game_changes import GameChange
from pitchaseat.orders.models import Order
from pitchaseat.orders.workflows.disputes import DisputeOutcome, resolve_dispute
from pitchaseat.orders.workflows.game_changes import cancel_game


async def resolve(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    operator_id: int,
    order_id: int,
    *,
    outcome: DisputeOutcome,
    note: str,
) -> Order:
    async def write_audit(session: AsyncSession) -> None:
        await audit.record(
            session,
            operator_id,
            Action.dispute_resolved,
            target_type="order",
            target_id=order_id,
            reason=note,
            data={"outcome": outcome.value},
        )

    return await resolve_dispute(
        factory,
        provider,
        order_id,
        outcome,
        note=note,
        actor_id=operator_id,
        in_outcome=write_audit,
    )


async def call_off_game(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    operator_id: int,
    game_id: int,
    *,
    reason: str,
) -> GameChange:
    async def write_audit(session: AsyncSession) -> None:
        await audit.record(
            session,
            operator_id,
            Action.game_cancelled,
            target_type="game",
            target_id=game_id,
            reason=reason,
        )

    return await cancel_game(factory, provider, game_id, in_outcome=write_audit)
