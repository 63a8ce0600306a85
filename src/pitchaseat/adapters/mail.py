"""Sending email: SMTP (aiosmtplib) or a local mailbox folder of ``.eml`` files (the embedded
default, written in a worker thread)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

import aiosmtplib


class MailFailed(Exception):
    """The message could not be handed over; the caller may try again later."""


@dataclass(frozen=True)
class OutgoingMail:
    to_address: str
    subject: str
    body_text: str
    body_html: str | None = None


class Mailer(Protocol):
    async def send(self, mail: OutgoingMail) -> None: ...


def build_message(mail: OutgoingMail, from_address: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = from_address
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="pitchaseat.tw")
    message.set_content(mail.body_text)
    if mail.body_html:
        message.add_alternative(mail.body_html, subtype="html")
    return message


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    from_address: str
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout_seconds: float = 10.0

    async def send(self, mail: OutgoingMail) -> None:
        try:
            await aiosmtplib.send(
                build_message(mail, self.from_address),
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.starttls,
                timeout=self.timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise MailFailed(str(error)[:400]) from error


@dataclass(frozen=True)
class MailboxMailer:
    folder: Path
    from_address: str

    async def send(self, mail: OutgoingMail) -> None:
        data = build_message(mail, self.from_address).as_bytes()
        try:
            await asyncio.to_thread(self._write, data)
        except OSError as error:
            raise MailFailed(str(error)[:400]) from error

    def _write(self, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.eml"
        # Written aside and renamed, so a reader never sees half a message.
        partial = self.folder / f".{name}.part"
        partial.write_bytes(data)
        partial.rename(self.folder / name)
