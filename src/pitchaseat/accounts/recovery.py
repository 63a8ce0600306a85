"""Account recovery and proof of address: password reset, email verification, change of email
and of password.

Each emailed link carries a random token; only its SHA-256 is stored (``account_tokens``), so
a copy of the database opens nothing. A link works once: using it is a conditional UPDATE
(``used_at IS NULL``) whose row count says who won, and a newer link of the same purpose
retires the older ones.

The emails are written by whoever registered in ``ACCOUNT_MAILERS`` (the notifications domain
puts them in its outbox, in the request's transaction), so accounts need not know about email.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts import passwords
from pitchaseat.accounts.errors import (
    EmailTaken,
    InvalidLink,
    WeakPassword,
    WrongPassword,
)
from pitchaseat.accounts.models import AccountToken, AuthSession, User
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.errors import InvalidInput, RateLimited
from pitchaseat.timeutil import utcnow

RESET_PATH = "/password-reset/confirm"
VERIFY_PATH = "/verify-email"
MAX_TOKEN_LENGTH = 200


class Purpose(enum.StrEnum):
    password_reset = "password_reset"  # noqa: S105 - a purpose, not a secret
    verify_email = "verify_email"
    change_email = "change_email"


# How long each kind of link works, in minutes.
LINK_MINUTES = {
    Purpose.password_reset: 30,
    Purpose.verify_email: 48 * 60,
    Purpose.change_email: 24 * 60,
}
LINK_PATH = {
    Purpose.password_reset: RESET_PATH,
    Purpose.verify_email: VERIFY_PATH,
    Purpose.change_email: VERIFY_PATH,
}


@dataclass(frozen=True)
class AccountMail:
    purpose: Purpose
    user_id: int
    to_address: str
    locale: str
    url: str
    minutes: int


AccountMailer = Callable[[AsyncSession, AccountMail], Awaitable[None]]
ACCOUNT_MAILERS: list[AccountMailer] = []


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _limit(limiter: RateLimiter, rule: str, scope: str, *key: str) -> None:
    check = await limiter.hit(rule, scope, *key)
    if not check.allowed:
        raise RateLimited(check.retry_after_seconds)


async def _issue(
    session: AsyncSession, user: User, purpose: Purpose, *, email: str, base_url: str
) -> None:
    now = utcnow()
    token = secrets.token_urlsafe(32)
    await session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose.value,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    minutes = LINK_MINUTES[purpose]
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose.value,
            token_hash=token_hash(token),
            email=email,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    await session.flush()
    mail = AccountMail(
        purpose=purpose,
        user_id=user.id,
        to_address=email,
        locale=user.locale,
        url=f"{base_url}{LINK_PATH[purpose]}?token={token}",
        minutes=minutes,
    )
    for mailer in ACCOUNT_MAILERS:
        await mailer(session, mail)


async def _live_token(
    session: AsyncSession, token: str, purposes: Iterable[Purpose]
) -> AccountToken:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidLink()
    row = await session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token),
            AccountToken.purpose.in_([purpose.value for purpose in purposes]),
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise InvalidLink()
    return row


async def _use(session: AsyncSession, row: AccountToken) -> None:
    """Claims the link; a second use (even a concurrent one) finds it taken."""
    result = await session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise InvalidLink()


async def revoke_sessions(
    session: AsyncSession, user_id: int, *, keep_session_id: str | None = None
) -> None:
    conditions = [AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)]
    if keep_session_id is not None:
        conditions.append(AuthSession.id != keep_session_id)
    await session.execute(
        update(AuthSession)
        .where(*conditions)
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def _check_new_password(password: str, user: User, field: str) -> None:
    problems = await passwords.check_password(
        password, email=user.email, display_name=user.display_name
    )
    if problems:
        raise WeakPassword(" ".join(problems), problems=problems, field=field)


# Password reset -------------------------------------------------------------------------


async def request_password_reset(
    session: AsyncSession,
    limiter: RateLimiter,
    *,
    per_ip_rule: str,
    per_account_rule: str,
    email: str,
    client_ip: str,
    base_url: str,
) -> None:
    """Mails a reset link if the address has an account and says nothing either way: the
    limits count the address asked for, whether or not it has an account."""
    email = email.strip().lower()
    await _limit(limiter, per_ip_rule, "password-reset", "ip", client_ip)
    await _limit(limiter, per_account_rule, "password-reset", "account", email)
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        # About the work of writing a link, so the answer takes about as long.
        token_hash(secrets.token_urlsafe(32))
        return
    await _issue(session, user, Purpose.password_reset, email=user.email, base_url=base_url)


async def reset_password(session: AsyncSession, *, token: str, password: str) -> User:
    """Sets the new password and ends every session of the account. The password is checked
    before the link is used, so a refused password leaves the link working."""
    row = await _live_token(session, token, [Purpose.password_reset])
    user = await session.get(User, row.user_id)
    if user is None or user.email != row.email:
        raise InvalidLink()
    await _check_new_password(password, user, "password")
    await _use(session, row)
    user.password_hash = await passwords.hash_password(password)
    # Whoever could read the reset email owns the address: it is proven too.
    user.email_verified = True
    await revoke_sessions(session, user.id)
    await session.flush()
    return user


# Email verification and change ----------------------------------------------------------


async def start_verification(session: AsyncSession, user: User, *, base_url: str) -> None:
    """Mails the sign-up link that proves the address (nothing when it is proven already)."""
    if not user.email_verified:
        await _issue(session, user, Purpose.verify_email, email=user.email, base_url=base_url)


async def resend_verification(
    session: AsyncSession, limiter: RateLimiter, rule: str, user: User, *, base_url: str
) -> None:
    await _limit(limiter, rule, "verify-email", "account", str(user.id))
    await start_verification(session, user, base_url=base_url)


async def request_email_change(
    session: AsyncSession,
    limiter: RateLimiter,
    rule: str,
    user: User,
    *,
    new_email: str,
    current_password: str,
    base_url: str,
) -> None:
    """Mails a link to the new address; the account keeps its old one until it is opened."""
    if not await passwords.verify_password(user.password_hash, current_password):
        raise WrongPassword(field="current_password")
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise InvalidInput("This is already your email address.", field="new_email")
    if await session.scalar(select(User.id).where(User.email == new_email)) is not None:
        raise EmailTaken(field="new_email")
    await _limit(limiter, rule, "verify-email", "account", str(user.id))
    await _issue(session, user, Purpose.change_email, email=new_email, base_url=base_url)


async def verify_email(session: AsyncSession, *, token: str) -> User:
    """Uses a verification link: the sign-up one proves the address, the change-of-email one
    makes the new address the account's (proven)."""
    row = await _live_token(session, token, [Purpose.verify_email, Purpose.change_email])
    user = await session.get(User, row.user_id)
    if user is None:
        raise InvalidLink()
    if row.purpose == Purpose.verify_email and row.email != user.email:
        raise InvalidLink()  # the address changed since the link was sent
    if row.purpose == Purpose.change_email and (
        await session.scalar(select(User.id).where(User.email == row.email, User.id != user.id))
        is not None
    ):
        raise EmailTaken()
    await _use(session, row)
    user.email = row.email
    user.email_verified = True
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise EmailTaken() from error
    return user


# Change of password ---------------------------------------------------------------------


async def change_password(
    session: AsyncSession,
    user: User,
    *,
    current_password: str,
    new_password: str,
    current_session_id: str | None,
) -> None:
    """Sets a new password; every other session of the account ends, this one stays."""
    if not await passwords.verify_password(user.password_hash, current_password):
        raise WrongPassword(field="current_password")
    await _check_new_password(new_password, user, "new_password")
    user.password_hash = await passwords.hash_password(new_password)
    await revoke_sessions(session, user.id, keep_session_id=current_session_id)
    await session.flush()
