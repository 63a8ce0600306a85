"""Emails read back from the mailbox folder (the embedded mailer writes one .eml per email),
the one-time links in them, and the outbox sent there as the jobs would send it."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.mail import MailboxMailer
from pitchaseat.notifications.delivery import EmailDelivery, RetryPolicy
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings


def mails_to(mailbox: Path, address: str) -> list[EmailMessage]:
    found = []
    files = sorted(mailbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    for path in files if mailbox.exists() else []:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if str(message["To"]).lower() == address.lower():
            assert isinstance(message, EmailMessage)
            found.append(message)
    return found


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def link_in(message: EmailMessage, path: str) -> str:
    match = re.search(rf"https?://\S+{re.escape(path)}\?token=\S+", text_of(message))
    assert match, text_of(message)
    return match.group(0)


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


async def wait_for_mail(
    mailbox: Path, address: str, path: str, *, count: int = 1, within: float = 15
) -> EmailMessage:
    """The ``count``-th email to ``address`` with a link to ``path`` (delivery runs after
    the commit, in the background)."""
    deadline = time.monotonic() + within
    while True:
        found = [m for m in mails_to(mailbox, address) if path in text_of(m)]
        if len(found) >= count:
            return found[count - 1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no email to {address} with {path} in {mailbox}")
        await asyncio.sleep(0.05)


async def verify_by_email(client: httpx.AsyncClient, mailbox: Path, address: str) -> None:
    """Opens the sign-up link emailed to ``address`` (through the API)."""
    mail = await wait_for_mail(mailbox, address, "/verify-email")
    token = token_of(link_in(mail, "/verify-email"))
    response = await client.post("/api/v1/auth/verify-email", json={"token": token})
    assert response.status_code == 204, response.text


async def deliver_outbox(factory: async_sessionmaker[AsyncSession], settings: Settings) -> int:
    """Sends every pending email to the mailbox folder, as the jobs would; how many."""
    async with factory() as session:
        pending = list(
            await session.scalars(
                select(EmailOutbox.id)
                .where(EmailOutbox.status == EmailStatus.pending)
                .order_by(EmailOutbox.id)
            )
        )
    delivery = EmailDelivery(
        factory, MailboxMailer(settings.mailbox_dir, settings.mail_from), RetryPolicy(1, 1)
    )
    for outbox_id in pending:
        await delivery.deliver(outbox_id)
    return len(pending)


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
