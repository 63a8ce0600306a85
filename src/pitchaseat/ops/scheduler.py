"""Exactly one run per tick of the periodic jobs, however many processes keep the clock.

Time is cut into numbered ticks (``unix time // interval``). A process runs a tick's jobs only
if its conditional UPDATE moved the job's ``last_tick`` forward: the database lets one UPDATE
win, so two schedulers never run the same tick, and a crashed one is replaced at the next tick.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class SchedulerTick(Base):
    __tablename__ = "scheduler_ticks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_tick: Mapped[int] = mapped_column(BigInteger, default=0)
    ran_by: Mapped[str] = mapped_column(String(100), default="")
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


def tick_number(moment: datetime, interval_seconds: int) -> int:
    return int(moment.timestamp()) // interval_seconds


async def claim_tick(session: AsyncSession, name: str, tick: int, *, holder: str) -> bool:
    """True for exactly one caller per (name, tick); commits its own small transaction."""
    result = await session.execute(
        update(SchedulerTick)
        .where(SchedulerTick.name == name, SchedulerTick.last_tick < tick)
        .values(last_tick=tick, ran_by=holder[:100], ran_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount == 1:
        await session.commit()
        return True
    await session.rollback()
    # A job name seen for the first time: the INSERT's primary key lets one process win.
    session.add(SchedulerTick(name=name, last_tick=tick, ran_by=holder[:100]))
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True
