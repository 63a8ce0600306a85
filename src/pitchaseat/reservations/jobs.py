"""The matching job: takes waiting match requests, matches each listing, and after the commit
publishes the live notifications and hands the emails to the delivery job."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.db import after_commit, commit, rollback
from pitchaseat.notifications.models import Notification
from pitchaseat.notifications.service import DELIVER_EMAIL, HAND_OVER_SECONDS, live_event
from pitchaseat.reservations.matching import MatchOutcome, match_listing, take_requests
from pitchaseat.web.services import session_base_url, session_fanout, session_jobs

log = logging.getLogger(__name__)


async def run_matching(
    factory: async_sessionmaker[AsyncSession], request_id: int | None = None
) -> list[MatchOutcome]:
    """One request's listing, or (``None``, the sweep) every listing still waiting."""
    async with factory() as session:
        try:
            listing_ids = await take_requests(session, request_id)
            outcomes = [
                await match_listing(session, listing_id, base_url=session_base_url(session))
                for listing_id in listing_ids
            ]
            await _publish_after_commit(session, outcomes)
        except BaseException:
            await rollback(session)
            raise
        await commit(session)
    return outcomes


async def _publish_after_commit(session: AsyncSession, outcomes: list[MatchOutcome]) -> None:
    notes = [note for outcome in outcomes for note in outcome.notifications]
    outbox_ids = [outbox_id for outcome in outcomes for outbox_id in outcome.outbox_ids]
    if not notes:
        return
    user_ids = sorted({note.user_id for note in notes})
    unread = dict(
        (
            await session.execute(
                select(Notification.user_id, func.count(Notification.id))
                .where(Notification.user_id.in_(user_ids), Notification.read_at.is_(None))
                .group_by(Notification.user_id)
            )
        ).all()
    )
    events = [(note.user_id, live_event(note, int(unread.get(note.user_id, 0)))) for note in notes]
    fanout, jobs = session_fanout(session), session_jobs(session)

    async def publish() -> None:
        try:
            if fanout is not None:
                await asyncio.wait_for(
                    asyncio.gather(*(fanout.publish(user, event) for user, event in events)),
                    HAND_OVER_SECONDS * 5,
                )
            if jobs is not None:
                for outbox_id in outbox_ids:
                    await jobs.enqueue(DELIVER_EMAIL, outbox_id)
        except Exception:
            # Committed anyway: the bell catches up on the next page, the sweep sends the mail.
            log.warning("reservation alerts: after-commit hand-over failed", exc_info=True)

    after_commit(session, publish)
