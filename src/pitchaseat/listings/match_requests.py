"""Listings that may now match someone's reservation: written in the transaction that
published a listing, cut its price or got tickets back, so that a broker outage delays the
alert but never loses it. The reservations domain consumes them (its matching job deletes a
request when done; the periodic sweep retries what is left)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from pitchaseat.aftercommit import session_jobs
from pitchaseat.db import Base, UtcDateTime, after_commit
from pitchaseat.timeutil import utcnow

MATCH_JOB = "match_reservations"


class MatchRequest(Base):
    __tablename__ = "reservation_match_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


async def request_match(session: AsyncSession, listing_id: int) -> None:
    """Asks for the listing to be matched against reservations once this transaction commits.
    The job is handed over after the commit; the periodic sweep catches what was not."""
    request = MatchRequest(listing_id=listing_id)
    session.add(request)
    await session.flush()
    request_id = request.id
    jobs = session_jobs(session)
    if jobs is None:
        return

    async def hand_over() -> None:
        try:
            await jobs.enqueue(MATCH_JOB, request_id)
        except Exception:
            return  # the row stays; the sweep hands it over later

    after_commit(session, hand_over)
