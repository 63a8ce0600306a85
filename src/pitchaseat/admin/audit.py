"""The audit log: every operator action, written in the action's own transaction.

There is deliberately no function here (or anywhere in the app) that changes or deletes an
entry: the log is append-only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.admin.models import AuditEntry


class Action(enum.StrEnum):
    listing_taken_down = "listing.take_down"
    listing_restored = "listing.restore"
    report_dismissed = "report.dismiss"
    user_suspended = "user.suspend"
    user_reinstated = "user.reinstate"
    dispute_resolved = "order.resolve_dispute"
    payout_recorded = "payout.record"
    game_postponed = "game.postpone"
    game_cancelled = "game.cancel"
    schedule_imported = "schedule.import"
    email_resent = "email.resend"


async def record(
    session: AsyncSession,
    actor_id: int,
    action: Action,
    *,
    target_type: str,
    target_id: int,
    reason: str,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor_id,
        action=action.value,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        data=data or {},
    )
    session.add(entry)
    await session.flush()
    return entry


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int


async def list_entries(
    session: AsyncSession,
    *,
    actor_id: int | None = None,
    action: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> AuditPage:
    conditions = []
    if actor_id is not None:
        conditions.append(AuditEntry.actor_id == actor_id)
    if action:
        conditions.append(AuditEntry.action == action)
    total = await session.scalar(select(func.count(AuditEntry.id)).where(*conditions))
    entries = await session.scalars(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return AuditPage(list(entries), int(total or 0))
