"""Email delivery from the outbox: one job per row, re-read and claimed before sending, retried
with exponential backoff, marked failed after the last try; the sweep re-enqueues rows whose
hand-over was lost (broker down at commit time, worker crashed)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.mail import Mailer, MailFailed, OutgoingMail
from pitchaseat.adapters.queue import Handler, JobQueue, RetryLater
from pitchaseat.errors import Conflict, NotFound
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.notifications.service import DELIVER_EMAIL
from pitchaseat.timeutil import utcnow

log = logging.getLogger(__name__)
# How long one sender may hold a row before another may take it over.
CLAIM_SECONDS = 120
# A row this young is still being handed over after its commit; the sweep leaves it alone.
SWEEP_GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float

    def delay(self, attempts: int) -> float:
        return float(self.base_seconds * 2 ** max(attempts - 1, 0))


class EmailDelivery:
    def __init__(
        self, factory: async_sessionmaker[AsyncSession], mailer: Mailer, policy: RetryPolicy
    ) -> None:
        self.factory, self.mailer, self.policy = factory, mailer, policy

    async def deliver(self, outbox_id: int) -> None:
        """Sends one outbox row; quiet when it is sent, failed or being sent elsewhere."""
        now = utcnow()
        async with self.factory() as session:
            row = await _claim(session, outbox_id, now)
            await session.commit()
        if row is None:
            return
        mail = OutgoingMail(row.to_address, row.subject, row.body_text, row.body_html)
        try:
            await self.mailer.send(mail)
        except MailFailed as error:
            await self._record_failure(row, str(error))
            return
        async with self.factory() as session:
            await session.execute(
                update(EmailOutbox)
                .where(EmailOutbox.id == outbox_id)
                .values(
                    status=EmailStatus.sent,
                    sent_at=utcnow(),
                    attempts=row.attempts + 1,
                    locked_until=None,
                )
            )
            await session.commit()

    async def _record_failure(self, row: EmailOutbox, error: str) -> None:
        attempts = row.attempts + 1
        gave_up = attempts >= self.policy.max_attempts
        delay = self.policy.delay(attempts)
        values: dict[str, object] = {
            "attempts": attempts,
            "last_error": error[:500] or "refused",
            "locked_until": None,
            "next_attempt_at": utcnow() + timedelta(seconds=delay),
        }
        if gave_up:
            values["status"] = EmailStatus.failed
        async with self.factory() as session:
            await session.execute(
                update(EmailOutbox).where(EmailOutbox.id == row.id).values(values)
            )
            await session.commit()
        if gave_up:
            log.error("email %s failed for good after %s attempts: %s", row.id, attempts, error)
            return
        raise RetryLater(delay, f"email {row.id}: {error}")


async def _claim(session: AsyncSession, outbox_id: int, now: datetime) -> EmailOutbox | None:
    result = await session.execute(
        update(EmailOutbox)
        .where(
            EmailOutbox.id == outbox_id,
            EmailOutbox.status == EmailStatus.pending,
            or_(EmailOutbox.locked_until.is_(None), EmailOutbox.locked_until <= now),
        )
        .values(locked_until=now + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        return None
    return await session.scalar(
        select(EmailOutbox)
        .where(EmailOutbox.id == outbox_id)
        .execution_options(populate_existing=True)
    )


def install(jobs: JobQueue, deliver: Handler, policy: RetryPolicy) -> None:
    """Registers the email job; ``deliver`` is an ``EmailDelivery.deliver``."""
    jobs.register(
        DELIVER_EMAIL,
        deliver,
        max_retries=policy.max_attempts,
        min_backoff_seconds=policy.base_seconds,
    )


async def sweep(
    session: AsyncSession,
    jobs: JobQueue,
    *,
    now: datetime | None = None,
    grace: timedelta = SWEEP_GRACE,
) -> int:
    """Hands over again every pending email past its time; returns how many."""
    due_before = (now or utcnow()) - grace
    ids = list(
        await session.scalars(
            select(EmailOutbox.id)
            .where(
                EmailOutbox.status == EmailStatus.pending,
                EmailOutbox.next_attempt_at <= due_before,
                or_(EmailOutbox.locked_until.is_(None), EmailOutbox.locked_until <= due_before),
            )
            .order_by(EmailOutbox.id)
            .limit(500)
        )
    )
    for outbox_id in ids:
        await jobs.enqueue(DELIVER_EMAIL, outbox_id)
    return len(ids)


async def failed_emails(session: AsyncSession, *, limit: int = 100) -> list[EmailOutbox]:
    return list(
        await session.scalars(
            select(EmailOutbox)
            .where(EmailOutbox.status == EmailStatus.failed)
            .order_by(EmailOutbox.id.desc())
            .limit(limit)
        )
    )


class NotFailed(Conflict):
    code = "email_not_failed"
    default_message = "Only a failed email can be sent again."


async def resend(session: AsyncSession, outbox_id: int) -> EmailOutbox:
    """An operator sends a failed email again: it is pending with a fresh count of tries."""
    row = await session.get(EmailOutbox, outbox_id)
    if row is None:
        raise NotFound("No such email.")
    if row.status is not EmailStatus.failed:
        raise NotFailed()
    row.status, row.attempts, row.next_attempt_at = EmailStatus.pending, 0, utcnow()
    row.locked_until = None
    await session.flush()
    return row
