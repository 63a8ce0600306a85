"""Game changes and the season import, as operator actions with their audit entries (the
same services the CLI uses; calling a game off is a workflow, see ``settling``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.admin import audit
from pitchaseat.admin.audit import Action
from pitchaseat.catalog.importer import ImportResult, import_schedule
from pitchaseat.notifications.delivery import resend
from pitchaseat.orders.game_changes import GameChange, postpone_game


async def postpone(
    session: AsyncSession,
    operator: User,
    game_id: int,
    *,
    makeup_starts_at: datetime | None,
    reason: str,
) -> GameChange:
    change = await postpone_game(session, game_id, makeup_starts_at=makeup_starts_at)
    await audit.record(
        session,
        operator.id,
        Action.game_postponed,
        target_type="game",
        target_id=game_id,
        reason=reason,
        data={"makeup_starts_at": makeup_starts_at.isoformat() if makeup_starts_at else None},
    )
    return change


async def preview_schedule(session: AsyncSession, text: str) -> ImportResult:
    """Checks every row exactly as the import does, and writes nothing: the import runs in a
    savepoint that is rolled back. Bad rows raise ``ScheduleImportFailed`` with each error."""
    savepoint = await session.begin_nested()
    try:
        return await import_schedule(session, text)
    finally:
        await savepoint.rollback()


async def import_season(
    session: AsyncSession, operator: User, text: str, *, file_name: str
) -> ImportResult:
    result = await import_schedule(session, text)
    await audit.record(
        session,
        operator.id,
        Action.schedule_imported,
        target_type="schedule",
        target_id=result.created,
        reason=file_name or "schedule.csv",
        data={"created": result.created},
    )
    return result


async def resend_email(session: AsyncSession, operator: User, email_id: int) -> None:
    row = await resend(session, email_id)
    await audit.record(
        session,
        operator.id,
        Action.email_resent,
        target_type="email",
        target_id=row.id,
        reason=row.kind,
    )
