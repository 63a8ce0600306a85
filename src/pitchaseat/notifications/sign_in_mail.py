"""The sign-in link email (accounts/sign_in_links.py), written to the email outbox in the
request's transaction and handed to the broker after the commit, like every other email."""

from __future__ import annotations

import asyncio
import logging
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.accounts.sign_in_links import LINK_TTL_SECONDS, SIGN_IN_LINK_MAILERS
from pitchaseat.aftercommit import session_jobs
from pitchaseat.db import after_commit
from pitchaseat.i18n import translations
from pitchaseat.notifications.models import EmailOutbox
from pitchaseat.notifications.service import DELIVER_EMAIL, HAND_OVER_SECONDS
from pitchaseat.timeutil import utcnow

log = logging.getLogger(__name__)
KIND = "sign_in_link"


def _(message: str) -> str:
    return message  # marks a message for extraction; translated below


SUBJECT = _("Your Pitch-A-Seat sign-in link")
BODY = _(
    "Someone (we hope you) asked to sign in to Pitch-A-Seat. The link below signs you in "
    "once, within %(minutes)s minutes. If it was not you, ignore this email: your password "
    "was not shared and your account stays as it is."
)


async def mail_sign_in_link(session: AsyncSession, user: User, url: str) -> None:
    gettext = translations(user.locale).gettext
    body = gettext(BODY) % {"minutes": LINK_TTL_SECONDS // 60}
    outbox = EmailOutbox(
        user_id=user.id,
        to_address=user.email,
        subject=gettext(SUBJECT),
        body_text=f"{body}\n\n{url}\n",
        body_html=f'<p>{escape(body)}</p><p><a href="{escape(url)}">{escape(url)}</a></p>',
        locale=user.locale,
        kind=KIND,
        next_attempt_at=utcnow(),
    )
    session.add(outbox)
    await session.flush()
    hand_over_after_commit(session, outbox.id)


def hand_over_after_commit(session: AsyncSession, outbox_id: int) -> None:
    """Hands the email to the jobs once the transaction commits (the sweep sends it if not)."""
    jobs = session_jobs(session)
    if jobs is None:
        return

    async def hand_over() -> None:
        try:
            await asyncio.wait_for(jobs.enqueue(DELIVER_EMAIL, outbox_id), HAND_OVER_SECONDS)
        except Exception:
            log.warning("email %s: hand-over failed; the sweep sends it", outbox_id)

    after_commit(session, hand_over)


def install() -> None:
    if mail_sign_in_link not in SIGN_IN_LINK_MAILERS:
        SIGN_IN_LINK_MAILERS.append(mail_sign_in_link)
