"""Notify a user: the in-site notification and its email are written in the caller's
transaction; after the commit the notification goes live and the email is handed to the jobs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.aftercommit import session_base_url, session_fanout, session_jobs
from pitchaseat.db import after_commit
from pitchaseat.errors import NotFound
from pitchaseat.i18n import translations
from pitchaseat.notifications.kinds import Kind, render
from pitchaseat.notifications.models import EmailOutbox, EmailPreference, Notification
from pitchaseat.timeutil import utcnow

log = logging.getLogger(__name__)
DELIVER_EMAIL = "deliver_email"
HAND_OVER_SECONDS = 2.0


@dataclass(frozen=True)
class EmailDetail:
    """One labelled line the email carries beyond the notification (an address for the
    seller, a tracking number for the buyer). Only in the email: never kept in the
    notification's params. ``label`` (and ``value`` when ``translate``) are message ids."""

    label: str
    value: str
    translate: bool = False


@dataclass(frozen=True)
class Notice:
    """One notification to store: for whom, what, and what its email adds."""

    user_id: int
    kind: Kind
    params: dict[str, Any]
    link: str | None = None
    order_id: int | None = None
    email_details: Sequence[EmailDetail] = ()


async def notify(
    session: AsyncSession,
    *,
    user_id: int,
    kind: Kind,
    params: dict[str, Any],
    link: str | None = None,
    order_id: int | None = None,
    email_details: Sequence[EmailDetail] = (),
) -> Notification:
    """Stores a notification for the user and, unless they turned this kind's email off, the
    email in their language. Nothing is published or sent unless the transaction commits."""
    notice = Notice(user_id, kind, params, link, order_id, email_details)
    return (await notify_all(session, [notice]))[0]


async def notify_all(session: AsyncSession, notices: Sequence[Notice]) -> list[Notification]:
    """``notify`` for several notices at once, in three statements whatever their number:
    the recipients (address, language, unread count, email choices), the notifications, the
    emails. A hold or a payment tells one or two people on the hot path."""
    recipients = await _recipients(session, notices)
    notes = [
        Notification(
            user_id=n.user_id, kind=n.kind.value, params=n.params, link=n.link, order_id=n.order_id
        )
        for n in notices
    ]
    emails: list[EmailOutbox | None] = []
    for notice, note in zip(notices, notes, strict=True):
        recipient = recipients[notice.user_id]
        wanted = recipient.email_choices.get(notice.kind.value) is not False
        emails.append(
            _email(
                session,
                note,
                to_address=recipient.email,
                locale=recipient.locale,
                details=notice.email_details,
            )
            if wanted
            else None
        )
    session.add_all(notes)
    session.add_all(email for email in emails if email is not None)
    await session.flush()
    events: list[tuple[int, dict[str, Any]]] = []
    for note in notes:
        # Counted before these were added: each one adds to its reader's bell.
        recipients[note.user_id].unread_count += 1
        events.append((note.user_id, live_event(note, recipients[note.user_id].unread_count)))
    outbox_ids = [email.id for email in emails if email is not None]
    _publish_after_commit(session, events, outbox_ids)
    return notes


@dataclass
class _Recipient:
    email: str
    locale: str
    unread_count: int
    email_choices: dict[str, bool]


def _recipients_statement() -> Select[Any]:
    unread = (
        select(func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    return (
        select(
            User.id,
            User.email,
            User.locale,
            unread,
            EmailPreference.kind,
            EmailPreference.email_enabled,
        )
        .outerjoin(
            EmailPreference,
            and_(
                EmailPreference.user_id == User.id,
                EmailPreference.kind.in_(bindparam("kinds", expanding=True)),
            ),
        )
        .where(User.id.in_(bindparam("user_ids", expanding=True)))
    )


# Built once (a hold and a payment each tell one or two people; building this per call cost
# more CPU than running it).
_RECIPIENTS = _recipients_statement()


async def _recipients(session: AsyncSession, notices: Sequence[Notice]) -> dict[int, _Recipient]:
    user_ids = sorted({n.user_id for n in notices})
    kinds = sorted({n.kind.value for n in notices})
    rows = await session.execute(_RECIPIENTS, {"user_ids": user_ids, "kinds": kinds})
    found: dict[int, _Recipient] = {}
    for user_id, email, locale, unread_count, kind, enabled in rows:
        recipient = found.setdefault(user_id, _Recipient(email, locale, int(unread_count), {}))
        if kind is not None:
            recipient.email_choices[kind] = enabled
    return found


def _publish_after_commit(
    session: AsyncSession, events: list[tuple[int, dict[str, Any]]], outbox_ids: list[int]
) -> None:
    fanout, jobs = session_fanout(session), session_jobs(session)

    async def publish() -> None:
        # The change is committed whatever happens here: a lost live event only means the
        # bell catches up on the next page, and an email not handed over is swept up later.
        # Bounded: the request that committed is waiting to answer. The emails go in one
        # hand-over.
        if fanout is not None:
            for user_id, event in events:
                try:
                    await asyncio.wait_for(fanout.publish(user_id, event), HAND_OVER_SECONDS)
                except Exception:
                    log.warning("notification %s: live event lost", event["id"], exc_info=True)
        if jobs is not None and outbox_ids:
            try:
                await asyncio.wait_for(
                    jobs.enqueue_many(DELIVER_EMAIL, outbox_ids), HAND_OVER_SECONDS
                )
            except Exception:
                log.warning("emails %s: hand-over failed", outbox_ids, exc_info=True)

    after_commit(session, publish)


def live_event(note: Notification, unread: int) -> dict[str, Any]:
    return live_event_of(note.id, note.kind, note.params, note.link, note.created_at, unread)


def live_event_of(
    note_id: int,
    kind: str,
    params: dict[str, Any],
    link: str | None,
    created_at: datetime,
    unread: int,
) -> dict[str, Any]:
    """What the bell receives for a new notification (also built for batches, unloaded)."""
    return {
        "id": note_id,
        "kind": kind,
        "params": params,
        "link": link,
        "created_at": created_at.isoformat(),
        "unread_count": unread,
    }


def _email(
    session: AsyncSession,
    note: Notification,
    *,
    to_address: str,
    locale: str,
    details: Sequence[EmailDetail] = (),
) -> EmailOutbox:
    text = render(note.kind, note.params, locale)
    url = f"{session_base_url(session)}{note.link}" if note.link else ""
    gettext = translations(locale).gettext
    lines = [(gettext(d.label), gettext(d.value) if d.translate else d.value) for d in details]
    details_text = "".join(f"{label}: {value}\n" for label, value in lines)
    details_html = "".join(f"<li>{escape(label)}: {escape(value)}</li>" for label, value in lines)
    body = f"{text.body}\n\n{details_text}\n" if details_text else f"{text.body}\n"
    body = f"{body}\n{url}\n" if url else body
    link_html = f'<p><a href="{escape(url)}">{escape(url)}</a></p>' if url else ""
    list_html = f"<ul>{details_html}</ul>" if details_html else ""
    return EmailOutbox(
        user_id=note.user_id,
        to_address=to_address,
        subject=text.title[:200],
        body_text=body,
        body_html=f"<p>{escape(text.body)}</p>{list_html}{link_html}",
        locale=locale,
        kind=note.kind,
        next_attempt_at=utcnow(),
    )


async def email_enabled(session: AsyncSession, user_id: int, kind: Kind) -> bool:
    enabled = await session.scalar(
        select(EmailPreference.email_enabled).where(
            EmailPreference.user_id == user_id, EmailPreference.kind == kind.value
        )
    )
    return enabled is not False


async def unread_count(session: AsyncSession, user_id: int) -> int:
    count = await session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )
    return int(count or 0)


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    total: int
    unread_count: int


async def list_notifications(
    session: AsyncSession,
    user_id: int,
    *,
    unread_only: bool = False,
    offset: int = 0,
    limit: int = 20,
) -> NotificationPage:
    conditions = [Notification.user_id == user_id]
    if unread_only:
        conditions.append(Notification.read_at.is_(None))
    total = await session.scalar(select(func.count(Notification.id)).where(*conditions))
    items = await session.scalars(
        select(Notification)
        .where(*conditions)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return NotificationPage(list(items), int(total or 0), await unread_count(session, user_id))


async def owned_notification(
    session: AsyncSession, user_id: int, notification_id: int
) -> Notification:
    note = await session.get(Notification, notification_id)
    if note is None or note.user_id != user_id:
        raise NotFound("No such notification.")
    return note


async def mark_read(session: AsyncSession, note: Notification) -> None:
    if note.read_at is None:
        note.read_at = utcnow()
        await session.flush()


async def mark_all_read(session: AsyncSession, user_id: int) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def email_choices(session: AsyncSession, user_id: int) -> dict[Kind, bool]:
    """Every kind with whether its email is on (the default) for the user."""
    rows = await session.execute(
        select(EmailPreference.kind, EmailPreference.email_enabled).where(
            EmailPreference.user_id == user_id
        )
    )
    chosen = {row.kind: row.email_enabled for row in rows}
    return {kind: chosen.get(kind.value, True) for kind in Kind}


async def save_email_choices(
    session: AsyncSession, user_id: int, *, enabled: set[Kind], locale: str
) -> None:
    """Stores the whole form at once: the kinds left out get no email."""
    current = {
        pref.kind: pref
        for pref in await session.scalars(
            select(EmailPreference).where(EmailPreference.user_id == user_id)
        )
    }
    for kind in Kind:
        pref = current.get(kind.value)
        if pref is None:
            session.add(
                EmailPreference(user_id=user_id, kind=kind.value, email_enabled=kind in enabled)
            )
        else:
            pref.email_enabled = kind in enabled
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(locale=locale)
        .execution_options(synchronize_session=False)
    )
    await session.flush()
