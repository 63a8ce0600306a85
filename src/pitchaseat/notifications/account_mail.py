"""The account emails (accounts/recovery.py): password reset, the sign-up address check and
the change-of-email check, in the recipient's language. Written to the email outbox in the
request's transaction and handed to the jobs after the commit, like every other email."""

from __future__ import annotations

from html import escape

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.recovery import ACCOUNT_MAILERS, AccountMail, Purpose
from pitchaseat.i18n import translations
from pitchaseat.notifications.models import EmailOutbox
from pitchaseat.notifications.sign_in_mail import hand_over_after_commit
from pitchaseat.timeutil import utcnow


def _(message: str) -> str:
    return message  # marks a message for extraction; translated below


WORDS: dict[Purpose, tuple[str, str]] = {
    Purpose.password_reset: (
        _("Reset your Pitch-A-Seat password"),
        _(
            "Someone (we hope you) asked to reset the password of your Pitch-A-Seat account. "
            "The link below lets you choose a new one, once, within %(minutes)s minutes; "
            "every device signed in to the account is then signed out. If it was not you, "
            "ignore this email: your password stays as it is."
        ),
    ),
    Purpose.verify_email: (
        _("Confirm your email address for Pitch-A-Seat"),
        _(
            "Welcome to Pitch-A-Seat! Open the link below to confirm that this address is "
            "yours (it works once, within %(minutes)s minutes). You can browse and buy "
            "already; selling tickets and receiving payouts need a confirmed address."
        ),
    ),
    Purpose.change_email: (
        _("Confirm your new email address for Pitch-A-Seat"),
        _(
            "Someone (we hope you) asked to use this address for a Pitch-A-Seat account. "
            "Open the link below within %(minutes)s minutes to make the change; until then "
            "the account keeps its old address. If it was not you, ignore this email."
        ),
    ),
}


async def mail_account_link(session: AsyncSession, mail: AccountMail) -> None:
    gettext = translations(mail.locale).gettext
    subject, body = WORDS[mail.purpose]
    text = gettext(body) % {"minutes": mail.minutes}
    link = escape(mail.url)
    outbox = EmailOutbox(
        user_id=mail.user_id,
        to_address=mail.to_address,
        subject=gettext(subject),
        body_text=f"{text}\n\n{mail.url}\n",
        body_html=f'<p>{escape(text)}</p><p><a href="{link}">{link}</a></p>',
        locale=mail.locale,
        kind=mail.purpose.value,
        next_attempt_at=utcnow(),
    )
    session.add(outbox)
    await session.flush()
    hand_over_after_commit(session, outbox.id)


def install() -> None:
    if mail_account_link not in ACCOUNT_MAILERS:
        ACCOUNT_MAILERS.append(mail_account_link)
