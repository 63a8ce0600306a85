"""Sends what the email outbox holds to the mailbox folder (the embedded mailer) and reads
the messages back from their ``.eml`` files, as a person would receive them."""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from sqlalchemy import select

from pitchaseat.adapters.mail import MailboxMailer
from pitchaseat.notifications.delivery import EmailDelivery, RetryPolicy
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.runtime import AppServices


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str


async def deliver_and_read(services: AppServices) -> list[Mail]:
    """Every pending email sent to the mailbox folder, then every message in the folder."""
    settings = services.settings
    mailer = MailboxMailer(settings.mailbox_dir, settings.mail_from)
    delivery = EmailDelivery(services.session_factory, mailer, RetryPolicy(1, 1.0))
    async with services.session_factory() as session:
        pending = list(
            await session.scalars(
                select(EmailOutbox.id).where(EmailOutbox.status == EmailStatus.pending)
            )
        )
    for outbox_id in pending:
        await delivery.deliver(outbox_id)
    mails = []
    for path in sorted(settings.mailbox_dir.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        mails.append(
            Mail(
                to=str(message["To"]),
                subject=str(message["Subject"]),
                text=text.get_content() if text is not None else "",  # type: ignore[attr-defined]
                html=html.get_content() if html is not None else "",  # type: ignore[attr-defined]
            )
        )
    return mails
