"""The matching job: takes waiting match requests, matches each listing, and after the commit
publishes the live notifications and hands the emails to the delivery job."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.aftercommit import session_base_url, session_fanout, session_jobs
from pitchaseat.db import after_commit, commit, rollback
from pitchaseat.notifications.models import Notification
from pitchaseat.notifications.service import DELIVER_EMAIL, HAND_OVER_SECONDS, live_event_of
from pitchaseat.reservations.matching import KIND, MatchOutcome, match_listing, take_requests
from pitchaseat.timeutil import utcnow

log = logging.getLogger(__name__)


async def run_matching(
    factory: async_sessionmaker[AsyncSession], request_id: int | None = None
) -> list[MatchOutcome]:
    """One request's listing, or (``None``, the sweep) every listing still waiting."""
    async with factory() as session:
        try:
            if session.get_bind().dialect.name == "postgresql":
                # Safe to commit without waiting for the disk: a crash that loses this commit
                # also loses the deletion of its match request, so the sweep redoes it all.
                await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
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
    fanout, jobs = session_fanout(session), session_jobs(session)
    outbox_ids = [outbox_id for outcome in outcomes for outbox_id in outcome.outbox_ids]
    events: list[tuple[int, dict[str, Any]]] = []
    if fanout is not None:
        events = await _live_events(session, outcomes)
    if not events and not (jobs and outbox_ids):
        return

    async def publish() -> None:
        try:
            if fanout is not None and events:
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


async def _live_events(
    session: AsyncSession, outcomes: list[MatchOutcome]
) -> list[tuple[int, dict[str, Any]]]:
    """The bell's event for each fan told, with their unread count (one grouped query)."""
    user_ids = sorted({user for outcome in outcomes for _note, user in outcome.notes})
    if not user_ids:
        return []
    unread = dict(
        (
            await session.execute(
                select(Notification.user_id, func.count(Notification.id))
                .where(Notification.user_id.in_(user_ids), Notification.read_at.is_(None))
                .group_by(Notification.user_id)
            )
        ).all()
    )
    return [
        (
            user,
            live_event_of(
                note_id,
                KIND.value,
                outcome.params,
                outcome.link,
                outcome.created_at or utcnow(),
                int(unread.get(user, 0)),
            ),
        )
        for outcome in outcomes
        for note_id, user in outcome.notes
    ]
