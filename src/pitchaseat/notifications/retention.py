"""How long a sent email's text is kept: long enough for support to see what a fan was told,
not forever. A "paid, please ship" email carries the buyer's address and phone, which the
order itself masks 30 days after it ends; the outbox copy must not outlive that."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.timeutil import utcnow

SENT_TEXT_KEPT = timedelta(days=30)
REMOVED_TEXT = "(removed 30 days after sending)"


async def remove_old_sent_texts(session: AsyncSession, now: datetime | None = None) -> int:
    """Blanks the bodies of emails sent more than 30 days ago, in one statement; the row
    (whom, when, what kind, the subject) stays for the record. Safe to run at any time."""
    cutoff = (now or utcnow()) - SENT_TEXT_KEPT
    result = await session.execute(
        update(EmailOutbox)
        .where(
            EmailOutbox.status == EmailStatus.sent,
            EmailOutbox.sent_at <= cutoff,
            EmailOutbox.body_text != REMOVED_TEXT,
        )
        .values(body_text=REMOVED_TEXT, body_html=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
