"""Sent emails keep their text 30 days, then only the record of them (the tick does it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.db import commit
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.notifications.retention import REMOVED_TEXT, remove_old_sent_texts
from pitchaseat.timeutil import utcnow
from tests.factories import make_user


def _email(user_id: int, status: EmailStatus, sent_days_ago: int | None) -> EmailOutbox:
    sent_at = utcnow() - timedelta(days=sent_days_ago) if sent_days_ago is not None else None
    return EmailOutbox(
        user_id=user_id,
        to_address="seller@example.com",
        subject="訂單 7 已付款",
        body_text="收件人 王小明 0912345678 台北市中正區",
        body_html="<p>王小明</p>",
        locale="zh-TW",
        kind="order_paid",
        status=status,
        sent_at=sent_at,
    )


async def test_only_texts_sent_over_30_days_ago_are_removed(db_session: AsyncSession) -> None:
    session = db_session
    user = await make_user(session)
    old_sent = _email(user.id, EmailStatus.sent, 31)
    recent_sent = _email(user.id, EmailStatus.sent, 29)
    old_failed = _email(user.id, EmailStatus.failed, None)
    pending = _email(user.id, EmailStatus.pending, None)
    session.add_all([old_sent, recent_sent, old_failed, pending])
    await commit(session)

    assert await remove_old_sent_texts(session) == 1
    await commit(session)
    # Running again changes nothing.
    assert await remove_old_sent_texts(session) == 0

    rows = {
        row.id: row
        for row in await session.scalars(
            select(EmailOutbox).execution_options(populate_existing=True)
        )
    }
    assert (rows[old_sent.id].body_text, rows[old_sent.id].body_html) == (REMOVED_TEXT, None)
    assert rows[old_sent.id].subject == "訂單 7 已付款"
    for kept in (recent_sent, old_failed, pending):
        assert "0912345678" in rows[kept.id].body_text
